using MixMate.Dsp.Filters;

namespace MixMate.Assistant.Eq;

/// <summary>
/// The one place filter kinds meet text: the names reports write (<c>peak</c>, <c>lowShelf</c>,
/// <c>highShelf</c>, <c>highPass</c>, <c>lowPass</c> — a public contract of every JSON report) and
/// the words people read.
/// </summary>
public static class FilterNames
{
    /// <summary>[any thread] The report name (both slopes of a pass filter share one name).</summary>
    public static string Json(FilterType type) => type switch
    {
        FilterType.Peak => "peak",
        FilterType.LowShelf => "lowShelf",
        FilterType.HighShelf => "highShelf",
        FilterType.HighPass12 or FilterType.HighPass24 => "highPass",
        FilterType.LowPass12 or FilterType.LowPass24 => "lowPass",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>[any thread] The filter kind of a report name (pass filters read as 12 dB/oct).</summary>
    /// <exception cref="FormatException">Not a report name.</exception>
    public static FilterType ParseJson(string name) => name switch
    {
        "peak" => FilterType.Peak,
        "lowShelf" => FilterType.LowShelf,
        "highShelf" => FilterType.HighShelf,
        "highPass" => FilterType.HighPass12,
        "lowPass" => FilterType.LowPass12,
        _ => throw new FormatException($"'{name}' is not a filter type (peak, lowShelf, highShelf, highPass, lowPass)"),
    };

    /// <summary>[any thread] The kind as people name it ("low shelf", "high-pass").</summary>
    public static string Spoken(FilterType type) => type switch
    {
        FilterType.Peak => "peak",
        FilterType.LowShelf => "low shelf",
        FilterType.HighShelf => "high shelf",
        FilterType.HighPass12 or FilterType.HighPass24 => "high-pass",
        FilterType.LowPass12 or FilterType.LowPass24 => "low-pass",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };
}
