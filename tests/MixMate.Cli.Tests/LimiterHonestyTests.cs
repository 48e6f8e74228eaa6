using System.Diagnostics;
using System.Text.Json;
using MixMate.Cli.Audio;
using MixMate.Cli.Tests.Support;
using MixMate.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace MixMate.Cli.Tests;

/// <summary>
/// The limiter is asked only for gain that still adds loudness: peaky material (sparse percussive
/// hits over a near-silent floor, the shape of a MIDI-rendered mix) stops where more gain would only
/// flatten the peaks and says so, instead of "+60 dB, 61.8 dB of limiting"; dense material and
/// speech reach the target. Every master stays under its ceiling.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class LimiterHonestyTests(ITestOutputHelper output)
{
    private static string Peaky()
    {
        const int Rate = 44100;
        string path = TestFolder.PathFor("honesty-peaky.wav");
        if (File.Exists(path))
        {
            return path;
        }

        var buffer = new PlanarBuffer(2, Rate * 12, Rate);
        float[] floor = Signals.PinkNoise(buffer.Frames, 3e-5, seed: 13);
        var random = new Random(13);
        for (int c = 0; c < 2; c++)
        {
            floor.CopyTo(buffer[c]);
        }

        // A 4 ms click of a drum-machine rim shot every 300 ms, peaks near full scale.
        for (int start = 0; start + 400 < buffer.Frames; start += (int)(0.3 * Rate))
        {
            double f = 1500 + (1000 * random.NextDouble());
            for (int i = 0; i < 176; i++)
            {
                float x = (float)(0.9 * Math.Sin(2 * Math.PI * f * i / Rate) * Math.Exp(-i / 40.0));
                buffer[0][start + i] += x;
                buffer[1][start + i] += 0.8f * x;
            }
        }

        AudioFileWriter.WriteAll(path, buffer.Block, Rate, SampleFormat.Float32);
        return path;
    }

    private static string Dense()
    {
        string path = TestFolder.PathFor("honesty-dense.wav");
        if (!File.Exists(path))
        {
            var buffer = new PlanarBuffer(2, 44100 * 10, 44100);
            Signals.PinkNoise(buffer.Frames, 0.05, seed: 5).CopyTo(buffer[0]);
            Signals.PinkNoise(buffer.Frames, 0.05, seed: 6).CopyTo(buffer[1]);
            AudioFileWriter.WriteAll(path, buffer.Block, 44100, SampleFormat.Float32);
        }

        return path;
    }

    /// <summary>Speech from espeak-ng (22.05 kHz mono, the rate of the issue's speech master).</summary>
    private static string? Speech()
    {
        string path = TestFolder.PathFor("honesty-speech.wav");
        if (File.Exists(path))
        {
            return path;
        }

        try
        {
            using Process? espeak = Process.Start(new ProcessStartInfo("espeak-ng",
                ["-w", path, "-s", "150", "Nothing lost, nothing absurd. The limiter should stop adding gain where it no longer adds loudness, and say so honestly. Speech has sharp consonants and quiet pauses."])
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            });
            espeak?.WaitForExit(30_000);
            return espeak is { ExitCode: 0 } && File.Exists(path) ? path : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private (JsonElement Report, ReferenceLoudness Measured) Master(string input, string target)
    {
        string folder = TestFolder.NewFolder("honesty");
        string master = Path.Combine(folder, "out.wav");
        string report = Path.Combine(folder, "out.json");
        CliRunner.Result run = CliRunner.Process("master", input, "-o", master, "--target", target, "--report", report, "--quiet");
        Assert.True(run.ExitCode == 0, run.ToString());
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(report));
        JsonElement root = doc.RootElement.Clone();
        ReferenceLoudness measured = Ebur128Reference.Measure(master);
        output.WriteLine($"{Path.GetFileName(input)} → {target}: gain {root.GetProperty("gainDb").GetDouble():+0.0} dB, limiter max "
            + $"{root.GetProperty("limiter").GetProperty("maxGainReductionDb").GetDouble():0.0} dB, {measured.IntegratedLufs:0.00} LUFS, "
            + $"{measured.TruePeakDbtp:0.00} dBTP; {string.Join(" | ", root.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()))}");
        return (root, measured);
    }

    [Theory]
    [InlineData("amazon", -2.0)]
    [InlineData("spotify", -1.0)]
    public void Peaky_material_stops_where_gain_no_longer_adds_loudness_and_says_so(string target, double ceiling)
    {
        (JsonElement report, ReferenceLoudness measured) = Master(Peaky(), target);

        double gain = report.GetProperty("gainDb").GetDouble();
        double limiting = report.GetProperty("limiter").GetProperty("maxGainReductionDb").GetDouble();
        string warning = Assert.Single(report.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()!), w => w.StartsWith("reached", StringComparison.Ordinal));
        Assert.Contains("stopped at", warning, StringComparison.Ordinal);
        Assert.Contains("too peaky", warning, StringComparison.Ordinal);
        Assert.InRange(gain, 0, 45);
        Assert.InRange(limiting, 0, Math.Max(gain, 0) + 3); // the input's own peaks may sit over the ceiling
        Assert.True(measured.IntegratedLufs < -14, "the target was not reachable on this material");
        Assert.True(measured.TruePeakDbtp <= ceiling + 0.1, $"true peak {measured.TruePeakDbtp:0.00} dBTP over the {ceiling} dBTP ceiling");
    }

    [Fact]
    public void Dense_material_reaches_the_target_without_a_warning()
    {
        (JsonElement report, ReferenceLoudness measured) = Master(Dense(), "spotify");

        Tolerance.AssertClose(-14, measured.IntegratedLufs, 0.1, "integrated");
        Assert.True(measured.TruePeakDbtp <= -1 + 0.1);
        Assert.DoesNotContain(report.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.StartsWith("reached", StringComparison.Ordinal));
    }

    [SkippableFact]
    public void Speech_reaches_the_target_or_says_why_and_stays_under_the_ceiling()
    {
        string? speech = Speech();
        Skip.If(speech is null, "espeak-ng is not installed (or failed): no speech to master");

        (JsonElement report, ReferenceLoudness measured) = Master(speech!, "spotify");

        bool reached = Math.Abs(measured.IntegratedLufs + 14) <= 0.1;
        Assert.True(reached || report.GetProperty("warnings").EnumerateArray().Any(w => w.GetString()!.StartsWith("reached", StringComparison.Ordinal)),
            $"{measured.IntegratedLufs:0.00} LUFS without a word");
        Assert.InRange(report.GetProperty("gainDb").GetDouble(), -20, 45);
        Assert.True(measured.TruePeakDbtp <= -1 + 0.1, $"true peak {measured.TruePeakDbtp:0.00} dBTP");
    }
}
