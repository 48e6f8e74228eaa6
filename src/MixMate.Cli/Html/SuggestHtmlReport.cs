using System.Globalization;
using MixMate.Assistant.Eq;
using MixMate.Assistant.Models;
using MixMate.Assistant.Tonal;
using MixMate.Cli.Commands;
using MixMate.Dsp;

namespace MixMate.Cli.Html;

/// <summary>
/// The page of <c>mixmate suggest --html</c>: per track, the detected role with its probabilities,
/// the long-term spectrum with each suggested move marked, and the moves with their reasons. Its
/// data island is the <c>--json</c> output.
/// </summary>
internal static class SuggestHtmlReport
{
    /// <summary>One track: its path, what was suggested and its spectrum.</summary>
    public sealed record Item(string Path, TrackSuggestion Suggestion, double[] BandsDb)
    {
        /// <summary>[any thread] Measures the spectrum the plot needs.</summary>
        public static Item Measure(string path, TrackSuggestion suggestion, AudioBlock audio, double sampleRate) =>
            new(path, suggestion, TonalBalance.MeasureBands(audio, sampleRate));

        /// <summary>[any thread] The item for a suggestion that carries its spectrum (a streamed analysis).</summary>
        public static Item From(string path, TrackSuggestion suggestion) => new(path, suggestion, [.. suggestion.BandsDb]);
    }

    /// <summary>[any thread] Builds the page.</summary>
    public static ReportDocument Build(IReadOnlyList<Item> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        string title = items.Count == 1 ? "EQ suggestions: " + Path.GetFileName(items[0].Path) : $"EQ suggestions: {items.Count} tracks";
        var doc = new ReportDocument(title)
        {
            DataJson = SuggestCommand.ToJson([.. items.Select(i => (i.Path, i.Suggestion))]),
        };
        doc.Header("suggestions", [.. items.Select(i => ("Track", i.Path))]);
        HtmlWriter w = doc.Body;
        for (int i = 0; i < items.Count; i++)
        {
            (string path, TrackSuggestion s, double[] bands) = items[i];
            string prefix = $"[{i}].";
            w.Open("article", "class", "file", "id", $"track-{i}");
            w.Element("h2", path);
            Role(w, s, prefix);

            // Rounded as in the JSON output, so the page and the JSON agree to the digit.
            var rows = s.Eq.Select(m => new ReportTables.MoveRow(m.Type, Math.Round(m.FrequencyHz, 1), Math.Round(m.GainDb, 2), Math.Round(m.Q, 2), m.Reason, null)).ToList();
            w.Open("section", "id", $"track-{i}-spectrum");
            w.Element("h3", "Spectrum and suggested EQ");
            ReportPlots.Spectrum($"plot-spectrum-{i}", bands, null, [.. rows.Select(r => (new EqMove(r.Type, r.FrequencyHz, r.GainDb, r.Q, r.Reason), r.GainDb))], "track",
                reference: (s.TonalReference, s.ReferenceBandsDb)).Render(w);
            string source = s.EqSource switch
            {
                "rule-based" => "the tonal engine (fault finder)",
                _ => "no EQ source",
            };
            w.Element("p", s.ReferenceBandsDb.Length > 0
                ? $"ISO third-octave bands; the dashed reference is the {s.TonalReference} reference the moves were judged against (learned from clean material of that kind), at the track's level. Moves from {source}: only where the track departs from it beyond the spread of clean tracks, or has a resonance of its own."
                : $"ISO third-octave bands; the dashed reference is the full-mix curve at the track's level. Moves from {source}.", "class", "caption");
            w.Close("section");

            w.Open("section", "id", $"track-{i}-moves");
            w.Element("h3", "EQ moves");
            ReportTables.Moves(w, rows, prefix + "eq", showApplied: false);
            w.Close("section");
            if (s.Notes.Count > 0)
            {
                w.Open("ul", "class", "notes");
                foreach (string note in s.Notes)
                {
                    w.Element("li", note);
                }

                w.Close("ul");
            }

            w.Close("article");
        }

        return doc;
    }

    private static void Role(HtmlWriter w, TrackSuggestion s, string prefix)
    {
        w.Open("section", "class", "role");
        w.Element("h3", "Role");
        if (s.Role.Role is null)
        {
            w.Open("p").Text("Unknown: ").Element("span", s.Role.Reason ?? "no reason given", "data-key", prefix + "roleReason", "data-text", s.Role.Reason ?? string.Empty).Close("p");
        }
        else
        {
            double confidence = Math.Round(s.Role.Confidence, 4);
            w.Open("p").Element("strong", s.Role.Role, "data-key", prefix + "role", "data-text", s.Role.Role).Text(" ")
                .Element("span", confidence.ToString("(0 %)", CultureInfo.InvariantCulture), "data-key", prefix + "roleConfidence", "data-value", Markup.DataValue(confidence))
                .Close("p");
            w.Open("p").Element("span", s.Role.Explanation, "data-key", prefix + "roleReason", "data-text", s.Role.Explanation).Close("p");
        }

        if (s.Role.Probabilities.Count > 0)
        {
            w.Open("table", "class", "roles").Open("thead").Open("tr").Element("th", "Role").Element("th", "Probability", "class", "num").Close("tr").Close("thead").Open("tbody");
            foreach (KeyValuePair<string, double> p in s.Role.Probabilities.OrderByDescending(p => p.Value).Take(5))
            {
                double value = Math.Round(p.Value, 4);
                w.Open("tr").Element("td", p.Key)
                    .Element("td", (value * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %", "class", "num", "data-key", $"{prefix}roles.{p.Key}", "data-value", Markup.DataValue(value))
                    .Close("tr");
            }

            w.Close("tbody").Close("table");
        }

        w.Close("section");
    }
}
