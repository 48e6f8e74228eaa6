using System.Globalization;
using MixMate.Assistant.Problems;
using MixMate.Cli.Commands;

namespace MixMate.Cli.Html;

/// <summary>
/// The page of <c>mixmate check --html</c>: per file, the figures, every problem on a time axis
/// (one row per kind; whole-file problems span the row faintly) and a table with value, threshold,
/// source and fix. Its data island is the <c>--json</c> output.
/// </summary>
internal static class CheckHtmlReport
{
    private const int RowHeight = 22;
    private const int LabelWidth = 130;

    /// <summary>[any thread] Builds the page from the outcomes (argument order; unread files are
    /// listed with their error).</summary>
    public static ReportDocument Build(IReadOnlyList<CheckOutcome> outcomes, CheckProfile profile)
    {
        string title = outcomes.Count == 1 ? "Problem check: " + Path.GetFileName(outcomes[0].Path) : $"Problem check: {outcomes.Count} files";
        var doc = new ReportDocument(title) { DataJson = CheckJson.Write(outcomes, profile) };
        doc.Header("check", [.. outcomes.Select(o => ("File", o.Path))]);
        HtmlWriter w = doc.Body;
        for (int i = 0; i < outcomes.Count; i++)
        {
            CheckOutcome o = outcomes[i];
            w.Open("article", "class", "file", "id", $"file-{i}");
            w.Element("h2", o.Path);
            if (o.Report is not CheckReport r)
            {
                ReportTables.Warnings(w, [o.Error ?? "not checked"]);
                w.Close("article");
                continue;
            }

            int errors = r.Problems.Count(p => p.Severity == ProblemSeverity.Error);
            int warnings = r.Problems.Count(p => p.Severity == ProblemSeverity.Warning);
            ReportTables.Cards(w,
            [
                ("Problems", r.Problems.Count.ToString(CultureInfo.InvariantCulture), "", $"{errors} error(s), {warnings} warning(s) · profile {profile.Name}"),
                ("Integrated loudness", Markup.Level(r.IntegratedLufs), "LUFS", "BS.1770-4"),
                ("True peak", Markup.Level(r.TruePeakDbtp), "dBTP", $"ceiling {Markup.Level(profile.CeilingDbtp)} dBTP"),
                ("Duration", Markup.Time(r.DurationSeconds), "", $"loudness range {Markup.Level(r.LoudnessRangeLu)} LU"),
            ]);

            w.Open("section", "id", $"file-{i}-timeline");
            w.Element("h3", "Problems over time");
            Timeline(w, $"plot-problems-{i}", r);
            w.Element("p", "One row per kind of problem. Solid marks: where it happens; a faint bar across the row: it concerns the whole file. Red: error, orange: warning, blue: note.", "class", "caption");
            w.Close("section");

            w.Open("section", "id", $"file-{i}-problems");
            w.Element("h3", "What to fix");
            Table(w, r, $"[{i}].problems");
            w.Close("section");
            w.Close("article");
        }

        return doc;
    }

    private static void Timeline(HtmlWriter w, string id, CheckReport r)
    {
        ProblemKind[] kinds = [.. r.Problems.Select(p => p.Kind).Distinct().OrderBy(k => k)];
        int width = SvgPlot.Width;
        int plot = width - LabelWidth - 20;
        int height = (Math.Max(1, kinds.Length) * RowHeight) + 36;
        PlotAxis axis = PlotAxis.Time(r.DurationSeconds);
        string X(double t) => Markup.Number(LabelWidth + (axis.Fraction(t) * plot));
        w.Open("svg", "xmlns", "http://www.w3.org/2000/svg", "id", id, "class", "plot", "viewBox", $"0 0 {width} {height}",
            "role", "img", "aria-label", "Problems over time");
        foreach ((double value, string label) in axis.Ticks)
        {
            w.Empty("line", "x1", X(value), "x2", X(value), "y1", "4", "y2", Markup.Number(height - 28), "stroke", "#ddd");
            w.Element("text", label, "x", X(value), "y", Markup.Number(height - 12), "text-anchor", "middle", "font-size", "11");
        }

        if (kinds.Length == 0)
        {
            w.Element("text", "no problems found", "x", X(r.DurationSeconds / 2), "y", "20", "text-anchor", "middle", "font-size", "12");
        }

        for (int k = 0; k < kinds.Length; k++)
        {
            double y = 4 + (k * RowHeight);
            w.Element("text", kinds[k].Name(), "x", Markup.Number(LabelWidth - 8), "y", Markup.Number(y + 15), "text-anchor", "end", "font-size", "12");
            foreach (Problem p in r.Problems.Where(p => p.Kind == kinds[k]).OrderBy(p => p.Severity))
            {
                string colour = Colour(p.Severity);
                if (p.Start is double start)
                {
                    double end = p.End ?? start;
                    double x0 = LabelWidth + (axis.Fraction(start) * plot);
                    double x1 = Math.Max(x0 + 3, LabelWidth + (axis.Fraction(end) * plot));
                    w.Open("rect", "x", Markup.Number(x0), "y", Markup.Number(y + 3), "width", Markup.Number(x1 - x0), "height", Markup.Number(RowHeight - 6),
                        "fill", colour, "data-kind", p.Kind.Name(), "data-start", Markup.DataValue(start), "data-end", Markup.DataValue(end));
                    w.Element("title", $"{CheckCommand.When(p)}: {p.Message}");
                    w.Close("rect");
                }
                else
                {
                    w.Open("rect", "x", Markup.Number(LabelWidth), "y", Markup.Number(y + 7), "width", Markup.Number(plot), "height", Markup.Number(RowHeight - 14),
                        "fill", colour, "fill-opacity", "0.35", "data-kind", p.Kind.Name());
                    w.Element("title", "whole file: " + p.Message);
                    w.Close("rect");
                }
            }
        }

        w.Close("svg");
    }

    private static void Table(HtmlWriter w, CheckReport r, string keyPrefix)
    {
        if (r.Problems.Count == 0)
        {
            w.Element("p", "Nothing to fix: no problem found against this profile.", "class", "good");
            return;
        }

        w.Open("table", "class", "levels");
        w.Open("thead").Open("tr");
        foreach (string h in new[] { "Severity", "Kind", "When", "Found", "Value", "Threshold", "Fix", "Source" })
        {
            w.Element("th", h);
        }

        w.Close("tr").Close("thead");
        w.Open("tbody");
        for (int i = 0; i < r.Problems.Count; i++)
        {
            Problem p = r.Problems[i];
            w.Open("tr", "class", p.Severity == ProblemSeverity.Info ? null : "bad");
            w.Element("td", p.Severity.ToString().ToLowerInvariant());
            w.Element("td", p.Kind.Name());
            w.Element("td", CheckCommand.When(p));
            w.Element("td", p.Message);
            ReportTables.ValueCell(w, $"{keyPrefix}[{i}].value", Math.Round(p.Value, 2), " " + p.Unit);
            ReportTables.ValueCell(w, $"{keyPrefix}[{i}].threshold", Math.Round(p.Threshold, 2), " " + p.Unit);
            w.Element("td", p.Fix);
            w.Element("td", p.Source);
            w.Close("tr");
        }

        w.Close("tbody").Close("table");
    }

    private static string Colour(ProblemSeverity severity) => severity switch
    {
        ProblemSeverity.Error => "#D55E00",
        ProblemSeverity.Warning => "#E69F00",
        _ => "#56B4E9",
    };
}
