using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using MixMate.Assistant.Balance;
using MixMate.Assistant.Eq;
using MixMate.Assistant.Loudness;
using MixMate.Assistant.Mixing;
using MixMate.Assistant.Mastering;
using MixMate.Assistant.Models;
using MixMate.Assistant.Problems;
using MixMate.Cli.Analysis;
using MixMate.Cli.Audio;
using MixMate.Cli.CommandLine;
using MixMate.Cli.Output;
using MixMate.Dsp;
using MixMate.Assistant.Text;

namespace MixMate.Cli.Commands;

/// <summary>
/// <c>mixmate mix STEM… -o OUT</c>: detects each stem's role, balances the stems toward the role
/// table, cuts competing bands on the less important stem, sums them with headroom and optionally
/// masters the sum. Analysis runs on all cores, one stem per worker; the sum is streamed from the
/// files, so memory holds the mix plus one stem per worker.
/// </summary>
internal static class MixCommand
{
    /// <summary>Sample-peak ceiling of the sum: −3 dBFS leaves room for inter-sample peaks and for
    /// the mastering chain's EQ boosts (the same ceiling as the demo's stem mixer).</summary>
    public const double CeilingDbfs = -3.0;

    /// <summary>Gain of a mono stem on each side of the stereo mix: −3 dB (constant-power centre),
    /// so its loudness in the mix equals its loudness measured as a mono file (BS.1770 weights 1).</summary>
    public const double MonoPanGain = 0.70710678118654752;

    private const int BlockFrames = 65536;

    private const string Help = """
        Usage: mixmate mix STEM... -o OUT [--master PRESET] [--target-curve STYLE.json] [--amount N] [--report FILE.json]
                           [--html FILE.html] [--role STEM=ROLE]... [--force] [--quiet]

        Balances stems the way an engineer would start a mix: each stem's role is detected (kick,
        snare, bass, vocal, guitar, keys, pad, ...), its loudness is measured where it plays, and
        a gain brings it to its role's place in the balance table; where two stems compete for the
        same band (bass and kick below 120 Hz, a voice and guitars at 1-4 kHz), the less important
        one gets a gentle cut (at most 3 dB). Every move comes with its reason.

        Stems at different sample rates are converted to the highest of them (or to --sample-rate)
        with a windowed-sinc resampler, and the report says which were; they are aligned at their
        start and shorter ones padded with silence. Mono stems sit in the centre of the stereo mix (-3 dB pan law). The sum is
        scaled down, if needed, so its sample peak is at most -3 dBFS, and written as 24-bit WAV or
        FLAC (or Ogg Vorbis / MP3) as OUT's extension says.

        Options:
          -o, --output OUT    the mix (never an input; refuses to overwrite without --force)
          --master PRESET     master the mix to a target (spotify, apple, youtube, tidal, amazon,
                              deezer, ebu-r128, atsc-a85, podcast), tonal EQ applied by --amount
          --target-curve F    master the mix toward this style target (from 'mixmate target build'):
                              its tonal curve and, unless --master names a preset, its loudness
          --amount N          percentage of every gain and EQ move applied, 0..100 (default 100)
          --sample-rate R     mix at R Hz (default: the highest rate among the stems)
          --format F          wav, flac, ogg or mp3; by default from OUT's extension, which must agree
          --report FILE       write a JSON report: tracks (path, role, gainDb, eq, reasons, ...),
                              master (or null), output (loudness of the written file)
          --html FILE         write a self-contained HTML report: one row per stem (role, gain,
                              cuts, reasons), stem levels before and after balancing, the masking
                              cuts, the output's figures and, with --master, the mastering plots
          --role STEM=ROLE    set a stem's role yourself (repeatable; STEM as given above):
                              its balance and cuts follow that role, and the reports say
                              it was set by you and what the model heard
          --force             overwrite OUT and the reports if they exist
          --quiet             print nothing but errors and warnings

        Exit codes: 0 done, 2 bad input (arguments, unreadable stems, unwritable output; nothing is left half-written), 1 internal error.
        """;

    /// <summary>[main thread] Runs the command on the process's standard streams.</summary>
    public static int Run(IReadOnlyList<string> args) => Run(args, Console.Out, Console.Error, null);

    /// <summary>[main thread] Runs the command with explicit streams and, for tests, an explicit
    /// models folder (null: the usual search).</summary>
    /// <exception cref="CliException">Bad arguments or files (exit code 2).</exception>
    internal static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, string? modelsDirectory)
    {
        var reader = new ArgReader("mix", args);
        if (reader.Flag("-h", "--help"))
        {
            stdout.WriteLine(Help);
            return ExitCodes.Ok;
        }

        string? output = reader.Option("-o", "--output");
        string? preset = reader.Option("--master");
        string? curvePath = reader.Option("--target-curve");
        double amount = reader.Number("--amount", 0, 100) ?? 100;
        double? mixRate = reader.Number("--sample-rate", 8000, 384000);
        string? formatName = reader.Option("--format");
        string? reportPath = reader.Option("--report");
        string? htmlPath = reader.Option("--html");
        bool force = reader.Flag("--force");
        bool quiet = reader.Flag("--quiet", "-q");
        IReadOnlyList<string> roleSpecs = reader.Options(RoleOverrides.Option);
        IReadOnlyList<string> stems = reader.Positionals();
        if (stems.Count == 0)
        {
            throw new CliException("mix: no stems (usage: mixmate mix STEM... -o OUT)");
        }

        string?[] userRoles = RoleOverrides.Parse("mix", roleSpecs, stems);

        if (output is null)
        {
            throw new CliException("mix: -o OUT is required");
        }

        LoudnessTarget? target = preset is null ? null : MasterCommand.ResolveTarget(preset, null, null);
        FileFormat container = FileFormats.Resolve("mix", output, formatName);
        AtomicFile.CheckDestination(output, stems, force);
        if (reportPath is not null)
        {
            AtomicFile.CheckDestination(reportPath, [.. stems, output], force);
        }

        if (htmlPath is not null)
        {
            AtomicFile.CheckDestination(htmlPath, reportPath is null ? [.. stems, output] : [.. stems, output, reportPath], force);
        }

        MatchSetup? match = null;
        if (curvePath is not null)
        {
            var source = MatchSource.FromTarget(curvePath);
            match = new MatchSetup(source, Assistant.Reference.MatchAspects.Default, amount / 100, target, target?.TruePeakDbtp ?? -1);
            target ??= MasterCommand.ResolveTarget(null, null, null);
        }

        var settings = new MixSettings(amount / 100, target)
        {
            Match = match,
            CollectPlots = htmlPath is not null,
            UserRoles = userRoles,
            SampleRate = mixRate is double r ? (int)Math.Round(r) : null,
            Format = container,
        };

        // The mix, the JSON and the HTML report appear together or not at all.
        using AtomicFile.Batch outputs = AtomicFile.BeginBatch();
        MixOutcome outcome = Mix(stems, output, settings, modelsDirectory, showProgress: null);
        if (reportPath is not null)
        {
            AtomicFile.WriteText(reportPath, JsonSerializer.Serialize(outcome.Report, MixReportJsonContext.Default.MixReport) + "\n");
        }

        if (htmlPath is not null)
        {
            Html.MixHtmlReport.Build(outcome.Report, outcome.Master, output).Save(htmlPath);
        }

        outputs.Commit();

        // Notes and warnings only once the run succeeded, so that a failed run says one thing: why
        // it failed. Then what `mixmate check` says about each stem and the written file, at
        // warning or worse.
        foreach (string note in outcome.Report.Notes)
        {
            stderr.WriteLine($"mixmate: mix: {note}");
        }

        if (outcome.Master is not null)
        {
            foreach (string warning in outcome.Master.Result.Warnings)
            {
                stderr.WriteLine($"mixmate: warning: {output}: {warning}");
            }
        }

        foreach ((string file, IReadOnlyList<MasterReportProblem> problems) in
            outcome.Report.InputProblems.Select(s => (s.Path, s.Problems)).Append((output, outcome.Report.OutputProblems)))
        {
            foreach (MasterReportProblem p in problems)
            {
                stderr.WriteLine($"mixmate: warning: {file}: {p.Message} ({p.When}) — {p.Fix}");
            }
        }

        if (!quiet)
        {
            PrintSummary(stdout, outcome.Report, output);
        }

        return ExitCodes.Ok;
    }

    /// <summary>What to do besides balancing.</summary>
    /// <param name="Amount">Share of every gain and EQ move applied, 0..1.</param>
    /// <param name="Master">Master the sum to this target, or null to deliver the sum.</param>
    internal sealed record MixSettings(double Amount, LoudnessTarget? Master)
    {
        /// <summary>Collect the mastering run's plot data for an HTML page (only with <see cref="Master"/>).</summary>
        public bool CollectPlots { get; init; }

        /// <summary>Master the sum toward a style target (--target-curve) instead of the fixed curve; null: no match.</summary>
        public MatchSetup? Match { get; init; }

        /// <summary>The role the user set per stem (null entries, or an empty list: as detected).</summary>
        public IReadOnlyList<string?> UserRoles { get; init; } = [];

        /// <summary>Mix at this rate; null: the highest rate among the stems.</summary>
        public int? SampleRate { get; init; }

        /// <summary>Container of the output (from its extension or --format).</summary>
        public FileFormat Format { get; init; } = FileFormat.Wav;
    }

    /// <summary>The result of one mix: the report and, when mastered, the mastering outcome.</summary>
    internal sealed record MixOutcome(MixReport Report, MasterCommand.MasterOutcome? Master)
    {
        /// <summary>Wall seconds of each stage, in order (for the benchmark's profile).</summary>
        public IReadOnlyList<(string Stage, double Seconds)> Stages { get; init; } = [];
    }

    /// <summary>
    /// [main thread] Balances, unmasks and sums <paramref name="stems"/> into <paramref name="output"/>
    /// (already checked as writable) and masters it when asked; shared with <c>mixmate demo</c>.
    /// </summary>
    /// <exception cref="CliException">A stem cannot be read, has more than two channels, is empty, or
    /// the stems do not share a sample rate.</exception>
    internal static MixOutcome Mix(IReadOnlyList<string> stems, string output, MixSettings settings, string? modelsDirectory, bool? showProgress)
    {
        var resampleNotes = new List<string>();
        using var rates = MixStemRates.Prepare(stems, settings.SampleRate, resampleNotes);
        MixOutcome outcome = MixAtOneRate(rates.Paths, stems, output, settings, modelsDirectory, showProgress);
        return outcome with { Report = outcome.Report with { Notes = [.. resampleNotes, .. outcome.Report.Notes], Resampled = rates.Resampled } };
    }

    /// <summary>The mix proper: every file in <paramref name="stems"/> at one rate; <paramref name="names"/>
    /// are the paths the user gave, for the report.</summary>
    private static MixOutcome MixAtOneRate(IReadOnlyList<string> stems, IReadOnlyList<string> names, string output, MixSettings settings, string? modelsDirectory, bool? showProgress)
    {
        var stages = new List<(string Stage, double Seconds)>();
        long stageStart = Stopwatch.GetTimestamp();
        void EndStage(string name)
        {
            long now = Stopwatch.GetTimestamp();
            stages.Add((name, Stopwatch.GetElapsedTime(stageStart, now).TotalSeconds));
            stageStart = now;
        }

        (int sampleRate, int[] channels, long[] frames) = Inspect(stems);
        EndStage("read headers");
        long mixFrames = frames.Max();
        if (mixFrames * 2 > PlanarBuffer.MaxSamples)
        {
            throw CliException.ForFile(stems[Array.IndexOf(frames, mixFrames)], "is too long to mix in memory");
        }

        var notes = new List<string>();
        var stemProblems = new IReadOnlyList<Problem>[stems.Count];
        TrackSummary[] summaries = AnalyzeAll(stems, sampleRate, modelsDirectory, notes, showProgress, stemProblems);
        for (int i = 0; i < summaries.Length && i < settings.UserRoles.Count; i++)
        {
            summaries[i] = summaries[i].WithUserRole(settings.UserRoles[i]);
        }

        EndStage("analyse and check stems (loudness, spectrum, role, problems)");

        // The plan is the suggestion at full strength (the session's too); --amount scales what is applied.
        RoleBalanceTable table = BalanceTable(modelsDirectory, notes);
        MixPlan plan = MixPlanner.Plan(summaries, table);
        var applied = new double[stems.Count];
        var eqs = new EqMove[stems.Count][];
        for (int i = 0; i < stems.Count; i++)
        {
            applied[i] = plan.Tracks[i].Balance.Scaled(settings.Amount).GainDb;
            eqs[i] = [.. plan.Tracks[i].Cuts.Select(c => c.Scaled(settings.Amount))];
        }

        notes.AddRange(plan.Warnings.Select(w => "warning: " + w));
        var mix = new PlanarBuffer(2, (int)mixFrames, sampleRate);

        EndStage("balance and masking");
        using (var bar = new ProgressBar("mixing stems", showProgress))
        {
            Sum(stems, applied, eqs, mix, bar);
        }

        EndStage("sum stems (read, EQ, gain)");
        double headroomDb = FitCeiling(mix, CeilingDbfs);
        EndStage("fit ceiling");

        LoudnessAnalysis analysis;
        MasterCommand.MasterOutcome? mastered = null;
        IReadOnlyList<Problem> sumProblems = [];
        if (settings.Master is null)
        {
            // On the 24-bit grid first, the buffer holds exactly the file's samples (as in
            // MasterCommand): it is measured on the second core while the file is written, instead
            // of reading the file back.
            PlanarBuffer sum = mix;
            FileFormat container = settings.Format;

            // What `check` says about the sum, on the second core while the file is written.
            Task<IReadOnlyList<Problem>> checkedSum = Task.Run(() => StageChecks.Mix(sum.Block, sampleRate));
            if (FileFormats.IsLossy(container))
            {
                // A lossy file is measured decoded, as the listener gets it.
                FileFormats.CheckWritable(output, container, SampleFormat.Float32, sampleRate, 2);
                LoudnessAnalysis? decoded = null;
                AtomicFile.Write(output, temporary =>
                {
                    AudioFileWriter.WriteAll(temporary, sum.Block, sampleRate, SampleFormat.Float32, container);
                    PlanarBuffer back = PlanarBuffer.Load(temporary);
                    decoded = FileAnalyzer.Analyze(back.Block, back.SampleRate, output);
                });
                analysis = decoded!.Rounded();
            }
            else
            {
                FileFormats.CheckWritable(output, container, SampleFormat.Pcm24, sampleRate, 2);
                MasterCommand.QuantizeToGrid(mix.Samples, 24);
                Task<LoudnessAnalysis> measured = Task.Run(() => FileAnalyzer.Analyze(sum.Block, sampleRate, output));
                AtomicFile.Write(output, temporary => AudioFileWriter.WriteAll(temporary, sum.Block, sampleRate, SampleFormat.Pcm24, container));
                analysis = measured.GetAwaiter().GetResult().Rounded();
            }

            sumProblems = checkedSum.GetAwaiter().GetResult();
            EndStage("write 24-bit WAV, measure and check it");
        }
        else
        {
            // The sum goes to a float file next to the output, is mastered into the output and removed.
            string sumPath = AtomicFile.TemporaryPathFor(output);
            try
            {
                AudioFileWriter.WriteAll(sumPath, mix.Block, sampleRate, SampleFormat.Float32);
                mix = null!;
                var master = new MasterSettings(settings.Master, EqMode.Apply, settings.Amount);
                mastered = MasterCommand.Master(sumPath, output, master, "24", progressLabel: "mastering mix", collectPlots: settings.CollectPlots,
                    inputLabel: $"{output} (the summed stems, before mastering)", container: settings.Format, match: settings.Match);
            }
            finally
            {
                File.Delete(sumPath);
            }

            analysis = mastered.Report.Output;
            EndStage("master the sum");
        }

        var tracks = new MixReportTrack[stems.Count];
        for (int i = 0; i < stems.Count; i++)
        {
            TrackSummary s = summaries[i];
            TrackPlan p = plan.Tracks[i];
            tracks[i] = new MixReportTrack(
                names[i],
                s.Role.Role,
                Math.Round(applied[i] + headroomDb, 2) + 0.0,
                [.. p.Cuts.Select(c => new MasterReportEqMove(
                    c.Type,
                    Math.Round(c.FrequencyHz, 1),
                    Math.Round(c.GainDb, 2),
                    Math.Round(c.Q, 2),
                    c.Reason,
                    Math.Round(c.Scaled(settings.Amount).GainDb, 2) + 0.0))],
                p.Reasons)
            {
                BalanceMoveDb = Math.Round(applied[i], 2) + 0.0,
                HeadroomDb = Math.Round(headroomDb, 2) + 0.0,
                RoleConfidence = Math.Round(s.Role.Confidence, 4),
                RoleReason = s.Role.Explanation,
                RoleSource = s.Role.IsSetByUser ? "user" : s.Role.Role is null ? null : "model",
                Channels = channels[i],
                DurationSeconds = Math.Round(frames[i] / (double)sampleRate, 3),
                ActiveLoudnessLufs = LoudnessAnalysis.Level(Math.Round(s.Loudness.Lufs, 2)),
                ActiveFraction = Math.Round(s.Loudness.ActiveFraction, 3),
                TargetLu = p.Balance.TargetLu is double t ? Math.Round(t, 2) : null,
                BalanceDb = Math.Round(p.Balance.GainDb, 2) + 0.0,
            };
        }

        var report = new MixReport(tracks, mastered?.Report, analysis)
        {
            Amount = Math.Round(settings.Amount * 100, 2),
            HeadroomDb = Math.Round(headroomDb, 2) + 0.0,
            CeilingDbfs = CeilingDbfs,
            Frames = mixFrames,
            SampleRate = sampleRate,
            Notes = notes,
            Masking = [.. plan.Pairs.Select(pair => new MixReportMasking(
                stems[pair.Track], stems[pair.Other], pair.Region,
                Math.Round(pair.CoveredBefore, 4), Math.Round(pair.CoveredAfter, 4), pair.CutKept))],
            Warnings = plan.Warnings,
            InputProblems = [.. names.Select((name, i) => new MixReportStemProblems(name, [.. stemProblems[i].Select(MasterReportProblem.From)]))],
            OutputProblems = mastered is null ? [.. sumProblems.Select(MasterReportProblem.From)] : MasteredProblems(mastered.Report),
        };
        return new MixOutcome(report, mastered) { Stages = stages };
    }

    /// <summary>The problems of a mastered mix as written: what mastering may have caused (the
    /// master report's output problems) and what the sum carries into the master (polarity, phase,
    /// balance, silence and a cut-off end, from its input problems), in time order. The sum's hum,
    /// noise and the like were said of the stems.</summary>
    private static List<MasterReportProblem> MasteredProblems(MasterReport master) =>
        [.. master.OutputProblems
            .Concat(master.InputProblems.Where(p => CheckStage.CarriedThroughMastering.Any(k => k.Name() == p.Kind)))
            .OrderBy(p => p.Start ?? -1)];

    /// <summary>[main thread] The summaries <see cref="Mix"/> plans from (for the test that the
    /// session plans the same moves from them).</summary>
    internal static TrackSummary[] Summarize(IReadOnlyList<string> stems, string? modelsDirectory)
    {
        (int sampleRate, _, _) = Inspect(stems);
        return AnalyzeAll(stems, sampleRate, modelsDirectory, [], showProgress: false);
    }

    /// <summary>[main thread] The balance table <see cref="Mix"/> plans with: the learned one in the
    /// models folder, else the built-in fallback (with a note when a models folder exists but its
    /// table does not load).</summary>
    internal static RoleBalanceTable BalanceTable(string? modelsDirectory, List<string>? notes)
    {
        RoleBalanceTable table = LearnedBalanceTable.Load(modelsDirectory, out string? problem);
        if (problem is not null && notes is not null && (modelsDirectory ?? ModelFiles.FindDirectory()) is not null)
        {
            notes.Add($"learned balance table unavailable ({problem}); the built-in role table is used");
        }

        return table;
    }

    /// <summary>Reads every header first, so a bad stem or a rate mismatch stops the run before any work.</summary>
    private static (int SampleRate, int[] Channels, long[] Frames) Inspect(IReadOnlyList<string> stems)
    {
        var channels = new int[stems.Count];
        var frames = new long[stems.Count];
        int rate = 0;
        for (int i = 0; i < stems.Count; i++)
        {
            using AudioFileReader reader = AudioFileReader.Open(stems[i]);
            if (i == 0)
            {
                rate = reader.SampleRate;
            }
            else if (reader.SampleRate != rate)
            {
                throw CliException.ForFile(stems[i], string.Create(CultureInfo.InvariantCulture,
                    $"is {reader.SampleRate} Hz but {stems[0]} is {rate} Hz; mix needs all stems at one sample rate (resample first)"));
            }

            if (reader.Channels > 2)
            {
                throw CliException.ForFile(stems[i], $"has {reader.Channels} channels; mix takes mono or stereo stems");
            }

            if (reader.Frames == 0)
            {
                throw CliException.ForFile(stems[i], "holds no audio (0 frames)");
            }

            channels[i] = reader.Channels;
            frames[i] = reader.Frames;
        }

        return (rate, channels, frames);
    }

    /// <summary>Analyses the stems in parallel, one role engine and one sample buffer per worker (an
    /// engine runs one analysis at a time; the buffer is reused, so memory holds one stem per worker).
    /// <paramref name="problems"/>, when given, receives what <c>mixmate check</c> finds in each
    /// stem (<see cref="StageChecks.Stem"/>), from the same loaded samples.</summary>
    private static TrackSummary[] AnalyzeAll(IReadOnlyList<string> stems, int sampleRate, string? modelsDirectory, List<string> notes, bool? showProgress,
        IReadOnlyList<Problem>[]? problems = null)
    {
        var summaries = new TrackSummary[stems.Count];
        var pool = new ConcurrentBag<AnalysisWorker>();
        var workers = new ConcurrentBag<AnalysisWorker>();
        int done = 0;
        using var bar = new ProgressBar("analysing stems", showProgress);
        try
        {
            Parallel.For(0, stems.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
            {
                if (!pool.TryTake(out AnalysisWorker? worker))
                {
                    worker = new AnalysisWorker(SuggestionEngine.Create(modelsDirectory));
                    workers.Add(worker);
                }

                try
                {
                    AudioBlock audio = PlanarBuffer.LoadInto(stems[i], ref worker.Samples);
                    summaries[i] = TrackAnalyzer.Analyze(Path.GetFileName(stems[i]), audio, sampleRate, worker.Engine);
                    if (problems is not null)
                    {
                        problems[i] = StageChecks.Stem(audio, sampleRate);
                    }

                    // The role features leave about 200 MB of large arrays per four-minute stem.
                    // Collected now, the next stem reuses those pages; left to the GC's own pace,
                    // every stem faults in fresh memory (measured on 16 stems: 2.1 GB resident and
                    // about a quarter more CPU time, most of it in the kernel).
                    GC.Collect();
                }
                finally
                {
                    pool.Add(worker);
                }

                bar.Report(Interlocked.Increment(ref done) / (double)stems.Count);
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.OfType<CliException>().FirstOrDefault() is CliException first)
        {
            throw first;
        }
        finally
        {
            if (workers.TryPeek(out AnalysisWorker? any) && any.Engine.RoleModelProblem is string problem)
            {
                notes.Add($"role model unavailable ({problem}); roles are unknown and every stem gets the table's default target");
            }

            foreach (AnalysisWorker worker in workers)
            {
                worker.Engine.Dispose();
            }
        }

        return summaries;
    }

    /// <summary>
    /// Streams the stems into the mix block by block: every stem's next block is read and
    /// equalised in parallel (one stem per worker at a time), then the blocks are scaled and added
    /// in stem order, each channel on its own worker. The order of the additions never depends on
    /// the number of cores, so the sum is the same on every machine. Memory: one block per stem.
    /// </summary>
    private static void Sum(IReadOnlyList<string> stems, double[] gainsDb, EqMove[][] eqs, PlanarBuffer mix, ProgressBar bar)
    {
        var sources = new MixStemSource[stems.Count];
        var gains = new float[stems.Count];
        var options = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount };
        try
        {
            for (int i = 0; i < stems.Count; i++)
            {
                sources[i] = new MixStemSource(stems[i], eqs[i], BlockFrames);
                gains[i] = (float)(Decibels.ToGain(gainsDb[i]) * (sources[i].Channels == 1 ? MonoPanGain : 1.0));
            }

            for (int position = 0; position < mix.Frames; position += BlockFrames)
            {
                int frames = Math.Min(BlockFrames, mix.Frames - position);
                Parallel.For(0, sources.Length, options, i => sources[i].ReadNext(frames));
                int start = position;
                Parallel.For(0, mix.Channels, options, c =>
                {
                    Span<float> destination = mix[c].Slice(start, frames);
                    for (int i = 0; i < sources.Length; i++)
                    {
                        MixStemSource source = sources[i];
                        AddScaled(source.Block[source.Channels == 1 ? 0 : c], gains[i], destination);
                    }
                });
                bar.Report((position + frames) / (double)mix.Frames);
            }
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }
        finally
        {
            foreach (MixStemSource? source in sources)
            {
                source?.Dispose();
            }
        }
    }

    /// <summary>destination[k] += gain · source[k] over the source's length (a stem that has ended
    /// adds nothing: shorter stems are padded with silence). Vector lanes compute exactly the
    /// scalar product and sum (no fused multiply-add), so the result does not depend on the width.</summary>
    private static void AddScaled(ReadOnlySpan<float> source, float gain, Span<float> destination)
    {
        destination = destination[..source.Length];
        int k = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var g = new Vector<float>(gain);
            for (; k <= source.Length - Vector<float>.Count; k += Vector<float>.Count)
            {
                (new Vector<float>(destination[k..]) + (g * new Vector<float>(source[k..]))).CopyTo(destination[k..]);
            }
        }

        for (; k < source.Length; k++)
        {
            destination[k] += gain * source[k];
        }
    }

    /// <summary>Scales the mix down so its sample peak is at most <paramref name="ceilingDbfs"/>;
    /// returns the gain in dB (0 when it already was).</summary>
    private static double FitCeiling(PlanarBuffer mix, double ceilingDbfs)
    {
        float peak = 0;
        foreach (float x in mix.Samples)
        {
            peak = Math.Max(peak, Math.Abs(x));
        }

        double ceiling = Decibels.ToGain(ceilingDbfs);
        if (peak <= ceiling)
        {
            return 0;
        }

        // Scale in double, round once, then step down while float rounding lands above the ceiling.
        float scale = (float)(ceiling / peak);
        while (scale * peak > ceiling)
        {
            scale = MathF.BitDecrement(scale);
        }

        Span<float> all = mix.Samples;
        for (int i = 0; i < all.Length; i++)
        {
            all[i] *= scale;
        }

        return Decibels.FromGain(scale);
    }

    private static void PrintSummary(TextWriter o, MixReport report, string output)
    {
        foreach (MixReportTrack t in report.Tracks)
        {
            string role = t.Role is null ? "role unknown"
                : t.RoleSource == "user" ? $"{t.Role}, set by the user"
                : string.Create(CultureInfo.InvariantCulture, $"{t.Role} {t.RoleConfidence * 100:0}%");
            o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(t.Path)}  ({role})  gain {Signed.One(t.GainDb)} dB"));
            foreach (string reason in t.Reasons)
            {
                o.WriteLine($"    {reason}");
            }
        }

        o.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"sum        headroom {Signed.One(report.HeadroomDb)} dB (sample peak <= {report.CeilingDbfs:0} dBFS)"));
        if (report.Master is MasterReport m)
        {
            o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"master     {m.Target.Preset} ({m.Target.Lufs:0.#} LUFS, {m.Target.TruePeakDbtp:0.#} dBTP); gain {Signed.One(m.GainDb)} dB"));
        }

        string lufs = report.Output.IntegratedLufs is double l ? l.ToString("0.0", CultureInfo.InvariantCulture) : "-";
        string tp = report.Output.TruePeakDbtp is double p ? p.ToString("0.0", CultureInfo.InvariantCulture) : "-";
        o.WriteLine($"output     {lufs} LUFS, true peak {tp} dBTP");
        o.WriteLine($"written    {output}");
    }

    /// <summary>What one analysis worker keeps between stems.</summary>
    private sealed class AnalysisWorker(SuggestionEngine engine)
    {
        /// <summary>Reused for every stem the worker loads (see <see cref="PlanarBuffer.LoadInto"/>).</summary>
        public float[] Samples = [];

        public SuggestionEngine Engine { get; } = engine;
    }
}
