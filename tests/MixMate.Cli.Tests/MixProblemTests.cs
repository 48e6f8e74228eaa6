using System.Text.Json;
using System.Xml.Linq;
using MixMate.Cli.Audio;
using MixMate.Cli.Tests.Support;
using Xunit;

namespace MixMate.Cli.Tests.Mix;

/// <summary>
/// <c>mix</c> runs <c>mixmate check</c>'s checks on its stems and on what it writes: a clipped stem
/// and a stem with an inverted channel are named with the time and the fix, after the files are
/// written; the report lists them per stem (<c>inputProblems</c>) and for the written file
/// (<c>outputProblems</c>); the HTML page draws them on the time axis; a clean stem draws nothing.
/// </summary>
public sealed class MixProblemTests
{
    private const double Rate = 48000;

    private static readonly Lazy<(string Clean, string Clipped, string Inverted)> s_stems = new(() =>
    {
        string folder = TestFolder.NewFolder("mix-problem-stems");

        // A clean stem: a steady chord that fades in and out (no clicks, no edges).
        PlanarBuffer clean = TestSignals.Sine(220, -14, 4, Rate);
        PlanarBuffer fifth = TestSignals.Sine(330, -18, 4, Rate);
        for (int c = 0; c < clean.Channels; c++)
        {
            Span<float> x = clean[c];
            Span<float> y = fifth[c];
            for (int i = 0; i < x.Length; i++)
            {
                double t = i / Rate;
                double fade = Math.Min(1, Math.Min(t / 0.5, (4 - t) / 0.5));
                x[i] = (float)((x[i] + y[i]) * fade);
            }
        }

        // Clipped from 1.0 to 2.0 s: driven 24 dB into full scale.
        PlanarBuffer clipped = TestSignals.PinkNoise(-20, 4, Rate, 2, seed: 11);
        for (int c = 0; c < clipped.Channels; c++)
        {
            Span<float> x = clipped[c];
            for (int i = (int)(1.0 * Rate); i < (int)(2.0 * Rate); i++)
            {
                x[i] = Math.Clamp(x[i] * 16f, -1f, 1f);
            }
        }

        // One channel inverted: the right is the left upside down.
        PlanarBuffer mono = TestSignals.PinkNoise(-20, 4, Rate, 1, seed: 12);
        var inverted = new PlanarBuffer(2, mono.Frames, Rate);
        mono[0].CopyTo(inverted[0]);
        for (int i = 0; i < mono.Frames; i++)
        {
            inverted[1][i] = -mono[0][i];
        }

        return (TestAudio.WriteWav(Path.Combine(folder, "clean.wav"), clean),
            TestAudio.WriteWav(Path.Combine(folder, "clipped.wav"), clipped),
            TestAudio.WriteWav(Path.Combine(folder, "inverted.wav"), inverted));
    });

    [Fact]
    public void Mix_names_the_clipped_and_the_inverted_stem_with_time_and_fix_and_the_report_lists_them()
    {
        (string clean, string clipped, string inverted) = s_stems.Value;
        string folder = TestFolder.NewFolder("mix-problems");
        string output = Path.Combine(folder, "mix.wav");
        string report = Path.Combine(folder, "mix.json");
        string html = Path.Combine(folder, "mix.html");

        CliRunner.Result run = CliRunner.Process("mix", clean, clipped, inverted, "-o", output, "--report", report, "--html", html, "--quiet");

        Assert.True(run.ExitCode == 0, run.ToString());
        string clipLine = Assert.Single(run.StderrLines, l => l.Contains(clipped, StringComparison.Ordinal) && l.Contains("clipped", StringComparison.Ordinal));
        Assert.StartsWith("mixmate: warning: ", clipLine, StringComparison.Ordinal);
        Assert.Contains("0:01", clipLine, StringComparison.Ordinal);
        Assert.Contains("lower the gain", clipLine, StringComparison.Ordinal);
        Assert.Contains(run.StderrLines, l => l.Contains(inverted, StringComparison.Ordinal) && l.Contains("inverted", StringComparison.Ordinal));
        Assert.DoesNotContain(run.StderrLines, l => l.Contains(clean, StringComparison.Ordinal));

        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(report));
        JsonElement[] stems = [.. doc.RootElement.GetProperty("inputProblems").EnumerateArray()];
        Assert.Equal([clean, clipped, inverted], stems.Select(s => s.GetProperty("path").GetString()));
        Assert.Empty(stems[0].GetProperty("problems").EnumerateArray());
        JsonElement clipping = Assert.Single(stems[1].GetProperty("problems").EnumerateArray(), p => p.GetProperty("kind").GetString() == "clipping");
        Assert.InRange(clipping.GetProperty("start").GetDouble(), 0.5, 1.5);
        Assert.InRange(clipping.GetProperty("end").GetDouble(), 1.5, 2.5);
        Assert.False(string.IsNullOrEmpty(clipping.GetProperty("fix").GetString()));
        Assert.False(string.IsNullOrEmpty(clipping.GetProperty("source").GetString()));
        Assert.Contains(stems[2].GetProperty("problems").EnumerateArray(), p => p.GetProperty("kind").GetString() == "polarity");

        // A stem is not judged as a programme: no loudness, peaks, format, balance or silence.
        string[] notOnStems = ["loudness", "true_peak_over", "format", "over_compressed", "stereo_imbalance", "silence_start", "silence_end", "abrupt_end", "resonance", "sibilance"];
        Assert.DoesNotContain(stems.SelectMany(s => s.GetProperty("problems").EnumerateArray()), p => notOnStems.Contains(p.GetProperty("kind").GetString()));
        Assert.Equal(JsonValueKind.Array, doc.RootElement.GetProperty("outputProblems").ValueKind);

        // The page draws the problems on the time axis, each mark with its kind, severity and fix,
        // and its table cells hold the report's figures.
        HtmlPage page = HtmlPage.Load(html);
        XElement[] marks = [.. page.Document.Descendants().Where(e => e.Name.LocalName == "rect" && e.Attribute("data-kind") is not null)];
        XElement clipMark = Assert.Single(marks, m => (string?)m.Attribute("data-kind") == "clipping");
        Assert.Equal(clipping.GetProperty("severity").GetString(), (string?)clipMark.Attribute("data-severity"));
        Assert.Equal(clipping.GetProperty("start").GetDouble(), double.Parse((string)clipMark.Attribute("data-start")!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("lower the gain", clipMark.Value, StringComparison.Ordinal);
        Assert.Contains(marks, m => (string?)m.Attribute("data-kind") == "polarity");
        Assert.NotNull(page.Document.Descendants().FirstOrDefault(e => (string?)e.Attribute("id") == "problems-stem-1"));
        using JsonDocument island = page.DataIsland();
        Assert.True(page.AssertMatches(island.RootElement) > 0);
    }

    [Fact]
    public void A_mix_that_fails_says_only_why()
    {
        // The report cannot be written (its folder is a file): the stems' problems were found, but a
        // failed run prints its one error line and nothing else.
        (string clean, string clipped, _) = s_stems.Value;
        string folder = TestFolder.NewFolder("mix-problems-fail");
        string blocker = Path.Combine(folder, "not-a-folder");
        File.WriteAllText(blocker, "x");
        string output = Path.Combine(folder, "mix.wav");

        CliRunner.Result run = CliRunner.Process("mix", clean, clipped, "-o", output, "--report", Path.Combine(blocker, "mix.json"), "--quiet");

        Assert.Equal(2, run.ExitCode);
        string line = Assert.Single(run.StderrLines);
        Assert.DoesNotContain("warning", line, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }
}
