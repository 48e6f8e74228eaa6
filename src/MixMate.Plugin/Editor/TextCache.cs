using MixMate.Plugin.Parameters;

namespace MixMate.Plugin.Editor;

/// <summary>
/// A formatted value that is formatted again only when the value changes, so an idle editor
/// redrawing its meters allocates no strings (a collection triggered by any thread pauses the
/// audio thread too).
/// </summary>
/// <remarks>[main-thread] Used only by the editor that owns it.</remarks>
public sealed class TextCache
{
    private double _key = double.NaN;
    private string _text = string.Empty;

    /// <summary>The parameter's display text for <paramref name="normalized"/>, with its unit.</summary>
    public string For(ParameterDefinition parameter, double normalized, string prefix = "")
    {
        if (!_key.Equals(normalized) || _text.Length == 0)
        {
            _key = normalized;
            string value = prefix + parameter.Format(normalized);
            _text = parameter.Units.Length == 0 ? value : value + " " + parameter.Units;
        }

        return _text;
    }

    /// <summary><paramref name="prefix"/> and <paramref name="value"/> with <paramref name="decimals"/> decimals and a unit.</summary>
    public string For(double value, int decimals, string units, string prefix = "")
    {
        double rounded = double.IsFinite(value) ? Math.Round(value, decimals) : double.NaN;
        if (!_key.Equals(rounded) || _text.Length == 0)
        {
            _key = rounded;
            string number = double.IsFinite(rounded)
                ? rounded.ToString(decimals == 0 ? "0" : "0." + new string('0', decimals), System.Globalization.CultureInfo.InvariantCulture)
                : "–";
            _text = prefix + (units.Length == 0 ? number : number + " " + units);
        }

        return _text;
    }
}
