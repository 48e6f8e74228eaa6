using System.Diagnostics;
using System.Runtime.InteropServices;
using MixMate.Cli.Audio;
using MixMate.Cli.CommandLine;
using MixMate.Cli.Output;
using MixMate.Cli.Tests.Support;
using MixMate.TestSupport;
using Xunit;

namespace MixMate.Cli.Tests;

/// <summary>
/// Nothing lost: outputs are judged by the file they are (device and inode after every link), never
/// replace a FIFO or device, never replace a file that appeared while MixMate worked (without
/// --force), appear all together or not at all, and interrupted or killed runs leave no temporary
/// files behind.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed partial class OutputSafetyTests
{
    private static readonly Lazy<string> s_input = new(() =>
    {
        string path = TestFolder.PathFor("safety-pink-3s.wav");
        var buffer = new PlanarBuffer(2, 44100 * 3, 44100);
        Signals.PinkNoise(buffer.Frames, 0.1, seed: 21).CopyTo(buffer[0]);
        Signals.PinkNoise(buffer.Frames, 0.1, seed: 22).CopyTo(buffer[1]);
        AudioFileWriter.WriteAll(path, buffer.Block, 44100, SampleFormat.Pcm24);
        return path;
    });

    /// <summary>A folder holding dir/in.wav, linkdir → dir, linksub → dir/sub, hard.wav (a hard
    /// link to the input), fifo.wav (a named pipe) and null.wav → /dev/null.</summary>
    private static (string Folder, string Input) Scene()
    {
        string folder = TestFolder.NewFolder("safety");
        string dir = Path.Combine(folder, "dir");
        Directory.CreateDirectory(Path.Combine(dir, "sub"));
        string input = Path.Combine(dir, "in.wav");
        File.Copy(s_input.Value, input);
        File.CreateSymbolicLink(Path.Combine(folder, "linkdir"), dir);
        File.CreateSymbolicLink(Path.Combine(folder, "linksub"), Path.Combine(dir, "sub"));
        Assert.Equal(0, Link(input, Path.Combine(folder, "hard.wav")));
        Assert.Equal(0, MkFifo(Path.Combine(folder, "fifo.wav"), 0x1A4));
        File.CreateSymbolicLink(Path.Combine(folder, "null.wav"), "/dev/null");
        return (folder, input);
    }

    [Theory]
    [InlineData("-o", "linkdir/in.wav")]
    [InlineData("--report", "linkdir/in.wav")]
    [InlineData("--html", "linkdir/in.wav")]
    [InlineData("-o", "hard.wav")]
    [InlineData("--report", "hard.wav")]
    [InlineData("-o", "dir/sub/../in.wav")]
    [InlineData("-o", "linksub/../in.wav")]
    [InlineData("--report", "linksub/../in.wav")]
    public void AnOutputThatIsTheInputUnderAnotherNameIsRefusedEvenWithForce(string option, string alias)
    {
        (string folder, string input) = Scene();
        byte[] original = File.ReadAllBytes(input);
        string aliasPath = Path.Combine(folder, alias);
        string[] args = option == "-o"
            ? ["master", input, "-o", aliasPath, "--force"]
            : ["master", input, "-o", Path.Combine(folder, "out.wav"), option, aliasPath, "--force"];

        CliRunner.Result run = CliRunner.Process(args);

        Assert.Equal(2, run.ExitCode);
        string line = Assert.Single(run.StderrLines);
        Assert.Contains(aliasPath, line, StringComparison.Ordinal);
        Assert.Contains("same file", line, StringComparison.Ordinal);
        Assert.Equal(original, File.ReadAllBytes(input));
        Assert.False(File.Exists(Path.Combine(folder, "out.wav")));
        AssertNoTemporaries(folder);
    }

    [Fact]
    public void TwoOutputsThatAreOneFileThroughALinkAreRefused()
    {
        (string folder, string input) = Scene();
        string output = Path.Combine(folder, "dir", "out.wav");

        CliRunner.Result run = CliRunner.Process("master", input, "-o", output, "--report", Path.Combine(folder, "linkdir", "out.wav"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("same file", Assert.Single(run.StderrLines), StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    [Theory]
    [InlineData("fifo.wav", "FIFO")]
    [InlineData("null.wav", "character device")]
    public void FifosAndDeviceNodesAreNeverReplacedEvenWithForce(string name, string kind)
    {
        (string folder, string input) = Scene();
        string target = Path.Combine(folder, name);

        CliRunner.Result asOutput = CliRunner.Process("master", input, "-o", target, "--force");
        CliRunner.Result asReport = CliRunner.Process("master", input, "-o", Path.Combine(folder, "out.wav"), "--report", target, "--force");

        foreach (CliRunner.Result run in new[] { asOutput, asReport })
        {
            Assert.Equal(2, run.ExitCode);
            Assert.Contains(kind, Assert.Single(run.StderrLines), StringComparison.Ordinal);
        }

        Assert.Equal(name == "fifo.wav" ? PosixFiles.Kind.Fifo : PosixFiles.Kind.CharacterDevice, PosixFiles.Identify(target).Kind);
        Assert.Equal("/dev/null", new FileInfo(Path.Combine(folder, "null.wav")).LinkTarget);
        Assert.Equal(PosixFiles.Kind.CharacterDevice, PosixFiles.Identify("/dev/null").Kind);
        Assert.False(File.Exists(Path.Combine(folder, "out.wav")));
        AssertNoTemporaries(folder);
    }

    [Fact]
    public void AFileCreatedAfterTheCheckIsNeverReplacedWithoutForce()
    {
        string folder = TestFolder.NewFolder("race");
        string output = Path.Combine(folder, "out.json");
        AtomicFile.CheckDestination(output, [], force: false);
        File.WriteAllText(output, "saved by the user meanwhile");

        var error = Assert.Throws<CliException>(() => AtomicFile.WriteText(output, "ours"));

        Assert.Contains("created by another program", error.Message, StringComparison.Ordinal);
        Assert.StartsWith(output, error.Message, StringComparison.Ordinal);
        Assert.Equal("saved by the user meanwhile", File.ReadAllText(output));
        AssertNoTemporaries(folder);

        // With --force the same late file is replaced, as asked.
        AtomicFile.CheckDestination(output, [], force: true);
        AtomicFile.WriteText(output, "ours");
        Assert.Equal("ours", File.ReadAllText(output));
    }

    [Fact]
    public async Task TwoRunsWritingOneNewPathLeaveOneWinnerAndOneClearError()
    {
        string folder = TestFolder.NewFolder("two-runs");
        string output = Path.Combine(folder, "out.wav");

        Task<CliRunner.Result> first = Task.Run(() => CliRunner.Process("master", s_input.Value, "-o", output, "--quiet"));
        Task<CliRunner.Result> second = Task.Run(() => CliRunner.Process("master", s_input.Value, "-o", output, "--quiet"));
        CliRunner.Result[] runs = await Task.WhenAll(first, second);

        Assert.Single(runs, r => r.ExitCode == 0);
        CliRunner.Result loser = Assert.Single(runs, r => r.ExitCode == 2);
        string line = Assert.Single(loser.StderrLines);
        Assert.Contains(output, line, StringComparison.Ordinal);
        Assert.True(line.Contains("already exists", StringComparison.Ordinal) || line.Contains("created by another program", StringComparison.Ordinal), line);
        (float[] samples, int channels, int rate) = ReferenceAudioFile.ReadInterleaved(output);
        Assert.Equal(3.0 * rate * channels, samples.Length);
        AssertNoTemporaries(folder);
    }

    [Fact]
    public void AFailedOutputOfABatchLeavesNothingBehindAndTheRerunWorks()
    {
        string folder = TestFolder.NewFolder("batch");
        string master = Path.Combine(folder, "out.wav");
        string report = Path.Combine(folder, "out.json");
        string html = Path.Combine(folder, "out.html");
        foreach (string path in new[] { master, report, html })
        {
            AtomicFile.CheckDestination(path, [], force: false);
        }

        var error = Assert.Throws<CliException>(() =>
        {
            using AtomicFile.Batch batch = AtomicFile.BeginBatch();
            AtomicFile.WriteText(master, "audio");
            AtomicFile.WriteText(report, "{}");
            AtomicFile.Write(html, path =>
            {
                File.WriteAllText(path, "<html>");
                throw new IOException($"{path}: disk full");
            });
            batch.Commit();
        });

        Assert.StartsWith(html, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(".tmp", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder));

        // The rerun finds nothing in its way.
        using (AtomicFile.Batch batch = AtomicFile.BeginBatch())
        {
            foreach (string path in new[] { master, report, html })
            {
                AtomicFile.CheckDestination(path, [], force: false);
                AtomicFile.WriteText(path, "done");
            }

            Assert.Empty(Directory.GetFiles(folder, "*.wav"));
            batch.Commit();
        }

        Assert.Equal(3, Directory.GetFiles(folder).Length);
    }

    [SkippableFact]
    public void AnHtmlReportThatCannotBeWrittenTakesTheMasterAndJsonWithIt()
    {
        // The HTML goes to a 8 KiB tmpfs it cannot fit in (a 3-s report is about 30 KiB). Needs mount
        // rights (root, as CI runs); without them the test is skipped (the batch test above covers
        // the same path in-process).
        string folder = TestFolder.NewFolder("html-fails");
        using TmpfsMount mount = TmpfsMount.MountOrSkip("html-fails-tiny", "size=8k");
        string tiny = mount.Path;

        string output = Path.Combine(folder, "out.wav");
        string report = Path.Combine(folder, "out.json");
        string[] args = ["master", s_input.Value, "-o", output, "--report", report, "--html", Path.Combine(tiny, "out.html"), "--quiet"];

        CliRunner.Result failed = CliRunner.Process(args);

        Assert.Equal(2, failed.ExitCode);
        string line = Assert.Single(failed.StderrLines);
        Assert.Contains(Path.Combine(tiny, "out.html"), line, StringComparison.Ordinal);
        Assert.DoesNotContain(".tmp", line, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
        Assert.False(File.Exists(report));
        Assert.Empty(Directory.EnumerateFileSystemEntries(tiny));
        AssertNoTemporaries(folder);

        // The rerun, with the HTML where it fits, finds nothing in its way.
        args[^2] = Path.Combine(folder, "out.html");
        CliRunner.Result rerun = CliRunner.Process(args);
        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        Assert.True(File.Exists(output) && File.Exists(report) && File.Exists(args[^2]));
    }

    [Fact]
    public void MasterWithReportAndHtmlWritesAllThreeAndNoTemporaries()
    {
        string folder = TestFolder.NewFolder("three");
        string output = Path.Combine(folder, "out.wav");

        CliRunner.Result run = CliRunner.Process("master", s_input.Value, "-o", output, "--report", Path.Combine(folder, "out.json"),
            "--html", Path.Combine(folder, "out.html"), "--quiet");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(3, Directory.GetFiles(folder).Length);
        Assert.DoesNotContain(".tmp", File.ReadAllText(Path.Combine(folder, "out.json")), StringComparison.Ordinal);
        Assert.DoesNotContain(".tmp", File.ReadAllText(Path.Combine(folder, "out.html")), StringComparison.Ordinal);
        AssertNoTemporaries(folder);
    }

    [Theory]
    [InlineData(2, 130, "interrupted (SIGINT)")]
    [InlineData(15, 143, "terminated (SIGTERM)")]
    public async Task ASignalRemovesTheTemporaryFilesAndSaysSoInOneLine(int signal, int exitCode, string words)
    {
        string folder = TestFolder.NewFolder("signal");
        string output = Path.Combine(folder, "out.wav");
        using Process process = StartMixmate(["master", s_input.Value, "-o", output, "--quiet"], holdTemporaryMs: 30_000);
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        // The streamed master's scratch renders share the temporary files' naming and come and go;
        // the held output is the one that stops changing, so wait until every one has kept its name
        // and size for a second and a half.
        var clock = Stopwatch.StartNew();
        string seen = string.Empty;
        var steady = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(90) && !process.HasExited)
        {
            string now = string.Join('|', Directory.GetFiles(folder, ".out.wav.*.tmp").Order(StringComparer.Ordinal)
                .Select(f => f + ":" + new FileInfo(f).Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            if (now != seen)
            {
                seen = now;
                steady.Restart();
            }
            else if (now.Length > 0 && steady.Elapsed > TimeSpan.FromSeconds(1.5))
            {
                break;
            }

            await Task.Delay(50);
        }

        Assert.NotEmpty(Directory.GetFiles(folder, ".out.wav.*.tmp"));
        Assert.Equal(0, Kill(process.Id, signal));
        Assert.True(process.WaitForExit(30_000), "mixmate did not stop after the signal");

        Assert.Equal(exitCode, process.ExitCode);
        string line = Assert.Single((await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Contains(words, line, StringComparison.Ordinal);
        // The output's temporary file, and the streamed master's scratch render when the signal
        // comes while it is still open: at least one, and nothing left behind.
        Assert.Matches(@"removed [1-9][0-9]* unfinished temporary files?\b", line);
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder));
    }

    [Fact]
    public void TemporaryFilesOfKilledRunsAreSweptByTheNextRun()
    {
        string folder = TestFolder.NewFolder("sweep");
        string dead = Path.Combine(folder, $".old.wav.{DeadPid()}.0123456789abcdef0123456789abcdef.tmp");
        string alive = Path.Combine(folder, $".busy.wav.{Environment.ProcessId}.0123456789abcdef0123456789abcdef.tmp");
        string foreign = Path.Combine(folder, ".not-ours.tmp");
        foreach (string path in new[] { dead, alive, foreign })
        {
            File.WriteAllText(path, "x");
        }

        CliRunner.Result run = CliRunner.Process("master", s_input.Value, "-o", Path.Combine(folder, "out.wav"), "--quiet");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.False(File.Exists(dead));
        Assert.True(File.Exists(alive));
        Assert.True(File.Exists(foreign));
    }

    [Fact]
    public void AProgrammeShorterThan400MsIsTooShortNotSilent()
    {
        string folder = TestFolder.NewFolder("short");
        string input = Path.Combine(folder, "short.wav");
        var buffer = new PlanarBuffer(2, 13230, 44100);
        Signals.Sine(44100, 440, 0.5, buffer.Frames).CopyTo(buffer[0]);
        AudioFileWriter.WriteAll(input, buffer.Block, 44100, SampleFormat.Pcm24);

        CliRunner.Result run = CliRunner.Process("master", input, "-o", Path.Combine(folder, "out.wav"));

        Assert.Equal(2, run.ExitCode);
        string line = Assert.Single(run.StderrLines);
        Assert.Contains("too short (300 ms)", line, StringComparison.Ordinal);
        Assert.DoesNotContain("silence", line, StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(folder));
    }

    private static void AssertNoTemporaries(string folder) =>
        Assert.Empty(Directory.GetFiles(folder, "*.tmp", SearchOption.AllDirectories));

    private static int DeadPid()
    {
        int pid = 4_000_000;
        while (Directory.Exists($"/proc/{pid}"))
        {
            pid++;
        }

        return pid;
    }

    private static Process StartMixmate(string[] args, int holdTemporaryMs)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = false,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host))
        {
            start.FileName = host;
        }

        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "mixmate.dll"));
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["MIXMATE_TEST_HOLD_TEMPORARY_MS"] = holdTemporaryMs.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Process.Start(start)!;
    }

    [LibraryImport("libc", EntryPoint = "link", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Link(string existing, string created);

    [LibraryImport("libc", EntryPoint = "mkfifo", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int MkFifo(string path, uint mode);

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);
}
