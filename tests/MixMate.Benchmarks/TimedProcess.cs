using System.Diagnostics;

namespace MixMate.Benchmarks;

/// <summary>Runs an external command and times it from start to exit (wall clock).</summary>
internal static class TimedProcess
{
    /// <summary>[one thread at a time] Runs <paramref name="tool"/>; returns the wall seconds, the
    /// CPU seconds of the process and its children, and its standard error (where ffmpeg reports).
    /// Throws when the command fails.</summary>
    public static (double Seconds, double CpuSeconds, string StandardError) Run(string tool, IReadOnlyList<string> arguments)
    {
        var info = new ProcessStartInfo(tool)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (string a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        double cpuBefore = CpuTime.Children();
        long start = Stopwatch.GetTimestamp();
        using Process process = Process.Start(info) ?? throw new InvalidOperationException($"Cannot start {tool}.");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        double cpu = CpuTime.Children() - cpuBefore;
        string error = stderr.Result;
        _ = stdout.Result;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} failed ({process.ExitCode}): {error}");
        }

        return (seconds, cpu, error);
    }

    /// <summary>[any thread] Median of a non-empty list.</summary>
    public static double Median(IEnumerable<double> values)
    {
        double[] sorted = [.. values.Order()];
        int n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[(n / 2) - 1] + sorted[n / 2]);
    }
}
