using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using MixMate.Cli.CommandLine;
using MixMate.Cli.Commands;
using MixMate.Cli.Tests.Support;
using Xunit;

namespace MixMate.Cli.Tests;

/// <summary>
/// <c>mixmate mix --html</c>: the page is well-formed and self-contained, every number on it equals
/// the mix JSON report of the same run (the master's under <c>master.</c>), and the level bars show
/// each stem's active loudness before and after its gain.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class HtmlMixReportTests
{
    private const double Rate = 48000;

    /// <summary>A mastered mix run shared by the tests (and by the Chromium test): stems, report, page.</summary>
    internal static readonly Lazy<(string[] Stems, string Json, string Html)> MasteredRun = new(() => RunMix("html-mix-master", master: true));

    private static readonly Lazy<(string[] Stems, string Json, string Html)> s_plainRun = new(() => RunMix("html-mix-plain", master: false));

    private static (string[], string, string) RunMix(string name, bool master)
    {
        string folder = TestFolder.NewFolder(name);
        string[] stems =
        [
            TestAudio.WriteWav(Path.Combine(folder, "drums & <loop>.wav"), HtmlReportTests.Programme((int)Rate)),
            TestAudio.WriteWav(Path.Combine(folder, "bass.wav"), TestSignals.Sine(70, -8, 30, Rate, channels: 1)),
            TestAudio.WriteWav(Path.Combine(folder, "pad.wav"), TestSignals.PinkNoise(-32, 20, Rate, 2, seed: 5)),
        ];
        string json = Path.Combine(folder, "mix.json");
        string html = Path.Combine(folder, "mix.html");
        string[] args = [.. stems, "-o", Path.Combine(folder, master ? "master.wav" : "mix.wav"), "--report", json, "--html", html, "--amount", "80", "--quiet"];
        if (master)
        {
            args = [.. args, "--master", "spotify"];
        }

        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int exit = MixCommand.Run(args, stdout, stderr, modelsDirectory: null);
        Assert.True(exit == 0, stderr.ToString());
        return (stems, json, html);
    }

    [Fact]
    public void Mastered_mix_page_numbers_equal_the_json_report()
    {
        (string[] stems, string jsonPath, string htmlPath) = MasteredRun.Value;
        HtmlPage page = HtmlPage.Load(htmlPath);
        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(jsonPath));
        JsonElement root = report.RootElement;

        int playback = 0;
        int compared = page.AssertMatches(root, (key, _) => playback++);
        int cuts = root.GetProperty("tracks").EnumerateArray().Sum(t => t.GetProperty("eq").GetArrayLength());
        int masterMoves = root.GetProperty("master").GetProperty("eq").GetArrayLength();

        // Per stem: path, role (+ confidence), loudness, proposed, gain, reasons; per cut: 2 in the row + 6 in the table;
        // output: 7 levels + 5 figures; master: 2×7 levels + 7 processing + bit depth + passes + 5 per EQ move.
        Assert.True(compared >= (stems.Length * 6) + (8 * cuts) + 12 + 14 + 8 + (5 * masterMoves), $"only {compared} cells compared");
        Assert.Equal(2 * Assistant.Loudness.LoudnessTarget.Presets.Count, playback);
        string[] keys = [.. page.Keyed().Select(e => (string)e.Attribute("data-key")!)];
        Assert.Contains("master.output.integratedLufs", keys);
        Assert.Contains("master.gainDb", keys);
        Assert.Contains("output.truePeakDbtp", keys);
        Assert.Contains("headroomDb", keys);
        for (int i = 0; i < stems.Length; i++)
        {
            Assert.Contains($"tracks[{i}].gainDb", keys);
            Assert.Contains($"tracks[{i}].role", keys);
            Assert.Contains($"tracks[{i}].reasons[0]", keys);
        }

        // The data island is the JSON report.
        using JsonDocument island = page.DataIsland();
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(root.GetRawText()), JsonNode.Parse(island.RootElement.GetRawText())));

        // The stems' awkward names are shown exactly; one table row per stem.
        Assert.Contains(page.Document.Descendants(HtmlPage.Xhtml + "code"), c => c.Value == stems[0]);
        XElement table = page.Document.Descendants(HtmlPage.Xhtml + "table").Single(t => (string?)t.Attribute("class") == "tracks");
        Assert.Equal(
            [.. Enumerable.Range(0, stems.Length).Select(i => $"track-{i}")],
            table.Descendants(HtmlPage.Xhtml + "tr").Select(r => (string?)r.Attribute("id")).Where(id => id is not null));

        // The mastering sections follow, with their plots; the balance bars come first.
        Assert.Equal(["plot-balance", "plot-loudness", "plot-spectrum", "plot-limiter"], page.Plots().Select(p => (string?)p.Attribute("id")).Where(id => id?.StartsWith("plot-problems-", StringComparison.Ordinal) != true));
        Assert.Contains(page.Document.Descendants(HtmlPage.Xhtml + "section"), s => (string?)s.Attribute("id") == "master-limiter");
    }

    [Fact]
    public void Balance_bars_show_each_stems_loudness_before_and_after_its_gain()
    {
        HtmlPage page = HtmlPage.Load(MasteredRun.Value.Html);
        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(MasteredRun.Value.Json));
        XElement chart = page.Plots().Single(p => (string?)p.Attribute("id") == "plot-balance");
        XElement[] bars = [.. chart.Descendants(HtmlPage.Svg + "rect").Where(r => (string?)r.Attribute("class") == "bar")];
        JsonElement[] tracks = [.. report.RootElement.GetProperty("tracks").EnumerateArray()];
        Assert.Equal(2 * tracks.Length, bars.Length);
        string[] labels = [.. chart.Descendants(HtmlPage.Svg + "text").Select(t => t.Value)];

        var widths = new List<(double Before, double After)>();
        for (int i = 0; i < tracks.Length; i++)
        {
            double before = tracks[i].GetProperty("activeLoudnessLufs").GetDouble();
            double after = before + tracks[i].GetProperty("gainDb").GetDouble();
            Assert.Contains(Html.Markup.Level(before) + " LUFS", labels);
            Assert.Contains(Html.Markup.Level(after) + " LUFS", labels);
            XElement b = bars[2 * i], a = bars[(2 * i) + 1];
            Assert.Equal("before", (string?)b.Attribute("data-series"));
            Assert.Equal("after", (string?)a.Attribute("data-series"));

            // Told apart without colour: the before bar is dashed, the after bar solid.
            Assert.NotNull(b.Attribute("stroke-dasharray"));
            Assert.Null(a.Attribute("stroke-dasharray"));
            widths.Add((Width(b), Width(a)));
        }

        // Bar lengths follow the levels: the same scale for all, longer is louder. The stems differ
        // enough that both rules are exercised (counted, so a change of material cannot make
        // them vacuous).
        int moved = 0;
        int ordered = 0;
        for (int i = 0; i < tracks.Length; i++)
        {
            double before = tracks[i].GetProperty("activeLoudnessLufs").GetDouble();
            double gain = tracks[i].GetProperty("gainDb").GetDouble();
            if (Math.Abs(gain) >= 0.5)
            {
                Assert.Equal(Math.Sign(gain), Math.Sign(widths[i].After - widths[i].Before));
                moved++;
            }

            for (int j = 0; j < tracks.Length; j++)
            {
                double other = tracks[j].GetProperty("activeLoudnessLufs").GetDouble();
                if (other > before + 0.5)
                {
                    Assert.True(widths[j].Before > widths[i].Before, $"stem {j} is louder than stem {i} but its bar is not longer");
                    ordered++;
                }
            }
        }

        Assert.True(moved > 0, "no stem moved by 0.5 dB or more: the gain-direction check never ran");
        Assert.True(ordered > 0, "no stem is 0.5 LU louder than another: the ordering check never ran");

        static double Width(XElement rect) => double.Parse((string)rect.Attribute("width")!, CultureInfo.InvariantCulture);
    }

    [Fact]
    public void Mix_page_without_master_has_no_master_sections()
    {
        (string[] stems, string jsonPath, string htmlPath) = s_plainRun.Value;
        HtmlPage page = HtmlPage.Load(htmlPath);
        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(jsonPath));
        Assert.Equal(JsonValueKind.Null, report.RootElement.GetProperty("master").ValueKind);
        int compared = page.AssertMatches(report.RootElement);
        Assert.True(compared >= (stems.Length * 6) + 12, $"only {compared} cells compared");
        Assert.DoesNotContain(page.Keyed(), e => ((string)e.Attribute("data-key")!).StartsWith("master.", StringComparison.Ordinal));
        Assert.Equal(["plot-balance"], page.Plots().Select(p => (string?)p.Attribute("id")).Where(id => id?.StartsWith("plot-problems-", StringComparison.Ordinal) != true));
        using JsonDocument island = page.DataIsland();
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(report.RootElement.GetRawText()), JsonNode.Parse(island.RootElement.GetRawText())));
    }

    [Fact]
    public void Mix_page_is_self_contained_and_protected_like_the_other_outputs()
    {
        string text = File.ReadAllText(MasteredRun.Value.Html);
        HtmlPage page = HtmlPage.Parse(text);
        Assert.DoesNotContain(page.Document.Descendants(), e => e.Attribute("src") is not null || e.Attribute("href") is not null);
        Assert.All(page.Document.Descendants(HtmlPage.Xhtml + "script"), s => Assert.Equal("application/json", (string?)s.Attribute("type")));
        Assert.DoesNotContain("url(", text, StringComparison.Ordinal);
        string withoutNamespaces = text.Replace("http://www.w3.org/1999/xhtml", string.Empty, StringComparison.Ordinal)
            .Replace("http://www.w3.org/2000/svg", string.Empty, StringComparison.Ordinal);
        Assert.DoesNotContain("http", withoutNamespaces, StringComparison.OrdinalIgnoreCase);

        // An existing page is kept without --force; the page may not be a stem.
        string[] stems = s_plainRun.Value.Stems;
        string folder = Path.GetDirectoryName(stems[0])!;
        string html = s_plainRun.Value.Html;
        DateTime before = File.GetLastWriteTimeUtc(html);
        CliException exists = Assert.Throws<CliException>(() => MixCommand.Run([stems[1], "-o", Path.Combine(folder, "other.wav"), "--html", html], TextWriter.Null, TextWriter.Null, null));
        Assert.Contains("already exists", exists.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.GetLastWriteTimeUtc(html));
        Assert.False(File.Exists(Path.Combine(folder, "other.wav")));
        Assert.Throws<CliException>(() => MixCommand.Run([stems[1], "-o", Path.Combine(folder, "other.wav"), "--html", stems[1], "--force"], TextWriter.Null, TextWriter.Null, null));
    }

    [Fact]
    public void Mix_help_mentions_html()
    {
        using var stdout = new StringWriter();
        Assert.Equal(0, MixCommand.Run(["--help"], stdout, TextWriter.Null, null));
        Assert.Contains("--html FILE", stdout.ToString(), StringComparison.Ordinal);
    }
}
