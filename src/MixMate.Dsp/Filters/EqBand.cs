namespace MixMate.Dsp.Filters;

/// <summary>Settings of one parametric EQ band. <paramref name="GainDb"/> applies to peak and shelf
/// bands; <paramref name="Q"/> to all but the 24 dB/oct types (which are fixed Butterworth).</summary>
/// <remarks>[any thread] Immutable value.</remarks>
public readonly record struct EqBand(bool Enabled, FilterType Type, double FrequencyHz, double GainDb, double Q)
{
    /// <summary>[any thread] A disabled, flat 1 kHz peak band.</summary>
    public static EqBand Off => new(false, FilterType.Peak, 1000.0, 0.0, BiquadCoefficients.ButterworthQ);
}
