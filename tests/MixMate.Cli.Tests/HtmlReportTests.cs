using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using MixMate.Assistant.Loudness;
using MixMate.Cli.Audio;
using MixMate.Cli.Commands;
using MixMate.Cli.Tests.Support;
using Xunit;

namespace MixMate.Cli.Tests;

/// <summary>
/// <c>--html</c> on analyze, master and suggest: the page is well-formed XML, self-contained, and
/// every number on it equals the JSON report of the same run.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class HtmlReportTests
{
    /// <summary>Master run shared by the tests (and by the Chromium test): input, report, page.</summary>
    internal static readonly Lazy<(string Input, string Json, string Html)> MasterRun = new(RunMaster);

    // A quiet 6 s intro (40 dB down: gated out) then 24 s of pink noise at −20 dBFS RMS with kicks
    // peaking near −4 dBFS, so the limiter has a few dB of work at −12 LUFS.
    internal static PlanarBuffer Programme(int rate)
    {
        PlanarBuffer buffer = TestSignals.PinkNoise(-20, 30, rate, 2, seed: 21);
        for (int i = 0; i < buffer.Frames; i++)
        {
            double t = (double)i / rate;
            double envelope = t < 6 ? 0.01 : 1.0;
            double beat = t % 0.5;
            double kick = t >= 6 && beat < 0.08 ? 0.6 * Math.Sin(2 * Math.PI * 60 * beat) * Math.Exp(-beat * 30) : 0;
            buffer[0][i] = (float)((buffer[0][i] * envelope) + kick);
            buffer[1][i] = (float)((buffer[1][i] * envelope) + kick);
        }

        return buffer;
    }

    private static (string, string, string) RunMaster()
    {
        string folder = TestFolder.NewFolder("html-master");
        string input = Path.Combine(folder, "mix & <friends> \"live\".wav");
        PlanarBuffer audio = Programme(48000);
        AudioFileWriter.WriteAll(input, audio.Block, 48000, SampleFormat.Float32);
        string json = Path.Combine(folder, "report.json");
        string html = Path.Combine(folder, "report.html");
        CliRunner.Result run = CliRunner.Process("master", input, "-o", Path.Combine(folder, "master.wav"), "--lufs", "-12", "--eq", "apply",
            "--amount", "50", "--report", json, "--html", html, "--quiet");
        Assert.True(run.ExitCode == 0, run.ToString());
        return (input, json, html);
    }

    [Fact]
    public void Master_page_numbers_equal_the_json_report()
    {
        (string input, string jsonPath, string htmlPath) = MasterRun.Value;
        HtmlPage page = HtmlPage.Load(htmlPath);
        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(jsonPath));
        JsonElement root = report.RootElement;

        var playback = new Dictionary<string, double>();
        int compared = page.AssertMatches(root, (key, value) => playback[key] = value);
        int moves = root.GetProperty("eq").GetArrayLength();
        Assert.True(compared >= 14 + 9 + (5 * moves), $"only {compared} cells compared");
        Assert.Contains(page.Keyed(), e => (string?)e.Attribute("data-key") == "output.integratedLufs");
        Assert.Contains(page.Keyed(), e => (string?)e.Attribute("data-key") == "output.truePeakDbtp");

        // Predicted playback gains: the presets' rule applied to the reported I and TP, 0.1 dB.
        Assert.Equal(2 * LoudnessTarget.Presets.Count, playback.Count);
        foreach (LoudnessTarget preset in LoudnessTarget.Presets)
        {
            foreach (string side in new[] { "input", "output" })
            {
                JsonElement analysis = root.GetProperty(side);
                double expected = Math.Round(preset.PlaybackGainDb(analysis.GetProperty("integratedLufs").GetDouble(), analysis.GetProperty("truePeakDbtp").GetDouble()), 1, MidpointRounding.AwayFromZero);
                Assert.Equal(expected, playback[$"{side}.playback.{preset.Preset}"], 9);
            }
        }

        // The visible text is the reported value to 0.1 dB.
        XElement integrated = page.Keyed().Single(e => (string?)e.Attribute("data-key") == "output.integratedLufs");
        Assert.Equal(root.GetProperty("output").GetProperty("integratedLufs").GetDouble().ToString("0.0", CultureInfo.InvariantCulture).Replace('-', '−'), integrated.Value);

        // The data island is the JSON report.
        using JsonDocument island = page.DataIsland();
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(root.GetRawText()), JsonNode.Parse(island.RootElement.GetRawText())));

        // The input's awkward name is shown exactly.
        Assert.Contains(page.Document.Descendants(HtmlPage.Xhtml + "code"), c => c.Value == input);
    }

    [Fact]
    public void Master_page_has_the_three_plots_with_their_content()
    {
        HtmlPage page = HtmlPage.Load(MasterRun.Value.Html);
        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(MasterRun.Value.Json));
        IReadOnlyList<XElement> plots = page.Plots();
        Assert.Equal(["plot-loudness", "plot-spectrum", "plot-limiter"], plots.Select(p => (string?)p.Attribute("id")).Where(id => id?.StartsWith("plot-problems-", StringComparison.Ordinal) != true));

        // A problem strip is drawn for each file with problems, after the plots.
        string[] strips = [.. plots.Select(p => (string?)p.Attribute("id") ?? string.Empty).Where(id => id.StartsWith("plot-problems-", StringComparison.Ordinal))];
        Assert.Equal(report.RootElement.GetProperty("inputProblems").GetArrayLength() > 0, strips.Contains("plot-problems-input"));
        Assert.Equal(report.RootElement.GetProperty("outputProblems").GetArrayLength() > 0, strips.Contains("plot-problems-output"));

        // Loudness: curves for before, momentary and short-term; the quiet intro shaded as gated out.
        XElement loudness = plots[0];
        Assert.Equal(3, loudness.Descendants(HtmlPage.Svg + "polyline").Count());
        XElement shaded = loudness.Descendants(HtmlPage.Svg + "g").Single(g => (string?)g.Attribute("class") == "shaded");
        XElement first = shaded.Elements(HtmlPage.Svg + "rect").First();
        Assert.InRange(double.Parse((string)first.Attribute("x")!, CultureInfo.InvariantCulture), 62, 75);
        Assert.Contains(loudness.Descendants(HtmlPage.Svg + "text"), t => t.Value.StartsWith("target −12.0", StringComparison.Ordinal));

        // Spectrum: one marker per EQ move, labelled with the applied gain.
        XElement spectrum = plots[1];
        JsonElement eq = report.RootElement.GetProperty("eq");
        Assert.Equal(eq.GetArrayLength(), spectrum.Descendants(HtmlPage.Svg + "g").Count(g => (string?)g.Attribute("class") == "marker"));
        foreach (JsonElement move in eq.EnumerateArray())
        {
            string label = Html.Markup.Level(move.GetProperty("appliedGainDb").GetDouble(), signed: true) + " dB";
            Assert.Contains(spectrum.Descendants(HtmlPage.Svg + "text"), t => t.Value == label);
        }

        // Limiter: a filled reduction curve reaching the reported maximum.
        XElement limiter = plots[2];
        Assert.Single(limiter.Descendants(HtmlPage.Svg + "polygon"));
        double max = report.RootElement.GetProperty("limiter").GetProperty("maxGainReductionDb").GetDouble();
        Assert.True(max > 1, $"the programme should make the limiter work (max {max} dB)");
        Assert.Contains(limiter.Descendants(HtmlPage.Svg + "text"), t => t.Value == $"max {Html.Markup.Level(max)} dB");
    }

    [Fact]
    public void Master_page_is_self_contained()
    {
        string text = File.ReadAllText(MasterRun.Value.Html);
        HtmlPage page = HtmlPage.Parse(text);
        Assert.DoesNotContain(page.Document.Descendants(), e => e.Attribute("src") is not null || e.Attribute("href") is not null);
        Assert.All(page.Document.Descendants(HtmlPage.Xhtml + "script"), s => Assert.Equal("application/json", (string?)s.Attribute("type")));
        Assert.DoesNotContain("@import", text, StringComparison.Ordinal);
        Assert.DoesNotContain("url(", text, StringComparison.Ordinal);
        string withoutNamespaces = text.Replace("http://www.w3.org/1999/xhtml", string.Empty, StringComparison.Ordinal)
            .Replace("http://www.w3.org/2000/svg", string.Empty, StringComparison.Ordinal);
        Assert.DoesNotContain("http", withoutNamespaces, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("@media print", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_page_numbers_equal_the_json_output_for_every_file()
    {
        string folder = TestFolder.NewFolder("html-analyze");
        string odd = Path.Combine(folder, "odd & <name> \"q\" 'x'.wav");
        string tone = Path.Combine(folder, "tone.wav");
        PlanarBuffer programme = Programme(44100);
        AudioFileWriter.WriteAll(odd, programme.Block, 44100, SampleFormat.Pcm24);
        PlanarBuffer sine = TestSignals.Sine(1000, -18, 8, 48000);
        AudioFileWriter.WriteAll(tone, sine.Block, 48000, SampleFormat.Pcm16);
        string html = Path.Combine(folder, "analysis.html");

        CliRunner.Result run = CliRunner.Analyze(odd, tone, "--json", "--html", html);
        Assert.True(run.ExitCode == 0, run.ToString());
        using JsonDocument json = JsonDocument.Parse(run.Stdout);
        HtmlPage page = HtmlPage.Load(html);

        int compared = page.AssertMatches(json.RootElement);
        Assert.Equal(2 * 7, compared);
        Assert.Equal([odd, tone], page.Document.Descendants(HtmlPage.Xhtml + "h2").Select(h => h.Value));
        Assert.Equal(4, page.Plots().Count);
        using JsonDocument island = page.DataIsland();
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(run.Stdout), JsonNode.Parse(island.RootElement.GetRawText())));

        // Refuses to overwrite the page without --force, then does with it.
        CliRunner.Result refused = CliRunner.Analyze(tone, "--html", html);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("already exists", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, CliRunner.Analyze(tone, "--html", html, "--force").ExitCode);
        Assert.Single(HtmlPage.Load(html).Document.Descendants(HtmlPage.Xhtml + "h2"));
    }

    [Fact]
    public void Suggest_page_moves_equal_the_json_output()
    {
        string folder = TestFolder.NewFolder("html-suggest");
        string input = Path.Combine(folder, "bass & keys.wav");
        PlanarBuffer programme = Programme(44100);
        AudioFileWriter.WriteAll(input, programme.Block, 44100, SampleFormat.Pcm24);
        string html = Path.Combine(folder, "suggest.html");

        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int exit = SuggestCommand.Run([input, "--json", "--html", html], stdout, stderr, null);
        Assert.True(exit == 0, stderr.ToString());
        using JsonDocument json = JsonDocument.Parse(stdout.ToString());
        HtmlPage page = HtmlPage.Load(html);

        int moves = json.RootElement[0].GetProperty("eq").GetArrayLength();
        Assert.True(moves > 0, "pink noise with kicks should need some EQ");
        int compared = page.AssertMatches(json.RootElement);
        Assert.True(compared >= (4 * moves) + 1, $"only {compared} cells compared");
        XElement spectrum = Assert.Single(page.Plots());
        Assert.Equal(moves, spectrum.Descendants(HtmlPage.Svg + "g").Count(g => (string?)g.Attribute("class") == "marker"));
        using JsonDocument island = page.DataIsland();
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(stdout.ToString()), JsonNode.Parse(island.RootElement.GetRawText())));
    }
}
