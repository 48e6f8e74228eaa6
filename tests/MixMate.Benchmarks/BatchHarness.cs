using System.Diagnostics;
using System.Globalization;
using System.Text;
using MixMate.Cli.Audio;
using MixMate.Cli.Demo;

namespace MixMate.Benchmarks;

/// <summary>
/// Issue 18, item 6: files per minute per core of <c>mixmate batch master DIR --jobs N</c> (one
/// process for the whole catalogue) against one <c>mixmate master</c> process per file, run one at a
/// time and two at a time, on the same <c>--files</c> inputs (default 12): the demo mix (40 s,
/// 48 kHz stereo, composed for the project) rotated and re-levelled per file so every file differs.
/// Runs are interleaved and repeated (<c>--runs</c>, medians); wall time of the whole job and CPU of
/// every process and thread. "Per core" divides by the cores the job keeps busy (its CPU ÷ wall).
/// Usage: mixmate-benchmarks batch [--cli path/to/mixmate.dll] [--files N] [--runs N] [--out file.md]
/// </summary>
internal static class BatchHarness
{
    public static int Run(IReadOnlyList<string> args)
    {
        string cli = ExternalHarness.Option(args, "--cli") ?? Environment.GetEnvironmentVariable("MIXMATE_CLI_DLL")
            ?? Path.Combine(BenchPaths.RepoRoot, "artifacts", "bin", "MixMate.Cli", "release", "mixmate.dll");
        int files = int.Parse(ExternalHarness.Option(args, "--files") ?? "12", CultureInfo.InvariantCulture);
        int runs = int.Parse(ExternalHarness.Option(args, "--runs") ?? "3", CultureInfo.InvariantCulture);
        string output = ExternalHarness.Option(args, "--out") ?? Path.Combine(BenchPaths.BenchFolder, "batch.md");
        if (!File.Exists(cli))
        {
            Console.Error.WriteLine($"batch: no CLI at {cli}; build src/MixMate.Cli or pass --cli");
            return 2;
        }

        string work = Path.Combine(BenchPaths.BenchFolder, "batch");
        string inputs = Material(Path.Combine(work, "in"), files);
        string[] paths = [.. Directory.GetFiles(inputs, "*.wav").Order(StringComparer.Ordinal)];
        double programme = paths.Sum(p => PlanarBuffer.Load(p).Frames / 48000.0);

        var jobs = new (string Name, Func<string, (double Wall, double Cpu)> Run)[]
        {
            ("one `mixmate master` process per file, one at a time", folder => PerFile(cli, paths, folder, 1)),
            ("one `mixmate master` process per file, two at a time", folder => PerFile(cli, paths, folder, 2)),
            ("`mixmate batch master DIR --jobs 1`", folder => Batch(cli, inputs, folder, 1)),
            ("`mixmate batch master DIR --jobs 2`", folder => Batch(cli, inputs, folder, 2)),
        };
        var walls = jobs.Select(_ => new List<double>()).ToArray();
        var cpus = jobs.Select(_ => new List<double>()).ToArray();
        var loads = new List<string>();
        for (int r = 0; r < runs; r++)
        {
            for (int j = 0; j < jobs.Length; j++)
            {
                string folder = Path.Combine(work, $"out-{j}");
                if (Directory.Exists(folder))
                {
                    Directory.Delete(folder, recursive: true);
                }

                Directory.CreateDirectory(folder);
                (double wall, double cpu) = jobs[j].Run(folder);
                walls[j].Add(wall);
                cpus[j].Add(cpu);
            }

            loads.Add(File.ReadAllText("/proc/loadavg").Split(' ')[0]);
        }

        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{paths.Length} files, {programme / 60:0.0} minutes of 48 kHz stereo in all; {Environment.ProcessorCount} cores; medians of {runs} interleaved runs; 1-minute load average after each round: {string.Join(", ", loads)}.");
        text.AppendLine();
        text.AppendLine("| job | wall s | CPU s | cores busy | files/min | files/min per busy core | wall vs `--jobs 1` |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        double reference = TimedProcess.Median(walls[2]);
        for (int j = 0; j < jobs.Length; j++)
        {
            double wall = TimedProcess.Median(walls[j]);
            double cpu = TimedProcess.Median(cpus[j]);
            double busy = cpu / wall;
            double perMinute = paths.Length / (wall / 60);
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {jobs[j].Name} | {wall:0.0} | {cpu:0.0} | {busy:0.00} | {perMinute:0.0} | {perMinute / busy:0.0} | {wall / reference:0.00} |");
        }

        File.WriteAllText(output, text.ToString());
        Console.Write(text);
        return 0;
    }

    /// <summary>The inputs: the demo mix, rotated by 3.1 s and lowered by 0.7 dB more per file.</summary>
    private static string Material(string folder, int files)
    {
        Directory.CreateDirectory(folder);
        if (Directory.GetFiles(folder, "*.wav").Length == files)
        {
            return folder;
        }

        foreach (string old in Directory.GetFiles(folder))
        {
            File.Delete(old);
        }

        PlanarBuffer mix = PlanarBuffer.Load(DemoSong.EnsureRendered().MixPath);
        int frames = (int)mix.Frames;
        for (int f = 0; f < files; f++)
        {
            var copy = new PlanarBuffer(mix.Channels, frames, mix.SampleRate);
            int shift = (int)(f * 3.1 * mix.SampleRate) % frames;
            float gain = (float)Math.Pow(10, -0.7 * f / 20);
            for (int c = 0; c < mix.Channels; c++)
            {
                for (int i = 0; i < frames; i++)
                {
                    copy[c][i] = mix[c][(i + shift) % frames] * gain;
                }
            }

            AudioFileWriter.WriteAll(Path.Combine(folder, $"song{f:00}.wav"), copy.Block, (int)mix.SampleRate, SampleFormat.Pcm24);
        }

        return folder;
    }

    private static (double Wall, double Cpu) PerFile(string cli, string[] paths, string folder, int atOnce)
    {
        double cpuBefore = CpuTime.Children();
        long start = Stopwatch.GetTimestamp();
        int next = -1;
        var threads = Enumerable.Range(0, atOnce).Select(worker => new Thread(() =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < paths.Length)
            {
                _ = TimedProcess.Run("dotnet", [cli, "master", paths[i], "-o", Path.Combine(folder, Path.GetFileName(paths[i])), "--report",
                    Path.Combine(folder, Path.GetFileNameWithoutExtension(paths[i]) + ".json"), "--quiet"]);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        return (Stopwatch.GetElapsedTime(start).TotalSeconds, CpuTime.Children() - cpuBefore);
    }

    private static (double Wall, double Cpu) Batch(string cli, string inputs, string folder, int jobs)
    {
        (double wall, double cpu, _) = TimedProcess.Run("dotnet", [cli, "batch", "master", inputs, "--out", folder, "--jobs", jobs.ToString(CultureInfo.InvariantCulture), "--quiet"]);
        return (wall, cpu);
    }
}
