using System.Globalization;
using System.Text.Json;
using MixMate.Assistant.Eq;
using MixMate.Assistant.Loudness;
using MixMate.Cli.Commands;

namespace MixMate.Cli.Html;

/// <summary>
/// The page of <c>mixmate master --html</c> (and of <c>mix --master</c>): the figures before and
/// after side by side, loudness over time, tonal balance with the EQ moves, limiter activity, what
/// each platform's normalisation will do, and the gain search. Its data island is the JSON report.
/// </summary>
internal static class MasterHtmlReport
{
    /// <summary>[main thread] Builds the page of one mastering run.</summary>
    /// <param name="outcome">The run, with <see cref="MasterCommand.MasterOutcome.Plots"/> collected.</param>
    /// <param name="inputPath">The input as named on the command line.</param>
    /// <param name="outputPath">The master as named on the command line.</param>
    public static ReportDocument Build(MasterCommand.MasterOutcome outcome, string inputPath, string outputPath)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        _ = outcome.Plots ?? throw new ArgumentException("The outcome has no plot data (collectPlots was false).", nameof(outcome));
        MasterReport report = outcome.Report;
        var doc = new ReportDocument("Master report: " + Path.GetFileName(outputPath))
        {
            DataJson = JsonSerializer.Serialize(report, MasterReportJsonContext.Default.MasterReport),
        };
        doc.Header("mastering", [("Input", inputPath), ("Master", outputPath)]);
        HtmlWriter w = doc.Body;
        ReportTables.Warnings(w, report.Warnings);
        Cards(w, report);
        Sections(w, outcome, keyPrefix: string.Empty, idPrefix: string.Empty);
        Section(w, "problems", "Problems over time");
        Problems(w, "input", "Input", inputPath, report.InputProblems, report.Input.DurationSeconds, "inputProblems",
            "Nothing to fix in the input (loudness, peaks, crest and format are mastering's to set).");
        Problems(w, "output", "Master", outputPath, report.OutputProblems, report.Output.DurationSeconds, "outputProblems",
            "Mastering caused nothing to fix: no clipping, true-peak overs, clicks, over-compression or DC in the master.");
        w.Close("section");
        return doc;
    }

    /// <summary>[any thread] One file's problems (as <c>mixmate check</c> finds them at warning or
    /// worse) on its time axis and in a table; shared with the mix page.</summary>
    /// <param name="w">The page body.</param>
    /// <param name="id">Suffix of the element ids.</param>
    /// <param name="label">What the file is (Input, Master, a stem).</param>
    /// <param name="path">The file as named on the command line.</param>
    /// <param name="problems">Its problems as the page's JSON holds them.</param>
    /// <param name="durationSeconds">Length of its time axis.</param>
    /// <param name="keyPrefix">Path of <paramref name="problems"/> in the page's JSON.</param>
    /// <param name="nothing">The sentence when there are none.</param>
    public static void Problems(HtmlWriter w, string id, string label, string path, IReadOnlyList<MasterReportProblem> problems, double durationSeconds,
        string keyPrefix, string nothing)
    {
        w.Open("div", "class", "problems", "id", "problems-" + id);
        w.Open("h3").Text(label + ": ").Element("code", Path.GetFileName(path)).Close("h3");
        if (problems.Count > 0)
        {
            ProblemTimeline.Strip(w, "plot-problems-" + id, problems, durationSeconds);
            w.Element("p", ProblemTimeline.Caption, "class", "caption");
        }

        ProblemTimeline.Table(w, problems, keyPrefix, nothing);
        w.Close("div");
    }

    /// <summary>[main thread] The sections of one mastering run (measurements, playback, loudness,
    /// tonal balance, limiter, processing), shared by this page and the mix page. Every
    /// <c>data-key</c> starts with <paramref name="keyPrefix"/> (<c>master.</c> on the mix page, whose
    /// JSON holds the mastering report there); section ids start with <paramref name="idPrefix"/>.</summary>
    /// <param name="w">The page body.</param>
    /// <param name="outcome">The run, with <see cref="MasterCommand.MasterOutcome.Plots"/> collected.</param>
    /// <param name="keyPrefix">Path of the mastering report in the page's JSON, with its trailing dot; empty at the root.</param>
    /// <param name="idPrefix">Prefix of the section ids.</param>
    public static void Sections(HtmlWriter w, MasterCommand.MasterOutcome outcome, string keyPrefix, string idPrefix)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        MasterPlotData plots = outcome.Plots ?? throw new ArgumentException("The outcome has no plot data (collectPlots was false).", nameof(outcome));
        MasterReport report = outcome.Report;
        var target = new LoudnessTarget(report.Target.Preset, report.Target.Lufs, report.Target.TruePeakDbtp);
        Section(w, idPrefix + "measurements", "Measurements");
        ReportTables.Levels(w, [new("Before", report.Input, keyPrefix + "input."), new("After", report.Output, keyPrefix + "output.")], target);
        w.Element("p", string.Create(CultureInfo.InvariantCulture,
            $"Target: {report.Target.Preset} ({Markup.Level(report.Target.Lufs)} LUFS integrated, true peak at most {Markup.Level(report.Target.TruePeakDbtp)} dBTP). Measured on the files as read and as written."), "class", "caption");
        w.Close("section");

        Section(w, idPrefix + "playback", "Playback on streaming platforms and broadcast");
        ReportTables.Platforms(w,
        [
            ("Before", report.Input.IntegratedLufs, report.Input.TruePeakDbtp, keyPrefix + "input."),
            ("After", report.Output.IntegratedLufs, report.Output.TruePeakDbtp, keyPrefix + "output."),
        ]);
        w.Element("p", ReportTables.PlatformsCaption, "class", "caption");
        w.Close("section");

        Section(w, idPrefix + "loudness", "Loudness over time");
        ReportPlots.Loudness("plot-loudness", plots.Output, report.Output.IntegratedLufs, report.Target.Lufs, plots.Input).Render(w);
        (double threshold, _) = plots.Output.Timeline.Gates();
        w.Element("p", string.Create(CultureInfo.InvariantCulture,
            $"Master: momentary (400 ms) and short-term (3 s) loudness every 100 ms; dotted grey: the input's short-term loudness. Shaded: time whose 400 ms block is below the gate ({Markup.Level(threshold)} LUFS: the −70 LUFS absolute gate or 10 LU below the ungated level), which the integrated loudness ignores (ITU-R BS.1770-4)."), "class", "caption");
        w.Close("section");

        Section(w, idPrefix + "tonal", "Tonal balance");
        bool applied = report.EqMode == "apply";
        var moves = new List<(EqMove, double)>();
        foreach (MasterReportEqMove m in report.Eq)
        {
            moves.Add((new EqMove(m.Type, m.FrequencyHz, m.GainDb, m.Q, m.Reason), applied ? m.AppliedGainDb : m.GainDb));
        }

        if (report.EqMode == "off")
        {
            w.Element("p", "EQ was off (--eq off): no tonal analysis was made.", "class", "caption");
        }

        ReportPlots.Spectrum("plot-spectrum", plots.Input.BandsDb, plots.Output.BandsDb, moves, "before", "after",
            outcome.Result.Tonal is { } tonal ? (tonal.Reference, tonal.ReferenceBandsDb) : null).Render(w);
        w.Element("p", applied
            ? string.Create(CultureInfo.InvariantCulture, $"Long-term spectrum in ISO third-octave bands. The reference is the one the moves were judged against (learned from clean material of the programme's kind) aligned to the master's level; markers show each EQ move as applied ({Markup.Number(report.Amount, 0)} % of the suggestion).")
            : "Long-term spectrum in ISO third-octave bands. The reference is the one the moves were judged against (learned from clean material of the programme's kind) aligned to the master's level; markers show the suggested EQ moves, which were not applied (--eq suggest).", "class", "caption");
        w.Element("h3", "EQ moves");
        ReportTables.Moves(w, [.. report.Eq.Select(m => new ReportTables.MoveRow(m.Type, m.FrequencyHz, m.GainDb, m.Q, m.Reason, m.AppliedGainDb))], keyPrefix + "eq", showApplied: applied);
        w.Close("section");

        if (report.Match is MasterReportMatch match)
        {
            MatchSection(w, report, match, keyPrefix, idPrefix);
        }

        Section(w, idPrefix + "limiter", "True-peak limiter");
        float[] reduction = outcome.Result.GainReductionDb;
        SvgPlot gr = ReportPlots.GainReduction("plot-limiter", reduction, outcome.Result.GainReductionStepSeconds, plots.Output.DurationSeconds,
            plots.Output.Timeline.TruePeakDbtp, plots.Output.Timeline.Time, report.Target.TruePeakDbtp, out int overs);
        gr.Render(w);
        string oversText = overs == 0
            ? string.Create(CultureInfo.InvariantCulture, $"No true-peak overs: no 100 ms of the master exceeds the {Markup.Level(report.Target.TruePeakDbtp)} dBTP ceiling (highest {Markup.Level(report.Output.TruePeakDbtp)} dBTP).")
            : string.Create(CultureInfo.InvariantCulture, $"{overs} step(s) of 100 ms exceed the {Markup.Level(report.Target.TruePeakDbtp)} dBTP ceiling (marked; highest {Markup.Level(report.Output.TruePeakDbtp)} dBTP).");
        w.Element("p", string.Create(CultureInfo.InvariantCulture,
            $"Largest reduction in each 100 ms. Maximum {Markup.Level(report.Limiter.MaxGainReductionDb)} dB, mean {report.Limiter.MeanGainReductionDb:0.00} dB over the programme. {oversText}"),
            "class", overs == 0 ? "caption" : "caption bad");
        w.Close("section");

        Section(w, idPrefix + "processing", "Processing");
        Processing(w, report, keyPrefix);
        w.Close("section");
    }

    /// <summary>[any thread] The figure cards of a mastering run.</summary>
    public static void Cards(HtmlWriter w, MasterReport r)
    {
        ReportTables.Cards(w,
        [
            ("Integrated loudness", Markup.Level(r.Output.IntegratedLufs), "LUFS", $"target {Markup.Level(r.Target.Lufs)}, was {Markup.Level(r.Input.IntegratedLufs)}"),
            ("True peak", Markup.Level(r.Output.TruePeakDbtp), "dBTP", $"ceiling {Markup.Level(r.Target.TruePeakDbtp)}, was {Markup.Level(r.Input.TruePeakDbtp)}"),
            ("Loudness range", Markup.Level(r.Output.LoudnessRangeLu), "LU", $"was {Markup.Level(r.Input.LoudnessRangeLu)} LU"),
            ("Gain", Markup.Level(r.GainDb, signed: true), "dB", "before the limiter"),
            ("Limiter", Markup.Level(r.Limiter.MaxGainReductionDb), "dB", string.Create(CultureInfo.InvariantCulture, $"max reduction; mean {r.Limiter.MeanGainReductionDb:0.00} dB")),
        ]);
    }

    private static void Processing(HtmlWriter w, MasterReport r, string keyPrefix)
    {
        w.Open("table", "class", "processing").Open("tbody");
        Row(w, "Gain before the limiter", Markup.Level(r.GainDb, signed: true) + " dB", keyPrefix + "gainDb", r.GainDb);
        Row(w, "Limiter: largest reduction", Markup.Level(r.Limiter.MaxGainReductionDb) + " dB", keyPrefix + "limiter.maxGainReductionDb", r.Limiter.MaxGainReductionDb);
        Row(w, "Limiter: mean reduction", r.Limiter.MeanGainReductionDb.ToString("0.000", CultureInfo.InvariantCulture) + " dB", keyPrefix + "limiter.meanGainReductionDb", r.Limiter.MeanGainReductionDb);
        Row(w, "Target loudness", Markup.Level(r.Target.Lufs) + " LUFS", keyPrefix + "target.lufs", r.Target.Lufs);
        Row(w, "True-peak ceiling", Markup.Level(r.Target.TruePeakDbtp) + " dBTP", keyPrefix + "target.truePeakDbtp", r.Target.TruePeakDbtp);
        Row(w, "EQ", r.EqMode == "apply" ? $"applied at {Markup.Number(r.Amount, 0)} %" : r.EqMode, keyPrefix + "amount", r.Amount);
        Row(w, "Latency compensated", r.LatencySamples.ToString(CultureInfo.InvariantCulture) + " samples", keyPrefix + "latencySamples", r.LatencySamples);
        w.Open("tr").Element("th", "Word length").Element("td", r.Format is "ogg" or "mp3" ? (r.Format == "ogg" ? "Ogg Vorbis" : "MP3") + ", lossy, encoded from 32-bit float" : (r.BitDepth == "32f" ? "32-bit float" : r.BitDepth + "-bit" + (r.BitDepth == "16" ? ", TPDF dither" : string.Empty)) + (r.Format == "flac" ? ", FLAC" : string.Empty), "data-key", keyPrefix + "bitDepth", "data-text", r.BitDepth).Close("tr");
        for (int k = 0; k < r.Passes.Count; k++)
        {
            MasterReportPass p = r.Passes[k];
            // The last render is the one delivered, after its trim: say both what the render reached
            // and what the file holds (the output's integrated loudness, as the table above).
            string delivered = k == r.Passes.Count - 1
                ? (r.OutputTrimDb != 0 ? $", trimmed {r.OutputTrimDb.ToString("+0.00;−0.00;0.00", CultureInfo.InvariantCulture)} dB" : string.Empty) + $" → delivered at {Markup.Level(r.Output.IntegratedLufs)} LUFS"
                : string.Empty;
            string text = string.Create(CultureInfo.InvariantCulture, $"gain {Markup.Level(p.GainDb, signed: true)} dB → {Markup.Level(p.Lufs)} LUFS{delivered}");
            w.Open("tr").Element("th", $"Render {k + 1}").Element("td", text, "data-key", $"{keyPrefix}passes[{k}].lufs", "data-value", Markup.DataValue(p.Lufs)).Close("tr");
        }

        w.Close("tbody").Close("table");
    }

    // The reference, the input and the master side by side: spectra (each as a shape, at its own
    // median level over 45 Hz–17 kHz, which is what the match compares), loudness and width.
    private static void MatchSection(HtmlWriter w, MasterReport report, MasterReportMatch match, string keyPrefix, string idPrefix)
    {
        Section(w, idPrefix + "match", match.Kind == "reference" ? "Reference match" : "Style target match");
        w.Element("p", string.Create(CultureInfo.InvariantCulture,
            $"Matched toward {match.Kind} {match.File}: {string.Join(", ", match.Aspects)}, at {Markup.Number(match.Amount, 0)} % of every match; the true-peak ceiling holds regardless."), "class", "caption");
        double[] reference = [.. match.Reference.BandsDb.Select(v => v ?? double.NegativeInfinity)];
        double[] input = [.. report.InputBandsDb.Select(v => v ?? double.NegativeInfinity)];
        double[] result = [.. match.ResultBandsDb.Select(v => v ?? double.NegativeInfinity)];
        ReportPlots.MatchSpectra("plot-match", reference, input, result, match.Kind).Render(w);
        w.Element("p", "Long-term spectrum in ISO third-octave bands of the reference, the input and the master, each shown at its own median level over 45 Hz–17 kHz (the offset the match removes), so the lines compare shape, not loudness.", "class", "caption");

        w.Open("table", "class", "processing").Open("thead").Open("tr").Element("th", string.Empty).Element("th", match.Kind == "reference" ? "Reference" : "Target")
            .Element("th", "Input").Element("th", "Master").Close("tr").Close("thead").Open("tbody");
        MatchRow(w, "Integrated loudness (LUFS)", match.Reference.IntegratedLufs, report.Input.IntegratedLufs, report.Output.IntegratedLufs, keyPrefix + "output.integratedLufs");
        MatchRow(w, "Loudness range (LU)", match.Reference.LoudnessRangeLu, report.Input.LoudnessRangeLu, report.Output.LoudnessRangeLu, keyPrefix + "output.loudnessRangeLu");
        MatchRow(w, "True peak (dBTP)", match.Reference.TruePeakDbtp, report.Input.TruePeakDbtp, report.Output.TruePeakDbtp, keyPrefix + "output.truePeakDbtp");
        MatchRow(w, "Width: side to mid (dB)", match.Reference.WidthDb, match.InputWidthDb, match.ResultWidthDb, keyPrefix + "match.resultWidthDb");
        if (match.Tone is MasterReportMatchTone tone)
        {
            MatchRow(w, "Tonal distance to the reference (dB)", 0, tone.InputDistanceDb, tone.ResultDistanceDb, keyPrefix + "match.tone.resultDistanceDb");
        }

        w.Close("tbody").Close("table");
        w.Open("ul");
        foreach (MasterReportMatchItem item in match.Items)
        {
            w.Element("li", $"{item.Aspect}: {item.Note}");
        }

        w.Close("ul");
        w.Close("section");
    }

    private static void MatchRow(HtmlWriter w, string label, double? reference, double? input, double? result, string key) =>
        w.Open("tr").Element("th", label).Element("td", Markup.Level(reference)).Element("td", Markup.Level(input))
            .Element("td", Markup.Level(result), "data-key", key, "data-value", Markup.DataValue(result)).Close("tr");

    private static void Row(HtmlWriter w, string label, string text, string key, double value) =>
        w.Open("tr").Element("th", label).Element("td", text, "data-key", key, "data-value", Markup.DataValue(value)).Close("tr");

    private static void Section(HtmlWriter w, string id, string title)
    {
        w.Open("section", "id", id);
        w.Element("h2", title);
    }
}
