using System.Xml.Linq;
using MixMate.Cli.Html;
using Xunit;

namespace MixMate.Cli.Tests;

/// <summary>The HTML reports' building blocks: escaping, axis ticks, curve decimation, plot markup.</summary>
public sealed class HtmlMarkupTests
{
    [Theory]
    [InlineData("plain.wav")]
    [InlineData("a&b <c> \"d\" 'e'.wav")]
    [InlineData("</title><script>alert(1)</script>.wav")]
    [InlineData("ctrl\u0001\u001f\u007f.wav")]
    [InlineData("emoji 🎵 and lone \ud800 surrogate.wav")]
    public void Escaped_text_survives_as_xml_and_reads_back(string name)
    {
        var w = new HtmlWriter();
        w.Open("p", "title", name).Text(name).Close("p");
        XElement p = HtmlPage.Parse(w.ToString()).Document.Root!;

        string expected = name.Replace('\u0001', '\uFFFD').Replace('\u001f', '\uFFFD').Replace("\ud800", "\uFFFD", StringComparison.Ordinal);
        Assert.Equal(expected, p.Value);
        Assert.Equal(expected, (string?)p.Attribute("title"));
        Assert.Empty(p.Elements());
    }

    [Fact]
    public void Writer_refuses_mismatched_or_unclosed_elements()
    {
        var w = new HtmlWriter();
        w.Open("div");
        Assert.Throws<InvalidOperationException>(() => w.Close("span"));
        Assert.Throws<InvalidOperationException>(() => w.ToString());
    }

    [Fact]
    public void Frequency_axis_is_labelled_on_the_1_2_5_series()
    {
        PlotAxis axis = PlotAxis.Frequency();
        Assert.Equal(["20", "50", "100", "200", "500", "1k", "2k", "5k", "10k", "20k"], axis.Ticks.Select(t => t.Label));
        Assert.True(axis.Logarithmic);
        Assert.Equal(0.5, axis.Fraction(Math.Sqrt(20 * 20000.0)), 9);
        Assert.Contains(30.0, axis.MinorTicks);
        Assert.DoesNotContain(50.0, axis.MinorTicks);
    }

    [Theory]
    [InlineData(40.0, 5, "0:00", "0:40")]
    [InlineData(185.0, 20, "0:00", "3:00")]
    [InlineData(600.0, 60, "0:00", "10:00")]
    [InlineData(3600.0, 600, "0:00:00", "1:00:00")]
    [InlineData(10800.0, 1200, "0:00:00", "3:00:00")]
    public void Time_axis_uses_readable_steps_in_m_ss(double duration, double step, string first, string last)
    {
        PlotAxis axis = PlotAxis.Time(duration);
        Assert.InRange(axis.Ticks.Count, 2, 11);
        Assert.Equal(step, axis.Ticks[1].Value - axis.Ticks[0].Value);
        Assert.Equal(first, axis.Ticks[0].Label);
        Assert.Equal(last, axis.Ticks[^1].Label);
    }

    [Theory]
    [InlineData(-47.3, -12.1, 8)]
    [InlineData(-3.6, 0, 7)]
    [InlineData(-80, -10, 8)]
    public void Level_axis_covers_the_range_with_whole_steps(double min, double max, int maxTicks)
    {
        PlotAxis axis = PlotAxis.Level(min, max, "dB", maxTicks);
        Assert.True(axis.Min <= min && axis.Max >= max);
        Assert.InRange(axis.Ticks.Count, 2, maxTicks);
        double step = axis.Ticks[1].Value - axis.Ticks[0].Value;
        Assert.Contains(step, new[] { 0.5, 1, 2, 3, 5, 6, 10, 12, 20, 30, 50, 100 });
        Assert.All(axis.Ticks, t => Assert.Equal(0, Math.IEEERemainder(t.Value, step), 9));
        Assert.All(axis.Ticks.Where(t => t.Value < 0), t => Assert.StartsWith("−", t.Label, StringComparison.Ordinal));
    }

    [Fact]
    public void Min_max_decimation_of_an_hour_keeps_every_extreme_and_bounds_the_points()
    {
        // 60 minutes of 100 ms steps: a slow sine with a single spike and a single dropout to silence.
        const int Steps = 36000;
        double[] x = new double[Steps], y = new double[Steps];
        for (int i = 0; i < Steps; i++)
        {
            x[i] = (i + 1) * 0.1;
            y[i] = -14 + (4 * Math.Sin(i / 900.0));
        }

        y[12345] = -2.5;
        y[23456] = double.NegativeInfinity;

        (double[] dx, double[] dy) = CurveDecimator.MinMax(x, y, SvgPlot.PlotWidth, floor: -60);
        Assert.InRange(dx.Length, SvgPlot.PlotWidth, 2 * SvgPlot.PlotWidth);
        Assert.Contains(-2.5, dy);
        Assert.Contains(-60.0, dy);
        Assert.Contains(x[12345], dx);
        Assert.Equal(y.Where(double.IsFinite).Max(), dy.Max());
        for (int i = 1; i < dx.Length; i++)
        {
            Assert.True(dx[i] > dx[i - 1], "decimated points keep their time order");
        }

        // Short curves are left alone (only floored).
        (double[] sx, double[] sy) = CurveDecimator.MinMax(x.AsSpan(0, 100), y.AsSpan(0, 100), SvgPlot.PlotWidth, -60);
        Assert.Equal(100, sx.Length);
        Assert.Equal(y[..100], sy);
    }

    [Fact]
    public void Adjacent_ranges_merge_below_the_gap()
    {
        List<(double, double)> merged = CurveDecimator.MergeRanges([(0, 1), (1.05, 2), (5, 6), (6.5, 7)], 0.1);
        Assert.Equal([(0.0, 2.0), (5.0, 6.0), (6.5, 7.0)], merged);
    }

    [Fact]
    public void A_plot_is_well_formed_svg_with_title_ticks_and_legend()
    {
        var plot = new SvgPlot("p1", "A <test> & plot", PlotAxis.Frequency(), PlotAxis.Level(-60, 0, "Level (dB)"));
        plot.AddLine("curve \"one\"", [20, 1000, 20000], [-50, -10, -40], SeriesStyle.After);
        plot.AddShadedRanges("shade", [(100, 200)], SeriesStyle.GatedOut);
        plot.AddMarker(1000, -10, pointsUp: true, "+2.0 dB", SeriesStyle.Boost, "EQ boost");
        plot.AddMarker(2000, -12, pointsUp: true, "+1.0 dB", SeriesStyle.Boost, "EQ boost");
        plot.AddHorizontalLine("target", -20, SeriesStyle.Target, "target");
        var w = new HtmlWriter();
        plot.Render(w);

        XElement svg = HtmlPage.Parse(w.ToString()).Document.Root!;
        Assert.Equal(HtmlPage.Svg + "svg", svg.Name);
        Assert.Equal("A <test> & plot", svg.Element(HtmlPage.Svg + "title")!.Value);
        string[] texts = [.. svg.Descendants(HtmlPage.Svg + "text").Select(t => t.Value)];
        Assert.Contains("1k", texts);
        Assert.Contains("−60", texts);
        Assert.Contains("curve \"one\"", texts);
        Assert.Single(texts, t => t == "EQ boost");
        Assert.Equal(3, plot.PointCount);
    }
}
