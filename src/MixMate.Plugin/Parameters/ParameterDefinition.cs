using System.Globalization;

namespace MixMate.Plugin.Parameters;

/// <summary>How a parameter maps between its plain value and the host's normalized 0..1.</summary>
public enum ParameterScale
{
    /// <summary>Plain = min + n·(max − min).</summary>
    Linear,

    /// <summary>Plain = min·(max/min)^n (frequencies, Q): equal knob travel per octave.</summary>
    Logarithmic,

    /// <summary>Off/on: plain 0 or 1, one step.</summary>
    Toggle,

    /// <summary>An index into <see cref="ParameterDefinition.Choices"/>.</summary>
    List,
}

/// <summary>
/// One parameter: a stable ID, titles for every host's generic editor, the plain range, and the
/// conversions the VST3 controller needs. Immutable; built once per plug-in kind.
/// </summary>
/// <remarks>[any thread] Conversions allocate nothing; <see cref="Format"/> and
/// <see cref="TryParse"/> allocate and are for the controller (main thread) only.</remarks>
public sealed class ParameterDefinition
{
    private readonly string[] _choices;

    private ParameterDefinition(uint id, string title, string shortTitle, string units, ParameterScale scale,
        double min, double max, double defaultPlain, bool readOnly, bool isBypass, string[] choices, int decimals,
        bool minimumIsSilence = true)
    {
        if (id >= 0x80000000u)
        {
            throw new ArgumentOutOfRangeException(nameof(id), "VST3 reserves parameter IDs at or above 0x80000000.");
        }

        Id = id;
        Title = title;
        ShortTitle = shortTitle;
        Units = units;
        Scale = scale;
        Min = min;
        Max = max;
        DefaultPlain = defaultPlain;
        IsReadOnly = readOnly;
        IsBypass = isBypass;
        _choices = choices;
        Decimals = decimals;
        MinimumIsSilence = minimumIsSilence;
        DefaultNormalized = ToNormalized(defaultPlain);
    }

    public uint Id { get; }

    public string Title { get; }

    public string ShortTitle { get; }

    public string Units { get; }

    public ParameterScale Scale { get; }

    public double Min { get; }

    public double Max { get; }

    public double DefaultPlain { get; }

    public double DefaultNormalized { get; }

    /// <summary>A meter: the plug-in writes it, the host only displays it.</summary>
    public bool IsReadOnly { get; }

    public bool IsBypass { get; }

    public int Decimals { get; }

    /// <summary>A meter whose negative minimum stands for "nothing" (−∞ dB), shown as "-inf".</summary>
    public bool MinimumIsSilence { get; }

    public IReadOnlyList<string> Choices => _choices;

    /// <summary>VST3 stepCount: 0 continuous, 1 toggle, n−1 for a list of n.</summary>
    public int StepCount => Scale switch
    {
        ParameterScale.Toggle => 1,
        ParameterScale.List => _choices.Length - 1,
        _ => 0,
    };

    /// <summary>VST3 ParameterInfo flags (the same bit values as mixmate_abi.h MM_PARAM_*).</summary>
    public int Flags =>
        (IsReadOnly ? 1 << 1 : 1 << 0)
        | (Scale == ParameterScale.List ? 1 << 3 : 0)
        | (IsBypass ? 1 << 16 : 0);

    /// <summary>A continuous parameter.</summary>
    public static ParameterDefinition Continuous(uint id, string title, string shortTitle, string units,
        double min, double max, double defaultPlain, int decimals = 1, bool logarithmic = false) =>
        new(id, title, shortTitle, units, logarithmic ? ParameterScale.Logarithmic : ParameterScale.Linear,
            min, max, defaultPlain, readOnly: false, isBypass: false, [], decimals);

    /// <summary>An on/off switch.</summary>
    public static ParameterDefinition Toggle(uint id, string title, string shortTitle, bool defaultOn, bool isBypass = false) =>
        new(id, title, shortTitle, string.Empty, ParameterScale.Toggle, 0, 1, defaultOn ? 1 : 0,
            readOnly: false, isBypass, ["Off", "On"], 0);

    /// <summary>A choice from a fixed list (the list may only ever grow at its end).</summary>
    public static ParameterDefinition List(uint id, string title, string shortTitle, string[] choices, int defaultIndex) =>
        new(id, title, shortTitle, string.Empty, ParameterScale.List, 0, choices.Length - 1, defaultIndex,
            readOnly: false, isBypass: false, choices, 0);

    /// <summary>A read-only meter shown by generic editors; a negative minimum reads "-inf".</summary>
    public static ParameterDefinition Meter(uint id, string title, string shortTitle, string units,
        double min, double max, double defaultPlain) =>
        new(id, title, shortTitle, units, ParameterScale.Linear, min, max, defaultPlain,
            readOnly: true, isBypass: false, [], 1);

    /// <summary>A read-only reading whose minimum is a value like any other (a correlation of −1,
    /// a balance, a count), shown with <paramref name="decimals"/> decimals.</summary>
    public static ParameterDefinition Reading(uint id, string title, string shortTitle, string units,
        double min, double max, double defaultPlain, int decimals) =>
        new(id, title, shortTitle, units, ParameterScale.Linear, min, max, defaultPlain,
            readOnly: true, isBypass: false, [], decimals, minimumIsSilence: false);

    /// <summary>A read-only choice a generic editor shows by name (e.g. a detected role).</summary>
    public static ParameterDefinition ReadOnlyList(uint id, string title, string shortTitle, string[] choices, int defaultIndex) =>
        new(id, title, shortTitle, string.Empty, ParameterScale.List, 0, choices.Length - 1, defaultIndex,
            readOnly: true, isBypass: false, choices, 0);

    /// <summary>[any thread] Normalized 0..1 → plain (clamped).</summary>
    public double ToPlain(double normalized)
    {
        double n = double.IsNaN(normalized) ? DefaultNormalized : Math.Clamp(normalized, 0.0, 1.0);
        return Scale switch
        {
            // VST3 discrete mapping: index = min(stepCount, floor(n · (stepCount + 1))).
            ParameterScale.Toggle or ParameterScale.List => Math.Min(StepCount, Math.Floor(n * (StepCount + 1))),
            ParameterScale.Logarithmic => Min * Math.Pow(Max / Min, n),
            _ => Min + n * (Max - Min),
        };
    }

    /// <summary>[any thread] Plain → normalized 0..1 (clamped).</summary>
    public double ToNormalized(double plain)
    {
        if (double.IsNaN(plain))
        {
            return DefaultNormalized;
        }

        double p = Math.Clamp(plain, Min, Max);
        return Scale switch
        {
            ParameterScale.Toggle or ParameterScale.List => StepCount == 0 ? 0 : Math.Round(p) / StepCount,
            ParameterScale.Logarithmic => Math.Log(p / Min) / Math.Log(Max / Min),
            _ => Max == Min ? 0 : (p - Min) / (Max - Min),
        };
    }

    /// <summary>[main thread] Display text for a normalized value (allocates).</summary>
    public string Format(double normalized)
    {
        double plain = ToPlain(normalized);
        if (Scale is ParameterScale.Toggle or ParameterScale.List)
        {
            return _choices[(int)plain];
        }

        if (IsReadOnly && MinimumIsSilence && plain <= Min && Min < 0)
        {
            return "-inf";
        }

        return plain.ToString("F" + Decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    /// <summary>[main thread] Parses display text (a choice name, or a number with optional units).</summary>
    public bool TryParse(string text, out double normalized)
    {
        normalized = DefaultNormalized;
        string t = text.Trim();
        if (Scale is ParameterScale.Toggle or ParameterScale.List)
        {
            for (int i = 0; i < _choices.Length; i++)
            {
                if (string.Equals(_choices[i], t, StringComparison.OrdinalIgnoreCase))
                {
                    normalized = ToNormalized(i);
                    return true;
                }
            }
        }

        if (Units.Length > 0 && t.EndsWith(Units, StringComparison.OrdinalIgnoreCase))
        {
            t = t[..^Units.Length].Trim();
        }

        if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double plain) && double.IsFinite(plain))
        {
            normalized = ToNormalized(plain);
            return true;
        }

        return false;
    }
}
