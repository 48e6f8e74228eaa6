using System.Globalization;
using System.Text;

namespace MixMate.Cli.Html;

/// <summary>
/// Text and number formatting for the XHTML reports. Everything that reaches the page from the
/// outside (file names, reasons, warnings) goes through <see cref="Escape"/>, which also makes the
/// result a legal XML 1.0 string (§2.2 Char): control characters and unpaired surrogates, which a
/// file name may contain, become U+FFFD instead of breaking the document.
/// </summary>
internal static class Markup
{
    /// <summary>[any thread] <paramref name="text"/> escaped for element content and attribute values.</summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        StringBuilder? sb = null;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            string? replacement = c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => null,
            };
            if (replacement is null)
            {
                bool pair = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
                if (pair)
                {
                    sb?.Append(c).Append(text[i + 1]);
                    i++;
                    continue;
                }

                if (IsXmlChar(c))
                {
                    sb?.Append(c);
                    continue;
                }

                replacement = "\uFFFD";
            }

            sb ??= new StringBuilder(text.Length + 16).Append(text, 0, i);
            sb.Append(replacement);
        }

        return sb?.ToString() ?? text;
    }

    /// <summary>[any thread] A coordinate or data value: invariant culture, at most
    /// <paramref name="decimals"/> decimals, never "-0" or an exponent.</summary>
    public static string Number(double value, int decimals = 1)
    {
        double rounded = Math.Round(value, decimals, MidpointRounding.AwayFromZero) + 0.0;
        return rounded.ToString("0." + new string('#', Math.Max(0, decimals)), CultureInfo.InvariantCulture);
    }

    /// <summary>[any thread] A level as shown to people: one decimal, a real minus sign, "–" when
    /// the level does not exist.</summary>
    public static string Level(double? value, bool signed = false)
    {
        if (value is not double v || !double.IsFinite(v))
        {
            return "–";
        }

        double rounded = Output.Figures.Tenths(v);
        string text = rounded.ToString(signed ? "+0.0;−0.0;0.0" : "0.0;−0.0;0.0", CultureInfo.InvariantCulture);
        return text;
    }

    /// <summary>[any thread] The exact value a report holds, for <c>data-value</c> attributes:
    /// round-trip invariant formatting, empty for null.</summary>
    public static string DataValue(double? value) =>
        value is double v ? v.ToString("R", CultureInfo.InvariantCulture) : string.Empty;

    /// <summary>[any thread] Programme time as m:ss (h:mm:ss from one hour).</summary>
    public static string Time(double seconds) => Time(seconds, hours: false);

    /// <summary>[any thread] Programme time as h:mm:ss when <paramref name="hours"/> (every label of an
    /// axis or column that reaches an hour, 0:00:00 included), else as <see cref="Time(double)"/>.</summary>
    public static string Time(double seconds, bool hours)
    {
        long total = (long)Math.Round(Math.Max(0, seconds), MidpointRounding.AwayFromZero);
        long h = total / 3600, m = total / 60 % 60, s = total % 60;
        return h > 0 || hours
            ? string.Create(CultureInfo.InvariantCulture, $"{h}:{m:00}:{s:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{m}:{s:00}");
    }

    /// <summary>[any thread] A frequency label: 20, 50, 100, 1k, 2.5k, 10k.</summary>
    public static string Hertz(double hz) => hz >= 1000
        ? Number(hz / 1000, 1) + "k"
        : Number(hz, hz < 100 ? 1 : 0);

    // XML 1.0 §2.2: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] (pairs handled by the caller).
    private static bool IsXmlChar(char c) =>
        c is '\t' or '\n' or '\r' || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD);
}
