using System.Globalization;
using MixMate.Assistant.Loudness;
using MixMate.Cli.Analysis;
using MixMate.Assistant.Eq;
using MixMate.Dsp.Filters;

namespace MixMate.Cli.Html;

/// <summary>
/// The reports' tables and figure cards. Every cell showing a reported number carries
/// <c>data-key</c> (its path in the command's JSON output, e.g. <c>output.truePeakDbtp</c> or
/// <c>[0].eq[1].gainDb</c>) and <c>data-value</c> (the JSON number, exactly), so the page can be
/// checked against the JSON and read by machines.
/// </summary>
internal static class ReportTables
{
    /// <summary>One EQ move as a row: values as the JSON report rounds them.</summary>
    public sealed record MoveRow(FilterType Type, double FrequencyHz, double GainDb, double Q, string Reason, double? AppliedGainDb);

    /// <summary>One column of the measurements table.</summary>
    public sealed record LevelsColumn(string Header, LoudnessAnalysis Analysis, string KeyPrefix);

    /// <summary>[any thread] A row of figure cards: label, value, unit and a small line below.</summary>
    public static void Cards(HtmlWriter w, IReadOnlyList<(string Label, string Value, string Unit, string Sub)> cards)
    {
        w.Open("div", "class", "cards");
        foreach ((string label, string value, string unit, string sub) in cards)
        {
            w.Open("div", "class", "card");
            w.Element("div", label, "class", "label");
            w.Open("div", "class", "value").Text(value).Element("span", unit, "class", "unit").Close("div");
            w.Element("div", sub, "class", "sub");
            w.Close("div");
        }

        w.Close("div");
    }

    /// <summary>[any thread] The figures a mastering engineer checks, one column per programme; with
    /// two columns a third shows the change. <paramref name="target"/> adds the target row.</summary>
    public static void Levels(HtmlWriter w, IReadOnlyList<LevelsColumn> columns, LoudnessTarget? target = null)
    {
        (string Label, string Unit, string Key, Func<LoudnessAnalysis, double?> Get, double? Target)[] rows =
        [
            ("Integrated loudness (I)", "LUFS", "integratedLufs", a => a.IntegratedLufs, target?.Lufs),
            ("Loudness range (LRA)", "LU", "loudnessRangeLu", a => a.LoudnessRangeLu, null),
            ("True peak (TP)", "dBTP", "truePeakDbtp", a => a.TruePeakDbtp, target?.TruePeakDbtp),
            ("Sample peak", "dBFS", "samplePeakDbfs", a => a.SamplePeakDbfs, null),
            ("Max momentary", "LUFS", "maxMomentaryLufs", a => a.MaxMomentaryLufs, null),
            ("Max short-term", "LUFS", "maxShortTermLufs", a => a.MaxShortTermLufs, null),
        ];
        bool delta = columns.Count == 2;
        w.Open("table", "class", "levels");
        w.Open("thead").Open("tr").Element("th", "Measure").Element("th", "Unit");
        foreach (LevelsColumn c in columns)
        {
            w.Element("th", c.Header, "class", "num");
        }

        if (delta)
        {
            w.Element("th", "Change", "class", "num");
        }

        if (target is not null)
        {
            w.Element("th", "Target", "class", "num");
        }

        w.Close("tr").Close("thead").Open("tbody");
        foreach ((string label, string unit, string key, Func<LoudnessAnalysis, double?> get, double? targetValue) in rows)
        {
            w.Open("tr").Element("td", label).Element("td", unit);
            foreach (LevelsColumn c in columns)
            {
                ValueCell(w, c.KeyPrefix + key, get(c.Analysis));
            }

            if (delta)
            {
                double? a = get(columns[0].Analysis), b = get(columns[1].Analysis);
                w.Element("td", a is double x && b is double y ? Markup.Level(y - x, signed: true) : "–", "class", "num");
            }

            if (target is not null)
            {
                string cell = targetValue is double tv ? (key == "truePeakDbtp" ? "≤ " : string.Empty) + Markup.Level(tv) : string.Empty;
                w.Element("td", cell, "class", "num");
            }

            w.Close("tr");
        }

        bool hours = columns.Any(c => c.Analysis.DurationSeconds >= 3599.5);
        w.Open("tr").Element("td", "Duration").Element("td", hours ? "h:mm:ss" : "m:ss");
        foreach (LevelsColumn c in columns)
        {
            w.Element("td", Markup.Time(c.Analysis.DurationSeconds, hours), "class", "num", "data-key", c.KeyPrefix + "durationSeconds",
                "data-value", Markup.DataValue(c.Analysis.DurationSeconds));
        }

        if (delta)
        {
            w.Element("td", string.Empty);
        }

        if (target is not null)
        {
            w.Element("td", string.Empty);
        }

        w.Close("tr").Close("tbody").Close("table");
    }

    /// <summary>How the playback table models the platforms (<see cref="PlaybackNormalisation"/>).</summary>
    public const string PlatformsCaption =
        "Every service turns louder programmes down to its level. Spotify, Apple Music and podcast apps turn quieter ones up only while the true peak stays under their ceiling; YouTube, Tidal, Amazon Music and Deezer never turn a quiet upload up; a broadcaster (EBU R128, ATSC A/85) aligns the programme to its target both ways.";

    /// <summary>[any thread] What each platform's loudness normalisation would do on playback, per
    /// column of (integrated, true peak): "turned down by 3.2 dB".</summary>
    public static void Platforms(HtmlWriter w, IReadOnlyList<(string Header, double? IntegratedLufs, double? TruePeakDbtp, string KeyPrefix)> columns)
    {
        w.Open("table", "class", "platforms");
        w.Open("thead").Open("tr").Element("th", "Platform").Element("th", "Normalises to", "class", "num");
        foreach ((string header, _, _, _) in columns)
        {
            w.Element("th", header);
        }

        w.Close("tr").Close("thead").Open("tbody");
        foreach (LoudnessTarget preset in LoudnessTarget.Presets)
        {
            w.Open("tr").Element("td", PresetName(preset.Preset));
            w.Element("td", string.Create(CultureInfo.InvariantCulture, $"{Markup.Level(preset.Lufs)} LUFS, {Markup.Level(preset.TruePeakDbtp)} dBTP"), "class", "num");
            foreach ((_, double? i, double? tp, string prefix) in columns)
            {
                if (i is double integrated)
                {
                    double gain = Math.Round(preset.PlaybackGainDb(integrated, tp ?? double.NegativeInfinity), 1, MidpointRounding.AwayFromZero) + 0.0;
                    bool quieter = integrated < preset.Lufs - 0.05;
                    string sentence = gain == 0 && quieter
                        ? (preset.Normalisation == PlaybackNormalisation.DownOnly ? "played as is (never turned up)" : "played as is (no true-peak headroom to turn it up)")
                        : PlaybackSentence(gain);
                    w.Element("td", sentence, "class", gain < 0 ? "down" : gain > 0 ? "up" : "same",
                        "data-key", $"{prefix}playback.{preset.Preset}", "data-value", Markup.DataValue(gain));
                }
                else
                {
                    w.Element("td", "– (silent)");
                }
            }

            w.Close("tr");
        }

        w.Close("tbody").Close("table");
    }

    /// <summary>[any thread] The EQ moves with their reasons; <paramref name="showApplied"/> adds the
    /// gain actually applied (after the amount).</summary>
    public static void Moves(HtmlWriter w, IReadOnlyList<MoveRow> moves, string keyPrefix, bool showApplied)
    {
        if (moves.Count == 0)
        {
            w.Element("p", "No EQ move suggested: the balance is within the tolerance of the reference.", "class", "caption");
            return;
        }

        w.Open("table", "class", "moves");
        w.Open("thead").Open("tr").Element("th", "#").Element("th", "Filter").Element("th", "Frequency", "class", "num")
            .Element("th", "Q", "class", "num").Element("th", "Suggested", "class", "num");
        if (showApplied)
        {
            w.Element("th", "Applied", "class", "num");
        }

        w.Element("th", "Reason").Close("tr").Close("thead").Open("tbody");
        for (int k = 0; k < moves.Count; k++)
        {
            MoveRow m = moves[k];
            string key = $"{keyPrefix}[{k}].";
            w.Open("tr").Element("td", (k + 1).ToString(CultureInfo.InvariantCulture)).Element("td", FilterName(m.Type), "data-key", key + "type", "data-text", FilterNames.Json(m.Type));
            w.Element("td", Markup.Hertz(m.FrequencyHz) + " Hz", "class", "num", "data-key", key + "frequencyHz", "data-value", Markup.DataValue(m.FrequencyHz));
            w.Element("td", m.Q.ToString("0.00", CultureInfo.InvariantCulture), "class", "num", "data-key", key + "q", "data-value", Markup.DataValue(m.Q));
            w.Element("td", Markup.Level(m.GainDb, signed: true) + " dB", "class", "num", "data-key", key + "gainDb", "data-value", Markup.DataValue(m.GainDb));
            if (showApplied)
            {
                w.Element("td", Markup.Level(m.AppliedGainDb, signed: true) + " dB", "class", "num", "data-key", key + "appliedGainDb", "data-value", Markup.DataValue(m.AppliedGainDb));
            }

            w.Element("td", m.Reason, "class", "reason");
            w.Close("tr");
        }

        w.Close("tbody").Close("table");
    }

    /// <summary>[any thread] Warnings, each a sentence, in a highlighted box (nothing when empty).</summary>
    public static void Warnings(HtmlWriter w, IReadOnlyList<string> warnings)
    {
        if (warnings.Count == 0)
        {
            return;
        }

        w.Open("div", "class", "warnings", "role", "note");
        foreach (string warning in warnings)
        {
            w.Element("p", "⚠ " + warning);
        }

        w.Close("div");
    }

    /// <summary>A table cell with a reported level.</summary>
    public static void ValueCell(HtmlWriter w, string key, double? value, string suffix = "") =>
        w.Element("td", Markup.Level(value) + (value is null ? string.Empty : suffix), "class", "num", "data-key", key, "data-value", Markup.DataValue(value));

    /// <summary>"turned down by 3.2 dB" and its kin.</summary>
    public static string PlaybackSentence(double gainDb) => gainDb switch
    {
        < 0 => string.Create(CultureInfo.InvariantCulture, $"turned down by {-gainDb:0.0} dB"),
        > 0 => string.Create(CultureInfo.InvariantCulture, $"turned up by {gainDb:0.0} dB"),
        _ => "played as is",
    };

    private static string PresetName(string preset) => preset switch
    {
        "spotify" => "Spotify",
        "apple" => "Apple Music",
        "youtube" => "YouTube",
        "tidal" => "Tidal",
        "amazon" => "Amazon Music",
        "deezer" => "Deezer",
        "ebu-r128" => "EBU R128 broadcast",
        "atsc-a85" => "ATSC A/85 broadcast",
        "podcast" => "Podcast",
        _ => preset,
    };

    /// <summary>[any thread] A filter type as people name it.</summary>
    public static string FilterName(FilterType type) => FilterNames.Spoken(type);
}
