using System.Globalization;
using System.Text.Json;
using MixMate.Cli.Commands;

namespace MixMate.Cli.Html;

/// <summary>
/// The page of <c>mixmate master --album</c> (<c>DIR/album.html</c>): the album's loudness before and
/// after its one gain, what each platform does to the album on playback, and every track — its
/// loudness relative to the album before and after, whether the limiter moved it and by how much,
/// its true peak, and a link to its own master report. Its data island is <c>album.json</c>.
/// </summary>
internal static class AlbumHtmlReport
{
    /// <summary>[any-thread] Builds the page from the album report.</summary>
    /// <param name="report">The album report.</param>
    /// <param name="outDir">DIR, named in the header.</param>
    public static ReportDocument Build(AlbumReport report, string outDir)
    {
        ArgumentNullException.ThrowIfNull(report);
        var doc = new ReportDocument(string.Create(CultureInfo.InvariantCulture, $"Album master: {report.Tracks.Count} tracks"))
        {
            DataJson = JsonSerializer.Serialize(report, AlbumReportJsonContext.Default.AlbumReport),
        };
        doc.Header("album mastering", [("Folder", outDir)]);
        HtmlWriter w = doc.Body;
        ReportTables.Warnings(w, report.Warnings);
        ReportTables.Cards(w,
        [
            ("Album loudness", Markup.Level(report.OutputLufs), "LUFS", $"target {Markup.Level(report.Target.Lufs)}, was {Markup.Level(report.InputLufs)}"),
            ("Album gain", Markup.Level(report.GainDb, signed: true), "dB", "the same for every track"),
            ("Highest true peak", Markup.Level(report.TruePeakDbtp), "dBTP", $"ceiling {Markup.Level(report.Target.TruePeakDbtp)}"),
            ("Tracks", report.Tracks.Count.ToString(CultureInfo.InvariantCulture), string.Empty, $"{report.Tracks.Count(t => t.Limited)} limited"),
        ]);

        w.Open("section", "id", "tracks");
        w.Element("h3", "Tracks");
        w.Open("table", "class", "tracks");
        w.Open("thead").Open("tr").Element("th", "#").Element("th", "Track").Element("th", "Before LUFS", "class", "num").Element("th", "After LUFS", "class", "num")
            .Element("th", "Relative before LU", "class", "num").Element("th", "Relative after LU", "class", "num").Element("th", "Moved LU", "class", "num")
            .Element("th", "Limiter max dB", "class", "num").Element("th", "True peak dBTP", "class", "num").Element("th", "Report")
            .Close("tr").Close("thead").Open("tbody");
        for (int i = 0; i < report.Tracks.Count; i++)
        {
            AlbumReportTrack t = report.Tracks[i];
            string key = string.Create(CultureInfo.InvariantCulture, $"tracks[{i}].");
            w.Open("tr").Element("td", (i + 1).ToString(CultureInfo.InvariantCulture)).Element("td", t.Input, "data-key", key + "input");
            ReportTables.ValueCell(w, key + "inputLufs", t.InputLufs);
            ReportTables.ValueCell(w, key + "outputLufs", t.OutputLufs);
            Signed(w, key + "relativeInputLu", t.RelativeInputLu);
            Signed(w, key + "relativeOutputLu", t.RelativeOutputLu);
            w.Element("td", t.MovedLu is double m ? m.ToString("+0.00;−0.00;0.00", CultureInfo.InvariantCulture) : "–", "class", t.Limited ? "num bad" : "num",
                "data-key", key + "movedLu", "data-value", Markup.DataValue(t.MovedLu));
            ReportTables.ValueCell(w, key + "limiterMaxDb", t.LimiterMaxDb);
            ReportTables.ValueCell(w, key + "truePeakDbtp", t.TruePeakDbtp);
            w.Open("td").Open("a", "href", t.Html).Text(t.Html).Close("a").Close("td");
            w.Close("tr");
        }

        w.Close("tbody").Close("table");
        w.Element("p", "Relative: the track's integrated loudness minus the album's. One gain for the album keeps the relative loudness of every track the limiter leaves alone; a limited track moves by what the limiter took (Moved).", "class", "caption");
        w.Close("section");

        w.Open("section", "id", "playback");
        w.Element("h3", "The album on streaming platforms and broadcast");
        ReportTables.Platforms(w, [("Album", report.OutputLufs, report.TruePeakDbtp, string.Empty)]);
        w.Element("p", "Platforms that play albums with album normalisation apply one gain to every track, as here. " + ReportTables.PlatformsCaption, "class", "caption");
        w.Close("section");
        return doc;
    }

    private static void Signed(HtmlWriter w, string key, double? value) =>
        w.Element("td", Markup.Level(value, signed: true), "class", "num", "data-key", key, "data-value", Markup.DataValue(value));
}
