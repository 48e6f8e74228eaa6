using MixMate.Cli.Analysis;
using MixMate.Cli.Commands;

namespace MixMate.Cli.Html;

/// <summary>
/// The page of <c>mixmate analyze --html</c>: per file, the figures of the analysis table, loudness
/// over time, the long-term spectrum against the tonal reference, and what each platform's
/// normalisation would do. Its data island is the <c>--json</c> output.
/// </summary>
internal static class AnalyzeHtmlReport
{
    /// <summary>[main thread] Profiles every measured file (in parallel, streamed) and builds the page.</summary>
    /// <param name="results">The analyses, in argument order (unrounded, as measured).</param>
    public static ReportDocument Build(IReadOnlyList<LoudnessAnalysis> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var profiles = new ProgrammeProfile[results.Count];
        Parallel.For(0, results.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount) },
            i => profiles[i] = ProgrammeProfile.MeasureFile(results[i].Path));
        return Build(results, profiles);
    }

    /// <summary>[any thread] Builds the page from analyses and their profiles (same order).</summary>
    public static ReportDocument Build(IReadOnlyList<LoudnessAnalysis> results, IReadOnlyList<ProgrammeProfile> profiles)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(profiles);
        string title = results.Count == 1 ? "Loudness report: " + Path.GetFileName(results[0].Path) : $"Loudness report: {results.Count} files";
        var doc = new ReportDocument(title) { DataJson = AnalyzeCommand.ToJson(results) };
        doc.Header("analysis", [.. results.Select(r => ("File", r.Path))]);
        HtmlWriter w = doc.Body;
        for (int i = 0; i < results.Count; i++)
        {
            LoudnessAnalysis r = results[i].Rounded();
            ProgrammeProfile profile = profiles[i];
            string prefix = $"[{i}].";
            w.Open("article", "class", "file", "id", $"file-{i}");
            w.Element("h2", r.Path);
            ReportTables.Cards(w,
            [
                ("Integrated loudness", Markup.Level(r.IntegratedLufs), "LUFS", "gated, BS.1770-4"),
                ("Loudness range", Markup.Level(r.LoudnessRangeLu), "LU", "EBU Tech 3342"),
                ("True peak", Markup.Level(r.TruePeakDbtp), "dBTP", $"sample peak {Markup.Level(r.SamplePeakDbfs)} dBFS"),
                ("Format", $"{r.SampleRate / 1000.0:0.#}", "kHz", $"{r.Channels} channel(s), {Markup.Time(r.DurationSeconds)}"),
            ]);

            w.Open("section", "id", $"file-{i}-measurements");
            w.Element("h3", "Measurements");
            ReportTables.Levels(w, [new("Value", r, prefix)]);
            w.Close("section");

            w.Open("section", "id", $"file-{i}-loudness");
            w.Element("h3", "Loudness over time");
            ReportPlots.Loudness($"plot-loudness-{i}", profile, r.IntegratedLufs, null).Render(w);
            (double threshold, _) = profile.Timeline.Gates();
            w.Element("p", $"Momentary (400 ms) and short-term (3 s) loudness every 100 ms. Shaded: time whose 400 ms block is below the gate ({Markup.Level(threshold)} LUFS), which the integrated loudness ignores.", "class", "caption");
            w.Close("section");

            w.Open("section", "id", $"file-{i}-spectrum");
            w.Element("h3", "Long-term spectrum");
            ReportPlots.Spectrum($"plot-spectrum-{i}", profile.BandsDb, null, [], "programme").Render(w);
            w.Element("p", "ISO third-octave bands; the reference is MixMate's balanced full-mix curve aligned to the programme's level (it only means something for full mixes).", "class", "caption");
            w.Close("section");

            w.Open("section", "id", $"file-{i}-playback");
            w.Element("h3", "Playback on streaming platforms and broadcast");
            ReportTables.Platforms(w, [("This file", r.IntegratedLufs, r.TruePeakDbtp, prefix)]);
            w.Element("p", ReportTables.PlatformsCaption, "class", "caption");
            w.Close("section");
            w.Close("article");
        }

        return doc;
    }
}
