namespace MixMate.Cli.Html;

/// <summary>
/// How a plotted series looks: colour from the Okabe–Ito palette (Okabe &amp; Ito, "Color Universal
/// Design", 2008: distinguishable with every common colour-vision deficiency) and, so the plots
/// also read in greyscale print, a dash pattern and width of its own.
/// </summary>
/// <param name="Colour">CSS colour.</param>
/// <param name="Width">Stroke width in plot units.</param>
/// <param name="Dash">SVG <c>stroke-dasharray</c>, or null for solid.</param>
/// <param name="FillOpacity">For areas and shaded ranges: fill opacity; 0 for lines.</param>
internal sealed record SeriesStyle(string Colour, double Width, string? Dash = null, double FillOpacity = 0)
{
    public const string Black = "#000000";
    public const string Orange = "#E69F00";
    public const string SkyBlue = "#56B4E9";
    public const string BluishGreen = "#009E73";
    public const string Yellow = "#F0E442";
    public const string Blue = "#0072B2";
    public const string Vermillion = "#D55E00";
    public const string ReddishPurple = "#CC79A7";
    public const string Grey = "#8C8C8C";

    /// <summary>Momentary loudness: thin, light, solid (it is the busiest curve).</summary>
    public static SeriesStyle Momentary { get; } = new(SkyBlue, 1.0);

    /// <summary>Short-term loudness: the curve people read.</summary>
    public static SeriesStyle ShortTerm { get; } = new(Blue, 2.0);

    /// <summary>The unprocessed programme, for comparison: grey, dotted.</summary>
    public static SeriesStyle Before { get; } = new(Grey, 1.6, "2 3");

    /// <summary>The processed programme.</summary>
    public static SeriesStyle After { get; } = new(Blue, 2.2);

    /// <summary>Integrated loudness as a horizontal line.</summary>
    public static SeriesStyle Integrated { get; } = new(BluishGreen, 1.6, "8 3 2 3");

    /// <summary>A target or reference: black, dashed.</summary>
    public static SeriesStyle Target { get; } = new(Black, 1.4, "6 4");

    /// <summary>Regions the integrated measurement ignores (below a gate).</summary>
    public static SeriesStyle GatedOut { get; } = new(Grey, 0, null, 0.18);

    /// <summary>Limiter gain reduction, filled.</summary>
    public static SeriesStyle Reduction { get; } = new(Vermillion, 1.2, null, 0.35);

    /// <summary>A boost marker.</summary>
    public static SeriesStyle Boost { get; } = new(BluishGreen, 1.4);

    /// <summary>A cut marker.</summary>
    public static SeriesStyle Cut { get; } = new(Vermillion, 1.4);

    /// <summary>A problem (a true-peak over).</summary>
    public static SeriesStyle Problem { get; } = new(ReddishPurple, 1.4);
}
