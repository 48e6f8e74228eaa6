using System.Text.Json;
using MixMate.Cli.Analysis;
using MixMate.Cli.Audio;
using MixMate.Cli.CommandLine;
using MixMate.Cli.Commands;
using MixMate.Cli.Tests.Support;
using MixMate.Dsp;
using MixMate.Dsp.Mastering;
using Xunit;

namespace MixMate.Cli.Tests;

/// <summary>
/// <c>mixmate check</c> from the outside: a song composed here and rendered by FluidSynth, mastered
/// loud with MixMate's own master chain (24-bit WAV), and copies of it with one problem inserted
/// at a known time. The JSON contract (array in argument order, kinds, times, nulls), exit codes
/// and the HTML report are checked.
/// </summary>
public sealed class CheckCommandTests
{
    private static readonly Lazy<Material> s_material = new(Make);

    [Fact]
    public void JsonListsEachFileInArgumentOrderWithTheInsertedProblems()
    {
        Material m = s_material.Value;
        string missing = Path.Combine(TestFolder.Root, "no-such-file.wav");
        string[] files = [m.Clipped, m.Clean, missing, m.Inverted, m.Hum, m.Silence, m.Dc, m.Clicks];
        (int exit, string stdout, string stderr) = Run([.. files, "--json"]);

        Assert.Equal(ExitCodes.BadInput, exit);
        string line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(missing, line, StringComparison.Ordinal);

        using JsonDocument doc = JsonDocument.Parse(stdout);
        JsonElement[] items = [.. doc.RootElement.EnumerateArray()];
        Assert.Equal(files.Length, items.Length);
        for (int i = 0; i < files.Length; i++)
        {
            Assert.Equal(files[i], items[i].GetProperty("path").GetString());
            foreach (JsonElement p in items[i].GetProperty("problems").EnumerateArray())
            {
                Assert.Contains(p.GetProperty("severity").GetString(), new[] { "info", "warning", "error" });
                Assert.Equal(p.GetProperty("start").ValueKind == JsonValueKind.Null, p.GetProperty("end").ValueKind == JsonValueKind.Null);
                Assert.Equal(JsonValueKind.Number, p.GetProperty("value").ValueKind);
                Assert.Equal(JsonValueKind.Number, p.GetProperty("threshold").ValueKind);
                Assert.False(string.IsNullOrWhiteSpace(p.GetProperty("message").GetString()));
                Assert.False(string.IsNullOrWhiteSpace(p.GetProperty("source").GetString()));
                Assert.False(string.IsNullOrWhiteSpace(p.GetProperty("fix").GetString()));
            }
        }

        Assert.DoesNotContain(Problems(items[1]), p => p.Severity == "error");
        Assert.True(items[2].TryGetProperty("error", out _));
        Found(items[0], "clipping", 8, 10);
        Found(items[3], "polarity", null, null);
        Found(items[4], "hum", 6, 16);
        Found(items[5], "silence_start", 0, 2.5);
        Found(items[6], "dc_offset", null, null);
        Found(items[7], "clicks", 12.25, 12.25);
    }

    [Fact]
    public void FailOnSetsExitCodeFourOnlyWhenAProblemOfThatSeverityExists()
    {
        Material m = s_material.Value;
        Assert.Equal(ExitCodes.Ok, Run([m.Clean, "--fail-on", "error"]).Exit);
        Assert.Equal(CheckCommand.ProblemsFound, Run([m.Clipped, "--fail-on", "error"]).Exit);
        Assert.Equal(CheckCommand.ProblemsFound, Run([m.Silence, "--fail-on", "warning"]).Exit);
        Assert.Equal(ExitCodes.Ok, Run([m.Clipped]).Exit);
    }

    [Fact]
    public void BadArgumentsAreRejected()
    {
        Material m = s_material.Value;
        Assert.Throws<CliException>(() => Run([m.Clean, "--profile", "vinyl"]));
        Assert.Throws<CliException>(() => Run([m.Clean, "--fail-on", "info"]));
        Assert.Throws<CliException>(() => Run(["--json"]));
        string empty = Path.Combine(TestFolder.Root, "check-empty.wav");
        File.WriteAllBytes(empty, []);
        (int exit, _, string stderr) = Run([empty, m.Clean]);
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains(empty, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void TheBroadcastProfileJudgesTheLoudMasterAgainstR128()
    {
        Material m = s_material.Value;
        (_, string stdout, _) = Run([m.Clean, "--json", "--profile", "broadcast"]);
        using JsonDocument doc = JsonDocument.Parse(stdout);
        JsonElement file = doc.RootElement[0];
        Assert.Contains(Problems(file), p => p.Kind == "loudness" && p.Severity == "error");
        Assert.Contains(Problems(file), p => p.Kind == "format");
    }

    [Fact]
    public void TheTextListingNamesKindTimeAndFix()
    {
        Material m = s_material.Value;
        (int exit, string stdout, _) = Run([m.Clipped]);
        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Contains("clipping", stdout, StringComparison.Ordinal);
        Assert.Contains("0:08", stdout, StringComparison.Ordinal);
        Assert.Contains("fix:", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void TheHtmlReportPutsTheProblemsOnTheTimeAxis()
    {
        Material m = s_material.Value;
        string html = Path.Combine(TestFolder.NewFolder("check-html"), "report.html");
        (int exit, _, _) = Run([m.Clipped, m.Hum, "--html", html]);
        Assert.Equal(ExitCodes.Ok, exit);
        string page = File.ReadAllText(html);
        System.Xml.Linq.XDocument.Parse(page.Replace("<!DOCTYPE html>", string.Empty, StringComparison.Ordinal));
        Assert.Contains("data-kind=\"clipping\"", page, StringComparison.Ordinal);
        Assert.Contains("data-kind=\"hum\"", page, StringComparison.Ordinal);
        Assert.Contains("id=\"mixmate-data\"", page, StringComparison.Ordinal);
        Assert.Throws<CliException>(() => Run([m.Clean, "--html", html]));
    }

    [Fact]
    public void ExitCodesFromARealProcess()
    {
        Material m = s_material.Value;
        Assert.Equal(0, CliRunner.Process("check", m.Clean).ExitCode);
        Assert.Equal(4, CliRunner.Process("check", m.Clipped, "--fail-on", "error").ExitCode);
        CliRunner.Result bad = CliRunner.Process("check", m.Clean, "/nonexistent/x.wav", "--json");
        Assert.Equal(2, bad.ExitCode);
        Assert.Single(bad.StderrLines);
    }

    private static (int Exit, string Stdout, string Stderr) Run(string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int exit = CheckCommand.Run(args, stdout, stderr, showProgress: false);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static List<(string Kind, string Severity, double? Start, double? End)> Problems(JsonElement file) =>
        [.. file.GetProperty("problems").EnumerateArray().Select(p => (
            p.GetProperty("kind").GetString()!,
            p.GetProperty("severity").GetString()!,
            p.GetProperty("start").ValueKind == JsonValueKind.Null ? (double?)null : p.GetProperty("start").GetDouble(),
            p.GetProperty("end").ValueKind == JsonValueKind.Null ? (double?)null : p.GetProperty("end").GetDouble()))];

    private static void Found(JsonElement file, string kind, double? start, double? end)
    {
        var matches = Problems(file).Where(p => p.Kind == kind).ToList();
        Assert.True(matches.Count > 0, $"{kind} not found in {file}");
        Assert.Contains(matches, p => start is null
            ? p.Start is null
            : p.Start is double s && p.End is double e && Math.Abs(s - start.Value) <= 0.5 && Math.Abs(e - end!.Value) <= 0.5);
    }

    private static Material Make()
    {
        PlanarBuffer song = PlanarBuffer.Load(ComposedSong.WavPath);
        PlanarBuffer master = Master(song);
        string folder = TestFolder.NewFolder("check");
        string Save(string name, Action<PlanarBuffer> change)
        {
            var copy = new PlanarBuffer(master.Channels, master.Frames, master.SampleRate);
            master.Samples.CopyTo(copy.Samples, 0);
            change(copy);
            string path = Path.Combine(folder, name);
            copy.Save(path, SampleFormat.Pcm24);
            return path;
        }

        int rate = (int)master.SampleRate;
        return new Material(
            Clean: Save("clean.wav", _ => { }),
            Clipped: Save("clipped.wav", b => ForRange(b, 8, 10, x => Math.Clamp(x * 3f, -1f, 1f))),
            Inverted: Save("inverted.wav", b => { foreach (ref float x in b[1]) { x = -x; } }),
            Hum: Save("hum.wav", b =>
            {
                for (int c = 0; c < b.Channels; c++)
                {
                    for (int i = 6 * rate; i < 16 * rate; i++)
                    {
                        b[c][i] += (float)(0.03 * Math.Sin(2 * Math.PI * 50 * i / rate));
                    }
                }
            }),
            Silence: SaveShifted(folder, master, 2.5),
            Dc: Save("dc.wav", b => { for (int c = 0; c < b.Channels; c++) { foreach (ref float x in b[c]) { x += 0.02f; } } }),
            Clicks: Save("clicks.wav", b => { b[0][(int)(12.25 * rate)] += 0.5f; b[1][(int)(12.25 * rate)] += 0.5f; }));
    }

    private static void ForRange(PlanarBuffer b, double from, double to, Func<float, float> f)
    {
        for (int c = 0; c < b.Channels; c++)
        {
            Span<float> x = b[c];
            for (int i = (int)(from * b.SampleRate); i < (int)(to * b.SampleRate); i++)
            {
                x[i] = f(x[i]);
            }
        }
    }

    private static string SaveShifted(string folder, PlanarBuffer master, double seconds)
    {
        int pad = (int)(seconds * master.SampleRate);
        var shifted = new PlanarBuffer(master.Channels, master.Frames + pad, master.SampleRate);
        for (int c = 0; c < master.Channels; c++)
        {
            master[c].CopyTo(shifted[c][pad..]);
        }

        string path = Path.Combine(folder, "silence.wav");
        shifted.Save(path, SampleFormat.Pcm24);
        return path;
    }

    /// <summary>A loud master: gain into MixMate's −1 dBTP true-peak limiter, to about −10 LUFS.</summary>
    private static PlanarBuffer Master(PlanarBuffer song)
    {
        double before = FileAnalyzer.Analyze(song.Block, song.SampleRate, "song").IntegratedLufs ?? -20;
        var chain = new MasterChain();
        chain.Limiter.CeilingDbtp = -1;
        chain.Configure(song.SampleRate, song.Channels, 4096);
        chain.GainDb = -10 - before + 1.5;
        chain.Reset();
        var output = new PlanarBuffer(song.Channels, song.Frames, song.SampleRate);
        song.Samples.CopyTo(output.Samples, 0);
        AudioBlock block = output.Block;
        for (int start = 0; start < output.Frames; start += 4096)
        {
            chain.Process(block.Slice(start, Math.Min(4096, output.Frames - start)));
        }

        int latency = chain.LatencySamples;
        var aligned = new PlanarBuffer(song.Channels, song.Frames - latency, song.SampleRate);
        for (int c = 0; c < song.Channels; c++)
        {
            output[c][latency..].CopyTo(aligned[c]);
        }

        return aligned;
    }

    private sealed record Material(string Clean, string Clipped, string Inverted, string Hum, string Silence, string Dc, string Clicks);
}
