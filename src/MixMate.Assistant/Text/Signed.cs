using System.Globalization;

namespace MixMate.Assistant.Text;

/// <summary>
/// Signed figures in sentences and summaries ("+2.5 dB", "-1.0 LU"), written one way everywhere:
/// rounded first, so a value that rounds to zero reads "0.0" — never "-0.0" or "+0.0", and a
/// sentence never stacks a sign on a sign.
/// </summary>
public static class Signed
{
    /// <summary>[any thread] <paramref name="value"/> with one decimal and its sign ("0.0" for zero).</summary>
    public static string One(double value) => Format(value, 1, "+0.0;-0.0;0.0");

    /// <summary>[any thread] <paramref name="value"/> with two decimals and its sign ("0.00" for zero).</summary>
    public static string Two(double value) => Format(value, 2, "+0.00;-0.00;0.00");

    private static string Format(double value, int decimals, string format)
    {
        if (!double.IsFinite(value))
        {
            return value.ToString(CultureInfo.InvariantCulture);
        }

        // Adding 0.0 turns a rounded −0 into +0, which the third section formats unsigned.
        double rounded = Math.Round(value, decimals, MidpointRounding.AwayFromZero) + 0.0;
        return rounded.ToString(format, CultureInfo.InvariantCulture);
    }
}
