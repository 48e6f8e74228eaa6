using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using MixMate.Cli.Audio;
using MixMate.Cli.Batch;
using MixMate.Cli.CommandLine;
using MixMate.Cli.Tests.Support;
using Xunit;

namespace MixMate.Cli.Tests;

/// <summary>
/// <c>mixmate batch</c>: outputs named after the inputs, a results line per input, bad inputs
/// reported and skipped (exit 2), shards that together write exactly the files of one run, resume by
/// content, manifests, the catalogue page and a clean Ctrl-C.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed partial class BatchCommandTests
{
    private static readonly Lazy<string> s_catalogue = new(() => MakeCatalogue("catalogue", 6));

    /// <summary>A folder of <paramref name="count"/> short programmes (3 s, levels and tilts differ),
    /// one in a sub-folder, plus a text file the walk must ignore.</summary>
    private static string MakeCatalogue(string name, int count)
    {
        string folder = TestFolder.NewFolder(name);
        Directory.CreateDirectory(Path.Combine(folder, "disc 2"));
        for (int i = 0; i < count; i++)
        {
            PlanarBuffer audio = TestSignals.PinkNoise(-30 + (2 * i), 3, 44100, 2, seed: 40 + i);
            string sub = i == count - 1 ? "disc 2" : string.Empty;
            AudioFileWriter.WriteAll(Path.Combine(folder, sub, $"track{i:00}.wav"), audio.Block, 44100, SampleFormat.Pcm24);
        }

        File.WriteAllText(Path.Combine(folder, "notes.txt"), "not audio");
        return folder;
    }

    private static CliRunner.Result Batch(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int exitCode;
        try
        {
            exitCode = BatchCommand.Run(args, stdout, stderr, terminal: false);
        }
        catch (CliException e)
        {
            stderr.WriteLine($"mixmate: {e.Message}");
            exitCode = e.ExitCode;
        }

        return new CliRunner.Result(exitCode, stdout.ToString(), stderr.ToString());
    }

    private static List<JsonElement> Results(string outDir) =>
        [.. File.ReadAllLines(Path.Combine(outDir, ResultsLog.FileName)).Select(line => JsonDocument.Parse(line).RootElement.Clone())];

    [Fact]
    public void MastersAFolderIntoOutputsNamedAfterTheInputsWithAResultsLinePerInput()
    {
        string outDir = Path.Combine(TestFolder.NewFolder("batch-master"), "out");
        CliRunner.Result run = Batch("master", s_catalogue.Value, "--out", outDir, "--jobs", "2");

        Assert.True(run.ExitCode == 0, run.ToString());
        List<JsonElement> lines = Results(outDir);
        Assert.Equal(6, lines.Count);
        string[] inputs = [.. lines.Select(l => l.GetProperty("input").GetString()!)];
        string[] text = File.ReadAllLines(Path.Combine(outDir, ResultsLog.FileName));
        Assert.Equal([.. text.Order(StringComparer.Ordinal)], text);
        Assert.All(text, line => Assert.True(line.All(char.IsAscii)));
        Assert.Contains(inputs, i => i.Contains("disc 2", StringComparison.Ordinal));
        foreach (JsonElement line in lines)
        {
            Assert.Equal("ok", line.GetProperty("status").GetString());
            Assert.Equal("master", line.GetProperty("command").GetString());
            string output = line.GetProperty("output").GetString()!;
            Assert.Equal(Path.GetFileNameWithoutExtension(line.GetProperty("input").GetString()) + ".wav", output);
            Assert.True(File.Exists(Path.Combine(outDir, output)));
            Assert.True(File.Exists(Path.Combine(outDir, line.GetProperty("report").GetString()!)));
            Assert.Equal(-14, line.GetProperty("loudness").GetProperty("integratedLufs").GetDouble(), 1);
            Assert.True(line.GetProperty("loudness").GetProperty("truePeakDbtp").GetDouble() <= -1.0);
            Assert.Equal(64, line.GetProperty("sha256").GetString()!.Length);
            Assert.Equal(0, line.GetProperty("playback").GetProperty("spotify").GetDouble());
            Assert.Equal(-9, line.GetProperty("playback").GetProperty("ebu-r128").GetDouble());
        }

        // The same code as `mixmate master`: the single-file command writes the same samples.
        string first = lines[0].GetProperty("input").GetString()!;
        string single = Path.Combine(Path.GetDirectoryName(outDir)!, "single.wav");
        CliRunner.Result one = CliRunner.Process("master", first, "-o", single, "--quiet");
        Assert.True(one.ExitCode == 0, one.ToString());
        Assert.Equal(File.ReadAllBytes(single), File.ReadAllBytes(Path.Combine(outDir, lines[0].GetProperty("output").GetString()!)));
        Assert.Empty(Directory.GetFiles(outDir, "*.tmp"));
    }

    [Fact]
    public void BadInputsAreReportedInOneLineEachAndSkippedWhileTheOthersGoOn()
    {
        string folder = TestFolder.NewFolder("batch-bad");
        string good = Path.Combine(folder, "good.wav");
        AudioFileWriter.WriteAll(good, TestSignals.PinkNoise(-24, 2, 48000, 2, seed: 5).Block, 48000, SampleFormat.Pcm24);
        string broken = Path.Combine(folder, "broken.wav");
        File.WriteAllText(broken, "RIFF but not really a wave file");
        string missing = Path.Combine(folder, "missing.wav");
        string outDir = Path.Combine(folder, "out");

        CliRunner.Result run = Batch("analyze", good, broken, missing, "--out", outDir);

        Assert.Equal(2, run.ExitCode);
        string[] errors = run.StderrLines;
        Assert.Equal(2, errors.Length);
        Assert.Contains(errors, e => e.StartsWith("mixmate: " + broken + ":", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("mixmate: " + missing + ":", StringComparison.Ordinal) && e.Contains("no such file", StringComparison.Ordinal));
        List<JsonElement> lines = Results(outDir);
        Assert.Equal(3, lines.Count);
        Assert.Equal(["failed", "ok", "failed"], lines.Select(l => l.GetProperty("status").GetString()));
        Assert.Equal(JsonValueKind.Null, lines[2].GetProperty("sha256").ValueKind);
        Assert.True(File.Exists(Path.Combine(outDir, "good.json")));
        Assert.False(File.Exists(Path.Combine(outDir, "broken.json")));
        Assert.Contains("1 done, 2 failed", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThreeShardsAsLocalProcessesWriteExactlyTheFilesOfOneRun()
    {
        string root = TestFolder.NewFolder("batch-shards");
        string single = Path.Combine(root, "single");
        string shared = Path.Combine(root, "shared");
        CliRunner.Result one = CliRunner.Process("batch", "master", s_catalogue.Value, "--out", single, "--jobs", "1", "--quiet");
        Assert.True(one.ExitCode == 0, one.ToString());

        // Three shards at once into one shared folder, as a job array on a shared volume would run.
        Task<CliRunner.Result>[] shards = [.. Enumerable.Range(1, 3).Select(k => Task.Run(() =>
            CliRunner.Process("batch", "master", s_catalogue.Value, "--out", shared, "--jobs", "1", "--quiet", "--shard", $"{k}/3")))];
        CliRunner.Result[] results = await Task.WhenAll(shards);
        int taken = 0;
        foreach (CliRunner.Result r in results)
        {
            Assert.True(r.ExitCode == 0, r.ToString());
            Match m = ShardSummary().Match(r.Stdout);
            Assert.True(m.Success, r.Stdout);
            taken += int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        }

        Assert.Equal(6, taken);
        string[] names = [.. Directory.GetFiles(single).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];
        Assert.Equal(names, Directory.GetFiles(shared).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(6 * 2 + 2, names.Length);
        foreach (string name in names)
        {
            Assert.True(File.ReadAllBytes(Path.Combine(single, name)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(shared, name))), name + " differs");
        }
    }

    [Fact]
    public void ShardsPartitionByContentWhateverTheNumbering()
    {
        byte[][] hashes = [.. Enumerable.Range(0, 200).Select(i => ContentHash.OfName("input" + i))];
        foreach (int count in new[] { 1, 2, 3, 7 })
        {
            int[] zeroBased = [.. hashes.Select(h => Enumerable.Range(0, count).Single(i => new Shard(i, count).Takes(h)))];
            int[] oneBased = [.. hashes.Select(h => Enumerable.Range(1, count).Single(i => Shard.Parse($"{i}/{count}").Takes(h)))];
            Assert.Equal(zeroBased, oneBased.Select(i => i % count));
            Assert.All(Enumerable.Range(0, count), i => Assert.Contains(i, zeroBased));
        }

        Assert.Throws<CliException>(() => Shard.Parse("4/3"));
        Assert.Throws<CliException>(() => Shard.Parse("1/0"));
        Assert.Throws<CliException>(() => Shard.Parse("a/3"));
    }

    [Fact]
    public void ResumeSkipsInputsDoneWithTheSameContentAndRedoesChangedOnes()
    {
        string folder = MakeCatalogue("batch-resume", 3);
        string outDir = Path.Combine(folder, "out");
        Assert.Equal(0, Batch("check", folder, "--out", outDir).ExitCode);
        string changed = Path.Combine(folder, "track01.wav");
        AudioFileWriter.WriteAll(changed, TestSignals.PinkNoise(-20, 3, 44100, 2, seed: 99).Block, 44100, SampleFormat.Pcm24);
        string before = File.ReadAllText(Path.Combine(outDir, "track00.json"));

        CliRunner.Result again = Batch("check", folder, "--out", outDir, "--resume", "--force");

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("1 done, 0 failed, 2 skipped", again.Stdout, StringComparison.Ordinal);
        Assert.Contains("[1/1] ok      " + changed, again.Stdout, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(Path.Combine(outDir, "track00.json")));
        List<JsonElement> lines = Results(outDir);
        Assert.Equal(3, lines.Count);
        Assert.Equal(Convert.ToHexStringLower(ContentHash.OfFile(changed)), lines.Single(l => l.GetProperty("input").GetString() == changed).GetProperty("sha256").GetString());

        // Without --resume the outputs are in the way: refused, and the results keep their lines.
        CliRunner.Result refused = Batch("check", folder, "--out", outDir);
        Assert.Equal(2, refused.ExitCode);
        Assert.All(refused.StderrLines, line => Assert.Contains("already exists (use --force", line, StringComparison.Ordinal));
        Assert.All(Results(outDir), line => Assert.Equal("ok", line.GetProperty("status").GetString()));
    }

    [Fact]
    public void AManifestNamesOutputsAndOptionsPerInput()
    {
        string folder = MakeCatalogue("batch-manifest", 2);
        string manifest = Path.Combine(folder, "list.jsonl");
        File.WriteAllLines(manifest,
        [
            """{"input": "track00.wav", "output": "first.flac", "target": "apple", "eq": "off"}""",
            "",
            """{"input": "disc 2/track01.wav", "lufs": -18, "tp": -2}""",
        ]);
        string outDir = Path.Combine(folder, "out");

        CliRunner.Result run = Batch("master", "--manifest", manifest, "--out", outDir, "--target", "youtube");

        Assert.True(run.ExitCode == 0, run.ToString());
        List<JsonElement> lines = Results(outDir);
        JsonElement first = lines.Single(l => l.GetProperty("output").GetString() == "first.flac");
        Assert.Equal("apple", first.GetProperty("options").GetProperty("target").GetString());
        Assert.Equal("flac", first.GetProperty("options").GetProperty("format").GetString());
        Assert.Equal(-16, first.GetProperty("loudness").GetProperty("integratedLufs").GetDouble(), 1);
        Assert.True(File.Exists(Path.Combine(outDir, "first.json")));
        JsonElement second = lines.Single(l => l.GetProperty("output").GetString() == "track01.wav");
        Assert.Equal("custom", second.GetProperty("options").GetProperty("target").GetString());
        Assert.Equal(-18, second.GetProperty("loudness").GetProperty("integratedLufs").GetDouble(), 1);

        File.WriteAllText(manifest, """{"input": "track00.wav", "volume": 3}""" + "\n");
        CliRunner.Result bad = Batch("master", "--manifest", manifest, "--out", outDir);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains(manifest + ":1: unknown key \"volume\"", Assert.Single(bad.StderrLines), StringComparison.Ordinal);
    }

    [Fact]
    public void InputsWithOneNameDoNotOverwriteEachOther()
    {
        string folder = TestFolder.NewFolder("batch-names");
        Directory.CreateDirectory(Path.Combine(folder, "a"));
        Directory.CreateDirectory(Path.Combine(folder, "b"));
        foreach (string sub in new[] { "a", "b" })
        {
            AudioFileWriter.WriteAll(Path.Combine(folder, sub, "song.wav"), TestSignals.PinkNoise(-25, 2, 44100, 2, seed: sub[0]).Block, 44100, SampleFormat.Pcm24);
        }

        string outDir = Path.Combine(folder, "out");
        CliRunner.Result run = Batch("analyze", Path.Combine(folder, "a"), Path.Combine(folder, "b"), "--out", outDir);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("its output song.json is also", Assert.Single(run.StderrLines), StringComparison.Ordinal);
        Assert.Contains(Path.Combine(folder, "a", "song.wav"), File.ReadAllText(Path.Combine(outDir, "song.json")), StringComparison.Ordinal);
    }

    [Fact]
    public void TheCataloguePageHasOneSortableRowPerInputWithTheResultsFigures()
    {
        string folder = TestFolder.NewFolder("batch-html");
        string outDir = Path.Combine(folder, "out");
        string page = Path.Combine(folder, "catalogue.html");
        CliRunner.Result run = Batch("analyze", s_catalogue.Value, "--out", outDir, "--html", page);

        Assert.True(run.ExitCode == 0, run.ToString());
        HtmlPage html = HtmlPage.Load(page);
        var rows = html.Document.Descendants(HtmlPage.Xhtml + "tbody").Single().Elements(HtmlPage.Xhtml + "tr").ToList();
        Assert.Equal(6, rows.Count);
        Assert.Contains(html.Document.Descendants(HtmlPage.Xhtml + "th"), th => th.Value == "Spotify dB" && (string?)th.Attribute("data-type") == "number");
        Assert.Single(html.Document.Descendants(HtmlPage.Xhtml + "script"), s => s.Attribute("id") is null);
        using JsonDocument data = html.DataIsland();
        int numbers = 0;
        foreach (var cell in html.Keyed())
        {
            JsonElement? value = HtmlPage.Resolve(data.RootElement, (string)cell.Attribute("data-key")!);
            Assert.True(value is not null, (string)cell.Attribute("data-key")!);
            if (cell.Attribute("data-value") is { Value.Length: > 0 } v && value.Value.ValueKind == JsonValueKind.Number)
            {
                Assert.Equal(value.Value.GetDouble(), double.Parse(v.Value, CultureInfo.InvariantCulture));
                numbers++;
            }
        }

        Assert.True(numbers >= 6 * 13, numbers.ToString(CultureInfo.InvariantCulture));
        List<JsonElement> lines = Results(outDir);
        Assert.Equal(lines.Count, data.RootElement.GetArrayLength());
    }

    [Fact]
    public async Task CtrlCOnceFinishesTheInputInFlightStartsNoMoreAndResumeDoesTheRest()
    {
        string folder = MakeCatalogue("batch-sigint", 3);
        string outDir = Path.Combine(folder, "out");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { Path.Combine(AppContext.BaseDirectory, "mixmate.dll"), "batch", "analyze", folder, "--out", outDir, "--jobs", "1" })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["MIXMATE_TEST_HOLD_TEMPORARY_MS"] = "3000";
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60) && !process.HasExited && (!Directory.Exists(outDir) || Directory.GetFiles(outDir, ".*.tmp").Length == 0))
        {
            await Task.Delay(20);
        }

        Assert.Equal(0, Kill(process.Id, 2));
        Assert.True(process.WaitForExit(60_000), "mixmate did not stop after SIGINT");

        Assert.Equal(130, process.ExitCode);
        string errors = await stderr;
        Assert.Contains("interrupted: finishing the inputs in flight", errors, StringComparison.Ordinal);
        Assert.Contains("1 done, 0 failed, 0 skipped, 2 not started (interrupted)", await stdout, StringComparison.Ordinal);
        Assert.Single(Results(outDir));
        Assert.Empty(Directory.GetFiles(outDir, "*.tmp"));

        CliRunner.Result rest = CliRunner.Process("batch", "analyze", folder, "--out", outDir, "--resume");
        Assert.True(rest.ExitCode == 0, rest.ToString());
        Assert.Contains("2 done, 0 failed, 1 skipped", rest.Stdout, StringComparison.Ordinal);
        Assert.Equal(3, Results(outDir).Count);
    }

    [GeneratedRegex(@"\(shard \d/3: (\d+) of 6 inputs\)")]
    private static partial Regex ShardSummary();

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);
}
