using System.Globalization;
using System.Text.Json;
using MixMate.Cli.Commands;
using MixMate.Assistant.Eq;

namespace MixMate.Cli.Html;

/// <summary>
/// The page of <c>mixmate mix --html</c> and of <c>mixmate demo</c>: one row per stem (role with its
/// confidence, gain applied, unmasking cuts, reasons), the stems' active loudness before and after
/// balancing as bars, the masking cuts, the written file's figures and, when the mix was mastered,
/// the mastering sections of <see cref="MasterHtmlReport"/>. Its data island is the mix JSON report,
/// and every <c>data-key</c> is a path in it.
/// </summary>
internal static class MixHtmlReport
{
    /// <summary>[main thread] Builds the page.</summary>
    /// <param name="report">The mix report (with <see cref="MixReport.Master"/> set when mastered).</param>
    /// <param name="master">The mastering run with its plots collected, or null when the mix was not mastered.</param>
    /// <param name="outputPath">The written file as named on the command line.</param>
    public static ReportDocument Build(MixReport report, MasterCommand.MasterOutcome? master, string outputPath)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (master is not null && report.Master is null)
        {
            throw new ArgumentException("A mastering run was given but the report has no master.", nameof(master));
        }

        var doc = new ReportDocument("Mix report: " + Path.GetFileName(outputPath))
        {
            DataJson = JsonSerializer.Serialize(report, MixReportJsonContext.Default.MixReport),
        };
        doc.Header("mix", [.. report.Tracks.Select(t => ("Stem", t.Path)), ("Output", outputPath)]);
        HtmlWriter w = doc.Body;
        ReportTables.Warnings(w, [.. report.Notes, .. report.Master?.Warnings ?? Array.Empty<string>()]);
        Cards(w, report);

        Section(w, "tracks", "Tracks");
        Tracks(w, report);
        w.Element("p", string.Create(CultureInfo.InvariantCulture,
            $"Gain applied = balance move × {Markup.Number(report.Amount, 0)} % (--amount) + the common headroom gain ({Markup.Level(report.HeadroomDb, signed: true)} dB, so the sum peaks at most {Markup.Level(report.CeilingDbfs)} dBFS). Active loudness is measured where the stem plays (BS.1770 blocks above the stem's own gate)."),
            "class", "caption");
        w.Close("section");

        Section(w, "balance", "Track levels before and after balancing");
        Bars(report).Render(w);
        w.Element("p", "Active loudness of each stem as it came in (hollow, dashed) and after its gain (solid); the unmasking cuts are not included. Mono stems sit in the centre at −3 dB per side, which keeps their loudness.", "class", "caption");
        w.Close("section");

        Section(w, "masking", "Masking cuts");
        Cuts(w, report);
        w.Close("section");

        Section(w, "output", "Output");
        ReportTables.Levels(w, [new(report.Master is null ? "Mix" : "Master", report.Output, "output.")]);
        w.Open("table", "class", "processing").Open("tbody");
        Row(w, "Amount", Markup.Number(report.Amount, 2) + " %", "amount", report.Amount);
        Row(w, "Headroom gain on the sum", Markup.Level(report.HeadroomDb, signed: true) + " dB", "headroomDb", report.HeadroomDb);
        Row(w, "Sample-peak ceiling of the sum", Markup.Level(report.CeilingDbfs) + " dBFS", "ceilingDbfs", report.CeilingDbfs);
        Row(w, "Sample rate", report.SampleRate.ToString(CultureInfo.InvariantCulture) + " Hz", "sampleRate", report.SampleRate);
        Row(w, "Length", Markup.Time(report.Frames / (double)Math.Max(1, report.SampleRate)) + " (" + report.Frames.ToString(CultureInfo.InvariantCulture) + " frames)", "frames", report.Frames);
        w.Close("tbody").Close("table");
        w.Element("p", report.Master is null
            ? "The sum of the balanced stems, written as 24-bit WAV."
            : "The mastered sum of the balanced stems; the mastering sections follow.", "class", "caption");
        w.Close("section");

        Section(w, "problems", "Problems over time");
        for (int i = 0; i < report.InputProblems.Count; i++)
        {
            MixReportStemProblems stem = report.InputProblems[i];
            double duration = i < report.Tracks.Count ? report.Tracks[i].DurationSeconds : report.Output.DurationSeconds;
            MasterHtmlReport.Problems(w, $"stem-{i}", "Stem", stem.Path, stem.Problems, duration, $"inputProblems[{i}].problems", "Nothing to fix in this stem.");
        }

        MasterHtmlReport.Problems(w, "output", report.Master is null ? "Mix" : "Master", outputPath, report.OutputProblems, report.Output.DurationSeconds, "outputProblems",
            report.Master is null ? "Nothing to fix in the sum." : "Nothing to fix in the master.");
        w.Element("p", "As mixmate check finds them, at warning or worse. On a stem: clipping, DC, polarity, phase, hum, clicks, noise and rumble (a stem is not judged for loudness, balance or silence). On the written file: what summing (and mastering) can cause.", "class", "caption");
        w.Close("section");

        if (master is not null)
        {
            w.Open("div", "class", "master", "id", "master");
            w.Element("h2", string.Create(CultureInfo.InvariantCulture,
                $"Mastering: {report.Master!.Target.Preset} ({Markup.Level(report.Master.Target.Lufs)} LUFS, {Markup.Level(report.Master.Target.TruePeakDbtp)} dBTP)"));
            MasterHtmlReport.Cards(w, report.Master);
            MasterHtmlReport.Sections(w, master, keyPrefix: "master.", idPrefix: "master-");
            w.Close("div");
        }

        return doc;
    }

    /// <summary>[any thread] The bar chart: per stem, active loudness before and after its gain (LUFS).</summary>
    public static SvgBarChart Bars(MixReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var chart = new SvgBarChart("plot-balance", "Active loudness of each stem before and after balancing",
            [("before", new SeriesStyle(SeriesStyle.Grey, 1.6, "4 3")), ("after", new SeriesStyle(SeriesStyle.Blue, 1))], "LUFS", "Active loudness (LUFS)");
        foreach (MixReportTrack t in report.Tracks)
        {
            chart.AddGroup(Path.GetFileName(t.Path), [t.ActiveLoudnessLufs, AfterLufs(t)]);
        }

        return chart;
    }

    /// <summary>[any thread] A stem's active loudness after its gain, null for silence.</summary>
    public static double? AfterLufs(MixReportTrack track) => track.ActiveLoudnessLufs + track.GainDb;

    private static void Cards(HtmlWriter w, MixReport r)
    {
        int cuts = r.Tracks.Sum(t => t.Eq.Count);
        ReportTables.Cards(w,
        [
            ("Stems", r.Tracks.Count.ToString(CultureInfo.InvariantCulture), string.Empty, $"{r.Tracks.Count(t => t.Role is not null)} with a detected role"),
            ("Masking cuts", cuts.ToString(CultureInfo.InvariantCulture), string.Empty, $"on {r.Tracks.Count(t => t.Eq.Count > 0)} stem(s)"),
            ("Headroom", Markup.Level(r.HeadroomDb, signed: true), "dB", $"sum peak ≤ {Markup.Level(r.CeilingDbfs)} dBFS"),
            ("Output loudness", Markup.Level(r.Output.IntegratedLufs), "LUFS", r.Master is null ? "the balanced sum" : "mastered to " + r.Master.Target.Preset),
            ("Output true peak", Markup.Level(r.Output.TruePeakDbtp), "dBTP", r.Master is null ? "before mastering" : $"ceiling {Markup.Level(r.Master.Target.TruePeakDbtp)}"),
        ]);
    }

    private static void Tracks(HtmlWriter w, MixReport r)
    {
        w.Open("table", "class", "tracks");
        w.Open("thead").Open("tr").Element("th", "#").Element("th", "Stem").Element("th", "Role")
            .Element("th", "Active loudness", "class", "num").Element("th", "Proposed", "class", "num").Element("th", "Gain applied", "class", "num")
            .Element("th", "After", "class", "num").Element("th", "EQ moves").Close("tr").Close("thead").Open("tbody");
        for (int i = 0; i < r.Tracks.Count; i++)
        {
            MixReportTrack t = r.Tracks[i];
            string key = $"tracks[{i}].";
            w.Open("tr", "id", $"track-{i}").Element("td", (i + 1).ToString(CultureInfo.InvariantCulture));
            w.Open("td").Element("code", Path.GetFileName(t.Path), "data-key", key + "path", "data-text", t.Path).Close("td");
            w.Open("td", "class", "role");
            if (t.Role is null)
            {
                // The reason (often the same for every stem, and also in the notes) as a tooltip.
                w.Element("span", "unknown", "class", "muted", "data-key", key + "role", "title", t.RoleReason);
            }
            else
            {
                w.Element("strong", t.Role, "data-key", key + "role", "data-text", t.Role, "title", t.RoleReason).Text(" ")
                    .Element("span", t.RoleSource == "user" ? "(set by the user)" : t.RoleConfidence.ToString("(0 %)", CultureInfo.InvariantCulture), "data-key", key + "roleConfidence", "data-value", Markup.DataValue(t.RoleConfidence));
            }

            w.Close("td");
            ReportTables.ValueCell(w, key + "activeLoudnessLufs", t.ActiveLoudnessLufs, " LUFS");
            w.Element("td", Markup.Level(t.BalanceDb, signed: true) + " dB", "class", "num", "data-key", key + "balanceDb", "data-value", Markup.DataValue(t.BalanceDb));
            w.Element("td", Markup.Level(t.GainDb, signed: true) + " dB", "class", "num", "data-key", key + "gainDb", "data-value", Markup.DataValue(t.GainDb));
            double? after = AfterLufs(t);
            w.Element("td", Markup.Level(after) + (after is null ? string.Empty : " LUFS"), "class", "num");
            w.Open("td", "class", "eq");
            if (t.Eq.Count == 0)
            {
                w.Text("none");
            }
            else
            {
                w.Open("ul", "class", "moves");
                for (int k = 0; k < t.Eq.Count; k++)
                {
                    MasterReportEqMove m = t.Eq[k];
                    w.Open("li").Element("span", Markup.Level(m.AppliedGainDb, signed: true) + " dB", "data-key", $"{key}eq[{k}].appliedGainDb", "data-value", Markup.DataValue(m.AppliedGainDb))
                        .Text(" " + ReportTables.FilterName(m.Type) + " at ")
                        .Element("span", Markup.Hertz(m.FrequencyHz) + " Hz", "data-key", $"{key}eq[{k}].frequencyHz", "data-value", Markup.DataValue(m.FrequencyHz))
                        .Close("li");
                }

                w.Close("ul");
            }

            w.Close("td");
            w.Close("tr");

            // The reasons read as sentences across the table's width, under their stem's figures.
            w.Open("tr", "class", "reasons").Element("td", string.Empty).Open("td", "colspan", "7", "class", "reason").Open("ul", "class", "reasons");
            for (int k = 0; k < t.Reasons.Count; k++)
            {
                w.Element("li", t.Reasons[k], "data-key", $"{key}reasons[{k}]", "data-text", t.Reasons[k]);
            }

            w.Close("ul").Close("td");
            w.Close("tr");
        }

        w.Close("tbody").Close("table");
    }

    private static void Cuts(HtmlWriter w, MixReport r)
    {
        if (r.Tracks.All(t => t.Eq.Count == 0))
        {
            w.Element("p", "No masking cut: no two stems compete for the same band strongly enough to need one.", "class", "caption");
            return;
        }

        w.Open("table", "class", "moves");
        w.Open("thead").Open("tr").Element("th", "Stem").Element("th", "Filter").Element("th", "Frequency", "class", "num")
            .Element("th", "Q", "class", "num").Element("th", "Suggested", "class", "num").Element("th", "Applied", "class", "num")
            .Element("th", "Reason").Close("tr").Close("thead").Open("tbody");
        for (int i = 0; i < r.Tracks.Count; i++)
        {
            MixReportTrack t = r.Tracks[i];
            for (int k = 0; k < t.Eq.Count; k++)
            {
                MasterReportEqMove m = t.Eq[k];
                string key = $"tracks[{i}].eq[{k}].";
                w.Open("tr").Element("td", Path.GetFileName(t.Path));
                w.Element("td", ReportTables.FilterName(m.Type), "data-key", key + "type", "data-text", FilterNames.Json(m.Type));
                w.Element("td", Markup.Hertz(m.FrequencyHz) + " Hz", "class", "num", "data-key", key + "frequencyHz", "data-value", Markup.DataValue(m.FrequencyHz));
                w.Element("td", m.Q.ToString("0.00", CultureInfo.InvariantCulture), "class", "num", "data-key", key + "q", "data-value", Markup.DataValue(m.Q));
                w.Element("td", Markup.Level(m.GainDb, signed: true) + " dB", "class", "num", "data-key", key + "gainDb", "data-value", Markup.DataValue(m.GainDb));
                w.Element("td", Markup.Level(m.AppliedGainDb, signed: true) + " dB", "class", "num", "data-key", key + "appliedGainDb", "data-value", Markup.DataValue(m.AppliedGainDb));
                w.Element("td", m.Reason, "class", "reason", "data-key", key + "reason", "data-text", m.Reason);
                w.Close("tr");
            }
        }

        w.Close("tbody").Close("table");
        w.Element("p", "Where two stems compete for one band, the less important one gets a gentle cut (at most 3 dB); applied = suggested × the amount.", "class", "caption");
    }

    private static void Row(HtmlWriter w, string label, string text, string key, double value) =>
        w.Open("tr").Element("th", label).Element("td", text, "data-key", key, "data-value", Markup.DataValue(value)).Close("tr");

    private static void Section(HtmlWriter w, string id, string title)
    {
        w.Open("section", "id", id);
        w.Element("h2", title);
    }
}
