using System.Text;

namespace MixMate.Cli.Html;

/// <summary>
/// A small inline-SVG line plot: shaded x-ranges, curves, filled areas, horizontal reference lines,
/// point markers with labels, axes with grid and a legend. Coordinates are computed here in a fixed
/// viewBox (<see cref="Width"/> × <see cref="Height"/>) that the page scales to its width, so it
/// prints as vectors. Curves are drawn as given: decimate long ones first
/// (<see cref="CurveDecimator"/>, to about <see cref="PlotWidth"/> buckets).
/// </summary>
internal sealed class SvgPlot
{
    public const int Width = 960;
    public const int Height = 330;
    private const double Left = 62, Right = 18, Top = 34, Bottom = 44;

    private readonly List<(string Label, SeriesStyle Style, LegendKind Kind)> _legend = [];
    private readonly StringBuilder _ranges = new();
    private readonly StringBuilder _series = new();
    private readonly StringBuilder _overlays = new();

    /// <param name="id">Element id (unique in the page), also used for the accessible title.</param>
    /// <param name="title">What the plot shows, read by screen readers and shown as a tooltip.</param>
    /// <param name="x">Horizontal axis.</param>
    /// <param name="y">Vertical axis.</param>
    public SvgPlot(string id, string title, PlotAxis x, PlotAxis y)
    {
        Id = id;
        Title = title;
        X = x;
        Y = y;
    }

    private enum LegendKind
    {
        Line,
        Area,

        /// <summary>A triangle pointing down (▼), as a marker drawn with pointsUp false.</summary>
        Marker,

        /// <summary>A triangle pointing up (▲), as a marker drawn with pointsUp true.</summary>
        MarkerUp,
    }

    /// <summary>Width of the plotting area in viewBox units: the bucket count worth decimating to.</summary>
    public static int PlotWidth => (int)(Width - Left - Right);

    public string Id { get; }

    public string Title { get; }

    public PlotAxis X { get; }

    public PlotAxis Y { get; }

    /// <summary>Number of points drawn so far (for tests of decimation).</summary>
    public int PointCount { get; private set; }

    /// <summary>[any thread, one plot per thread] A curve; values outside the y range are drawn at the edge.</summary>
    public void AddLine(string label, ReadOnlySpan<double> xs, ReadOnlySpan<double> ys, SeriesStyle style)
    {
        if (xs.Length == 0)
        {
            return;
        }

        _series.Append("<polyline class=\"curve\" fill=\"none\"");
        AppendStroke(_series, style);
        _series.Append(" points=\"");
        AppendPoints(_series, xs, ys);
        _series.Append("\" />");
        _legend.Add((label, style, LegendKind.Line));
    }

    /// <summary>A curve filled down (or up) to <paramref name="baseline"/>.</summary>
    public void AddArea(string label, ReadOnlySpan<double> xs, ReadOnlySpan<double> ys, double baseline, SeriesStyle style)
    {
        if (xs.Length == 0)
        {
            return;
        }

        double yb = PixelY(baseline);
        _series.Append("<polygon class=\"area\"");
        AppendStroke(_series, style);
        _series.Append(" fill=\"").Append(style.Colour).Append("\" fill-opacity=\"").Append(Markup.Number(style.FillOpacity, 2)).Append('"');
        _series.Append(" points=\"").Append(Markup.Number(PixelX(xs[0]))).Append(',').Append(Markup.Number(yb)).Append(' ');
        AppendPoints(_series, xs, ys);
        _series.Append(' ').Append(Markup.Number(PixelX(xs[^1]))).Append(',').Append(Markup.Number(yb)).Append("\" />");
        _legend.Add((label, style, LegendKind.Area));
    }

    /// <summary>Shades x-ranges over the whole height (behind everything else).</summary>
    public void AddShadedRanges(string label, IReadOnlyList<(double From, double To)> ranges, SeriesStyle style)
    {
        if (ranges.Count == 0)
        {
            return;
        }

        _ranges.Append("<g class=\"shaded\" fill=\"").Append(style.Colour).Append("\" fill-opacity=\"").Append(Markup.Number(style.FillOpacity, 2)).Append("\">");
        foreach ((double from, double to) in ranges)
        {
            double x0 = PixelX(from), x1 = PixelX(to);
            _ranges.Append("<rect x=\"").Append(Markup.Number(x0)).Append("\" y=\"").Append(Markup.Number(Top))
                .Append("\" width=\"").Append(Markup.Number(Math.Max(0.6, x1 - x0))).Append("\" height=\"")
                .Append(Markup.Number(Height - Top - Bottom)).Append("\" />");
        }

        _ranges.Append("</g>");
        _legend.Add((label, style, LegendKind.Area));
    }

    /// <summary>A horizontal line across the plot with a label at its right end.</summary>
    public void AddHorizontalLine(string label, double y, SeriesStyle style, string? annotation = null, bool annotateLeft = false)
    {
        if (!double.IsFinite(y))
        {
            return;
        }

        double py = PixelY(y);
        _overlays.Append("<line x1=\"").Append(Markup.Number(Left)).Append("\" x2=\"").Append(Markup.Number(Width - Right))
            .Append("\" y1=\"").Append(Markup.Number(py)).Append("\" y2=\"").Append(Markup.Number(py)).Append('"');
        AppendStroke(_overlays, style);
        _overlays.Append(" />");
        if (annotation is not null)
        {
            _overlays.Append("<text class=\"note\" x=\"").Append(Markup.Number(annotateLeft ? Left + 4 : Width - Right - 4)).Append("\" y=\"")
                .Append(Markup.Number(py - 4)).Append("\" text-anchor=\"").Append(annotateLeft ? "start" : "end").Append("\" fill=\"").Append(style.Colour).Append("\">")
                .Append(Markup.Escape(annotation)).Append("</text>");
        }

        _legend.Add((label, style, LegendKind.Line));
    }

    /// <summary>A triangle marker at (<paramref name="x"/>, <paramref name="y"/>) pointing up or down,
    /// with a label beside it. <paramref name="legend"/> adds one legend entry per distinct label.</summary>
    public void AddMarker(double x, double y, bool pointsUp, string label, SeriesStyle style, string legend)
    {
        double px = PixelX(x), py = PixelY(y);
        double d = pointsUp ? -1 : 1;
        _overlays.Append("<g class=\"marker\"><line x1=\"").Append(Markup.Number(px)).Append("\" x2=\"").Append(Markup.Number(px))
            .Append("\" y1=\"").Append(Markup.Number(Top)).Append("\" y2=\"").Append(Markup.Number(Height - Bottom)).Append('"')
            .Append(" stroke=\"").Append(style.Colour).Append("\" stroke-width=\"0.8\" stroke-dasharray=\"1 3\" />");
        _overlays.Append("<path d=\"M").Append(Markup.Number(px)).Append(',').Append(Markup.Number(py + (d * 7)))
            .Append(" l-5.5,").Append(Markup.Number(-d * 9)).Append(" h11 z\" fill=\"").Append(style.Colour).Append("\" stroke=\"#ffffff\" stroke-width=\"0.8\" />");
        if (label.Length > 0)
        {
            bool right = px < Width - Right - 70;
            _overlays.Append("<text class=\"note\" x=\"").Append(Markup.Number(px + (right ? 7 : -7))).Append("\" y=\"")
                .Append(Markup.Number(py + (pointsUp ? 16 : -11))).Append("\" text-anchor=\"").Append(right ? "start" : "end")
                .Append("\" fill=\"").Append(style.Colour).Append("\">").Append(Markup.Escape(label)).Append("</text>");
        }

        _overlays.Append("</g>");
        if (!_legend.Exists(e => e.Label == legend))
        {
            _legend.Add((legend, style, pointsUp ? LegendKind.MarkerUp : LegendKind.Marker));
        }
    }

    /// <summary>[any thread] Writes the plot as an inline <c>&lt;svg&gt;</c> element.</summary>
    public void Render(HtmlWriter w)
    {
        w.Open("svg", "xmlns", "http://www.w3.org/2000/svg", "class", "plot", "id", Id, "viewBox", $"0 0 {Width} {Height}",
            "role", "img", "aria-labelledby", Id + "-title", "preserveAspectRatio", "xMidYMid meet");
        w.Element("title", Title, "id", Id + "-title");
        w.Empty("rect", "x", Markup.Number(Left), "y", Markup.Number(Top), "width", Markup.Number(Width - Left - Right),
            "height", Markup.Number(Height - Top - Bottom), "class", "frame");
        w.Raw(_ranges.ToString());
        RenderGrid(w);
        w.Open("g", "class", "series");
        w.Raw(_series.ToString());
        w.Close("g");
        w.Raw(_overlays.ToString());
        RenderAxes(w);
        RenderLegend(w);
        w.Close("svg");
    }

    private double PixelX(double x) => Left + (X.Fraction(x) * (Width - Left - Right));

    private double PixelY(double y)
    {
        double f = double.IsNegativeInfinity(y) ? 0 : double.IsPositiveInfinity(y) ? 1 : Y.Fraction(y);
        return Height - Bottom - (f * (Height - Top - Bottom));
    }

    private void AppendPoints(StringBuilder sb, ReadOnlySpan<double> xs, ReadOnlySpan<double> ys)
    {
        for (int i = 0; i < xs.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(' ');
            }

            sb.Append(Markup.Number(PixelX(xs[i]))).Append(',').Append(Markup.Number(PixelY(ys[i])));
        }

        PointCount += xs.Length;
    }

    private static void AppendStroke(StringBuilder sb, SeriesStyle style)
    {
        sb.Append(" stroke=\"").Append(style.Colour).Append("\" stroke-width=\"").Append(Markup.Number(style.Width, 2)).Append('"');
        if (style.Dash is not null)
        {
            sb.Append(" stroke-dasharray=\"").Append(style.Dash).Append('"');
        }

        sb.Append(" stroke-linejoin=\"round\"");
    }

    private void RenderGrid(HtmlWriter w)
    {
        var grid = new StringBuilder("<g class=\"grid\">");
        foreach (double v in X.MinorTicks)
        {
            double px = PixelX(v);
            grid.Append("<line class=\"minor\" x1=\"").Append(Markup.Number(px)).Append("\" x2=\"").Append(Markup.Number(px))
                .Append("\" y1=\"").Append(Markup.Number(Top)).Append("\" y2=\"").Append(Markup.Number(Height - Bottom)).Append("\" />");
        }

        foreach ((double v, _) in X.Ticks)
        {
            double px = PixelX(v);
            grid.Append("<line x1=\"").Append(Markup.Number(px)).Append("\" x2=\"").Append(Markup.Number(px))
                .Append("\" y1=\"").Append(Markup.Number(Top)).Append("\" y2=\"").Append(Markup.Number(Height - Bottom)).Append("\" />");
        }

        foreach ((double v, _) in Y.Ticks)
        {
            double py = PixelY(v);
            grid.Append("<line x1=\"").Append(Markup.Number(Left)).Append("\" x2=\"").Append(Markup.Number(Width - Right))
                .Append("\" y1=\"").Append(Markup.Number(py)).Append("\" y2=\"").Append(Markup.Number(py)).Append("\" />");
        }

        w.Raw(grid.Append("</g>").ToString());
    }

    private void RenderAxes(HtmlWriter w)
    {
        w.Open("g", "class", "axis");
        foreach ((double v, string label) in X.Ticks)
        {
            w.Element("text", label, "x", Markup.Number(PixelX(v)), "y", Markup.Number(Height - Bottom + 16), "text-anchor", "middle");
        }

        foreach ((double v, string label) in Y.Ticks)
        {
            w.Element("text", label, "x", Markup.Number(Left - 6), "y", Markup.Number(PixelY(v) + 4), "text-anchor", "end");
        }

        w.Element("text", X.Title, "class", "axis-title", "x", Markup.Number(Left + ((Width - Left - Right) / 2)),
            "y", Markup.Number(Height - 6), "text-anchor", "middle");
        double cy = Top + ((Height - Top - Bottom) / 2);
        w.Element("text", Y.Title, "class", "axis-title", "x", "14", "y", Markup.Number(cy), "text-anchor", "middle",
            "transform", $"rotate(-90 14 {Markup.Number(cy)})");
        w.Close("g");
    }

    private void RenderLegend(HtmlWriter w)
    {
        w.Open("g", "class", "legend");
        double x = Left, y = 16;
        foreach ((string label, SeriesStyle style, LegendKind kind) in _legend)
        {
            double width = 30 + (label.Length * 6.6) + 18;
            if (x + width > Width - Right && x > Left)
            {
                // The legend stays on one line; a plot with more entries than fit is a design error.
                break;
            }

            switch (kind)
            {
                case LegendKind.Line:
                    w.Empty("line", "x1", Markup.Number(x), "x2", Markup.Number(x + 24), "y1", Markup.Number(y - 4), "y2", Markup.Number(y - 4),
                        "stroke", style.Colour, "stroke-width", Markup.Number(Math.Max(style.Width, 1.4), 2), "stroke-dasharray", style.Dash);
                    break;
                case LegendKind.Area:
                    w.Empty("rect", "x", Markup.Number(x), "y", Markup.Number(y - 10), "width", "24", "height", "11",
                        "fill", style.Colour, "fill-opacity", Markup.Number(Math.Max(style.FillOpacity, 0.25), 2),
                        "stroke", style.Width > 0 ? style.Colour : null, "stroke-width", style.Width > 0 ? "1" : null);
                    break;
                case LegendKind.MarkerUp:
                    w.Empty("path", "d", $"M{Markup.Number(x + 12)},{Markup.Number(y - 10)} l-5.5,9 h11 z", "fill", style.Colour);
                    break;
                default:
                    w.Empty("path", "d", $"M{Markup.Number(x + 12)},{Markup.Number(y + 1)} l-5.5,-9 h11 z", "fill", style.Colour);
                    break;
            }

            w.Element("text", label, "x", Markup.Number(x + 30), "y", Markup.Number(y));
            x += width;
        }

        w.Close("g");
    }
}
