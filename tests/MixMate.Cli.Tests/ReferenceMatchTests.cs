using System.Text.Json;
using MixMate.Assistant.Reference;
using MixMate.Cli.Audio;
using MixMate.Cli.Tests.Support;
using MixMate.Dsp.Filters;
using MixMate.TestSupport;
using Xunit;

namespace MixMate.Cli.Tests;

/// <summary>
/// <c>mixmate master --reference</c> and <c>--target-curve</c>, <c>mixmate target build</c>: the
/// match lands where it promises (tonal distance, loudness by libebur128, true peak), reports what
/// it matched, and bad references are refused in one line with nothing written.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ReferenceMatchTests
{
    private static readonly Lazy<string> s_input = new(() => Write("match-input.wav", TestSignals.PinkNoise(-24, 20, 44100, 2, seed: 21)));

    // A differently balanced, louder reference at another rate: warm (+6 dB below 150 Hz), a
    // presence dip (−5 dB at 3 kHz) and a dull top (−8 dB above 6 kHz).
    private static readonly Lazy<string> s_reference = new(() => Write("match-reference-48k.wav", Shaped(TestSignals.PinkNoise(-16, 15, 48000, 2, seed: 22))));

    private static PlanarBuffer Shaped(PlanarBuffer buffer)
    {
        var eq = new ParametricEq(3);
        eq.SetBand(0, new EqBand(true, FilterType.LowShelf, 150, 6, BiquadCoefficients.ButterworthQ));
        eq.SetBand(1, new EqBand(true, FilterType.Peak, 3000, -5, 1.0));
        eq.SetBand(2, new EqBand(true, FilterType.HighShelf, 6000, -8, BiquadCoefficients.ButterworthQ));
        eq.Configure(buffer.SampleRate, buffer.Channels, buffer.Frames);
        eq.Process(buffer.Block);
        return buffer;
    }

    private static string Write(string name, PlanarBuffer buffer)
    {
        string path = TestFolder.PathFor(name);
        if (!File.Exists(path))
        {
            TestAudio.WriteWav(path, buffer);
        }

        return path;
    }

    private static string NewFolder() => TestFolder.NewFolder("match");

    [Fact]
    public void MatchesToneAndLoudnessOfTheReferenceUnderTheCeiling()
    {
        string dir = NewFolder();
        string output = Path.Combine(dir, "out.wav"), report = Path.Combine(dir, "out.json");
        CliRunner.Result run = CliRunner.Process("master", s_input.Value, "-o", output, "--reference", s_reference.Value, "--report", report, "--quiet");
        Assert.True(run.ExitCode == 0, run.ToString());

        ReferenceLoudness reference = Ebur128Reference.Measure(s_reference.Value);
        ReferenceLoudness master = Ebur128Reference.Measure(output);
        Tolerance.AssertClose(reference.IntegratedLufs, master.IntegratedLufs, 0.5, "integrated loudness vs the reference's (libebur128)");
        Assert.True(master.TruePeakDbtp <= -1.0 + 0.05, $"true peak {master.TruePeakDbtp:0.00} dBTP over the −1 dBTP ceiling");

        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(report));
        JsonElement match = doc.RootElement.GetProperty("match");
        Assert.Equal("reference", match.GetProperty("kind").GetString());
        Assert.Equal(["tone", "loudness"], match.GetProperty("aspects").EnumerateArray().Select(a => a.GetString()!).ToArray());
        JsonElement tone = match.GetProperty("tone");
        double before = tone.GetProperty("inputDistanceDb").GetDouble(), after = tone.GetProperty("resultDistanceDb").GetDouble();
        Assert.True(before > 2, $"the reference should differ in tone (distance {before:0.00} dB)");
        Assert.True(after <= 0.4 * before, $"tonal distance {before:0.00} → {after:0.00} dB: less than 60 % removed");
        Assert.Equal(2, match.GetProperty("items").GetArrayLength());
        JsonElement loudness = match.GetProperty("loudness");
        Assert.True(loudness.GetProperty("loudnessReached").GetBoolean());
        Assert.Equal(JsonValueKind.Null, loudness.GetProperty("loudnessOutOfReach").ValueKind);
        Assert.Equal(-1.0, loudness.GetProperty("limiterCeilingDbtp").GetDouble());
        Assert.True(loudness.GetProperty("interSamplePeakDbtp").GetDouble() <= -1.0 + 0.005, "the 16× peak of the master is under the ceiling");
        Tolerance.AssertClose(reference.IntegratedLufs, loudness.GetProperty("targetLufs").GetDouble(), 0.1, "the aim is the reference's loudness");
        Assert.Equal("reference", doc.RootElement.GetProperty("target").GetProperty("preset").GetString());
        Assert.True(doc.RootElement.GetProperty("eq").GetArrayLength() > 8, "a match moves more than a handful of bands");
    }

    [Fact]
    public void AReferenceLoudnessOutOfReachIsSaidSoWithTheLoudnessReached()
    {
        // Rim shots every 300 ms over a near-silent floor: a limiter that must hold −1 dBTP cannot
        // make this as loud as the dense reference without squashing it to nothing.
        string input = TestFolder.PathFor("match-peaky.wav");
        if (!File.Exists(input))
        {
            const int Rate = 44100;
            var buffer = new PlanarBuffer(2, Rate * 12, Rate);
            float[] floor = Signals.PinkNoise(buffer.Frames, 3e-5, seed: 31);
            floor.CopyTo(buffer[0]);
            floor.CopyTo(buffer[1]);
            for (int start = 0; start + 400 < buffer.Frames; start += (int)(0.3 * Rate))
            {
                for (int i = 0; i < 176; i++)
                {
                    float x = (float)(0.9 * Math.Sin(2 * Math.PI * 2000 * i / Rate) * Math.Exp(-i / 40.0));
                    buffer[0][start + i] += x;
                    buffer[1][start + i] += 0.8f * x;
                }
            }

            AudioFileWriter.WriteAll(input, buffer.Block, Rate, SampleFormat.Float32);
        }

        string dir = NewFolder();
        string output = Path.Combine(dir, "out.wav"), report = Path.Combine(dir, "out.json");
        CliRunner.Result run = CliRunner.Process("master", input, "-o", output, "--reference", s_reference.Value, "--report", report, "--quiet");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Single(run.StderrLines, l => l.Contains("reached", StringComparison.Ordinal) && l.Contains("too peaky", StringComparison.Ordinal));

        ReferenceLoudness master = Ebur128Reference.Measure(output);
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(report));
        JsonElement loudness = doc.RootElement.GetProperty("match").GetProperty("loudness");
        Assert.False(loudness.GetProperty("loudnessReached").GetBoolean());
        JsonElement outOfReach = loudness.GetProperty("loudnessOutOfReach");
        Assert.Contains("too peaky", outOfReach.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Tolerance.AssertClose(master.IntegratedLufs, outOfReach.GetProperty("reachableLufs").GetDouble(), 0.1, "the reachable loudness is the master's (libebur128)");
        Assert.True(loudness.GetProperty("targetLufs").GetDouble() > master.IntegratedLufs + 3, "the reference's loudness was out of reach");
        Assert.True(master.TruePeakDbtp <= -1.0 + 0.05, $"true peak {master.TruePeakDbtp:0.00} dBTP over the −1 dBTP ceiling");
        Assert.True(loudness.GetProperty("interSamplePeakDbtp").GetDouble() <= -1.0 + 0.005);
    }

    [Fact]
    public void AGivenTargetWinsOverTheReferenceLoudnessAndAmountScalesTheMatch()
    {
        string dir = NewFolder();
        string full = Path.Combine(dir, "full.json"), half = Path.Combine(dir, "half.json");
        Assert.Equal(0, CliRunner.Process("master", s_input.Value, "-o", Path.Combine(dir, "a.wav"), "--reference", s_reference.Value, "--lufs", "-20", "--report", full, "--quiet").ExitCode);
        Assert.Equal(0, CliRunner.Process("master", s_input.Value, "-o", Path.Combine(dir, "b.wav"), "--reference", s_reference.Value, "--amount", "50", "--report", half, "--quiet").ExitCode);

        Tolerance.AssertClose(-20, Ebur128Reference.Measure(Path.Combine(dir, "a.wav")).IntegratedLufs, 0.1, "--lufs wins");
        using JsonDocument f = JsonDocument.Parse(File.ReadAllText(full));
        using JsonDocument h = JsonDocument.Parse(File.ReadAllText(half));
        double inputLufs = h.RootElement.GetProperty("input").GetProperty("integratedLufs").GetDouble();
        double referenceLufs = h.RootElement.GetProperty("match").GetProperty("reference").GetProperty("integratedLufs").GetDouble();
        Tolerance.AssertClose((inputLufs + referenceLufs) / 2, h.RootElement.GetProperty("target").GetProperty("lufs").GetDouble(), 0.02, "half-way in loudness");
        double fullReduction = f.RootElement.GetProperty("match").GetProperty("tone").GetProperty("reductionPercent").GetDouble();
        double halfReduction = h.RootElement.GetProperty("match").GetProperty("tone").GetProperty("reductionPercent").GetDouble();
        Assert.True(halfReduction is > 25 and < 75 && halfReduction < fullReduction, $"amount 50 removed {halfReduction} % of the distance (100: {fullReduction} %)");
    }

    [Fact]
    public void WidthMatchMovesTheSideToMidRatio()
    {
        string dir = NewFolder();
        PlanarBuffer narrow = TestSignals.PinkNoise(-20, 12, 44100, 2, seed: 30);
        for (int i = 0; i < narrow.Frames; i++)
        {
            float m = 0.5f * (narrow[0][i] + narrow[1][i]);
            narrow[0][i] = m + (0.1f * (narrow[0][i] - m));
            narrow[1][i] = m + (0.1f * (narrow[1][i] - m));
        }

        string input = TestAudio.WriteWav(Path.Combine(dir, "narrow.wav"), narrow);
        string report = Path.Combine(dir, "w.json");
        CliRunner.Result run = CliRunner.Process("master", input, "-o", Path.Combine(dir, "w.wav"), "--reference", s_input.Value, "--match", "width,loudness", "--report", report, "--quiet");
        Assert.True(run.ExitCode == 0, run.ToString());
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(report));
        JsonElement match = doc.RootElement.GetProperty("match");
        double reference = match.GetProperty("reference").GetProperty("widthDb").GetDouble();
        double before = match.GetProperty("inputWidthDb").GetDouble(), after = match.GetProperty("resultWidthDb").GetDouble();
        Assert.True(reference - before > 6, $"the narrow input should be narrower ({before:0.0} vs {reference:0.0} dB)");
        Assert.True(Math.Abs(after - Math.Min(reference, before + ReferenceMatcher.MaxSideGainDb)) < 0.5, $"width {before:0.0} → {after:0.0} dB (reference {reference:0.0})");
        Assert.Equal(0, doc.RootElement.GetProperty("eq").GetArrayLength());
    }

    public static TheoryData<string, string> BadReferences() => new()
    {
        { "silent", "digital silence" },
        { "short", "at least 10 s" },
        { "garbage", "match-bad-garbage.wav" },
        { "mono", "channel count" },
    };

    [Theory]
    [MemberData(nameof(BadReferences))]
    public void ABadReferenceIsRefusedInOneLineAndNothingIsWritten(string kind, string expected)
    {
        string dir = NewFolder();
        string bad = Path.Combine(dir, $"match-bad-{kind}.wav");
        switch (kind)
        {
            case "silent":
                TestAudio.WriteWav(bad, new PlanarBuffer(2, 44100 * 12, 44100));
                break;
            case "short":
                TestAudio.WriteWav(bad, TestSignals.PinkNoise(-20, 5, 44100, 2, seed: 5));
                break;
            case "garbage":
                File.WriteAllBytes(bad, [.. Enumerable.Range(0, 4000).Select(i => (byte)(i * 37))]);
                break;
            default:
                TestAudio.WriteWav(bad, TestSignals.PinkNoise(-20, 12, 44100, 1, seed: 6));
                break;
        }

        string output = Path.Combine(dir, "out.wav"), report = Path.Combine(dir, "out.json");
        CliRunner.Result run = CliRunner.Process("master", s_input.Value, "-o", output, "--reference", bad, "--report", report);
        Assert.Equal(2, run.ExitCode);
        string line = Assert.Single(run.StderrLines);
        Assert.Contains(bad, line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.False(File.Exists(output), "no master");
        Assert.False(File.Exists(report), "no report");
        Assert.DoesNotContain(Directory.EnumerateFiles(dir), f => !f.EndsWith(Path.GetFileName(bad), StringComparison.Ordinal));
    }

    [Fact]
    public void ATargetBuiltFromReferencesDrivesMasterSuggestAndMix()
    {
        string dir = NewFolder();
        string style = Path.Combine(dir, "warm.json");
        CliRunner.Result build = CliRunner.Process("target", "build", s_reference.Value, s_reference.Value, "-o", style, "--name", "warm", "--quiet");
        Assert.True(build.ExitCode == 0, build.ToString());
        StyleTarget target = StyleTarget.Parse(File.ReadAllText(style));
        Assert.Equal("warm", target.Name);
        Assert.Equal(2, target.Sources.Count);
        Assert.All(target.Target.SpreadDb, s => Assert.Equal(0, s, 3));

        string output = Path.Combine(dir, "m.wav"), report = Path.Combine(dir, "m.json");
        CliRunner.Result master = CliRunner.Process("master", s_input.Value, "-o", output, "--target-curve", style, "--report", report, "--quiet");
        Assert.True(master.ExitCode == 0, master.ToString());
        using (JsonDocument doc = JsonDocument.Parse(File.ReadAllText(report)))
        {
            JsonElement match = doc.RootElement.GetProperty("match");
            Assert.Equal("target", match.GetProperty("kind").GetString());
            Assert.True(match.GetProperty("tone").GetProperty("reductionPercent").GetDouble() >= 60);
            Tolerance.AssertClose(target.Target.IntegratedLufs, Ebur128Reference.Measure(output).IntegratedLufs, 0.5, "the target's loudness");
        }

        CliRunner.Result suggest = CliRunner.Process("suggest", s_input.Value, "--json", "--target-curve", style);
        Assert.True(suggest.ExitCode == 0, suggest.ToString());
        using (JsonDocument doc = JsonDocument.Parse(suggest.Stdout))
        {
            JsonElement track = doc.RootElement[0];
            Assert.Equal("target-curve", track.GetProperty("eqSource").GetString());
            Assert.Contains(track.GetProperty("eq").EnumerateArray(), m => m.GetProperty("type").GetString() == "lowShelf" && m.GetProperty("gainDb").GetDouble() > 0
                || m.GetProperty("frequencyHz").GetDouble() < 200 && m.GetProperty("gainDb").GetDouble() > 0);
        }

        string mixed = Path.Combine(dir, "mix.wav"), mixReport = Path.Combine(dir, "mix.json");
        CliRunner.Result mix = CliRunner.Process("mix", s_input.Value, "-o", mixed, "--target-curve", style, "--report", mixReport, "--quiet");
        Assert.True(mix.ExitCode == 0, mix.ToString());
        using (JsonDocument doc = JsonDocument.Parse(File.ReadAllText(mixReport)))
        {
            Assert.Equal("target", doc.RootElement.GetProperty("master").GetProperty("match").GetProperty("kind").GetString());
        }
    }

    [Fact]
    public void UnknownTargetsAndMatchNamesAreRefused()
    {
        string dir = NewFolder();
        string output = Path.Combine(dir, "o.wav");
        CliRunner.Result missing = CliRunner.Process("master", s_input.Value, "-o", output, "--target-curve", Path.Combine(dir, "none.json"));
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("none.json", Assert.Single(missing.StderrLines), StringComparison.Ordinal);

        string notTarget = Path.Combine(dir, "other.json");
        File.WriteAllText(notTarget, "{\"format\": \"something-else\"}");
        CliRunner.Result wrong = CliRunner.Process("master", s_input.Value, "-o", output, "--target-curve", notTarget);
        Assert.Equal(2, wrong.ExitCode);
        Assert.Contains("is not a MixMate target", Assert.Single(wrong.StderrLines), StringComparison.Ordinal);

        CliRunner.Result badMatch = CliRunner.Process("master", s_input.Value, "-o", output, "--reference", s_reference.Value, "--match", "tone,sparkle");
        Assert.Equal(2, badMatch.ExitCode);
        Assert.Contains("sparkle", Assert.Single(badMatch.StderrLines), StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }
}
