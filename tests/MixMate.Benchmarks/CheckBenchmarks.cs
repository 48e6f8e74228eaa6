using BenchmarkDotNet.Attributes;
using MixMate.Assistant.Problems;
using MixMate.Dsp;
using MixMate.Dsp.Loudness;

namespace MixMate.Benchmarks;

/// <summary>
/// Issue 16: <c>mixmate check</c>'s whole streaming pass (<see cref="ProblemChecker"/>: loudness and
/// true peak every 100 ms, clipping, clicks, the low band for hum/rumble/phase, spectra for
/// resonance/sibilance, then every whole-programme check) over the 4-minute 44.1 kHz stereo
/// programme in memory, against the loudness meter alone (what <c>mixmate analyze</c> runs; the
/// baseline, so Ratio reads "check time / analyze time"). Goal: ≤ 1 s for the check on one core.
/// Both are fed 4096 frames per call and include their set-up. Single thread.
/// Run: dotnet run -c Release --project tests/MixMate.Benchmarks -- --filter '*CheckBenchmarks*'
/// Quick side-by-side timing without BenchmarkDotNet: ... -- check-speed [--runs N]
/// </summary>
[MemoryDiagnoser]
public class CheckBenchmarks
{
    [GlobalSetup]
    public void Setup() => _ = LoudnessMaterial.Planar;

    [Benchmark(Baseline = true, Description = "LoudnessMeter alone (analyze), 4 min stereo")]
    public double Analyze() => MeasureLoudness(LoudnessMaterial.Planar.Block, LoudnessMaterial.Planar.SampleRate);

    [Benchmark(Description = "ProblemChecker, every check (check), 4 min stereo")]
    public int Check() => MeasureProblems(LoudnessMaterial.Planar.Block, LoudnessMaterial.Planar.SampleRate);

    /// <summary>[one thread] The loudness meter over the programme.</summary>
    public static double MeasureLoudness(AudioBlock programme, double sampleRate)
    {
        using var meter = new LoudnessMeter();
        return LoudnessComparison.MeasureOurs(meter, programme, sampleRate, LoudnessMaterial.ChunkFrames).IntegratedLufs;
    }

    /// <summary>[one thread] The problem checker over the programme; returns the problem count.</summary>
    public static int MeasureProblems(AudioBlock programme, double sampleRate)
    {
        using var checker = new ProblemChecker(CheckProfile.Streaming, AudioFormat.InMemory((int)sampleRate, programme.Channels));
        for (int start = 0; start < programme.Frames; start += LoudnessMaterial.ChunkFrames)
        {
            checker.Process(programme.Slice(start, Math.Min(LoudnessMaterial.ChunkFrames, programme.Frames - start)));
        }

        return checker.Finish().Problems.Count;
    }

    /// <summary>[main thread] <c>check-speed [--runs N]</c>: CPU seconds of both on this thread,
    /// side by side, best of N after a warm-up run, and the managed memory the check allocates.</summary>
    public static int RunSpeed(string[] args)
    {
        int runs = args.Length >= 2 && args[0] == "--runs" ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5;
        var programme = LoudnessMaterial.Planar;
        double seconds = programme.Frames / programme.SampleRate;
        MeasureLoudness(programme.Block, programme.SampleRate);
        MeasureProblems(programme.Block, programme.SampleRate);
        double bestAnalyze = double.MaxValue, bestCheck = double.MaxValue;
        long allocated = 0;
        int problems = 0;
        for (int r = 0; r < runs; r++)
        {
            double t0 = CpuTime.CurrentThread();
            MeasureLoudness(programme.Block, programme.SampleRate);
            double t1 = CpuTime.CurrentThread();
            long before = GC.GetAllocatedBytesForCurrentThread();
            problems = MeasureProblems(programme.Block, programme.SampleRate);
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            double t2 = CpuTime.CurrentThread();
            bestAnalyze = Math.Min(bestAnalyze, t1 - t0);
            bestCheck = Math.Min(bestCheck, t2 - t1);
        }

        Console.WriteLine($"programme: {seconds:0.0} s, {programme.Channels} ch, {programme.SampleRate} Hz (in memory)");
        Console.WriteLine($"analyze (LoudnessMeter)   {bestAnalyze:0.000} s CPU");
        Console.WriteLine($"check (ProblemChecker)    {bestCheck:0.000} s CPU   ratio {bestCheck / bestAnalyze:0.00}   {problems} problems   {allocated / 1e6:0.0} MB allocated");
        return 0;
    }
}
