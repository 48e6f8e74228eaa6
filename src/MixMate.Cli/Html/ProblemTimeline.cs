using MixMate.Assistant.Problems;
using MixMate.Cli.Commands;

namespace MixMate.Cli.Html;

/// <summary>
/// Problems as <c>mixmate check</c> finds them, drawn for a page: a strip on the time axis with one
/// row per kind (a mark per time range, coloured by severity, its tooltip saying when, what and the
/// fix; a faint bar across the row for a whole-file problem), and the table of what to fix. Shared
/// by the pages of <c>check</c>, <c>master</c> and <c>mix</c>; it draws report entries and measures
/// nothing.
/// </summary>
internal static class ProblemTimeline
{
    private const int RowHeight = 22;
    private const int LabelWidth = 130;

    /// <summary>The sentence under every strip.</summary>
    public const string Caption = "One row per kind of problem. Solid marks: where it happens; a faint bar across the row: it concerns the whole file. Red: error, orange: warning, blue: note. Hover a mark for the fix.";

    /// <summary>[any thread] The strip of <paramref name="problems"/> over a programme of
    /// <paramref name="durationSeconds"/>.</summary>
    /// <param name="w">The page body.</param>
    /// <param name="id">The svg element's id.</param>
    /// <param name="problems">The entries, as the page's JSON holds them.</param>
    /// <param name="durationSeconds">Length of the time axis.</param>
    public static void Strip(HtmlWriter w, string id, IReadOnlyList<MasterReportProblem> problems, double durationSeconds)
    {
        string[] kinds = [.. problems.Select(p => p.Kind).Distinct().OrderBy(KindOrder)];
        int width = SvgPlot.Width;
        int plot = width - LabelWidth - 20;
        int height = (Math.Max(1, kinds.Length) * RowHeight) + 36;
        PlotAxis axis = PlotAxis.Time(durationSeconds);
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
            w.Element("text", "no problems found", "x", X(durationSeconds / 2), "y", "20", "text-anchor", "middle", "font-size", "12");
        }

        for (int k = 0; k < kinds.Length; k++)
        {
            double y = 4 + (k * RowHeight);
            w.Element("text", kinds[k], "x", Markup.Number(LabelWidth - 8), "y", Markup.Number(y + 15), "text-anchor", "end", "font-size", "12");
            foreach (MasterReportProblem p in problems.Where(p => p.Kind == kinds[k]).OrderBy(p => SeverityRank(p.Severity)))
            {
                string colour = Colour(p.Severity);
                if (p.Start is double start)
                {
                    double end = p.End ?? start;
                    double x0 = LabelWidth + (axis.Fraction(start) * plot);
                    double x1 = Math.Max(x0 + 3, LabelWidth + (axis.Fraction(end) * plot));
                    w.Open("rect", "x", Markup.Number(x0), "y", Markup.Number(y + 3), "width", Markup.Number(x1 - x0), "height", Markup.Number(RowHeight - 6),
                        "fill", colour, "data-kind", p.Kind, "data-severity", p.Severity, "data-start", Markup.DataValue(start), "data-end", Markup.DataValue(end));
                    w.Element("title", $"{p.When}: {p.Severity}: {p.Message} — {p.Fix}");
                    w.Close("rect");
                }
                else
                {
                    w.Open("rect", "x", Markup.Number(LabelWidth), "y", Markup.Number(y + 7), "width", Markup.Number(plot), "height", Markup.Number(RowHeight - 14),
                        "fill", colour, "fill-opacity", "0.35", "data-kind", p.Kind, "data-severity", p.Severity);
                    w.Element("title", $"whole file: {p.Severity}: {p.Message} — {p.Fix}");
                    w.Close("rect");
                }
            }
        }

        w.Close("svg");
    }

    /// <summary>[any thread] The table of <paramref name="problems"/>: severity, kind, when, what,
    /// value and threshold (keyed <c>{keyPrefix}[i].value</c> / <c>.threshold</c> into the page's
    /// JSON), fix and the threshold's source.</summary>
    /// <param name="w">The page body.</param>
    /// <param name="problems">The entries, as the page's JSON holds them.</param>
    /// <param name="keyPrefix">Path of the list in the page's JSON.</param>
    /// <param name="nothing">The sentence when the list is empty.</param>
    public static void Table(HtmlWriter w, IReadOnlyList<MasterReportProblem> problems, string keyPrefix, string nothing)
    {
        if (problems.Count == 0)
        {
            w.Element("p", nothing, "class", "good");
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
        for (int i = 0; i < problems.Count; i++)
        {
            MasterReportProblem p = problems[i];
            w.Open("tr", "class", p.Severity == "info" ? null : "bad");
            w.Element("td", p.Severity, "data-key", $"{keyPrefix}[{i}].severity", "data-text", p.Severity);
            w.Element("td", p.Kind, "data-key", $"{keyPrefix}[{i}].kind", "data-text", p.Kind);
            w.Element("td", p.When);
            w.Element("td", p.Message);
            ReportTables.ValueCell(w, $"{keyPrefix}[{i}].value", p.Value, " " + p.Unit);
            ReportTables.ValueCell(w, $"{keyPrefix}[{i}].threshold", p.Threshold, " " + p.Unit);
            w.Element("td", p.Fix);
            w.Element("td", p.Source);
            w.Close("tr");
        }

        w.Close("tbody").Close("table");
    }

    private static int KindOrder(string name)
    {
        foreach (ProblemKind kind in Enum.GetValues<ProblemKind>())
        {
            if (kind.Name() == name)
            {
                return (int)kind;
            }
        }

        return int.MaxValue;
    }

    private static int SeverityRank(string severity) => severity switch
    {
        "error" => 2,
        "warning" => 1,
        _ => 0,
    };

    private static string Colour(string severity) => severity switch
    {
        "error" => "#D55E00",
        "warning" => "#E69F00",
        _ => "#56B4E9",
    };
}
