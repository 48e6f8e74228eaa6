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

    /// <summary>[one thread] The problem checker over the programme (for <paramref name="kinds"/>,
    /// null: every kind); returns the problem count.</summary>
    public static int MeasureProblems(AudioBlock programme, double sampleRate, IReadOnlyCollection<ProblemKind>? kinds = null)
    {
        using var checker = new ProblemChecker(CheckProfile.Streaming, AudioFormat.InMemory((int)sampleRate, programme.Channels), kinds);
        for (int start = 0; start < programme.Frames; start += LoudnessMaterial.ChunkFrames)
        {
            checker.Process(programme.Slice(start, Math.Min(LoudnessMaterial.ChunkFrames, programme.Frames - start)));
        }

        return checker.Finish().Problems.Count;
    }

    /// <summary>[one thread] Bytes of managed memory the checker holds after streaming the
    /// programme <paramref name="repeats"/> times over (before <c>Finish</c>), measured against the
    /// heap before it was made, each after a full collection: what a check of a file that long keeps.
    /// The peak during <c>Finish</c> is reported too (its per-step arrays), from the allocations it
    /// makes.</summary>
    public static (long Held, long FinishAllocated) MeasureHeld(AudioBlock programme, double sampleRate, int repeats)
    {
        long baseline = GC.GetTotalMemory(forceFullCollection: true);
        var checker = new ProblemChecker(CheckProfile.Streaming, AudioFormat.InMemory((int)sampleRate, programme.Channels));
        for (int r = 0; r < repeats; r++)
        {
            for (int start = 0; start < programme.Frames; start += LoudnessMaterial.ChunkFrames)
            {
                checker.Process(programme.Slice(start, Math.Min(LoudnessMaterial.ChunkFrames, programme.Frames - start)));
            }
        }

        long held = GC.GetTotalMemory(forceFullCollection: true) - baseline;
        long before = GC.GetAllocatedBytesForCurrentThread();
        _ = checker.Finish();
        long finish = GC.GetAllocatedBytesForCurrentThread() - before;
        checker.Dispose();
        GC.KeepAlive(checker);
        return (held, finish);
    }

    private static double PeakResidentMb()
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return double.Parse(line[6..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) / 1024;
            }
        }

        return double.NaN;
    }

    /// <summary>[main thread] <c>check-speed [--runs N]</c>: CPU seconds of both on this thread,
    /// side by side, best of N after a warm-up run, the managed memory the check allocates, the
    /// stem checks of <c>mix</c>, and the memory the checker holds after 4 and 16 minutes.</summary>
    public static int RunSpeed(string[] args)
    {
        int runs = args.Length >= 2 && args[0] == "--runs" ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5;
        var programme = LoudnessMaterial.Planar;
        double seconds = programme.Frames / programme.SampleRate;
        MeasureLoudness(programme.Block, programme.SampleRate);
        MeasureProblems(programme.Block, programme.SampleRate);
        MeasureProblems(programme.Block, programme.SampleRate, CheckStage.Stem);
        double bestAnalyze = double.MaxValue, bestCheck = double.MaxValue, bestStem = double.MaxValue;
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
            MeasureProblems(programme.Block, programme.SampleRate, CheckStage.Stem);
            double t3 = CpuTime.CurrentThread();
            bestAnalyze = Math.Min(bestAnalyze, t1 - t0);
            bestCheck = Math.Min(bestCheck, t2 - t1);
            bestStem = Math.Min(bestStem, t3 - t2);
        }

        // Bounded memory: what the checker holds after 4 minutes and after 16 (the programme
        // streamed four times over), side by side; the audio itself is never held.
        (long held4, long finish4) = MeasureHeld(programme.Block, programme.SampleRate, 1);
        (long held16, long finish16) = MeasureHeld(programme.Block, programme.SampleRate, 4);
        double minutes = seconds / 60;
        double audioMb = programme.Frames * programme.Channels * 4 / 1e6;
        Console.WriteLine($"programme: {seconds:0.0} s, {programme.Channels} ch, {programme.SampleRate} Hz (in memory, {audioMb:0.0} MB as float)");
        Console.WriteLine($"analyze (LoudnessMeter)   {bestAnalyze:0.000} s CPU");
        Console.WriteLine($"check (ProblemChecker)    {bestCheck:0.000} s CPU   ratio {bestCheck / bestAnalyze:0.00}   {problems} problems   {allocated / 1e6:0.0} MB allocated");
        Console.WriteLine($"stem checks (mix, {CheckStage.Stem.Count} kinds) {bestStem:0.000} s CPU   ratio {bestStem / bestAnalyze:0.00}");
        Console.WriteLine($"held by the checker       {held4 / 1e6:0.00} MB after {minutes:0.0} min, {held16 / 1e6:0.00} MB after {4 * minutes:0.0} min " +
            $"({(held16 - held4) / 1e6 / (3 * minutes):0.000} MB per further minute; {held4 / 1e6 / audioMb:0.0%} of the audio); Finish allocates {finish4 / 1e6:0.0} / {finish16 / 1e6:0.0} MB");
        Console.WriteLine($"process peak resident     {PeakResidentMb():0} MB (programme in memory included)");
        return 0;
    }
}
