using MixMate.Assistant.Loudness;
using MixMate.Cli.Analysis;
using MixMate.Cli.Commands;
using MixMate.Cli.Html;
using MixMate.Cli.Output;
using Xunit;

namespace MixMate.Cli.Tests;

/// <summary>
/// What the reports say is what happens: each platform's playback as it behaves, one rounding in
/// the terminal and on the page, legend glyphs as drawn, hour-long axes labelled h:mm:ss.
/// </summary>
public sealed class ReportTruthTests
{
    [Fact]
    public void YouTube_never_turns_a_quiet_upload_up_and_Spotify_only_within_the_peak_headroom()
    {
        LoudnessTarget youtube = LoudnessTarget.FindPreset("youtube")!;
        LoudnessTarget spotify = LoudnessTarget.FindPreset("spotify")!;
        LoudnessTarget ebu = LoudnessTarget.FindPreset("ebu-r128")!;
        Assert.Equal(0, youtube.PlaybackGainDb(-21.4, -6), 9);
        Assert.Equal(-3.2, youtube.PlaybackGainDb(-10.8, -0.5), 9);
        Assert.Equal(5, spotify.PlaybackGainDb(-21.4, -6), 9); // −6 dBTP raised to the −1 ceiling
        Assert.Equal(7.4, spotify.PlaybackGainDb(-21.4, -12), 9);
        Assert.Equal(0, spotify.PlaybackGainDb(-21.4, -0.5), 9);
        Assert.Equal(1.6, ebu.PlaybackGainDb(-24.6, -0.5), 9); // a broadcaster aligns both ways
        Assert.All(
            LoudnessTarget.Presets.Where(p => p.Preset is "youtube" or "tidal" or "amazon" or "deezer"),
            p => Assert.Equal(PlaybackNormalisation.DownOnly, p.Normalisation));
    }

    [Theory]
    [InlineData(-12.7496, "-12.8", "−12.8")]
    [InlineData(-12.744, "-12.7", "−12.7")]
    [InlineData(-0.04, "0.0", "0.0")]
    [InlineData(3.25, "3.3", "3.3")]
    public void The_terminal_and_the_page_show_the_same_tenth(double value, string terminal, string page)
    {
        var analysis = new LoudnessAnalysis("x.wav", 44100, 2, 10, value, value, value, value, value, value);
        string table = AnalyzeCommand.FormatTable([analysis]);
        Assert.Contains(" " + terminal, table, StringComparison.Ordinal);
        Assert.Equal(page, Markup.Level(analysis.Rounded().MaxShortTermLufs));
        Assert.Equal(double.Parse(terminal, System.Globalization.CultureInfo.InvariantCulture), Figures.Tenths(value));
    }

    [Fact]
    public void The_legend_draws_a_boost_pointing_up_and_a_cut_pointing_down_as_the_plot_does()
    {
        var plot = new SvgPlot("p", "t", PlotAxis.Frequency(), PlotAxis.Level(-40, 0, "dB"));
        plot.AddMarker(100, -20, pointsUp: true, "boost", SeriesStyle.Boost, "EQ boost");
        plot.AddMarker(1000, -20, pointsUp: false, "cut", SeriesStyle.Cut, "EQ cut");
        var w = new HtmlWriter();
        plot.Render(w);
        string svg = w.ToString();
        string legend = svg[svg.IndexOf("class=\"legend\"", StringComparison.Ordinal)..];
        // Up: the path starts at the apex and goes down to the base (l-5.5,9); down: the reverse.
        int up = legend.IndexOf("l-5.5,9 h11 z", StringComparison.Ordinal);
        int down = legend.IndexOf("l-5.5,-9 h11 z", StringComparison.Ordinal);
        Assert.True(up >= 0 && down >= 0, legend);
        Assert.True(up < legend.IndexOf("EQ boost", StringComparison.Ordinal), legend);
        Assert.True(down > legend.IndexOf("EQ boost", StringComparison.Ordinal) && down < legend.IndexOf("EQ cut", StringComparison.Ordinal), legend);
        // The plot's own markers: a boost's apex is above its base.
        Assert.Contains(" l-5.5,9 h11 z\" fill=\"" + SeriesStyle.Boost.Colour, svg, StringComparison.Ordinal);
    }

    [Fact]
    public void A_three_hour_axis_is_labelled_h_mm_ss()
    {
        PlotAxis axis = PlotAxis.Time(3 * 3600);
        Assert.Equal("Time (h:mm:ss)", axis.Title);
        Assert.Equal("0:00:00", axis.Ticks[0].Label);
        Assert.Contains(axis.Ticks, t => t.Label == "1:00:00");
        Assert.All(axis.Ticks, t => Assert.Matches(@"^\d+:\d\d:\d\d$", t.Label));
        Assert.Equal("Time (m:ss)", PlotAxis.Time(240).Title);
    }
}
