using System.Diagnostics;
using System.Globalization;
using System.Text;
using MixMate.Assistant.Balance;
using MixMate.Assistant.Eq;
using MixMate.Assistant.Features;
using MixMate.Assistant.Models;
using MixMate.Assistant.Tonal;
using MixMate.Cli.Audio;
using MixMate.Cli.Commands;
using MixMate.Dsp;
using MixMate.Dsp.Filters;

namespace MixMate.Benchmarks;

/// <summary>
/// Where <c>mixmate mix</c>'s time goes on the 16 four-minute stems (<see cref="MixMaterial"/>):
/// (1) the command's own stages, in-process (<see cref="MixCommand.Mix"/> times them), with the
/// process's CPU time over the whole call; (2) each per-stem analysis step alone, on one thread,
/// summed over the 16 stems — what the parallel analysis stage spreads over the cores.
/// Usage: mixmate-benchmarks profile-mix [--runs N] [--out file.md]
/// </summary>
internal static class MixProfile
{
    public static int Run(IReadOnlyList<string> args)
    {
        int runs = int.Parse(ExternalHarness.Option(args, "--runs") ?? "1", CultureInfo.InvariantCulture);
        string output = ExternalHarness.Option(args, "--out") ?? Path.Combine(BenchPaths.BenchFolder, "mix-profile.md");
        bool commandOnly = args.Contains("--command-only");
        MixHarness.UseRepositoryModels();
        IReadOnlyList<string> stems = MixMaterial.Stems();
        string work = Path.Combine(BenchPaths.BenchFolder, "mix");
        Directory.CreateDirectory(work);
        string written = Path.Combine(work, "profile-out.wav");

        var command = new Stages();
        var steps = new Stages();
        for (int r = 0; r < runs; r++)
        {
            TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
            long start = Stopwatch.GetTimestamp();
            MixCommand.MixOutcome outcome = MixCommand.Mix(stems, written, new MixCommand.MixSettings(1, null), null, showProgress: false);
            double wall = Stopwatch.GetElapsedTime(start).TotalSeconds;
            double cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            foreach ((string stage, double seconds) in outcome.Stages)
            {
                command.Add(stage, seconds, double.NaN);
            }

            command.Add("**total** (CPU: all threads of the process)", wall, cpuSeconds);
            if (commandOnly)
            {
                continue;
            }

            using SuggestionEngine engine = SuggestionEngine.Create();
            foreach (string stem in stems)
            {
                PlanarBuffer audio = null!;
                var features = new float[RolePatches.Count];
                steps.Time("read 24-bit WAV (PlanarBuffer.Load)", () => audio = PlanarBuffer.Load(stem));
                steps.Time("active loudness (ActiveLoudnessMeasure.Measure)", () => ActiveLoudnessMeasure.Measure(audio.Block, audio.SampleRate));
                steps.Time("third-octave bands (TonalBalance.MeasureBands)", () => TonalBalance.MeasureBands(audio.Block, audio.SampleRate));
                steps.Time("role patches (RolePatches.Compute)", () => RolePatches.Compute(audio.Block, audio.SampleRate, features));
                steps.Time("SuggestionEngine.Analyze, total", () => engine.Analyze(audio.Block, audio.SampleRate));
                steps.Time("TrackAnalyzer.Analyze, total", () => TrackAnalyzer.Analyze(Path.GetFileName(stem), audio.Block, audio.SampleRate, engine));
                steps.Time("stream read in 64k-frame blocks (AudioFileReader, as the sum reads)", () => StreamRead(stem));
                steps.Time("three peak cuts (ParametricEq) over the stem in memory", () => Equalize(audio, mixPath: false));
                steps.Time("the same cuts as the sum runs them (FixedEq)", () => Equalize(audio, mixPath: true));
            }
        }

        var md = new StringBuilder();
        md.AppendLine(string.Create(CultureInfo.InvariantCulture, $"Stages of `mixmate mix` on the {stems.Count} stems, in-process (`MixCommand.Mix`, no report files), median of {runs}:"));
        md.AppendLine();
        command.Table(md, "wall (median)", "CPU (median)");
        if (!commandOnly)
        {
            md.AppendLine(string.Create(CultureInfo.InvariantCulture, $"Per-stem analysis steps, each alone on one thread, summed over the {stems.Count} stems (median of {runs}):"));
            md.AppendLine();
            steps.Table(md, "wall, 16 stems", "CPU of this thread");
        }

        string text = md.ToString();
        Console.WriteLine(text);
        File.WriteAllText(output, text);
        return 0;
    }

    private static void StreamRead(string path)
    {
        using AudioFileReader reader = AudioFileReader.Open(path);
        const int Frames = 65536;
        var block = new AudioBlock(new float[Frames * reader.Channels], reader.Channels, Frames, Frames);
        while (reader.Read(block) > 0)
        {
        }
    }

    private static void Equalize(PlanarBuffer audio, bool mixPath)
    {
        EqMove[] cuts =
        [
            new(FilterType.Peak, 100, -2, 1.4, string.Empty),
            new(FilterType.Peak, 400, -2, 1.4, string.Empty),
            new(FilterType.Peak, 2500, -2, 1.4, string.Empty),
        ];
        Action<AudioBlock> process;
        if (mixPath)
        {
            var fixedEq = new FixedEq(cuts.Length);
            fixedEq.Configure(audio.SampleRate, audio.Channels, audio.Frames);
            fixedEq.SetBands([.. cuts.Select(c => c.ToBand())]);
            process = fixedEq.Process;
        }
        else
        {
            var eq = new ParametricEq(cuts.Length);
            for (int b = 0; b < cuts.Length; b++)
            {
                eq.SetBand(b, new EqBand(true, FilterType.Peak, cuts[b].FrequencyHz, cuts[b].GainDb, cuts[b].Q));
            }

            eq.Configure(audio.SampleRate, audio.Channels, 65536);
            process = eq.Process;
        }

        var copy = new PlanarBuffer(audio.Channels, audio.Frames, audio.SampleRate);
        audio.Samples.CopyTo(copy.Samples, 0);
        for (int start = 0; start < copy.Frames; start += 65536)
        {
            process(copy.Slice(start, Math.Min(65536, copy.Frames - start)));
        }
    }

    /// <summary>Named stages in first-seen order; each run's seconds summed per stage and run.</summary>
    private sealed class Stages
    {
        private readonly List<(string Name, List<double> Wall, List<double> Cpu)> _stages = [];
        private readonly Dictionary<string, int> _run = [];

        public void Add(string name, double wall, double cpu)
        {
            (string Name, List<double> Wall, List<double> Cpu) entry = _stages.Find(e => e.Name == name);
            if (entry.Wall is null)
            {
                entry = (name, [], []);
                _stages.Add(entry);
            }

            entry.Wall.Add(wall);
            entry.Cpu.Add(cpu);
        }

        /// <summary>Times <paramref name="action"/> and adds it to the stage's current sum.</summary>
        public void Time(string name, Action action)
        {
            double cpu = CpuTime.CurrentThread();
            long start = Stopwatch.GetTimestamp();
            action();
            double wall = Stopwatch.GetElapsedTime(start).TotalSeconds;
            cpu = CpuTime.CurrentThread() - cpu;
            (string Name, List<double> Wall, List<double> Cpu) entry = _stages.Find(e => e.Name == name);
            if (entry.Wall is null)
            {
                Add(name, 0, 0);
                entry = _stages[^1];
            }

            // One sum per run: a new run starts a new sum when the stage has seen every stem.
            int count = _run.GetValueOrDefault(name);
            if (count % MixMaterial.StemCount == 0 && count > 0)
            {
                entry.Wall.Add(0);
                entry.Cpu.Add(0);
            }

            entry.Wall[^1] += wall;
            entry.Cpu[^1] += cpu;
            _run[name] = count + 1;
        }

        public void Table(StringBuilder md, string wallHeader, string cpuHeader)
        {
            md.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| stage | {wallHeader} | {cpuHeader} |"));
            md.AppendLine("|---|---:|---:|");
            foreach ((string name, List<double> wall, List<double> cpu) in _stages)
            {
                double c = TimedProcess.Median(cpu);
                string cpuText = double.IsNaN(c) ? string.Empty : string.Create(CultureInfo.InvariantCulture, $"{c:0.00} s");
                md.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {TimedProcess.Median(wall):0.00} s | {cpuText} |"));
            }

            md.AppendLine();
        }
    }
}
