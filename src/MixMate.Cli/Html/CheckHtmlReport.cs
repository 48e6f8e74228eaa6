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
            // As the data island holds them (check --json rounds values to 0.01).
            MasterReportProblem[] problems = [.. r.Problems.Select(p => MasterReportProblem.Rounded(p, 2))];
            ProblemTimeline.Strip(w, $"plot-problems-{i}", problems, r.DurationSeconds);
            w.Element("p", ProblemTimeline.Caption, "class", "caption");
            w.Close("section");

            w.Open("section", "id", $"file-{i}-problems");
            w.Element("h3", "What to fix");
            ProblemTimeline.Table(w, problems, $"[{i}].problems", "Nothing to fix: no problem found against this profile.");
            w.Close("section");
            w.Close("article");
        }

        return doc;
    }
}
