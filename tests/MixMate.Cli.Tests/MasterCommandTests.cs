using System.Text.Json;
using MixMate.Assistant.Loudness;
using MixMate.Assistant.Mastering;
using MixMate.Cli.Analysis;
using MixMate.Cli.Audio;
using MixMate.Cli.Commands;
using MixMate.Cli.Tests.Support;
using MixMate.TestSupport;
using Xunit;

namespace MixMate.Cli.Tests;

/// <summary>
/// <c>mixmate master</c>: targets reached as measured by libebur128 (independent of our meter),
/// true peak under the ceiling, and every file-safety rule.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class MasterCommandTests
{
    private static readonly Lazy<string> s_pinkNoise = new(() => Write("pink-44k.wav", Pink(44100, 20, -30)));
    private static readonly Lazy<string> s_dynamic = new(() => Write("dynamic-48k.wav", Dynamic(48000)));

    private static PlanarBuffer Pink(int rate, int seconds, double dbfs)
    {
        int frames = rate * seconds;
        var buffer = new PlanarBuffer(2, frames, rate);
        Signals.PinkNoise(frames, Math.Pow(10, dbfs / 20), seed: 3).CopyTo(buffer[0]);
        Signals.PinkNoise(frames, Math.Pow(10, dbfs / 20), seed: 4).CopyTo(buffer[1]);
        return buffer;
    }

    // Loud and quiet passages with sharp transients: the limiter has real work at −9 LUFS.
    private static PlanarBuffer Dynamic(int rate)
    {
        int frames = rate * 16;
        var buffer = new PlanarBuffer(2, frames, rate);
        float[] noise = Signals.PinkNoise(frames, 0.05, seed: 9);
        for (int i = 0; i < frames; i++)
        {
            double t = (double)i / rate;
            double envelope = (t % 4) < 2 ? 1.0 : 0.2;
            double kick = (t % 0.5) < 0.05 ? Math.Sin(2 * Math.PI * 55 * t) * Math.Exp(-(t % 0.5) * 60) * 0.9 : 0;
            float x = (float)((noise[i] * envelope) + kick);
            buffer[0][i] = x;
            buffer[1][i] = (float)((x * 0.9) + (0.1 * Math.Sin(2 * Math.PI * 330 * t) * envelope * 0.3));
        }

        return buffer;
    }

    private static string Write(string name, PlanarBuffer buffer)
    {
        string path = TestFolder.PathFor(name);
        if (!File.Exists(path))
        {
            AudioFileWriter.WriteAll(path, buffer.Block, (int)buffer.SampleRate, SampleFormat.Float32);
        }

        return path;
    }

    private static string NewOutput(string name) => Path.Combine(TestFolder.NewFolder("master"), name);

    public static TheoryData<string, string> TargetCases() => new()
    {
        { "pink", "spotify" },
        { "pink", "ebu-r128" },
        { "pink", "amazon" },
        { "dynamic", "apple" },
        { "song", "spotify" },
        { "song", "atsc-a85" },
    };

    private static string Material(string name) => name switch
    {
        "pink" => s_pinkNoise.Value,
        "dynamic" => s_dynamic.Value,
        _ => ComposedSong.WavPath,
    };

    [Theory]
    [MemberData(nameof(TargetCases))]
    public void ReachesThePresetAsMeasuredByLibebur128(string material, string preset)
    {
        string input = Material(material);
        string output = NewOutput($"{material}-{preset}.wav");
        LoudnessTarget target = LoudnessTarget.FindPreset(preset)!;

        MasterCommand.MasterOutcome outcome = MasterCommand.Master(input, output, new MasterSettings(target), "24", progressLabel: null);

        ReferenceLoudness reference = Ebur128Reference.Measure(output);
        Tolerance.AssertClose(target.Lufs, reference.IntegratedLufs, 0.1, $"{material} → {preset}: integrated (libebur128)");
        Assert.True(reference.TruePeakDbtp <= target.TruePeakDbtp + 0.1, $"true peak {reference.TruePeakDbtp:0.00} dBTP over the {target.TruePeakDbtp} ceiling");
        Assert.InRange(outcome.Result.Passes.Count, 1, MasteringEngine.MaxRenders + 1);

        // The report's output figures are the file's.
        Tolerance.AssertClose(reference.IntegratedLufs, outcome.Report.Output.IntegratedLufs!.Value, 0.06, "report vs libebur128");
    }

    [Fact]
    public void KeepsRateChannelsAndLengthAndWritesTheRequestedBitDepth()
    {
        string input = s_dynamic.Value;
        foreach ((string depth, int bits) in new[] { ("16", 16), ("24", 24), ("32f", 32) })
        {
            string output = NewOutput($"depth-{depth}.wav");
            MasterCommand.Master(input, output, new MasterSettings(LoudnessTarget.FindPreset("spotify")!), depth, null);

            using AudioFileReader reader = AudioFileReader.Open(output);
            Assert.Equal(48000, reader.SampleRate);
            Assert.Equal(2, reader.Channels);
            Assert.Equal(48000 * 16, reader.Frames);
            Assert.Contains(bits == 32 ? "float" : $"{bits}", reader.FormatName, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Theory]
    [InlineData("16")]
    [InlineData("24")]
    [InlineData("32f")]
    public void TheReportedOutputFiguresAreTheWrittenFilesExactly(string depth)
    {
        string output = NewOutput($"exact-{depth}.wav");

        MasterCommand.MasterOutcome outcome = MasterCommand.Master(s_dynamic.Value, output,
            new MasterSettings(LoudnessTarget.FindPreset("spotify")!), depth, null);

        // The report measures the buffer after quantisation to the file's grid; reading the file
        // back must give the same samples, hence the same figures to the last digit.
        Assert.Equal(FileAnalyzer.Analyze(output).Rounded() with { Path = output }, outcome.Report.Output);
    }

    [Fact]
    public void WarnsWhenTheTargetNeedsMoreThanSixDecibelsOfLimiting()
    {
        string output = NewOutput("squashed.wav");

        MasterCommand.MasterOutcome outcome = MasterCommand.Master(s_dynamic.Value, output,
            new MasterSettings(LoudnessTarget.Custom(-7, -1)), "24", null);

        Assert.True(outcome.Result.MaxGainReductionDb > 6);
        string warning = Assert.Single(outcome.Result.Warnings, w => w.Contains("peak limiting", StringComparison.Ordinal));
        Assert.Contains("dB", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void AmountScalesTheAppliedEqAndReportsEveryMoveWithItsReason()
    {
        string output = NewOutput("eq-half.wav");
        string report = Path.ChangeExtension(output, ".json");

        CliRunner.Result run = CliRunner.Process("master", ComposedSong.WavPath, "-o", output, "--eq", "apply", "--amount", "50", "--report", report, "--quiet");

        Assert.True(run.ExitCode == 0, run.ToString());
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(report));
        JsonElement root = doc.RootElement;
        foreach (string field in new[] { "input", "output", "target", "gainDb", "limiter", "eq", "warnings" })
        {
            Assert.True(root.TryGetProperty(field, out _), $"report lacks '{field}'");
        }

        Assert.Equal("spotify", root.GetProperty("target").GetProperty("preset").GetString());
        Assert.Equal(-14, root.GetProperty("target").GetProperty("lufs").GetDouble());
        Assert.Equal(-1, root.GetProperty("target").GetProperty("truePeakDbtp").GetDouble());
        Assert.True(root.GetProperty("limiter").TryGetProperty("maxGainReductionDb", out _));
        Assert.True(root.GetProperty("limiter").TryGetProperty("meanGainReductionDb", out _));
        JsonElement eq = root.GetProperty("eq");
        Assert.InRange(eq.GetArrayLength(), 1, 6);
        foreach (JsonElement move in eq.EnumerateArray())
        {
            double gain = move.GetProperty("gainDb").GetDouble();
            Assert.InRange(gain, -4, 4);
            Assert.Equal(gain / 2, move.GetProperty("appliedGainDb").GetDouble(), 1);
            Assert.False(string.IsNullOrWhiteSpace(move.GetProperty("reason").GetString()));
            Assert.True(move.GetProperty("frequencyHz").GetDouble() > 0);
            Assert.True(move.GetProperty("q").GetDouble() > 0);
            Assert.Contains(move.GetProperty("type").GetString(), new[] { "peak", "lowShelf", "highShelf" });
        }

        Tolerance.AssertClose(-14, Ebur128Reference.Measure(output).IntegratedLufs, 0.1, "with EQ applied");
    }

    [Fact]
    public void AClippedInputIsMasteredWithAWarningAndTheReportSaysWhere()
    {
        // The composed song driven 12 dB into a hard clip from 10 s on: master must say so (the
        // issue's "a visibly clipped input was mastered with no warning"), the clean song must not.
        PlanarBuffer song = PlanarBuffer.Load(ComposedSong.WavPath);
        int from = (int)(10 * song.SampleRate);
        for (int c = 0; c < song.Channels; c++)
        {
            Span<float> x = song[c];
            for (int i = from; i < x.Length; i++)
            {
                x[i] = Math.Clamp(x[i] * 4f, -1f, 1f);
            }
        }

        string clipped = Write("clipped-song.wav", song);
        (CliRunner.Result run, JsonElement report) Master(string input, string name)
        {
            string output = NewOutput(name + ".wav");
            string json = Path.ChangeExtension(output, ".json");
            CliRunner.Result r = CliRunner.Process("master", input, "-o", output, "--report", json, "--quiet");
            Assert.True(r.ExitCode == 0, r.ToString());
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(json));
            return (r, doc.RootElement.Clone());
        }

        (CliRunner.Result bad, JsonElement badReport) = Master(clipped, "from-clipped");
        JsonElement clipping = Assert.Single(badReport.GetProperty("inputProblems").EnumerateArray(), p => p.GetProperty("kind").GetString() == "clipping");
        Assert.InRange(clipping.GetProperty("start").GetDouble(), 9.5, 15);
        Assert.Contains("clipped-song.wav", bad.Stderr);
        Assert.Contains("warning", bad.Stderr);

        (CliRunner.Result good, JsonElement goodReport) = Master(ComposedSong.WavPath, "from-clean");
        Assert.Empty(goodReport.GetProperty("inputProblems").EnumerateArray());
        Assert.DoesNotContain(goodReport.GetProperty("outputProblems").EnumerateArray(), p => p.GetProperty("severity").GetString() == "error");
        Assert.DoesNotContain("clipping", good.Stderr);
    }

    [Fact]
    public void AmountScalesTheEqInTheAudioItself()
    {
        // The report's appliedGainDb could halve while the audio did not: measure the masters.
        // Against the master without EQ, the 50 % master must move each band by half as much as
        // the 100 % master does (level offsets removed with the median over 100 Hz-10 kHz).
        string folder = TestFolder.NewFolder("master-amount");
        double[] Bands(string name, params string[] eq)
        {
            string output = Path.Combine(folder, name + ".wav");
            CliRunner.Result run = CliRunner.Process(["master", ComposedSong.WavPath, "-o", output, "--quiet", .. eq]);
            Assert.True(run.ExitCode == 0, run.ToString());
            PlanarBuffer audio = PlanarBuffer.Load(output);
            var spectrum = new MixMate.Dsp.Spectrum.LongTermSpectrum();
            spectrum.Configure(audio.SampleRate, audio.Channels, audio.Frames);
            spectrum.Process(audio.Block);
            double[] db = new double[MixMate.Dsp.Spectrum.ThirdOctaveBands.Count];
            spectrum.ThirdOctaveDb(db);
            return db;
        }

        double[] off = Bands("off", "--eq", "off");
        double[] half = Bands("half", "--eq", "apply", "--amount", "50");
        string fullPath = Path.Combine(folder, "full.json");
        double[] full = Bands("full", "--eq", "apply", "--amount", "100", "--report", fullPath);
        double[] Moved(double[] bands)
        {
            double[] d = [.. bands.Select((v, b) => v - off[b])];
            double[] mid = [.. d.Where((_, b) => MixMate.Dsp.Spectrum.ThirdOctaveBands.Centre(b) is >= 100 and <= 10000).Order()];
            double median = mid[mid.Length / 2];
            return [.. d.Select(v => v - median)];
        }

        double[] dHalf = Moved(half);
        double[] dFull = Moved(full);
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(fullPath));
        JsonElement largest = doc.RootElement.GetProperty("eq").EnumerateArray().MaxBy(m => Math.Abs(m.GetProperty("gainDb").GetDouble()));
        int band = MixMate.Dsp.Spectrum.ThirdOctaveBands.IndexOf(largest.GetProperty("frequencyHz").GetDouble());
        Assert.True(Math.Abs(dFull[band]) > 1.0, $"the full EQ moved band {band} by only {dFull[band]:0.00} dB");
        Assert.Equal(Math.Sign(largest.GetProperty("gainDb").GetDouble()), Math.Sign(dFull[band]));
        Assert.InRange(dHalf[band] / dFull[band], 0.35, 0.65);
    }

    [Fact]
    public void RefusesToOverwriteWithoutForceAndNeverOverwritesTheInput()
    {
        string folder = TestFolder.NewFolder("overwrite");
        string input = Path.Combine(folder, "in.wav");
        File.Copy(s_dynamic.Value, input);
        byte[] original = File.ReadAllBytes(input);
        string existing = Path.Combine(folder, "out.wav");
        File.WriteAllText(existing, "keep me");

        CliRunner.Result refused = CliRunner.Process("master", input, "-o", existing);
        CliRunner.Result self = CliRunner.Process("master", input, "-o", input, "--force");

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("already exists", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal("keep me", File.ReadAllText(existing));
        Assert.Equal(2, self.ExitCode);
        Assert.Contains(input, self.Stderr, StringComparison.Ordinal);
        Assert.Equal(original, File.ReadAllBytes(input));

        CliRunner.Result forced = CliRunner.Process("master", input, "-o", existing, "--force", "--quiet");
        Assert.True(forced.ExitCode == 0, forced.ToString());
        Assert.NotEqual("keep me", File.ReadAllText(existing));
        Assert.Empty(Directory.GetFiles(folder, "*.tmp", SearchOption.AllDirectories).Concat(Directory.GetFiles(folder, ".*")));
    }

    [Theory]
    [InlineData("--lufs", "5")]
    [InlineData("--tp", "3")]
    [InlineData("--lufs", "-90")]
    [InlineData("--target", "loudest")]
    [InlineData("--amount", "150")]
    [InlineData("--bit-depth", "12")]
    public void NonsenseTargetsAndOptionsAreOneClearError(string option, string value)
    {
        string output = NewOutput("never.wav");

        CliRunner.Result run = CliRunner.Process("master", s_dynamic.Value, "-o", output, option, value);

        Assert.Equal(2, run.ExitCode);
        string line = Assert.Single(run.StderrLines);
        Assert.StartsWith("mixmate: master:", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    // A silent input is refused only after it has been read and measured: when the error names
    // the output instead, the destination was checked before any work.
    private static string SilentInput()
    {
        string path = TestFolder.PathFor("silent-2s.wav");
        if (!File.Exists(path))
        {
            AudioFileWriter.WriteAll(path, new PlanarBuffer(2, 96000, 48000).Block, 48000, SampleFormat.Pcm24);
        }

        return path;
    }

    [Fact]
    public void OutputInAMissingFolderFailsBeforeAnyWork()
    {
        string missing = Path.Combine(TestFolder.Root, "no-such-folder", "out.wav");

        CliRunner.Result run = CliRunner.Process("master", SilentInput(), "-o", missing);

        Assert.Equal(2, run.ExitCode);
        string line = Assert.Single(run.StderrLines);
        Assert.Contains(missing, line, StringComparison.Ordinal);
        Assert.Contains("does not exist", line, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void OutputInAReadOnlyFolderFailsBeforeAnyWork()
    {
        // Root ignores permission bits, so as root (CI) the folder is a read-only tmpfs; an ordinary
        // user gets a folder without write permission.
        bool root = Environment.UserName == "root";
        using TmpfsMount? mount = root ? TmpfsMount.MountOrSkip("readonly-mount", "ro,size=64k") : null;
        string readOnly = mount?.Path ?? TestFolder.NewFolder("readonly");
        if (!root)
        {
            File.SetUnixFileMode(readOnly, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        }

        try
        {
            string output = Path.Combine(readOnly, "out.wav");
            CliRunner.Result run = CliRunner.Process("master", SilentInput(), "-o", output);

            Assert.Equal(2, run.ExitCode);
            string line = Assert.Single(run.StderrLines);
            Assert.Contains(output, line, StringComparison.Ordinal);
            Assert.Contains("cannot write", line, StringComparison.Ordinal);
            Assert.Empty(Directory.GetFileSystemEntries(readOnly));
        }
        finally
        {
            if (!root)
            {
                File.SetUnixFileMode(readOnly, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }
    }

    [Fact]
    public void SilentAndBrokenInputsAreRefusedWithNothingWritten()
    {
        string folder = TestFolder.NewFolder("bad-master");
        string silent = Path.Combine(folder, "silent.wav");
        AudioFileWriter.WriteAll(silent, new PlanarBuffer(2, 48000, 48000).Block, 48000, SampleFormat.Pcm24);
        string garbage = Path.Combine(folder, "garbage.wav");
        File.WriteAllBytes(garbage, [.. Enumerable.Range(0, 4000).Select(i => (byte)(i * 37))]);

        foreach (string input in new[] { silent, garbage, Path.Combine(folder, "missing.wav") })
        {
            string output = Path.Combine(folder, Path.GetFileNameWithoutExtension(input) + "-out.wav");
            CliRunner.Result run = CliRunner.Process("master", input, "-o", output);

            Assert.Equal(2, run.ExitCode);
            Assert.Contains(input, Assert.Single(run.StderrLines), StringComparison.Ordinal);
            Assert.False(File.Exists(output));
        }

        Assert.Equal(2, Directory.GetFiles(folder).Length);
    }

    [SkippableFact]
    public void AFullDiskLeavesNoPartialFile()
    {
        // A 1 MiB tmpfs holds the start-up probe but not a 16-s 24-bit master, so the write fails
        // midway: AtomicFile.Write must remove its temporary file. Needs mount rights (root, as CI
        // runs); elsewhere the test is skipped.
        using TmpfsMount mount = TmpfsMount.MountOrSkip("full-disk", "size=1m");
        string output = Path.Combine(mount.Path, "out.wav");

        CliRunner.Result run = CliRunner.Process("master", s_dynamic.Value, "-o", output);

        Assert.Equal(2, run.ExitCode);
        string line = Assert.Single(run.StderrLines);
        Assert.Contains(output, line, StringComparison.Ordinal);
        Assert.Contains("could not be written", line, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(mount.Path, "*", SearchOption.AllDirectories));
    }
}
