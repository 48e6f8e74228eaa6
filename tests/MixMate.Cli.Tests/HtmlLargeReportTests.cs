using System.Diagnostics;
using System.Text;
using System.Xml.Linq;
using MixMate.Assistant.Eq;
using MixMate.Assistant.Loudness;
using MixMate.Assistant.Mastering;
using MixMate.Cli.Analysis;
using MixMate.Cli.Commands;
using MixMate.Cli.Html;
using MixMate.Dsp.Spectrum;
using MixMate.Dsp.Filters;
using Xunit;
using Xunit.Abstractions;

namespace MixMate.Cli.Tests;

/// <summary>A 60-minute programme's master report (synthetic curve data: 36 000 loudness steps,
/// 36 000 limiter steps with overs) stays small because every curve is decimated for display.</summary>
public sealed class HtmlLargeReportTests(ITestOutputHelper output)
{
    private const double Hour = 3600;
    private const int Steps = 36000;

    [Fact]
    public void An_hour_long_master_report_is_under_2_MB_with_decimated_curves()
    {
        MasterCommand.MasterOutcome outcome = SyntheticHour();

        var clock = Stopwatch.StartNew();
        string html = MasterHtmlReport.Build(outcome, "in.wav", "out.wav").Render();
        clock.Stop();
        int bytes = Encoding.UTF8.GetByteCount(html);
        output.WriteLine($"60-minute master report: {bytes / 1024.0:0.0} KiB built in {clock.Elapsed.TotalMilliseconds:0} ms (first call, JIT included)");

        Assert.True(bytes < 2_000_000, $"{bytes} bytes");
        HtmlPage page = HtmlPage.Parse(html);
        foreach (XElement plot in page.Plots())
        {
            foreach (XElement curve in plot.Descendants().Where(e => e.Name.LocalName is "polyline" or "polygon"))
            {
                int points = ((string)curve.Attribute("points")!).Split(' ').Length;
                Assert.InRange(points, 2, (2 * SvgPlot.PlotWidth) + 2);
            }
        }

        // Overs are marked, but at most about one per 1/60 of the time axis.
        XElement limiter = page.Plots().Single(p => (string?)p.Attribute("id") == "plot-limiter");
        int markers = limiter.Descendants(HtmlPage.Svg + "g").Count(g => (string?)g.Attribute("class") == "marker");
        Assert.InRange(markers, 30, 61);
        Assert.Contains(page.Document.Descendants(HtmlPage.Xhtml + "p"), p => p.Value.Contains("exceed the −1.0 dBTP ceiling", StringComparison.Ordinal));

        // Gated-out shading is merged to at most one rectangle per pixel column.
        XElement loudness = page.Plots().Single(p => (string?)p.Attribute("id") == "plot-loudness");
        int rects = loudness.Descendants(HtmlPage.Svg + "g").Single(g => (string?)g.Attribute("class") == "shaded").Elements().Count();
        Assert.InRange(rects, 1, SvgPlot.PlotWidth);
    }

    private static MasterCommand.MasterOutcome SyntheticHour()
    {
        var random = new Random(7);
        ProgrammeProfile Profile(double offset)
        {
            var timeline = new LoudnessTimeline(Steps);
            for (int i = 0; i < Steps; i++)
            {
                // Songs of 4 minutes with 3 s gaps of near-silence between them.
                bool gap = i % 2400 < 30;
                double m = gap ? -80 : offset - 3 + (6 * random.NextDouble());
                timeline.OnStep((i + 1) * 0.1, m, gap ? -60 : offset + random.NextDouble());
                timeline.SetTruePeak(i, i % 600 == 0 ? -0.8 : -1.5 - random.NextDouble());
            }

            double[] bands = new double[ThirdOctaveBands.Count];
            for (int b = 0; b < bands.Length; b++)
            {
                bands[b] = offset - 10 - (b * 0.8);
            }

            return new ProgrammeProfile(timeline, bands, Hour);
        }

        float[] reduction = new float[Steps];
        for (int i = 0; i < Steps; i++)
        {
            reduction[i] = (float)(random.NextDouble() < 0.1 ? 3 * random.NextDouble() : 0);
        }

        EqMove[] moves = [new(FilterType.Peak, 160, -2, 1.4, "boomy"), new(FilterType.HighShelf, 10000, 1.5, 0.71, "dull")];
        var result = new MasterResult(4, [new GainSearch.Step(4, -14)], 3, 0.2, moves, moves, new double[31], new double[31], -14, -1.1, 84, [])
        {
            GainReductionStepSeconds = 0.1,
            GainReductionDb = reduction,
        };
        var before = new LoudnessAnalysis("in.wav", 48000, 2, Hour, -18, 7, -3, -3.2, -10, -13);
        var after = before with { Path = "out.wav", IntegratedLufs = -14, TruePeakDbtp = -0.8, SamplePeakDbfs = -1, MaxMomentaryLufs = -6, MaxShortTermLufs = -9 };
        var report = new MasterReport(before, after, new MasterReportTarget("spotify", -14, -1), 4, new MasterReportLimiter(3, 0.2),
            [.. moves.Select(m => new MasterReportEqMove(m.Type, m.FrequencyHz, m.GainDb, m.Q, m.Reason, m.GainDb))], [])
        {
            EqMode = "apply",
        };
        return new MasterCommand.MasterOutcome(result, report) { Plots = new MasterPlotData(Profile(-18), Profile(-14)) };
    }
}
