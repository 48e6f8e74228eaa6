using System.Diagnostics;
using System.Globalization;
using System.Text;
using MixMate.Assistant.Loudness;
using MixMate.Assistant.Mastering;
using MixMate.Assistant.Tonal;
using MixMate.Cli.Analysis;
using MixMate.Cli.Audio;
using MixMate.Dsp.Dynamics;
using MixMate.Dsp.Loudness;
using MixMate.Dsp.Mastering;

namespace MixMate.Benchmarks;

/// <summary>
/// Where <c>mixmate master</c>'s time goes on the 4-minute programme: each stage the command runs,
/// timed in-process (median of a few runs) — file read, input analysis, tonal bands, the engine as a
/// whole (with its render count), one chain render with and without limiter, the limiter and the
/// meter alone, the 24-bit write and the re-analysis of the written file.
/// Usage: mixmate-benchmarks profile-master [--runs N] [--out file.md]
/// </summary>
internal static class MasterProfile
{
    public static int Run(IReadOnlyList<string> args)
    {
        int runs = int.Parse(ExternalHarness.Option(args, "--runs") ?? "3", CultureInfo.InvariantCulture);
        string output = ExternalHarness.Option(args, "--out") ?? Path.Combine(BenchPaths.BenchFolder, "master-profile.md");
        string song = BenchMaterial.FourMinuteSong();
        string written = Path.Combine(BenchPaths.BenchFolder, "external", "profile-out.wav");
        Directory.CreateDirectory(Path.GetDirectoryName(written)!);
        var settings = new MasterSettings(LoudnessTarget.FindPreset("spotify")!);

        var stages = new List<(string Name, List<double> Seconds, List<double> Cpu)>();
        void Time(string name, Action action)
        {
            double cpu = CpuTime.CurrentThread();
            long start = Stopwatch.GetTimestamp();
            action();
            double s = Stopwatch.GetElapsedTime(start).TotalSeconds;
            cpu = CpuTime.CurrentThread() - cpu;
            (string Name, List<double> Seconds, List<double> Cpu) entry = stages.Find(e => e.Name == name);
            if (entry.Seconds is null)
            {
                entry = (name, [], []);
                stages.Add(entry);
            }

            entry.Seconds.Add(s);
            entry.Cpu.Add(cpu);
        }

        int renders = 0;
        for (int r = 0; r < runs; r++)
        {
            PlanarBuffer source = null!;
            LoudnessAnalysis before = null!;
            Time("read 24-bit WAV (PlanarBuffer.Load)", () => source = PlanarBuffer.Load(song));
            Time("input analysis (FileAnalyzer, LoudnessMeter)", () => before = FileAnalyzer.Analyze(source.Block, source.SampleRate, song));
            var rendered = new PlanarBuffer(source.Channels, source.Frames, source.SampleRate);
            Time("tonal bands (TonalBalance.MeasureBands)", () => TonalBalance.MeasureBands(source.Block, source.SampleRate));
            Time("MasteringEngine.Master, total", () => renders = MasteringEngine.Master(source.Block, source.SampleRate, before.IntegratedLufs!.Value, rendered.Block, settings).Passes.Count);

            var chain = new MasterChain();
            chain.Configure(source.SampleRate, source.Channels, OfflineRenderer.BlockFrames);
            var renderer = new OfflineRenderer(source.Channels);
            chain.LimiterEnabled = false;
            Time("  one chain render, limiter off (DC + EQ + gain + delay)", () => renderer.Render(chain, source.Block, rendered.Block));
            Time("  limiter model (LimiterLoudnessModel.Build)", () => LimiterLoudnessModel.Build(rendered.Block, source.SampleRate));
            chain.LimiterEnabled = true;
            chain.GainDb = 8;
            chain.Reset();
            var meter = new LoudnessMeter();
            meter.Configure(source.SampleRate, source.Channels, OfflineRenderer.BlockFrames);
            Time("  one chain render + meter, limiter on at +8 dB", () => renderer.Render(chain, source.Block, rendered.Block, meter));
            var limiter = new TruePeakLimiter { InputGainDb = 8, CeilingDbtp = -1 };
            limiter.Configure(source.SampleRate, source.Channels, OfflineRenderer.BlockFrames);
            Time("    of which TruePeakLimiter alone", () => renderer.Render(limiter, source.Block, rendered.Block));
            meter.Reset();
            Time("    of which LoudnessMeter alone", () => renderer.Render(new NullProcessor(), source.Block, rendered.Block, meter));
            Time("write 24-bit WAV (AudioFileWriter)", () => AudioFileWriter.WriteAll(written, rendered.Block, (int)source.SampleRate, SampleFormat.Pcm24));
            Time("analysis of the written file (FileAnalyzer)", () => FileAnalyzer.Analyze(written));
        }

        var md = new StringBuilder();
        md.AppendLine(string.Create(CultureInfo.InvariantCulture, $"`mixmate master --target spotify` stages on the 4-minute programme, in-process, median of {runs}; the engine did {renders} render(s) plus its limiter-off pass."));
        md.AppendLine();
        md.AppendLine("| stage | wall (median) | CPU of this thread (median) |");
        md.AppendLine("|---|---:|---:|");
        foreach ((string name, List<double> seconds, List<double> cpu) in stages)
        {
            md.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name.Replace("  ", "&nbsp;&nbsp;", StringComparison.Ordinal)} | {TimedProcess.Median(seconds):0.000} s | {TimedProcess.Median(cpu):0.000} s |"));
        }

        string text = md.ToString();
        Console.WriteLine(text);
        File.WriteAllText(output, text);
        return 0;
    }

    /// <summary>A processor that leaves audio unchanged (to time the renderer and meter alone).</summary>
    private sealed class NullProcessor : Dsp.IAudioProcessor
    {
        public int LatencySamples => 0;

        public void Configure(double sampleRate, int channels, int maxBlockFrames)
        {
        }

        public void Process(Dsp.AudioBlock block)
        {
        }

        public void Reset()
        {
        }
    }
}
