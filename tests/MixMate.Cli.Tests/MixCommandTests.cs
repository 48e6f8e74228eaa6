using System.Text.Json;
using MixMate.Cli.Audio;
using MixMate.Cli.CommandLine;
using MixMate.Cli.Commands;
using MixMate.Cli.Tests.Support;
using MixMate.Dsp;
using MixMate.TestSupport;
using Xunit;

namespace MixMate.Cli.Tests.Mix;

public sealed class MixCommandTests
{
    private const double Rate = 48000;

    private static (int Exit, string Stdout, string Stderr) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int exit = MixCommand.Run(args, stdout, stderr, modelsDirectory: null);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static float Peak(PlanarBuffer buffer)
    {
        float peak = 0;
        foreach (float x in buffer.Samples)
        {
            peak = Math.Max(peak, Math.Abs(x));
        }

        return peak;
    }

    [Fact]
    public void Stems_of_different_lengths_are_padded_and_the_report_has_its_fields()
    {
        string folder = TestFolder.NewFolder("mix-lengths");
        string noise = TestAudio.WriteWav(Path.Combine(folder, "noise.wav"), TestSignals.PinkNoise(-20, 3, Rate, 2, seed: 3));
        string tone = TestAudio.WriteWav(Path.Combine(folder, "tone.wav"), TestSignals.Sine(220, -12, 1.5, Rate, channels: 1));
        string output = Path.Combine(folder, "mix.wav");
        string report = Path.Combine(folder, "mix.json");

        var result = Run(noise, tone, "-o", output, "--report", report);
        Assert.Equal(0, result.Exit);
        Assert.Contains("written", result.Stdout);

        PlanarBuffer mix = PlanarBuffer.Load(output);
        Assert.Equal(2, mix.Channels);
        Assert.Equal((int)(3 * Rate), mix.Frames);

        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(report));
        JsonElement root = json.RootElement;
        Assert.Equal(JsonValueKind.Null, root.GetProperty("master").ValueKind);
        Assert.True(root.GetProperty("output").GetProperty("integratedLufs").GetDouble() < 0);
        Assert.Equal(output, root.GetProperty("output").GetProperty("path").GetString());
        JsonElement[] tracks = [.. root.GetProperty("tracks").EnumerateArray()];
        Assert.Equal(2, tracks.Length);
        Assert.Equal(noise, tracks[0].GetProperty("path").GetString());
        Assert.Equal(tone, tracks[1].GetProperty("path").GetString());
        Assert.Equal(1, tracks[1].GetProperty("channels").GetInt32());
        Tolerance.AssertClose(1.5, tracks[1].GetProperty("durationSeconds").GetDouble(), 1e-9, "tone length");
        foreach (JsonElement t in tracks)
        {
            Assert.True(t.TryGetProperty("role", out _));
            Assert.True(double.IsFinite(t.GetProperty("gainDb").GetDouble()));
            Assert.Equal(JsonValueKind.Array, t.GetProperty("eq").ValueKind);
            Assert.NotEmpty(t.GetProperty("reasons").EnumerateArray());
        }

        // gainDb is what was applied: balance move plus the common headroom gain.
        double headroom = root.GetProperty("headroomDb").GetDouble();
        Tolerance.AssertClose(tracks[0].GetProperty("balanceDb").GetDouble() + headroom, tracks[0].GetProperty("gainDb").GetDouble(), 0.011, "gain");

        // After the tone ends only the noise remains: the padding is silence, not garbage.
        PlanarBuffer noiseIn = PlanarBuffer.Load(noise);
        double g = Decibels.ToGain(tracks[0].GetProperty("gainDb").GetDouble());
        int probe = (int)(2.5 * Rate);
        // (A pink noise under a low tone gets no EQ cut, so the noise passes with its gain alone.)
        Assert.Equal(0, tracks[0].GetProperty("eq").GetArrayLength());
        Tolerance.AssertClose(g * noiseIn[0][probe], mix[0][probe], 2e-4, "noise alone after the tone");
    }

    [Fact]
    public void Mono_stems_sit_in_the_centre()
    {
        string folder = TestFolder.NewFolder("mix-mono");
        string a = TestAudio.WriteWav(Path.Combine(folder, "a.wav"), TestSignals.Sine(330, -10, 2, Rate, channels: 1));
        string b = TestAudio.WriteWav(Path.Combine(folder, "b.wav"), TestSignals.PinkNoise(-25, 2, Rate, 1, seed: 9));
        string output = Path.Combine(folder, "mix.wav");
        Assert.Equal(0, Run(a, b, "-o", output, "--quiet").Exit);
        PlanarBuffer mix = PlanarBuffer.Load(output);
        Assert.Equal(2, mix.Channels);
        Assert.True(mix[0].SequenceEqual(mix[1]), "left and right are identical");
        Assert.True(Peak(mix) > 0.01);
    }

    [Fact]
    public void Stems_at_different_rates_are_resampled_to_the_highest_and_the_report_says_which()
    {
        string folder = TestFolder.NewFolder("mix-rates");
        string a = TestAudio.WriteWav(Path.Combine(folder, "a48.wav"), TestSignals.Sine(440, -12, 1, 48000));
        string b = TestAudio.WriteWav(Path.Combine(folder, "b44.wav"), TestSignals.Sine(660, -12, 1, 44100));
        string output = Path.Combine(folder, "mix.wav");
        string report = Path.Combine(folder, "mix.json");
        string[] before = Directory.GetFileSystemEntries(Path.GetTempPath(), "mixmate-resampled-*");
        CliRunner.Result result = CliRunner.Process("mix", a, b, "-o", output, "--report", report, "--quiet");
        Assert.True(result.ExitCode == 0, result.ToString());
        // (Besides the check's warning that the mix of two 1-s tones ends abruptly.)
        string line = Assert.Single(result.StderrLines, l => !l.StartsWith("mixmate: warning:", StringComparison.Ordinal));
        Assert.Contains("b44.wav: resampled 44100 Hz → 48000 Hz", line);
        Assert.All(result.StderrLines.Where(l => l.StartsWith("mixmate: warning:", StringComparison.Ordinal)), l => Assert.Contains("mix.wav", l, StringComparison.Ordinal));
        using (AudioFileReader reader = AudioFileReader.Open(output))
        {
            Assert.Equal(48000, reader.SampleRate);
            Assert.Equal(48000, reader.Frames);
        }

        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(report));
        JsonElement resampled = Assert.Single(doc.RootElement.GetProperty("resampled").EnumerateArray());
        Assert.Equal(b, resampled.GetProperty("path").GetString());
        Assert.Equal(44100, resampled.GetProperty("fromHz").GetInt32());
        Assert.Equal(48000, resampled.GetProperty("toHz").GetInt32());
        Assert.Equal(b, doc.RootElement.GetProperty("tracks")[1].GetProperty("path").GetString());
        Assert.Equal(before.Length, Directory.GetFileSystemEntries(Path.GetTempPath(), "mixmate-resampled-*").Length);
    }

    [Fact]
    public void Master_converts_the_rate_with_sample_rate()
    {
        string folder = TestFolder.NewFolder("master-rate");
        string input = TestAudio.WriteWav(Path.Combine(folder, "in44.wav"), TestSignals.Sine(997, -20, 4, 44100));
        string output = Path.Combine(folder, "out48.flac");
        string report = Path.Combine(folder, "out48.json");
        CliRunner.Result result = CliRunner.Process("master", input, "-o", output, "--sample-rate", "48000", "--report", report);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("resampled  44100 Hz → 48000 Hz", result.Stdout);
        using (AudioFileReader reader = AudioFileReader.Open(output))
        {
            Assert.Equal(48000, reader.SampleRate);
            Assert.Equal(4 * 48000, reader.Frames);
        }

        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(report));
        Assert.Equal(44100, doc.RootElement.GetProperty("resampledFromHz").GetInt32());
        Assert.Equal(48000, doc.RootElement.GetProperty("sampleRate").GetInt32());
    }

    [Fact]
    public void The_sum_never_clips()
    {
        string folder = TestFolder.NewFolder("mix-hot");
        var stems = new List<string>();
        for (int i = 0; i < 4; i++)
        {
            stems.Add(TestAudio.WriteWav(Path.Combine(folder, $"hot{i}.wav"), TestSignals.Sine(110 * (i + 1), -0.1, 2, Rate)));
        }

        string output = Path.Combine(folder, "mix.wav");
        string report = Path.Combine(folder, "r.json");
        Assert.Equal(0, Run([.. stems, "-o", output, "--report", report, "--quiet"]).Exit);
        PlanarBuffer mix = PlanarBuffer.Load(output);
        Assert.True(Decibels.FromGain(Peak(mix)) <= MixCommand.CeilingDbfs + 0.001, $"peak {Decibels.FromGain(Peak(mix)):0.000} dBFS");
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(report));
        Assert.True(json.RootElement.GetProperty("headroomDb").GetDouble() < 0);
    }

    [Fact]
    public void Amount_zero_applies_no_balance_and_no_eq()
    {
        string folder = TestFolder.NewFolder("mix-amount");
        string a = TestAudio.WriteWav(Path.Combine(folder, "quiet.wav"), TestSignals.PinkNoise(-40, 2, Rate, 2, seed: 1));
        string b = TestAudio.WriteWav(Path.Combine(folder, "loud.wav"), TestSignals.PinkNoise(-15, 2, Rate, 2, seed: 2));
        string output = Path.Combine(folder, "mix.wav");
        string report = Path.Combine(folder, "r.json");
        Assert.Equal(0, Run(a, b, "-o", output, "--report", report, "--amount", "0", "--quiet").Exit);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(report));
        JsonElement[] tracks = [.. json.RootElement.GetProperty("tracks").EnumerateArray()];
        double headroom = json.RootElement.GetProperty("headroomDb").GetDouble();
        Assert.All(tracks, t => Assert.Equal(headroom, t.GetProperty("gainDb").GetDouble()));
        Assert.All(tracks, t => Assert.All(t.GetProperty("eq").EnumerateArray(), e => Assert.Equal(0, e.GetProperty("appliedGainDb").GetDouble())));

        // The proposal is still reported: the quiet stem would come up.
        Assert.True(tracks[0].GetProperty("balanceDb").GetDouble() > tracks[1].GetProperty("balanceDb").GetDouble());

        // And the audio agrees with the report: the mix is the plain sum of the stems times the
        // common headroom gain (no per-stem gain, no EQ), to the 24-bit grid.
        PlanarBuffer quiet = PlanarBuffer.Load(a);
        PlanarBuffer loud = PlanarBuffer.Load(b);
        PlanarBuffer mix = PlanarBuffer.Load(output);
        double cross = 0, power = 0;
        for (int c = 0; c < 2; c++)
        {
            for (int i = 0; i < mix.Frames; i++)
            {
                double sum = (double)quiet[c][i] + loud[c][i];
                cross += mix[c][i] * sum;
                power += sum * sum;
            }
        }

        double g = cross / power;
        Tolerance.AssertClose(headroom, Decibels.FromGain(g), 0.01, "the mix's gain is the headroom gain");
        double residual = 0;
        for (int c = 0; c < 2; c++)
        {
            for (int i = 0; i < mix.Frames; i++)
            {
                double e = mix[c][i] - (g * ((double)quiet[c][i] + loud[c][i]));
                residual += e * e;
            }
        }

        Assert.True(residual / power < 1e-8, $"the mix differs from the scaled sum by {10 * Math.Log10(residual / power):0.0} dB");
    }

    [Fact]
    public void Master_spotify_reaches_minus_14_LUFS_per_libebur128()
    {
        string folder = TestFolder.NewFolder("mix-master");
        string a = TestAudio.WriteWav(Path.Combine(folder, "noise.wav"), TestSignals.PinkNoise(-30, 8, Rate, 2, seed: 4));
        string b = TestAudio.WriteWav(Path.Combine(folder, "tone.wav"), TestSignals.Sine(180, -20, 8, Rate, channels: 1));
        string output = Path.Combine(folder, "master.wav");
        string report = Path.Combine(folder, "r.json");
        Assert.Equal(0, Run(a, b, "-o", output, "--master", "spotify", "--report", report, "--quiet").Exit);
        ReferenceLoudness measured = Ebur128Reference.Measure(output);
        Tolerance.AssertClose(-14.0, measured.IntegratedLufs, 0.1, "integrated loudness");
        Assert.True(measured.TruePeakDbtp <= -1.0 + 0.1, $"true peak {measured.TruePeakDbtp:0.00} dBTP");
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(report));
        Assert.Equal("spotify", json.RootElement.GetProperty("master").GetProperty("target").GetProperty("preset").GetString());
        Assert.Empty(Directory.GetFiles(folder, ".*"));
    }

    [Fact]
    public void Outputs_are_protected_like_master()
    {
        string folder = TestFolder.NewFolder("mix-safety");
        string a = TestAudio.WriteWav(Path.Combine(folder, "a.wav"), TestSignals.Sine(440, -12, 1, Rate));
        CliException input = Assert.Throws<CliException>(() => Run(a, "-o", a));
        Assert.Contains("input", input.Message);

        string output = Path.Combine(folder, "out.wav");
        File.WriteAllText(output, "keep");
        CliException exists = Assert.Throws<CliException>(() => Run(a, "-o", output));
        Assert.Contains("already exists", exists.Message);
        Assert.Equal("keep", File.ReadAllText(output));
        Assert.Equal(0, Run(a, "-o", output, "--force", "--quiet").Exit);
        Assert.Equal(1, PlanarBuffer.Load(output).Frames / (int)Rate);

        Assert.Throws<CliException>(() => Run("-o", output));
        Assert.Throws<CliException>(() => Run(a));
        Assert.Throws<CliException>(() => Run(a, "-o", output, "--force", "--master", "nowhere"));
    }
}
