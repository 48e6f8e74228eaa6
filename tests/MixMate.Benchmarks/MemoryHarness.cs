using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using MixMate.Cli.Audio;
using MixMate.Dsp;

namespace MixMate.Benchmarks;

/// <summary>
/// Issue 13: peak memory of <c>mixmate master</c> and <c>mixmate suggest</c> on long programmes
/// (generated 48 kHz stereo 24-bit files of 10, 60 and 180 minutes), as the peak resident set size
/// that <c>/usr/bin/time -v</c> reports for the process. Beside it, in the same run: the streaming
/// loudness meter (<c>mixmate analyze</c>, the runtime's floor) as the reference, the programme's
/// size as 32-bit float (what holding it would cost) and the figures issue 13 measured before
/// streaming. Ratios, not pass/fail.
/// Usage: mixmate-benchmarks memory [--cli DLL] [--minutes 4,10,60,180] [--out file.md]
/// </summary>
internal static partial class MemoryHarness
{
    private const int Rate = 48000;

    /// <summary>Before streaming (issue 13's measurements): master 210 MB for 4 min, 2.7 GB for 60 min, 7.8 GB for 3 h; suggest 11.5 GB for 3 h.</summary>
    private static readonly Dictionary<int, (string Master, string Suggest)> s_before = new()
    {
        [4] = ("210 MB", "–"),
        [60] = ("2.7 GB", "–"),
        [180] = ("7.8 GB", "11.5 GB"),
    };

    public static int Run(IReadOnlyList<string> args)
    {
        string cli = ExternalHarness.Option(args, "--cli") ?? Environment.GetEnvironmentVariable("MIXMATE_CLI_DLL")
            ?? Path.Combine(BenchPaths.RepoRoot, "artifacts", "bin", "MixMate.Cli", "release", "mixmate.dll");
        int[] minutes = [.. (ExternalHarness.Option(args, "--minutes") ?? "4,10,60,180").Split(',').Select(m => int.Parse(m, CultureInfo.InvariantCulture))];
        string report = ExternalHarness.Option(args, "--out") ?? Path.Combine(BenchPaths.BenchFolder, "memory.md");
        string folder = Path.Combine(BenchPaths.BenchFolder, "memory");
        Directory.CreateDirectory(folder);

        var sb = new StringBuilder();
        sb.AppendLine("| Programme (48 kHz stereo, 24-bit) | As float in memory | `master` peak RSS | wall / CPU | `suggest` peak RSS | `check` peak RSS | Reference: `analyze` peak RSS | master ÷ analyze | master ÷ float size | Before (issue 13) |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (int m in minutes)
        {
            string input = Path.Combine(folder, $"programme-{m}min.wav");
            if (!File.Exists(input))
            {
                Console.Error.WriteLine($"memory: generating {m} min of programme");
                Generate(input, m * 60.0);
            }

            string output = Path.Combine(folder, $"master-{m}min.wav");
            Console.Error.WriteLine($"memory: master, {m} min");
            Usage master = Measure("dotnet", cli, "master", input, "-o", output, "--force", "--quiet");
            File.Delete(output);
            Console.Error.WriteLine($"memory: suggest, {m} min");
            Usage suggest = Measure("dotnet", cli, "suggest", input);
            Console.Error.WriteLine($"memory: check, {m} min");
            Usage check = Measure("dotnet", cli, "check", input);
            Console.Error.WriteLine($"memory: analyze, {m} min");
            Usage analyze = Measure("dotnet", cli, "analyze", input);
            double floatMb = m * 60.0 * Rate * 2 * sizeof(float) / 1e6;
            (string beforeMaster, string beforeSuggest) = s_before.TryGetValue(m, out var b) ? b : ("–", "–");
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {m} min | {floatMb:0} MB | **{master.PeakMb:0} MB** | {master.WallSeconds:0} s / {master.CpuSeconds:0} s | {suggest.PeakMb:0} MB | {check.PeakMb:0} MB | {analyze.PeakMb:0} MB | {master.PeakMb / analyze.PeakMb:0.00}× | {master.PeakMb / floatMb:0.000}× | master {beforeMaster}, suggest {beforeSuggest} |"));
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"memory: {m} min: master {master.PeakMb:0} MB ({master.WallSeconds:0} s), suggest {suggest.PeakMb:0} MB, check {check.PeakMb:0} MB, analyze {analyze.PeakMb:0} MB"));
        }

        sb.AppendLine();
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"Peak resident set size from `/usr/bin/time -v` (\"Maximum resident set size\"), one run each, {Environment.ProcessorCount} cores, load average at the end {File.ReadAllText("/proc/loadavg").Split(' ')[0]}. `master --target spotify --eq suggest` (the defaults); the scratch render beside the output takes 4 bytes per sample of disk while it runs."));
        File.WriteAllText(report, sb.ToString());
        Console.Out.Write(sb.ToString());
        return 0;
    }

    private sealed record Usage(double PeakMb, double WallSeconds, double CpuSeconds);

    /// <summary>Runs the command under <c>/usr/bin/time -v</c> and reads its peak RSS, wall and CPU time.</summary>
    private static Usage Measure(string tool, params string[] arguments)
    {
        var info = new ProcessStartInfo("/usr/bin/time")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-v");
        info.ArgumentList.Add(tool);
        foreach (string a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        using Process process = Process.Start(info) ?? throw new InvalidOperationException("Cannot start /usr/bin/time.");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        string error = stderr.Result;
        _ = stdout.Result;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} failed ({process.ExitCode}): {error}");
        }

        double kb = double.Parse(MaxRss().Match(error).Groups[1].Value, CultureInfo.InvariantCulture);
        double user = double.Parse(UserTime().Match(error).Groups[1].Value, CultureInfo.InvariantCulture);
        double system = double.Parse(SystemTime().Match(error).Groups[1].Value, CultureInfo.InvariantCulture);
        return new Usage(kb * 1024 / 1e6, Wall(WallTime().Match(error).Groups[1].Value), user + system);
    }

    private static double Wall(string text)
    {
        // h:mm:ss or m:ss.ss
        double seconds = 0;
        foreach (string part in text.Split(':'))
        {
            seconds = (seconds * 60) + double.Parse(part, CultureInfo.InvariantCulture);
        }

        return seconds;
    }

    /// <summary>Music-like material without holding it: a 30 s pattern (kick on the beat, a decaying
    /// chord, a noise bed) repeated with a slow ±3 dB level drift, written block by block.</summary>
    private static void Generate(string path, double seconds)
    {
        const int PatternSeconds = 30;
        int patternFrames = PatternSeconds * Rate;
        var pattern = new float[2 * patternFrames];
        var random = new Random(13);
        double beat = 0.5 * Rate;
        for (int i = 0; i < patternFrames; i++)
        {
            double t = i / (double)Rate;
            double sinceBeat = (i % beat) / Rate;
            double kick = 0.55 * Math.Exp(-sinceBeat / 0.08) * Math.Sin(2 * Math.PI * (50 + (60 * Math.Exp(-sinceBeat / 0.02))) * sinceBeat);
            double chord = Math.Exp(-sinceBeat / 0.4) * ((0.12 * Math.Sin(2 * Math.PI * 220 * t)) + (0.08 * Math.Sin(2 * Math.PI * 277.2 * t)) + (0.06 * Math.Sin(2 * Math.PI * 329.6 * t)));
            double noise = 0.02 * ((random.NextDouble() * 2) - 1);
            pattern[i] = (float)(kick + chord + noise);
            pattern[patternFrames + i] = (float)(kick + (0.9 * chord) + (0.02 * ((random.NextDouble() * 2) - 1)));
        }

        long total = (long)(seconds * Rate);
        const int Block = 4096;
        var samples = new float[2 * Block];
        using AudioFileWriter writer = AudioFileWriter.Create(path, Rate, 2, SampleFormat.Pcm24);
        for (long start = 0; start < total; start += Block)
        {
            int n = (int)Math.Min(Block, total - start);
            for (int i = 0; i < n; i++)
            {
                long frame = start + i;
                float gain = (float)Math.Pow(10, 3 * Math.Sin(2 * Math.PI * frame / (Rate * 240.0)) / 20);
                int k = (int)(frame % patternFrames);
                samples[i] = gain * pattern[k];
                samples[Block + i] = gain * pattern[patternFrames + k];
            }

            writer.Write(new AudioBlock(samples, 2, n, Block));
        }

        writer.Close();
    }

    [GeneratedRegex(@"Maximum resident set size \(kbytes\): (\d+)")]
    private static partial Regex MaxRss();

    [GeneratedRegex(@"User time \(seconds\): ([\d.]+)")]
    private static partial Regex UserTime();

    [GeneratedRegex(@"System time \(seconds\): ([\d.]+)")]
    private static partial Regex SystemTime();

    [GeneratedRegex(@"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)")]
    private static partial Regex WallTime();
}
