using System.Globalization;
using System.Text.Json;
using MixMate.Assistant.Eq;
using MixMate.Assistant.Loudness;
using MixMate.Assistant.Mastering;
using MixMate.Assistant.Reference;
using MixMate.Assistant.Resampling;
using MixMate.Assistant.Streaming;
using MixMate.Cli.Analysis;
using MixMate.Cli.Audio;
using MixMate.Cli.CommandLine;
using MixMate.Cli.Output;
using MixMate.Dsp;
using MixMate.Assistant.Text;

namespace MixMate.Cli.Commands;

/// <summary>
/// <c>mixmate master IN -o OUT</c>: EQ suggestions, gain search and true-peak limiting to a
/// loudness target; writes the master atomically and optionally a JSON report.
/// </summary>
internal static class MasterCommand
{
    private const string Help = """
        Usage: mixmate master IN -o OUT [--target PRESET | --lufs X [--tp Y]] [--eq off|suggest|apply]
                              [--amount 0..100] [--bit-depth 16|24|32f] [--format wav|flac|ogg|mp3]
                              [--sample-rate R] [--compressor] [--report FILE.json] [--html FILE.html] [--force] [--quiet]
                              [--reference REF | --target-curve STYLE.json] [--match tone,loudness,width,dynamics]

        Masters IN to an integrated loudness target without letting the true peak pass the ceiling:
        tonal-balance analysis (EQ moves with reasons), a gain search over full renders of the chain
        (DC blocker, EQ, gain, optional bus compressor, true-peak look-ahead limiter), then OUT is
        written at IN's sample rate (or --sample-rate) and channel count in the format its extension names (.wav, .flac,
        .ogg, .mp3).

        Targets (integrated LUFS / true-peak ceiling dBTP):
          spotify -14/-1   apple -16/-1   youtube -14/-1   tidal -14/-1   amazon -14/-2
          deezer -15/-1    ebu-r128 -23/-1   atsc-a85 -24/-2   podcast -16/-1
        Default: spotify. --lufs X sets a custom target (-40..-5, ceiling -1 unless --tp Y, -12..0);
        --tp alone overrides a preset's ceiling.

        Reference matching: --reference REF (any format and rate MixMate reads, at least 10 s, the
        input's channel count) or --target-curve STYLE.json (from 'mixmate target build') masters IN
        toward it: its tonal balance (a third-octave match EQ, every move with its reason), its
        integrated loudness (unless --target or --lufs is given, which wins) and, when --match names
        them, its stereo width and its loudness range. --amount scales every match; the true-peak
        ceiling (--tp, default -1 dBTP) always holds.

        Options:
          -o, --output OUT    the master (never the input; refuses to overwrite without --force)
          --reference REF     master toward this reference track
          --target-curve F    master toward this style target (JSON from 'mixmate target build')
          --match LIST        what to match, comma-separated: tone, loudness, width, dynamics
                              (default tone,loudness)
          --eq MODE           off, suggest (default: report the moves) or apply (apply them)
          --amount N          percentage of every EQ move (with a reference: of every match) applied (default 100)
          --bit-depth D       16 (TPDF dither), 24 (default) or 32f (float; WAV only); the lossy
                              formats (ogg, mp3) are encoded from float and ignore it
          --format F          wav, flac, ogg or mp3; by default taken from OUT's extension, which
                              must agree with it
          --sample-rate R     convert to R Hz (8000..384000) before mastering (windowed-sinc
                              resampler; the report says so)
          --compressor        engage the gentle bus compressor before the limiter
          --report FILE       write a JSON report (input, output, target, gain, limiter, eq, warnings)
          --html FILE         write a self-contained HTML report with plots (loudness over time,
                              spectrum and EQ moves, limiter activity, platform playback gains)
          --force             overwrite OUT and the report if they exist
          --quiet             print nothing but errors and warnings

        Exit codes: 0 done, 2 bad input (arguments, unreadable file, silent input, unwritable
        output; nothing is left half-written), 1 internal error.
        """;

    public static int Run(IReadOnlyList<string> args)
    {
        if (args.Contains("--album"))
        {
            return AlbumCommand.Run(args);
        }

        var reader = new ArgReader("master", args);
        if (reader.Flag("-h", "--help"))
        {
            Console.Out.WriteLine(Help);
            return ExitCodes.Ok;
        }

        string? output = reader.Option("-o", "--output");
        string? preset = reader.Option("--target");
        double? lufs = reader.Number("--lufs", double.MinValue, double.MaxValue);
        double? tp = reader.Number("--tp", double.MinValue, double.MaxValue);
        string? eqChoice = reader.Choice("--eq", "off", "suggest", "apply");
        string? referencePath = reader.Option("--reference");
        string? curvePath = reader.Option("--target-curve");
        string? matchText = reader.Option("--match");
        double amount = reader.Number("--amount", 0, 100) ?? 100;
        string bitDepth = reader.Choice("--bit-depth", "16", "24", "32f") ?? "24";
        string? formatName = reader.Option("--format");
        double? sampleRate = reader.Number("--sample-rate", 8000, 384000);
        string? reportPath = reader.Option("--report");
        string? htmlPath = reader.Option("--html");
        bool compressor = reader.Flag("--compressor");
        bool force = reader.Flag("--force");
        bool quiet = reader.Flag("--quiet", "-q");
        IReadOnlyList<string> inputs = reader.Positionals();

        if (inputs.Count != 1)
        {
            throw new CliException(inputs.Count == 0 ? "master: no input file (see 'mixmate master --help')" : "master: exactly one input file, please");
        }

        if (output is null)
        {
            throw new CliException("master: -o OUT is required");
        }

        string input = inputs[0];
        LoudnessTarget target = ResolveTarget(preset, lufs, tp);
        if (referencePath is not null && curvePath is not null)
        {
            throw new CliException("master: give either --reference REF or --target-curve FILE, not both");
        }

        string? matchPath = referencePath ?? curvePath;
        if (matchText is not null && matchPath is null)
        {
            throw new CliException("master: --match needs --reference REF or --target-curve FILE");
        }

        MatchAspects aspects = MatchAspects.Default;
        if (matchText is not null)
        {
            try
            {
                aspects = MatchAspectNames.Parse(matchText);
            }
            catch (FormatException e)
            {
                throw new CliException($"master: --match: {e.Message}");
            }
        }

        // A match is an explicit request: its EQ is applied unless --eq says otherwise.
        string eqText = eqChoice ?? (matchPath is not null ? "apply" : "suggest");
        FileFormat container = FileFormats.Resolve("master", output, formatName);
        _ = FileFormats.LibsndfileFormat(output, container, ParseBitDepth(bitDepth), 2);
        string[] sources = matchPath is null ? [input] : [input, matchPath];
        AtomicFile.CheckDestination(output, sources, force);
        if (reportPath is not null)
        {
            AtomicFile.CheckDestination(reportPath, [.. sources, output], force);
        }

        if (htmlPath is not null)
        {
            AtomicFile.CheckDestination(htmlPath, reportPath is null ? [.. sources, output] : [.. sources, output, reportPath], force);
        }

        var settings = new MasterSettings(target, ParseEq(eqText), amount / 100, compressor);
        MatchSetup? match = null;
        if (matchPath is not null)
        {
            MatchSource source = referencePath is not null ? MatchSource.FromReference(referencePath) : MatchSource.FromTarget(matchPath);
            bool loudnessGiven = preset is not null || lufs is not null;
            match = new MatchSetup(source, aspects, amount / 100, loudnessGiven ? target : null, target.TruePeakDbtp);
        }

        // The master, the JSON and the HTML report appear together or not at all.
        using AtomicFile.Batch outputs = AtomicFile.BeginBatch();
        MasterOutcome outcome = Master(input, output, settings, bitDepth, progressLabel: "mastering", collectPlots: htmlPath is not null, container: container,
            sampleRate: sampleRate is double r ? (int)Math.Round(r) : null, match: match);

        foreach (string warning in outcome.Result.Warnings)
        {
            Console.Error.WriteLine($"mixmate: warning: {input}: {warning}");
        }

        if (reportPath is not null)
        {
            AtomicFile.WriteText(reportPath, JsonSerializer.Serialize(outcome.Report, MasterReportJsonContext.Default.MasterReport) + "\n");
        }

        if (htmlPath is not null)
        {
            Html.MasterHtmlReport.Build(outcome, input, output).Save(htmlPath);
        }

        outputs.Commit();

        // What `mixmate check` would say about the input and the master, at warning or worse;
        // only once the run succeeded, so that a failed run says one thing: why it failed.
        foreach ((string file, IReadOnlyList<MasterReportProblem> problems) in new[] { (input, outcome.Report.InputProblems), (output, outcome.Report.OutputProblems) })
        {
            foreach (MasterReportProblem p in problems)
            {
                Console.Error.WriteLine($"mixmate: warning: {file}: {p.Message} ({p.When}) — {p.Fix}");
            }
        }

        if (!quiet)
        {
            PrintSummary(outcome.Report, output);
        }

        return ExitCodes.Ok;
    }

    /// <summary>The result of one mastering run.</summary>
    internal sealed record MasterOutcome(MasterResult Result, MasterReport Report)
    {
        /// <summary>Profiles of input and master for the HTML report; null unless asked for.</summary>
        public Html.MasterPlotData? Plots { get; init; }
    }

    /// <summary>Masters <paramref name="input"/> into <paramref name="output"/> (already checked as
    /// writable); shared with <c>mixmate demo</c>, <c>mixmate mix</c>, <c>master --album</c> and
    /// <c>mixmate batch</c>. <paramref name="collectPlots"/> also profiles input and master for an
    /// HTML report. <paramref name="concurrent"/> shares each pass's measurements out over two
    /// cores; a batch that runs one file per core turns it off, so each file takes one thread.</summary>
    /// <remarks>[any thread] Streams: the input is read once for its analysis and once per render,
    /// each render goes to a scratch file beside the output, and the delivery pass streams that into
    /// the master, so memory stays bounded (a few numbers per 10 ms of programme) whatever the
    /// input's length. No shared state: runs on different files may proceed in parallel.</remarks>
    internal static MasterOutcome Master(string input, string output, MasterSettings settings, string bitDepth, string? progressLabel,
        bool collectPlots = false, string? inputLabel = null, FileFormat container = FileFormat.Wav, int? sampleRate = null,
        bool concurrent = true, MatchSetup? match = null)
    {
        // Messages and reports name what the user knows: a caller mastering its own temporary
        // file (mix) passes a label for it.
        string label = inputLabel ?? input;
        using FileSource file = Relabelled(input, label, () => FileSource.Open(input));
        int inputRate = file.Reader.SampleRate;
        bool lossy = FileFormats.IsLossy(container);
        SampleFormat format = lossy ? SampleFormat.Float32 : ParseBitDepth(bitDepth);
        int rate = sampleRate ?? inputRate;
        FileFormats.CheckWritable(output, container, format, rate, file.Channels);

        using ScratchRender? resampled = rate != inputRate ? Relabelled(input, label, () => Resample(file, rate, output)) : null;
        IAudioSource source = resampled is null ? file : resampled.Open();

        // One pass over the input: loudness and checks on one core, tonal bands, limiter model
        // and plot profile shared out with them.
        // A reference match measures its own spectrum (bands, fine grid, width) on the same pass.
        ProgrammeSpectrumMeter? matchMeter = match is null ? null : new ProgrammeSpectrumMeter(source.SampleRate, source.Channels, source.Frames);
        bool measureBands = match is null && settings.Eq != EqMode.Off && settings.InputProfile is null;
        bool buildModel = match is null && settings.Eq != EqMode.Apply && !settings.Compressor;
        MasterPasses.InputFindings found = Relabelled(input, label, () =>
            MasterPasses.Input(source, label, settings.Target, measureBands, buildModel, collectPlots, profileSpectrum: settings.Eq == EqMode.Off || match is not null, concurrent, matchMeter));
        if (found.BandsDb is not null)
        {
            settings = settings with { InputBandsDb = found.BandsDb, InputProfile = found.Tonal, Speech = found.Speech };
        }

        LoudnessAnalysis before = found.Loudness;
        if (before.IntegratedLufs is null)
        {
            throw CliException.ForFile(label, FileAnalyzer.WhyUnmeasurable(source.Frames, source.SampleRate, "master"));
        }

        ReferenceMatchPlan? plan = null;
        (double[] Bands, SpectrumGrid Grid, double? Width) inputSpectrum = default;
        if (match is not null)
        {
            inputSpectrum = matchMeter!.Finish();
            (settings, plan, _) = match.Prepare(source.Channels, source.Frames, source.SampleRate, label, before, inputSpectrum, settings);
        }

        // Matching dynamics rides the gain on the whole programme (in memory), into a scratch file.
        using ScratchRender? shaped = plan is { RangeRatio: not 1.0 } ? ShapeRange(source, plan.RangeRatio, before.IntegratedLufs.Value, output) : null;
        if (shaped is not null)
        {
            source = shaped.Open();
        }

        using var render = new ScratchRender(output, source.Channels, source.SampleRate, source.Frames);
        MasterResult result;
        using (var progress = new ProgressBar(progressLabel ?? "mastering", progressLabel is null ? false : null))
        {
            // The programme through the EQ, kept for the gain search's renders (with the limiter's
            // look-ahead of ringing after it, well under 20 ms): a file too, unless short, so
            // memory stays bounded whatever the programme's length.
            using var stage = new ScratchRender(output, source.Channels, source.SampleRate, source.Frames + (long)(source.SampleRate / 50));
            // The delivery pass measures the file's true peak; the renders need not.
            result = MasteringEngine.Master(source, before.IntegratedLufs.Value, render, settings with { MeasuresOutputTruePeak = false },
                progress.Report, found.Model, stage);
        }

        (double[] Bands, SpectrumGrid Grid, double? Width) resultSpectrum = default;
        double? interSamplePeak = null;
        if (plan is not null)
        {
            // A match promises the ceiling: a 16× look between the samples of the render, and an
            // exact trim when the limiter's 4× detector let a peak through (loudness moves by the
            // same few tenths). The same read measures the master's spectrum for the report.
            (resultSpectrum, double peak) = ProgrammeAnalyzer.MeasureResult(render.Open(), settings.Target.TruePeakDbtp);
            double excess = peak - settings.Target.TruePeakDbtp;
            interSamplePeak = peak;
            if (excess > 0)
            {
                double guardDb = -(excess + 0.02);
                interSamplePeak = peak + guardDb;
                render.Trim((float)Dsp.Decibels.ToGain(result.OutputTrimDb + guardDb));
                result = result with
                {
                    Warnings = [.. result.Warnings, string.Create(CultureInfo.InvariantCulture,
                        $"a peak between samples reached {peak:0.00} dBTP (16× check) over the {settings.Target.TruePeakDbtp:0.#} dBTP ceiling: the master was trimmed {guardDb:0.00} dB, and its loudness with it")],
                    OutputTrimDb = result.OutputTrimDb + guardDb,
                };
            }
        }

        // The delivery pass: the render, trimmed, onto the file's grid and into the file, measured
        // as it is written. A lossy encoder changes the samples (and may raise the true peak):
        // there the listener's file, decoded, is measured afterwards.
        MasterPasses.DeliveryFindings delivered = null!;
        LoudnessAnalysis? decoded = null;
        AtomicFile.Write(output, temporary =>
        {
            using (AudioFileWriter writer = AudioFileWriter.Create(temporary, (int)source.SampleRate, source.Channels, format, container))
            {
                delivered = MasterPasses.Deliver(render.Open(), writer, format, output, settings.Target, lossy, collectPlots, concurrent);
                writer.Close();
            }

            if (lossy)
            {
                decoded = FileAnalyzer.Analyze(temporary, output);
            }
        });
        LoudnessAnalysis after = decoded ?? delivered.Loudness!;

        var report = new MasterReport(
            before.Rounded(),
            after.Rounded(),
            new MasterReportTarget(settings.Target.Preset, settings.Target.Lufs, settings.Target.TruePeakDbtp),
            Math.Round(result.GainDb, 2),
            new MasterReportLimiter(Math.Round(result.MaxGainReductionDb, 2), Math.Round(result.MeanGainReductionDb, 3))
            {
                Character = result.LimiterCharacter == Dsp.Dynamics.LimiterCharacter.Dense ? "dense" : "transparent",
                TransparentLufs = result.TransparentLufs is double t ? Math.Round(t, 2) : null,
            },
            [.. result.SuggestedEq.Select(m => ToReport(m, settings))],
            result.Warnings)
        {
            EqMode = settings.Eq.ToString().ToLowerInvariant(),
            Amount = Math.Round(settings.Amount * 100, 2),
            BitDepth = lossy ? "32f" : bitDepth,
            Format = FileFormats.Name(container),
            SampleRate = (int)Math.Round(source.SampleRate),
            ResampledFromHz = inputRate != (int)Math.Round(source.SampleRate) ? inputRate : null,
            Passes = [.. result.Passes.Select(p => new MasterReportPass(Math.Round(p.GainDb, 3), LoudnessAnalysis.Level(Math.Round(p.Lufs, 3))))],
            OutputTrimDb = Math.Round(result.OutputTrimDb, 3),
            LatencySamples = result.LatencySamples,
            InputBandsDb = [.. result.InputBandsDb.Select(b => LoudnessAnalysis.Level(Math.Round(b, 2)))],
            TonalDeviationDb = [.. result.TonalDeviationDb.Select(d => Math.Round(d, 2))],
            Content = result.Speech is null ? null : result.Speech.IsSpeech ? "speech" : "music",
            ContentReason = result.Speech?.Reason,
            TonalReference = result.Tonal?.Reference,
            ReferenceBandsDb = [.. (result.Tonal?.ReferenceBandsDb ?? []).Select(d => Math.Round(d, 2))],
            EstimatedFaultDb = [.. (result.Tonal?.EstimatedFaultDb ?? []).Select(d => Math.Round(d, 2))],
            EqCurveDb = [.. (result.Tonal?.CurveDb ?? []).Select(d => Math.Round(d, 2))],
            InputProblems = [.. found.Problems.Select(MasterReportProblem.From)],
            OutputProblems = [.. delivered.Problems.Select(MasterReportProblem.From)],
            Match = plan is null ? null : MatchReport(match!, plan, inputSpectrum.Bands!, inputSpectrum.Width, resultSpectrum, after, source.SampleRate)
                with { Loudness = MatchLoudness(settings, result, after, interSamplePeak) },
        };
        double[]? plotBands = result.InputBandsDb.Length == Dsp.Spectrum.ThirdOctaveBands.Count ? result.InputBandsDb : null;
        return new MasterOutcome(result, report)
        {
            Plots = collectPlots ? new Html.MasterPlotData(found.Profile!.Finish(plotBands), delivered.Profile!) : null,
        };
    }

    /// <summary>Runs <paramref name="step"/>, naming <paramref name="label"/> instead of
    /// <paramref name="path"/> in its errors (a caller's temporary file).</summary>
    private static T Relabelled<T>(string path, string label, Func<T> step)
    {
        try
        {
            return step();
        }
        catch (CliException e) when (!ReferenceEquals(path, label) && path != label)
        {
            throw new CliException(e.Message.Replace(path, label, StringComparison.Ordinal), e.ExitCode);
        }
    }

    /// <summary>The input with its loudness range scaled by <paramref name="ratio"/>
    /// (<see cref="LoudnessRangeShaper"/>, which needs the whole programme), in a scratch file beside the output.</summary>
    private static ScratchRender ShapeRange(IAudioSource source, double ratio, double integratedLufs, string output)
    {
        var buffer = new PlanarBuffer(source.Channels, checked((int)source.Frames), source.SampleRate);
        source.Rewind();
        int read = 0, got;
        while (read < buffer.Frames && (got = source.Read(buffer.Slice(read, buffer.Frames - read))) > 0)
        {
            read += got;
        }

        LoudnessRangeShaper.Apply(buffer.Slice(0, read), source.SampleRate, integratedLufs, ratio);
        var scratch = new ScratchRender(output, source.Channels, source.SampleRate);
        try
        {
            scratch.Begin();
            for (int start = 0; start < read; start += 65536)
            {
                scratch.Write(buffer.Slice(start, Math.Min(65536, read - start)));
            }

            return scratch;
        }
        catch
        {
            scratch.Dispose();
            throw;
        }
    }

    /// <summary>The input converted to <paramref name="rate"/>, in a scratch file beside the output.</summary>
    private static ScratchRender Resample(FileSource file, int rate, string output)
    {
        if (file.Reader.LengthIsEstimate)
        {
            // The converter must know the length: decode once to learn it.
            var samples = new float[4096 * file.Channels];
            var block = new AudioBlock(samples, file.Channels, 4096, 4096);
            file.Rewind();
            while (file.Read(block) > 0)
            {
            }
        }

        var scratch = new ScratchRender(output, file.Channels, rate);
        try
        {
            StreamingResampler.Convert(file, rate, scratch);
            return scratch;
        }
        catch
        {
            scratch.Dispose();
            throw;
        }
    }

    // Whether the match reached the loudness it aimed at, and if not how loud the master could be
    // made and why no louder; the ceiling the limiter held and the 16× peak of the delivered master.
    private static MasterReportMatchLoudness MatchLoudness(MasterSettings settings, MasterResult result, LoudnessAnalysis after, double? interSamplePeak)
    {
        double aim = settings.Target.Lufs;
        double reached = after.IntegratedLufs ?? double.NegativeInfinity;
        bool ok = result.Shortfall is null && reached >= aim - MasteringEngine.ShortfallLu;
        MasterReportLoudnessOutOfReach? outOfReach = null;
        if (!ok)
        {
            string reason = result.Shortfall?.Reason
                ?? string.Create(CultureInfo.InvariantCulture,
                    $"a peak between samples (16× check) went over the {settings.Target.TruePeakDbtp:0.#} dBTP ceiling, and the trim that brought it under lowered the loudness with it");
            outOfReach = new MasterReportLoudnessOutOfReach(reason, LoudnessAnalysis.Level(Math.Round(reached, 2)));
        }

        return new MasterReportMatchLoudness(aim, LoudnessAnalysis.Level(Math.Round(reached, 2)), ok, outOfReach, settings.Target.TruePeakDbtp,
            interSamplePeak is double p && double.IsFinite(p) ? Math.Round(p, 2) : null);
    }

    // What was matched and by how much, with the master's own figures beside the plan's.
    private static MasterReportMatch MatchReport(MatchSetup match, ReferenceMatchPlan plan, double[] inputBands, double? inputWidth,
        (double[] Bands, SpectrumGrid Grid, double? Width) result, LoudnessAnalysis after, double sampleRate)
    {
        MatchTarget target = plan.Request.Target;
        ProgrammeProfile? reference = match.Source.Reference;
        static double? N(double v) => double.IsFinite(v) ? Math.Round(v, 2) : null;
        static double? O(double? v) => v is double d ? N(d) : null;
        var items = new List<MasterReportMatchItem>();
        MasterReportMatchTone? tone = null;
        foreach (MatchedAspect a in plan.Matched)
        {
            double? outcome = a.Aspect switch
            {
                "tone" => N(MatchSetup.Distance(target, result.Bands, sampleRate)),
                "loudness" => O(after.IntegratedLufs),
                "width" => O(result.Width),
                "dynamics" => O(after.LoudnessRangeLu),
                _ => null,
            };
            items.Add(new MasterReportMatchItem(a.Aspect, a.Unit, N(a.Input), N(a.Reference), N(a.Planned), outcome, a.Note));
            if (a.Aspect == "tone")
            {
                double before = MatchSetup.Distance(target, inputBands, sampleRate);
                double reached = MatchSetup.Distance(target, result.Bands, sampleRate);
                tone = new MasterReportMatchTone(Math.Round(before, 2), Math.Round(reached, 2),
                    before > 0 ? Math.Round(100 * (1 - (reached / before)), 1) : 0);
            }
        }

        var figures = new MasterReportMatchReference(N(target.IntegratedLufs), N(target.LoudnessRangeLu), reference is null ? null : N(reference.TruePeakDbtp),
            O(target.WidthDb), MatchSetup.Levels(reference?.BandsDb ?? target.CurveDb), MatchSetup.Levels(target.SpreadDb));
        return new MasterReportMatch(match.Source.Kind, match.Source.Path, target.Name, MatchAspectNames.Of(plan.Request.Aspects),
            Math.Round(plan.Request.Amount * 100, 2), figures, items, tone)
        {
            ResultBandsDb = MatchSetup.Levels(result.Bands),
            InputWidthDb = O(inputWidth),
            ResultWidthDb = O(result.Width),
        };
    }

    /// <summary>[any-thread] The sample format of <c>--bit-depth</c> (16, 24 or 32f).</summary>
    internal static SampleFormat ParseBitDepth(string bitDepth) => bitDepth switch
    {
        "16" => SampleFormat.Pcm16,
        "32f" => SampleFormat.Float32,
        _ => SampleFormat.Pcm24,
    };

    /// <summary>Rounds every sample to the grid of a <paramref name="bits"/>-bit integer file
    /// (round half to even, as libsndfile's lrint), clamped to the integer range.</summary>
    internal static void QuantizeToGrid(Span<float> samples, int bits)
    {
        double scale = Math.ScaleB(1.0, bits - 1);
        double inverse = 1.0 / scale;
        for (int i = 0; i < samples.Length; i++)
        {
            double code = Math.Clamp(Math.Round(samples[i] * scale, MidpointRounding.ToEven), -scale, scale - 1);
            samples[i] = (float)(code * inverse);
        }
    }

    private static MasterReportEqMove ToReport(EqMove move, MasterSettings settings) => new(
        move.Type,
        Math.Round(move.FrequencyHz, 1),
        Math.Round(move.GainDb, 2),
        Math.Round(move.Q, 2),
        move.Reason,
        settings.Eq == EqMode.Apply ? Math.Round(move.Scaled(settings.Amount).GainDb, 2) : 0);

    /// <summary>The target from --target / --lufs / --tp.</summary>
    internal static LoudnessTarget ResolveTarget(string? preset, double? lufs, double? tp)
    {
        if (preset is not null && lufs is not null)
        {
            throw new CliException("master: give either --target PRESET or --lufs X, not both");
        }

        LoudnessTarget target;
        if (lufs is not null)
        {
            target = CustomTarget(lufs.Value, tp ?? -1);
        }
        else
        {
            string name = preset ?? "spotify";
            target = LoudnessTarget.FindPreset(name)
                ?? throw new CliException($"master: unknown target '{name}' (presets: {string.Join(", ", LoudnessTarget.Presets.Select(p => p.Preset))})");
            if (tp is not null)
            {
                target = CustomTarget(target.Lufs, tp.Value) with { Preset = target.Preset };
            }
        }

        return target;
    }

    private static LoudnessTarget CustomTarget(double lufs, double tp)
    {
        try
        {
            return LoudnessTarget.Custom(lufs, tp);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new CliException($"master: {e.Message.Split(" (Parameter", 2)[0]}");
        }
    }

    /// <summary>[any-thread] The EQ mode of <c>--eq</c> (off, suggest or apply).</summary>
    internal static EqMode ParseEq(string text) => text switch
    {
        "off" => EqMode.Off,
        "apply" => EqMode.Apply,
        _ => EqMode.Suggest,
    };

    private static void PrintSummary(MasterReport report, string output)
    {
        static string F(double? v) => v is double d ? d.ToString("0.00", CultureInfo.InvariantCulture) : "-";
        var o = Console.Out;
        o.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"target     {report.Target.Preset} ({report.Target.Lufs:0.#} LUFS, {report.Target.TruePeakDbtp:0.#} dBTP)"));
        o.WriteLine("           integrated  range  true peak  sample peak");
        o.WriteLine($"input      {F(report.Input.IntegratedLufs),10}  {F(report.Input.LoudnessRangeLu),5}  {F(report.Input.TruePeakDbtp),9}  {F(report.Input.SamplePeakDbfs),11}");
        o.WriteLine($"output     {F(report.Output.IntegratedLufs),10}  {F(report.Output.LoudnessRangeLu),5}  {F(report.Output.TruePeakDbtp),9}  {F(report.Output.SamplePeakDbfs),11}");
        o.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"gain       {report.GainDb:+0.00;-0.00} dB, limiter max {report.Limiter.MaxGainReductionDb:0.0} dB / mean {report.Limiter.MeanGainReductionDb:0.00} dB of reduction{(report.Limiter.Character == "dense" ? ", dense character" : "")}, {report.Passes.Count} render(s)"));
        if (report.Content is not null)
        {
            o.WriteLine($"content    {report.Content}, judged against the {report.TonalReference} reference ({report.ContentReason})");
        }

        foreach (MasterReportEqMove m in report.Eq)
        {
            string applied = report.EqMode == "apply" ? string.Create(CultureInfo.InvariantCulture, $" (applied {Signed.One(m.AppliedGainDb)} dB)") : string.Empty;
            o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"eq         {FilterNames.Json(m.Type)} {m.FrequencyHz:0.#} Hz {Signed.One(m.GainDb)} dB Q {m.Q:0.##}{applied}: {m.Reason}"));
        }

        if (report.EqMode == "suggest" && report.Eq.Count > 0)
        {
            o.WriteLine("eq         suggested only: nothing was applied (--eq apply applies the moves)");
        }

        if (report.Match is MasterReportMatch match)
        {
            o.WriteLine($"match      {match.Kind} {match.File}: {string.Join(", ", match.Aspects)} at {match.Amount.ToString("0.#", CultureInfo.InvariantCulture)} %");
            foreach (MasterReportMatchItem item in match.Items)
            {
                o.WriteLine($"           {item.Aspect}: {item.Note}");
            }

            if (match.Tone is MasterReportMatchTone t)
            {
                o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"           tonal distance to the reference {t.InputDistanceDb:0.00} dB → {t.ResultDistanceDb:0.00} dB in the master ({t.ReductionPercent:0.#} % less)"));
            }
        }

        if (report.ResampledFromHz is int from)
        {
            o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"resampled  {from} Hz → {report.SampleRate} Hz"));
        }

        o.WriteLine($"written    {output}");
    }
}
