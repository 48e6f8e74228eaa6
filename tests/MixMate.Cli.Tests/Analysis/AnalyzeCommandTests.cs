using System.Text.Json;
using MixMate.Cli.Audio;
using MixMate.Cli.CommandLine;
using MixMate.Cli.Commands;
using MixMate.Cli.Tests.Audio;
using MixMate.Cli.Tests.Support;
using Xunit;

namespace MixMate.Cli.Tests.Analysis;

public sealed class AnalyzeCommandTests
{
    private static readonly string[] s_fields =
    [
        "path", "sampleRate", "channels", "durationSeconds", "integratedLufs", "loudnessRangeLu",
        "truePeakDbtp", "samplePeakDbfs", "maxMomentaryLufs", "maxShortTermLufs",
    ];

    private static readonly Lazy<string> s_tone = new(() =>
        TestAudio.Write(TestFolder.PathFor("tone-1k-18.wav"), TestSignals.Sine(1000, -18, 4.0, 48000, 2), TestAudio.Kind.WavPcm24));

    private static readonly Lazy<string> s_noise = new(() =>
        TestAudio.Write(TestFolder.PathFor("noise-mono.flac"), TestSignals.PinkNoise(-26, 5.0, 44100, 1, seed: 2), TestAudio.Kind.Flac24));

    [Fact]
    public void Json_has_every_field_for_every_file_in_argument_order()
    {
        CliRunner.Result run = CliRunner.Analyze(s_noise.Value, s_tone.Value, "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(string.Empty, run.Stderr);
        using JsonDocument json = JsonDocument.Parse(run.Stdout);
        JsonElement[] items = [.. json.RootElement.EnumerateArray()];
        Assert.Equal(2, items.Length);
        foreach (JsonElement item in items)
        {
            Assert.Equal(s_fields, item.EnumerateObject().Select(p => p.Name).ToArray());
        }

        Assert.Equal(s_noise.Value, items[0].GetProperty("path").GetString());
        Assert.Equal(44100, items[0].GetProperty("sampleRate").GetInt32());
        Assert.Equal(1, items[0].GetProperty("channels").GetInt32());
        Assert.Equal(5.0, items[0].GetProperty("durationSeconds").GetDouble());

        JsonElement tone = items[1];
        Assert.Equal(s_tone.Value, tone.GetProperty("path").GetString());
        Assert.Equal(2, tone.GetProperty("channels").GetInt32());
        // A 1 kHz sine at −18 dBFS peak on both channels: −18 − 3.01 (sine RMS) + 0.691 (K-weighting
        // gain at 1 kHz is +0.69 dB, cancelled by the −0.691 offset) + 3.01 (two channels) ≈ −18.0 LUFS.
        Assert.InRange(tone.GetProperty("integratedLufs").GetDouble(), -18.2, -17.8);
        Assert.InRange(tone.GetProperty("samplePeakDbfs").GetDouble(), -18.05, -17.95);
        Assert.InRange(tone.GetProperty("truePeakDbtp").GetDouble(), -18.1, -17.9);
        Assert.InRange(tone.GetProperty("loudnessRangeLu").GetDouble(), 0, 0.1);
        Assert.InRange(tone.GetProperty("maxMomentaryLufs").GetDouble(), -18.2, -17.8);
        Assert.InRange(tone.GetProperty("maxShortTermLufs").GetDouble(), -18.2, -17.8);
        // Levels are rounded to 0.01 dB.
        double integrated = tone.GetProperty("integratedLufs").GetDouble();
        Assert.Equal(Math.Round(integrated, 2), integrated);
    }

    [Fact]
    public void Digital_silence_has_null_loudness_and_peaks()
    {
        string path = TestAudio.Write(TestFolder.PathFor("silence.wav"), new PlanarBuffer(2, 48000 * 4, 48000), TestAudio.Kind.WavPcm16);

        CliRunner.Result run = CliRunner.Analyze("--json", path);

        Assert.True(run.ExitCode == 0, run.ToString());
        using JsonDocument json = JsonDocument.Parse(run.Stdout);
        JsonElement item = json.RootElement[0];
        foreach (string field in new[] { "integratedLufs", "loudnessRangeLu", "truePeakDbtp", "samplePeakDbfs", "maxMomentaryLufs", "maxShortTermLufs" })
        {
            Assert.True(item.GetProperty(field).ValueKind == JsonValueKind.Null, $"{field} should be null: {item}");
        }

        Assert.Equal(4.0, item.GetProperty("durationSeconds").GetDouble());
    }

    [Fact]
    public void Audio_shorter_than_the_short_term_window_has_no_short_term_figures()
    {
        string path = TestAudio.Write(TestFolder.PathFor("short.wav"), TestSignals.Sine(1000, -10, 1.0, 48000, 1), TestAudio.Kind.WavFloat32);

        CliRunner.Result run = CliRunner.Analyze("--json", path);

        using JsonDocument json = JsonDocument.Parse(run.Stdout);
        JsonElement item = json.RootElement[0];
        Assert.Equal(JsonValueKind.Null, item.GetProperty("maxShortTermLufs").ValueKind);
        Assert.Equal(JsonValueKind.Number, item.GetProperty("maxMomentaryLufs").ValueKind);
        Assert.Equal(JsonValueKind.Number, item.GetProperty("integratedLufs").ValueKind);
    }

    [Fact]
    public void Table_lists_files_in_argument_order_with_aligned_columns()
    {
        CliRunner.Result run = CliRunner.Analyze(s_tone.Value, s_noise.Value);

        Assert.True(run.ExitCode == 0, run.ToString());
        string[] lines = run.Stdout.TrimEnd('\n').Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("File", lines[0], StringComparison.Ordinal);
        Assert.Contains("I LUFS", lines[0], StringComparison.Ordinal);
        Assert.StartsWith(s_tone.Value, lines[1], StringComparison.Ordinal);
        Assert.StartsWith(s_noise.Value, lines[2], StringComparison.Ordinal);
        Assert.All(lines, line => Assert.Equal(lines[0].Length, line.Length));
        Assert.EndsWith("48000/2", lines[1], StringComparison.Ordinal);
        Assert.EndsWith("44100/1", lines[2], StringComparison.Ordinal);
        Assert.Contains("0:04.00", lines[1], StringComparison.Ordinal);
        Assert.Contains("-18.0", lines[1], StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(BadFileTests.Cases), MemberType = typeof(BadFileTests))]
    public void A_bad_file_among_good_ones_is_reported_and_the_others_are_measured(string name, string expected)
    {
        string bad = BadFileTests.Make(name);

        CliRunner.Result run = CliRunner.Analyze("--json", s_tone.Value, bad, s_noise.Value);

        Assert.True(run.ExitCode == ExitCodes.BadInput, run.ToString());
        string line = Assert.Single(run.StderrLines);
        Assert.StartsWith($"mixmate: {bad}: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        using JsonDocument json = JsonDocument.Parse(run.Stdout);
        Assert.Equal(
            new string?[] { s_tone.Value, s_noise.Value },
            json.RootElement.EnumerateArray().Select(e => e.GetProperty("path").GetString()).ToArray());
    }

    [Fact]
    public void Several_bad_files_give_one_line_each_in_argument_order()
    {
        string missing = BadFileTests.Make("missing");
        string garbage = BadFileTests.Make("garbage");
        string nan = BadFileTests.Make("nan");

        CliRunner.Result run = CliRunner.Analyze(missing, s_tone.Value, garbage, nan);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Collection(
            run.StderrLines,
            l => Assert.StartsWith($"mixmate: {missing}: ", l, StringComparison.Ordinal),
            l => Assert.StartsWith($"mixmate: {garbage}: ", l, StringComparison.Ordinal),
            l => Assert.StartsWith($"mixmate: {nan}: ", l, StringComparison.Ordinal));
        Assert.Equal(2, run.Stdout.TrimEnd('\n').Split('\n').Length);
    }

    [Fact]
    public void All_files_bad_with_json_prints_an_empty_array()
    {
        CliRunner.Result run = CliRunner.Analyze("--json", BadFileTests.Make("empty"));

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        using JsonDocument json = JsonDocument.Parse(run.Stdout);
        Assert.Equal(0, json.RootElement.GetArrayLength());
    }

    [Fact]
    public void Three_channels_are_measured_as_left_right_centre()
    {
        string path = TestAudio.Write(TestFolder.PathFor("three-channels.wav"), TestSignals.Sine(1000, -20, 4.0, 48000, 3), TestAudio.Kind.WavPcm24);

        CliRunner.Result run = CliRunner.Analyze("--json", path);

        Assert.True(run.ExitCode == 0, run.ToString());
        using JsonDocument json = JsonDocument.Parse(run.Stdout);
        // Three equal channels of weight 1: −20 − 3.01 + 4.77 dB.
        Assert.InRange(json.RootElement[0].GetProperty("integratedLufs").GetDouble(), -18.4, -18.1);
    }

    [Fact]
    public void A_sample_rate_the_meter_cannot_weight_is_a_clear_error()
    {
        string path = TestAudio.Write(TestFolder.PathFor("4k.wav"), TestSignals.Sine(500, -20, 1.0, 4000, 1), TestAudio.Kind.WavPcm16);

        CliRunner.Result run = CliRunner.Analyze(path);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        string line = Assert.Single(run.StderrLines);
        Assert.StartsWith($"mixmate: {path}: cannot be measured (4000 Hz, 1 ch): ", line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_with_no_frames_is_an_error()
    {
        string path = TestFolder.PathFor("no-frames.wav");
        File.WriteAllBytes(path, TestAudio.HandMadeWav(2, 48000, 16, []));

        CliRunner.Result run = CliRunner.Analyze(path);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Equal($"mixmate: {path}: holds no audio (0 frames)", Assert.Single(run.StderrLines));
    }

    [Theory]
    [InlineData(new string[0], "no input files")]
    [InlineData(new[] { "--loud", "x.wav" }, "unknown option '--loud'")]
    public void Bad_arguments_are_refused(string[] args, string expected)
    {
        CliRunner.Result run = CliRunner.Analyze(args);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains(expected, Assert.Single(run.StderrLines), StringComparison.Ordinal);
    }

    [Fact]
    public void Json_rounds_levels_to_hundredths_and_never_prints_minus_zero()
    {
        var result = new MixMate.Cli.Analysis.LoudnessAnalysis("a.wav", 48000, 2, 1.23456, -23.456, 0.004, -0.004, null, -10.006, -9.994);

        string json = AnalyzeCommand.ToJson([result]);

        using JsonDocument document = JsonDocument.Parse(json);
        JsonElement item = document.RootElement[0];
        Assert.Equal(1.235, item.GetProperty("durationSeconds").GetDouble());
        Assert.Equal(-23.46, item.GetProperty("integratedLufs").GetDouble());
        Assert.Equal(-10.01, item.GetProperty("maxMomentaryLufs").GetDouble());
        Assert.Equal(-9.99, item.GetProperty("maxShortTermLufs").GetDouble());
        Assert.Equal(JsonValueKind.Null, item.GetProperty("samplePeakDbfs").ValueKind);
        Assert.DoesNotContain("-0,", json, StringComparison.Ordinal);
        Assert.Contains("\"truePeakDbtp\": 0,", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_describes_the_command()
    {
        CliRunner.Result run = CliRunner.Analyze("--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("mixmate analyze FILE... [--json]", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Many_files_in_parallel_come_out_in_argument_order()
    {
        string folder = TestFolder.NewFolder("many");
        var paths = new List<string>();
        for (int i = 0; i < 9; i++)
        {
            // Lengths differ so that parallel completion order differs from argument order.
            double seconds = 0.5 + ((9 - i) * 0.4);
            paths.Add(TestAudio.Write(Path.Combine(folder, $"f{i}.wav"), TestSignals.Sine(500, -30 + i, seconds, 48000, 1), TestAudio.Kind.WavPcm16));
        }

        CliRunner.Result run = CliRunner.Analyze([.. paths, "--json"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        using JsonDocument json = JsonDocument.Parse(run.Stdout);
        Assert.Equal(paths, json.RootElement.EnumerateArray().Select(e => e.GetProperty("path").GetString()).ToArray());
        double[] peaks = [.. json.RootElement.EnumerateArray().Select(e => e.GetProperty("samplePeakDbfs").GetDouble())];
        for (int i = 0; i < peaks.Length; i++)
        {
            Assert.InRange(peaks[i], -30 + i - 0.05, -30 + i + 0.05);
        }
    }
}
