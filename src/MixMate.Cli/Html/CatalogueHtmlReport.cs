using System.Globalization;
using System.Text;
using MixMate.Assistant.Loudness;
using MixMate.Cli.Batch;

namespace MixMate.Cli.Html;

/// <summary>
/// The page of <c>mixmate batch … --html</c>: one table of every input in <c>results.jsonl</c> —
/// loudness, LRA, true peak, problems, and the gain each platform's normalisation applies on
/// playback — sortable by any column (a few lines of inline script that only reorder the rows;
/// without script the rows stay in input order). It draws the results lines and nothing else:
/// the data island is those lines as a JSON array.
/// </summary>
internal static class CatalogueHtmlReport
{
    private const string Css = """
        table.catalogue { width: 100%; font-size: 13px; }
        table.catalogue th { cursor: pointer; user-select: none; white-space: nowrap; }
        table.catalogue th[aria-sort=ascending]::after { content: " ▲"; }
        table.catalogue th[aria-sort=descending]::after { content: " ▼"; }
        table.catalogue td.file { overflow-wrap: anywhere; }
        table.catalogue td.problems { font-size: 12px; max-width: 280px; }
        table.catalogue td.down { color: #0b5394; }
        table.catalogue td.up { color: #006e50; }
        table.catalogue tr.failed td { color: #b34700; }
        """;

    // Sorts by each cell's data-sort (numbers numerically, empty last in ascending order).
    private const string SortScript = """
        (function () {
          var table = document.getElementById('catalogue');
          var heads = table.tHead.rows[0].cells;
          Array.prototype.forEach.call(heads, function (th, col) {
            th.setAttribute('tabindex', '0');
            var sort = function () {
              var dir = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
              Array.prototype.forEach.call(heads, function (h) { h.removeAttribute('aria-sort'); });
              th.setAttribute('aria-sort', dir === 1 ? 'ascending' : 'descending');
              var body = table.tBodies[0];
              var rows = Array.prototype.slice.call(body.rows);
              var numeric = th.getAttribute('data-type') === 'number';
              rows.sort(function (a, b) {
                var x = a.cells[col].getAttribute('data-sort'), y = b.cells[col].getAttribute('data-sort');
                if (numeric) {
                  var p = x === '' ? Infinity : parseFloat(x), q = y === '' ? Infinity : parseFloat(y);
                  return (p === q ? 0 : (p > q ? 1 : -1)) * dir;
                }
                return x.localeCompare(y) * dir;
              });
              rows.forEach(function (r) { body.appendChild(r); });
            };
            th.addEventListener('click', sort);
            th.addEventListener('keydown', function (e) { if (e.key === 'Enter') { sort(); } });
          });
        })();
        """;

    /// <summary>[any-thread] The page of <paramref name="results"/> (sorted by input).</summary>
    /// <param name="results">Every line of results.jsonl.</param>
    /// <param name="verb">The batch's command (master pages show the input's loudness and the gain too).</param>
    /// <param name="outDir">DIR, named in the header.</param>
    public static ReportDocument Build(IReadOnlyList<BatchResult> results, BatchVerb verb, string outDir)
    {
        ArgumentNullException.ThrowIfNull(results);
        int ok = results.Count(r => r.Status == BatchResult.Ok);
        var doc = new ReportDocument(string.Create(CultureInfo.InvariantCulture, $"Catalogue: {results.Count} files"))
        {
            DataJson = "[" + string.Join(",", results.Select(ResultsLog.Serialize)) + "]",
            Script = SortScript,
            ExtraCss = Css,
        };
        doc.Header("batch " + BatchWork.Name(verb), [("Results", Path.Combine(outDir, ResultsLog.FileName))]);
        HtmlWriter w = doc.Body;
        bool master = verb == BatchVerb.Master;
        w.Element("p", string.Create(CultureInfo.InvariantCulture,
            $"{ok} processed, {results.Count - ok} failed. {(master ? "Figures are the masters'." : "Figures are the files'.")} Click a column to sort by it (again to reverse)."), "class", "caption");

        w.Open("table", "class", "catalogue", "id", "catalogue");
        w.Open("thead").Open("tr");
        Head(w, "File", number: false);
        Head(w, "Status", number: false);
        if (master)
        {
            Head(w, "Input LUFS", number: true);
            Head(w, "Gain dB", number: true);
        }

        Head(w, "Integrated LUFS", number: true);
        Head(w, "LRA LU", number: true);
        Head(w, "True peak dBTP", number: true);
        Head(w, "Duration", number: true);
        Head(w, "Problems", number: true);
        foreach (LoudnessTarget preset in LoudnessTarget.Presets)
        {
            Head(w, PlatformName(preset.Preset) + " dB", number: true);
        }

        w.Close("tr").Close("thead").Open("tbody");
        for (int i = 0; i < results.Count; i++)
        {
            BatchResult r = results[i];
            string key = string.Create(CultureInfo.InvariantCulture, $"[{i}].");
            w.Open("tr", "class", r.Status == BatchResult.Ok ? "ok" : "failed");
            w.Element("td", r.Input, "class", "file", "data-sort", r.Input, "data-key", key + "input");
            w.Element("td", r.Status, "data-sort", r.Status, "data-key", key + "status", "title", r.Error);
            if (master)
            {
                Number(w, key + "inputLoudness.integratedLufs", r.InputLoudness?.IntegratedLufs);
                Number(w, key + "gainDb", r.GainDb, signed: true);
            }

            Number(w, key + "loudness.integratedLufs", r.Loudness?.IntegratedLufs);
            Number(w, key + "loudness.loudnessRangeLu", r.Loudness?.LoudnessRangeLu);
            Number(w, key + "loudness.truePeakDbtp", r.Loudness?.TruePeakDbtp);
            double? duration = r.Loudness?.DurationSeconds;
            w.Element("td", duration is double d ? Markup.Time(d) : "–", "class", "num", "data-sort", Markup.DataValue(duration),
                "data-key", key + "loudness.durationSeconds", "data-value", Markup.DataValue(duration));
            Problems(w, key, r);
            foreach (LoudnessTarget preset in LoudnessTarget.Presets)
            {
                double? gain = r.Playback is { } p && p.TryGetValue(preset.Preset, out double g) ? g : null;
                w.Element("td", gain is double v ? Markup.Level(v, signed: v != 0) : "–",
                    "class", gain < 0 ? "num down" : gain > 0 ? "num up" : "num",
                    "data-sort", Markup.DataValue(gain), "data-key", key + "playback." + preset.Preset, "data-value", Markup.DataValue(gain),
                    "title", gain is double t ? ReportTables.PlaybackSentence(t) : null);
            }

            w.Close("tr");
        }

        w.Close("tbody").Close("table");
        w.Element("p", "Playback: the gain each service applies when it plays the file (negative: turned down). " + ReportTables.PlatformsCaption, "class", "caption");
        return doc;
    }

    private static void Head(HtmlWriter w, string text, bool number) =>
        w.Element("th", text, "class", number ? "num" : null, "data-type", number ? "number" : "text", "scope", "col");

    private static void Number(HtmlWriter w, string key, double? value, bool signed = false) =>
        w.Element("td", Markup.Level(value, signed), "class", "num", "data-sort", Markup.DataValue(value), "data-key", key, "data-value", Markup.DataValue(value));

    private static void Problems(HtmlWriter w, string key, BatchResult r)
    {
        // Sorted by how bad: errors weigh 1000, warnings 1 (so the worst files come first when reversed).
        int errors = r.Problems.Count(p => p.Severity == "error");
        int warnings = r.Problems.Count(p => p.Severity == "warning");
        var text = new StringBuilder();
        foreach (BatchProblem p in r.Problems.Where(p => p.Severity != "info"))
        {
            text.Append(text.Length > 0 ? "; " : string.Empty).Append(p.Severity).Append(' ').Append(p.Kind);
            if (p.Where is not null)
            {
                text.Append(" (").Append(p.Where).Append(')');
            }
        }

        string shown = r.Status != BatchResult.Ok ? r.Error ?? "failed" : text.Length == 0 ? "none" : text.ToString();
        w.Element("td", shown, "class", "problems", "data-sort", ((errors * 1000) + warnings).ToString(CultureInfo.InvariantCulture),
            "data-count", r.Problems.Count.ToString(CultureInfo.InvariantCulture));
    }

    private static string PlatformName(string preset) => preset switch
    {
        "spotify" => "Spotify",
        "apple" => "Apple",
        "youtube" => "YouTube",
        "tidal" => "Tidal",
        "amazon" => "Amazon",
        "deezer" => "Deezer",
        "ebu-r128" => "EBU R128",
        "atsc-a85" => "ATSC A/85",
        "podcast" => "Podcast",
        _ => preset,
    };
}
