using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Text;
using MixMate.Assistant.Loudness;
using MixMate.Assistant.Mastering;
using MixMate.Cli.Audio;
using MixMate.Dsp;
using MixMate.Dsp.Loudness;
using MixMate.Dsp.Mastering;

namespace MixMate.Benchmarks;

/// <summary>
/// Issue 4, worst case rather than average: the plug-in's <see cref="MasterChain"/> +
/// <see cref="LoudnessMeter"/> process 64-frame blocks at 48 kHz on a dedicated thread, paced like a
/// host callback (one block every 1.333 ms), while other threads allocate garbage and run
/// <see cref="MasteringEngine"/> on the demo song (what the plug-in's assistant does in the
/// background). Records each block's processing time; reports the median, tail, worst block and how
/// many blocks took over 1 ms, and whether a garbage collection happened during them. Reports only;
/// it asserts nothing (timings on a shared machine are not pass/fail material).
/// Usage: mixmate-benchmarks realtime [--blocks N] [--out file.md]
/// </summary>
internal static class RealTimeHarness
{
    private const int Channels = 2;
    private const int BlockFrames = MasterChainBenchmarks.BlockFrames;
    private const double SampleRate = MasterChainBenchmarks.SampleRate;

    public static int Run(IReadOnlyList<string> args)
    {
        int blocks = int.Parse(ExternalHarness.Option(args, "--blocks") ?? "100000", CultureInfo.InvariantCulture);
        string output = ExternalHarness.Option(args, "--out") ?? Path.Combine(BenchPaths.BenchFolder, "realtime.md");
        PlanarBuffer mix = BenchMaterial.DemoMix48k();

        Phase quiet = RunPhase(mix, Math.Min(blocks, 20000), paced: false, background: false);
        Phase loaded = RunPhase(mix, blocks, paced: true, background: true);

        var md = new StringBuilder();
        md.AppendLine(Invariant($"GC: {(GCSettings.IsServerGC ? "server" : "workstation")}, concurrent {AppContext.GetData("System.GC.Concurrent") as bool? ?? true}, latency mode {GCSettings.LatencyMode}; {Environment.ProcessorCount} cores. Block budget 1.333 ms (64 frames at 48 kHz)."));
        md.AppendLine();
        md.AppendLine("| run | blocks | median | p99 | p99.9 | worst block | blocks > 1 ms | of which during a GC | GCs (gen0/1/2) | mean load | background work done |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        md.AppendLine(quiet.Row("alone, back to back"));
        md.AppendLine(loaded.Row("paced 1.333 ms, with allocating thread + MasteringEngine thread"));
        string text = md.ToString();
        Console.WriteLine(text);
        File.WriteAllText(output, text);
        Console.WriteLine($"written {output}");
        return 0;
    }

    private static Phase RunPhase(PlanarBuffer mix, int blocks, bool paced, bool background)
    {
        (MasterChain chain, LoudnessMeter meter) = MasterChainBenchmarks.CreatePlugInChain(compressor: false);
        var scratch = new float[Channels * BlockFrames];
        var ticks = new long[blocks];
        var duringGc = new bool[blocks];
        int position = 0;

        void ProcessBlock(int index)
        {
            if (position + BlockFrames > mix.Frames)
            {
                position = 0;
            }

            var block = new AudioBlock(scratch, Channels, BlockFrames, BlockFrames);
            for (int c = 0; c < Channels; c++)
            {
                mix[c].Slice(position, BlockFrames).CopyTo(block[c]);
            }

            position += BlockFrames;
            int gcBefore = GC.CollectionCount(0);
            long start = Stopwatch.GetTimestamp();
            chain.Process(block);
            meter.Process(block);
            long elapsed = Stopwatch.GetTimestamp() - start;
            if (index >= 0)
            {
                ticks[index] = elapsed;
                duringGc[index] = GC.CollectionCount(0) != gcBefore;
            }
        }

        // Warm-up long enough for tiered compilation to reach its optimised code (it promotes hot
        // methods after about 30 calls, compiling in the background after a 100 ms delay).
        for (int round = 0; round < 3; round++)
        {
            for (int i = 0; i < 20000; i++)
            {
                ProcessBlock(-1);
            }

            Thread.Sleep(300);
        }

        using var stop = new CancellationTokenSource();
        var workers = new List<Thread>();
        long mastered = 0, allocated = 0;
        if (background)
        {
            workers.Add(new Thread(() => mastered = MasterLoop(mix, stop.Token)) { IsBackground = true, Name = "mastering" });
            workers.Add(new Thread(() => allocated = AllocateLoop(stop.Token)) { IsBackground = true, Name = "allocator" });
            workers.ForEach(t => t.Start());
            Thread.Sleep(500);
        }

        int[] gcBeforePhase = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
        long periodTicks = (long)(Stopwatch.Frequency * BlockFrames / SampleRate);
        long phaseStart = Stopwatch.GetTimestamp();
        var audio = new Thread(() =>
        {
            for (int i = 0; i < blocks; i++)
            {
                if (paced)
                {
                    // Host-like callback: block i is due at phaseStart + i·period; sleep while early.
                    long due = phaseStart + (i * periodTicks);
                    while (Stopwatch.GetTimestamp() < due - (Stopwatch.Frequency / 1000))
                    {
                        Thread.Sleep(1);
                    }

                    while (Stopwatch.GetTimestamp() < due)
                    {
                        Thread.Yield();
                    }
                }

                ProcessBlock(i);
            }
        })
        { Priority = ThreadPriority.Highest, Name = "audio" };
        audio.Start();
        audio.Join();
        double wall = Stopwatch.GetElapsedTime(phaseStart).TotalSeconds;
        int[] gcs = [GC.CollectionCount(0) - gcBeforePhase[0], GC.CollectionCount(1) - gcBeforePhase[1], GC.CollectionCount(2) - gcBeforePhase[2]];
        stop.Cancel();
        workers.ForEach(t => t.Join());

        double[] micros = [.. ticks.Select(t => t * 1e6 / Stopwatch.Frequency)];
        double[] sorted = [.. micros.Order()];
        int over = 0, overDuringGc = 0;
        for (int i = 0; i < micros.Length; i++)
        {
            if (micros[i] > 1000)
            {
                over++;
                overDuringGc += duringGc[i] ? 1 : 0;
            }
        }

        double budget = blocks * BlockFrames / SampleRate;
        string work = background ? Invariant($"{mastered} masterings of the 40 s song, {allocated / (1 << 20)} MiB allocated") : "none";
        return new Phase(blocks, sorted[sorted.Length / 2], Percentile(sorted, 0.99), Percentile(sorted, 0.999), sorted[^1],
            over, overDuringGc, gcs, 100 * micros.Sum() / 1e6 / budget, work, wall);
    }

    private static long MasterLoop(PlanarBuffer mix, CancellationToken stop)
    {
        var meter = new LoudnessMeter();
        meter.Configure(mix.SampleRate, mix.Channels, 4096);
        meter.Process(mix.Block);
        double integrated = meter.IntegratedLufs;
        var settings = new MasterSettings(LoudnessTarget.FindPreset("spotify")!, EqMode.Apply);
        long count = 0;
        while (!stop.IsCancellationRequested)
        {
            var output = new PlanarBuffer(mix.Channels, mix.Frames, mix.SampleRate);
            MasteringEngine.Master(mix.Block, mix.SampleRate, integrated, output.Block, settings);
            count++;
        }

        return count;
    }

    private static long AllocateLoop(CancellationToken stop)
    {
        // About 250 allocations (≈ 1 MB) per millisecond, some surviving, so gen0, gen1 and gen2 collections all run.
        var survivors = new object[4096];
        var random = new Random(7);
        long bytes = 0;
        while (!stop.IsCancellationRequested)
        {
            for (int i = 0; i < 250; i++)
            {
                int size = random.Next(16, 8192);
                var chunk = new byte[size];
                bytes += size;
                if (random.Next(8) == 0)
                {
                    survivors[random.Next(survivors.Length)] = chunk;
                }

                survivors[random.Next(survivors.Length)] ??= new List<string> { size.ToString(CultureInfo.InvariantCulture) };
            }

            Thread.Sleep(1);
        }

        return bytes;
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Round(p * (sorted.Length - 1)))];

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private sealed record Phase(int Blocks, double Median, double P99, double P999, double Worst, int Over1Ms, int OverDuringGc,
        int[] Gcs, double LoadPercent, string Work, double WallSeconds)
    {
        public string Row(string name) => Invariant(
            $"| {name} | {Blocks} | {Median:0.0} µs | {P99:0.0} µs | {P999:0.0} µs | {Worst:0} µs | {Over1Ms} | {OverDuringGc} | {Gcs[0]}/{Gcs[1]}/{Gcs[2]} | {LoadPercent:0.00} % | {Work} |");
    }
}
