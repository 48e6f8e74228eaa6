using System.Globalization;
using System.Text.Json;
using MixMate.Assistant.Loudness;
using MixMate.Assistant.Mastering;
using MixMate.Cli.Analysis;
using MixMate.Cli.Audio;
using MixMate.Cli.Batch;
using MixMate.Cli.CommandLine;
using MixMate.Cli.Html;
using MixMate.Cli.Output;

namespace MixMate.Cli.Commands;

/// <summary>
/// <c>mixmate master --album IN... --out DIR</c>: album normalisation (AES TD1008): one gain for the
/// whole album, taking the album's integrated loudness (every track's gating blocks gated together)
/// to the target, so the tracks keep the loudness the artist gave them relative to each other. The
/// limiter holds each track's true peak under the ceiling; a track it has to work on moves, and the
/// reports say by how much. Every track is mastered by <see cref="MasterCommand.Master"/> at that
/// fixed gain. All outputs appear together or not at all.
/// </summary>
internal static class AlbumCommand
{
    /// <summary>The album report's base name in DIR.</summary>
    public const string ReportName = "album";

    // A track whose loudness moved less than this is not reported as moved (quantisation of the file).
    private const double MovedThresholdLu = 0.05;

    private const string Help = """
        Usage: mixmate master --album IN... --out DIR [--target PRESET | --lufs X [--tp Y]]
                              [--eq off|suggest] [--bit-depth 16|24|32f] [--format wav|flac|ogg|mp3]
                              [--sample-rate R] [--jobs N] [--force] [--quiet]

        Masters the tracks of an album with one gain (album normalisation, AES TD1008): the album's
        integrated loudness — all tracks' 400 ms blocks gated together, as if played in order — is
        brought to the target, and every track gets that same gain, so the tracks keep their
        loudness relative to each other. The true-peak limiter keeps every track under the ceiling;
        a track it has to limit comes out quieter than the gain alone would make it, and the
        reports say by how much ("moved"). The album then lands below the target by what the
        limited tracks lost.

        Writes in DIR, for each track NAME: NAME.wav (or the --format's extension), NAME.json (the
        master report) and NAME.html; and album.json and album.html for the whole album.
        --eq apply and --compressor are refused: they would change each track on its own.

        Options as for 'mixmate master' (targets, --eq off|suggest, --bit-depth, --format,
        --sample-rate, --force, --quiet), and:
          --out DIR, -o DIR  where the masters and reports go (created if missing)
          --jobs N           tracks mastered at once (default: the number of cores)

        Exit codes: 0 done, 2 bad input (nothing is written), 1 internal error.
        """;

    /// <summary>[main-thread] Runs <c>master --album</c>.</summary>
    public static int Run(IReadOnlyList<string> args)
    {
        var reader = new ArgReader("master --album", args);
        _ = reader.Flag("--album");
        if (reader.Flag("-h", "--help"))
        {
            Console.Out.WriteLine(Help);
            return ExitCodes.Ok;
        }

        string? outDir = reader.Option("--out", "-o");
        string? preset = reader.Option("--target");
        double? lufs = reader.Number("--lufs", double.MinValue, double.MaxValue);
        double? tp = reader.Number("--tp", double.MinValue, double.MaxValue);
        string eqText = reader.Choice("--eq", "off", "suggest", "apply") ?? "suggest";
        string bitDepth = reader.Choice("--bit-depth", "16", "24", "32f") ?? "24";
        string formatName = reader.Option("--format") ?? "wav";
        double? sampleRate = reader.Number("--sample-rate", 8000, 384000);
        double? jobsOption = reader.Number("--jobs", 1, 1024);
        bool compressor = reader.Flag("--compressor");
        bool force = reader.Flag("--force");
        bool quiet = reader.Flag("--quiet", "-q");
        IReadOnlyList<string> inputs = reader.Positionals();
        if (inputs.Count == 0)
        {
            throw new CliException("master --album: no tracks (see 'mixmate master --album --help')");
        }

        if (outDir is null)
        {
            throw new CliException("master --album: --out DIR is required (the album's masters and reports go there)");
        }

        if (eqText == "apply" || compressor)
        {
            throw new CliException($"master --album: {(compressor ? "--compressor" : "--eq apply")} would change each track on its own; an album gets one gain so its tracks keep their balance (use --eq suggest to see the EQ moves, or master tracks one by one)");
        }

        int jobs = jobsOption is double j ? (int)j : Environment.ProcessorCount;
        LoudnessTarget target = MasterCommand.ResolveTarget(preset, lufs, tp);
        FileFormat container = FileFormats.Resolve("master --album", "x." + formatName, formatName);
        string extension = FileFormats.Name(container);
        _ = FileFormats.LibsndfileFormat("--bit-depth", container, MasterCommand.ParseBitDepth(bitDepth), 2);
        if (!Directory.Exists(outDir))
        {
            try
            {
                Directory.CreateDirectory(outDir);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw CliException.ForFile(outDir, $"cannot create the folder: {e.Message}");
            }
        }

        Track[] tracks = Plan(inputs, outDir, extension, force);

        // 1. Every track's gating blocks, then the album's loudness and its one gain.
        var errors = new string?[tracks.Length];
        WorkerPool.Run(tracks.Length, jobs, i =>
        {
            try
            {
                tracks[i].Analysis = FileAnalyzer.Analyze(tracks[i].Input, observer: tracks[i].InputBlocks);
                if (tracks[i].Analysis!.IntegratedLufs is null)
                {
                    errors[i] = CliException.ForFile(tracks[i].Input, FileAnalyzer.WhyUnmeasurable((long)(tracks[i].Analysis!.DurationSeconds * tracks[i].Analysis!.SampleRate), tracks[i].Analysis!.SampleRate, "master")).Message;
                }
            }
            catch (CliException e)
            {
                errors[i] = e.Message;
            }
        }, () => false);
        if (errors.FirstOrDefault(e => e is not null) is string)
        {
            foreach (string error in errors.OfType<string>())
            {
                Console.Error.WriteLine($"mixmate: {error}");
            }

            Console.Error.WriteLine("mixmate: master --album: the album was not mastered (every track is needed for the album's loudness); nothing was written");
            return ExitCodes.BadInput;
        }

        double albumIn = AlbumLoudness.IntegratedLufs(tracks.Select(t => t.InputBlocks));
        double gain = target.Lufs - albumIn;
        var settings = new MasterSettings(target, MasterCommand.ParseEq(eqText)) { FixedGainDb = gain };

        // 2. Every track at that gain, all outputs in one all-or-nothing batch.
        AlbumReport report;
        using (AtomicFile.Batch outputs = AtomicFile.BeginBatch())
        {
            WorkerPool.Run(tracks.Length, jobs, i => MasterTrack(tracks[i], outDir, settings, bitDepth, container, sampleRate), () => false);
            report = Report(tracks, target, albumIn, gain);
            AtomicFile.WriteText(Path.Combine(outDir, ReportName + ".json"), JsonSerializer.Serialize(report, AlbumReportJsonContext.Default.AlbumReport) + "\n");
            Html.AlbumHtmlReport.Build(report, outDir).Save(Path.Combine(outDir, ReportName + ".html"));
            outputs.Commit();
        }

        foreach (string warning in report.Warnings)
        {
            Console.Error.WriteLine($"mixmate: warning: album: {warning}");
        }

        if (!quiet)
        {
            PrintSummary(report, outDir);
        }

        return ExitCodes.Ok;
    }

    private static Track[] Plan(IReadOnlyList<string> inputs, string outDir, string extension, bool force)
    {
        var tracks = new Track[inputs.Count];
        var names = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ReportName + ".json"] = "the album report",
            [ReportName + ".html"] = "the album report",
        };
        var written = new List<string>();
        for (int i = 0; i < inputs.Count; i++)
        {
            string input = inputs[i];
            string name = Path.GetFileNameWithoutExtension(input);
            var track = new Track(input, $"{name}.{extension}", name + ".json", name + ".html");
            foreach (string file in new[] { track.Output, track.Report, track.Html })
            {
                if (names.TryGetValue(file, out string? owner))
                {
                    throw CliException.ForFile(input, $"its output {file} would also be {owner}'s; give the tracks distinct names");
                }

                names[file] = input;
            }

            tracks[i] = track;
        }

        // Every output may be written: not an input, not there (unless --force), in a writable folder.
        foreach (Track track in tracks)
        {
            foreach (string file in new[] { track.Output, track.Report, track.Html })
            {
                string path = Path.Combine(outDir, file);
                AtomicFile.CheckDestination(path, [.. inputs, .. written], force);
                written.Add(path);
            }
        }

        foreach (string file in new[] { ReportName + ".json", ReportName + ".html" })
        {
            string path = Path.Combine(outDir, file);
            AtomicFile.CheckDestination(path, [.. inputs, .. written], force);
            written.Add(path);
        }

        return tracks;
    }

    private static void MasterTrack(Track track, string outDir, MasterSettings settings, string bitDepth, FileFormat container, double? sampleRate)
    {
        string output = Path.Combine(outDir, track.Output);
        MasterCommand.MasterOutcome outcome = MasterCommand.Master(track.Input, output, settings, bitDepth, progressLabel: null, collectPlots: true,
            container: container, sampleRate: sampleRate is double r ? (int)Math.Round(r) : null, concurrent: false);
        outcome = outcome with { Report = outcome.Report with { Output = outcome.Report.Output with { Path = track.Output } } };
        AtomicFile.WriteText(Path.Combine(outDir, track.Report), JsonSerializer.Serialize(outcome.Report, MasterReportJsonContext.Default.MasterReport) + "\n");
        Html.MasterHtmlReport.Build(outcome, track.Input, track.Output).Save(Path.Combine(outDir, track.Html));

        // The master's 400 ms blocks, for the album's loudness after mastering.
        LoudnessTimeline timeline = outcome.Plots!.Output.Timeline;
        for (int k = 0; k < timeline.Count; k++)
        {
            track.OutputBlocks.OnStep(timeline.Time[k], timeline.Momentary[k], timeline.ShortTerm[k]);
        }

        track.Outcome = outcome;
    }

    private static AlbumReport Report(Track[] tracks, LoudnessTarget target, double albumIn, double gain)
    {
        double albumOut = AlbumLoudness.IntegratedLufs(tracks.Select(t => t.OutputBlocks));
        var warnings = new List<string>();
        var rows = new List<AlbumReportTrack>();
        foreach (Track t in tracks)
        {
            MasterReport r = t.Outcome!.Report;
            double? trackIn = t.Analysis!.IntegratedLufs;
            double? trackOut = t.Outcome.Result.OutputIntegratedLufs is double o && double.IsFinite(o) ? o : null;
            double? moved = trackOut - trackIn - gain;
            bool limited = t.Outcome.Result.MaxGainReductionDb > 0.01;
            rows.Add(new AlbumReportTrack(t.Input, t.Output, t.Report, t.Html, Round(trackIn), Round(trackOut), Round(trackIn - albumIn), Round(trackOut - albumOut),
                Round(moved), limited, Math.Round(t.Outcome.Result.MaxGainReductionDb, 2), r.Output.TruePeakDbtp));
            if (limited && moved is double m && Math.Abs(m) >= MovedThresholdLu)
            {
                warnings.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{t.Input}: the limiter held its peaks under {target.TruePeakDbtp:0.#} dBTP with up to {t.Outcome.Result.MaxGainReductionDb:0.0} dB of reduction, so it moved {m:+0.00;-0.00} LU against the album"));
            }

            warnings.AddRange(t.Outcome.Result.Warnings.Select(w => $"{t.Input}: {w}"));
        }

        if (double.IsFinite(albumOut) && Math.Abs(albumOut - target.Lufs) > 0.1)
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture,
                $"the album reaches {albumOut:0.00} LUFS, not {target.Lufs:0.#} LUFS: the limited tracks lost loudness, and raising the others to make up would change the album's balance"));
        }

        double? peak = rows.Max(r => r.TruePeakDbtp);
        return new AlbumReport(new MasterReportTarget(target.Preset, target.Lufs, target.TruePeakDbtp), Round(albumIn), Math.Round(gain, 2), Round(albumOut), peak, rows, warnings);
    }

    private static double? Round(double? value) =>
        value is double v && double.IsFinite(v) ? Math.Round(v, LoudnessAnalysis.LevelDecimals, MidpointRounding.AwayFromZero) + 0.0 : null;

    private static void PrintSummary(AlbumReport report, string outDir)
    {
        static string F(double? v) => v is double d ? d.ToString("0.00", CultureInfo.InvariantCulture) : "-";
        TextWriter o = Console.Out;
        o.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"album      {report.Tracks.Count} tracks, {F(report.InputLufs)} → {F(report.OutputLufs)} LUFS (target {report.Target.Preset}, {report.Target.Lufs:0.#} LUFS, {report.Target.TruePeakDbtp:0.#} dBTP), gain {report.GainDb:+0.00;-0.00} dB for every track"));
        o.WriteLine("track                          in LUFS  out LUFS  relative  moved  true peak");
        foreach (AlbumReportTrack t in report.Tracks)
        {
            string name = Path.GetFileName(t.Input);
            o.WriteLine($"{(name.Length > 30 ? name[..30] : name),-30} {F(t.InputLufs),7}  {F(t.OutputLufs),8}  {F(t.RelativeOutputLu),8}  {F(t.MovedLu),5}  {F(t.TruePeakDbtp),9}");
        }

        o.WriteLine($"written    {outDir} ({ReportName}.json, {ReportName}.html and per track NAME.json, NAME.html)");
    }

    /// <summary>One track and what is learnt about it.</summary>
    private sealed class Track(string input, string output, string report, string html)
    {
        public string Input { get; } = input;

        public string Output { get; } = output;

        public string Report { get; } = report;

        public string Html { get; } = html;

        public GatingBlocks InputBlocks { get; } = new();

        public GatingBlocks OutputBlocks { get; } = new();

        public LoudnessAnalysis? Analysis { get; set; }

        public MasterCommand.MasterOutcome? Outcome { get; set; }
    }
}
