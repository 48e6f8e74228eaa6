using System.Globalization;

namespace MixMate.Cli.Html;

/// <summary>
/// A horizontal grouped bar chart as inline SVG: one group per category (a track), one bar per
/// series (before, after), bars growing from the axis minimum to the value, each labelled with its
/// value. Series differ by colour (Okabe–Ito, see <see cref="SeriesStyle"/>) and by drawing: a
/// hollow dashed bar and a solid one read apart in greyscale and with any colour-vision deficiency.
/// Nothing is referenced by <c>url()</c>, so the page stays self-contained.
/// </summary>
internal sealed class SvgBarChart
{
    public const int Width = 960;
    private const double Left = 200, Right = 90, Top = 34, Bottom = 44, BarHeight = 13, BarGap = 3, GroupGap = 12;

    private readonly List<(string Label, IReadOnlyList<double?> Values)> _groups = [];

    /// <param name="id">Element id (unique in the page), also used for the accessible title.</param>
    /// <param name="title">What the chart shows, read by screen readers.</param>
    /// <param name="series">Series names with their style; <see cref="SeriesStyle.Dash"/> draws a hollow dashed bar.</param>
    /// <param name="unit">Unit appended to the value labels.</param>
    /// <param name="axisTitle">Title of the value axis.</param>
    public SvgBarChart(string id, string title, IReadOnlyList<(string Name, SeriesStyle Style)> series, string unit, string axisTitle)
    {
        Id = id;
        Title = title;
        Series = series;
        Unit = unit;
        AxisTitle = axisTitle;
    }

    public string Id { get; }

    public string Title { get; }

    public IReadOnlyList<(string Name, SeriesStyle Style)> Series { get; }

    public string Unit { get; }

    public string AxisTitle { get; }

    /// <summary>Height of the chart in viewBox units (grows with the groups).</summary>
    public double Height => Top + Bottom + (_groups.Count * GroupHeight) + GroupGap;

    private double GroupHeight => (Series.Count * (BarHeight + BarGap)) + GroupGap;

    /// <summary>[any thread, one chart per thread] A group: its label and one value per series (null: no bar, labelled "–").</summary>
    public void AddGroup(string label, IReadOnlyList<double?> values)
    {
        if (values.Count != Series.Count)
        {
            throw new ArgumentException($"{values.Count} values for {Series.Count} series.", nameof(values));
        }

        _groups.Add((label, values));
    }

    /// <summary>[any thread] Writes the chart as an inline <c>&lt;svg&gt;</c> element.</summary>
    public void Render(HtmlWriter w)
    {
        PlotAxis x = Axis();
        double height = Height;
        string h = Markup.Number(height);
        w.Open("svg", "xmlns", "http://www.w3.org/2000/svg", "class", "plot bars", "id", Id, "viewBox", $"0 0 {Width} {h}",
            "role", "img", "aria-labelledby", Id + "-title", "preserveAspectRatio", "xMidYMid meet");
        w.Element("title", Title, "id", Id + "-title");
        double plotBottom = height - Bottom;
        w.Empty("rect", "x", Markup.Number(Left), "y", Markup.Number(Top), "width", Markup.Number(Width - Left - Right),
            "height", Markup.Number(plotBottom - Top), "class", "frame");

        w.Open("g", "class", "grid");
        foreach ((double v, _) in x.Ticks)
        {
            string px = Markup.Number(PixelX(x, v));
            w.Empty("line", "x1", px, "x2", px, "y1", Markup.Number(Top), "y2", Markup.Number(plotBottom));
        }

        w.Close("g");

        w.Open("g", "class", "series");
        for (int g = 0; g < _groups.Count; g++)
        {
            (string label, IReadOnlyList<double?> values) = _groups[g];
            double groupTop = Top + GroupGap + (g * GroupHeight);
            double centre = groupTop + ((GroupHeight - GroupGap) / 2);
            string shown = label.Length > 28 ? label[..27] + "…" : label;
            w.Open("text", "class", "category", "x", Markup.Number(Left - 8), "y", Markup.Number(centre + 4), "text-anchor", "end");
            w.Element("title", label);
            w.Text(shown);
            w.Close("text");
            for (int s = 0; s < Series.Count; s++)
            {
                (string name, SeriesStyle style) = Series[s];
                double y = groupTop + (s * (BarHeight + BarGap));
                double? value = values[s];
                string valueText = Markup.Level(value) + (value is null ? string.Empty : " " + Unit);
                double end = Left;
                if (value is double v && double.IsFinite(v))
                {
                    end = PixelX(x, v);
                    bool hollow = style.Dash is not null;
                    w.Open("rect", "class", "bar", "data-series", name, "x", Markup.Number(Left), "y", Markup.Number(y),
                        "width", Markup.Number(Math.Max(1, end - Left)), "height", Markup.Number(BarHeight),
                        "fill", style.Colour, "fill-opacity", hollow ? "0.18" : "0.9",
                        "stroke", style.Colour, "stroke-width", Markup.Number(hollow ? 1.6 : 1, 2), "stroke-dasharray", style.Dash);
                    w.Element("title", string.Create(CultureInfo.InvariantCulture, $"{label}, {name}: {valueText}"));
                    w.Close("rect");
                }

                w.Element("text", valueText, "class", "note", "x", Markup.Number(end + 5), "y", Markup.Number(y + BarHeight - 2.5),
                    "fill", style.Colour == SeriesStyle.Grey ? "#555555" : style.Colour);
            }
        }

        w.Close("g");

        w.Open("g", "class", "axis");
        foreach ((double v, string label) in x.Ticks)
        {
            w.Element("text", label, "x", Markup.Number(PixelX(x, v)), "y", Markup.Number(plotBottom + 16), "text-anchor", "middle");
        }

        w.Element("text", AxisTitle, "class", "axis-title", "x", Markup.Number(Left + ((Width - Left - Right) / 2)),
            "y", Markup.Number(height - 6), "text-anchor", "middle");
        w.Close("g");

        w.Open("g", "class", "legend");
        double lx = Left, ly = 16;
        foreach ((string name, SeriesStyle style) in Series)
        {
            bool hollow = style.Dash is not null;
            w.Empty("rect", "x", Markup.Number(lx), "y", Markup.Number(ly - 10), "width", "24", "height", "11",
                "fill", style.Colour, "fill-opacity", hollow ? "0.18" : "0.9", "stroke", style.Colour,
                "stroke-width", hollow ? "1.6" : "1", "stroke-dasharray", style.Dash);
            w.Element("text", name, "x", Markup.Number(lx + 30), "y", Markup.Number(ly));
            lx += 30 + (name.Length * 6.6) + 18;
        }

        w.Close("g");
        w.Close("svg");
    }

    /// <summary>The value axis: every value plus room on both sides, on whole steps.</summary>
    private PlotAxis Axis()
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach ((_, IReadOnlyList<double?> values) in _groups)
        {
            foreach (double? value in values)
            {
                if (value is double v && double.IsFinite(v))
                {
                    min = Math.Min(min, v);
                    max = Math.Max(max, v);
                }
            }
        }

        if (!double.IsFinite(min))
        {
            (min, max) = (-60, 0);
        }

        return PlotAxis.Level(min - 6, max + 1, AxisTitle, maxTicks: 9);
    }

    private static double PixelX(PlotAxis x, double value) => Left + (x.Fraction(value) * (Width - Left - Right));
}
