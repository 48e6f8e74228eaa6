namespace MixMate.Dsp.Metering;

/// <summary>
/// The polarity and phase decisions for one window of L/R sums, in one place for <c>mixmate
/// check</c> (MixMate.Assistant's stereo checks) and the plug-in's live reading
/// (<see cref="LiveProblemMeter"/>). Pure functions of a window's sums: no state, no allocation.
/// </summary>
public static class StereoRules
{
    /// <summary>Full-band correlation at or below which a channel is inverted where there is no
    /// low end to judge by (levels within 6 dB).</summary>
    public const double PolarityCorrelation = -0.3;

    /// <summary>Low-end correlation that says "inverted" whatever the full band does: only an
    /// inverted channel (or bass track) puts the low end this far out of phase.</summary>
    public const double InvertedLowCorrelation = -0.8;

    /// <summary>Full-band correlation that says "inverted" whatever the low end does.</summary>
    public const double StrongCorrelation = -0.7;

    /// <summary>Low-end (below 150 Hz, usually mono) correlation that says "inverted" (with the
    /// full band below 0).</summary>
    public const double PolarityLowCorrelation = -0.6;

    /// <summary>Low-end correlation at or below which the low end is out of phase.</summary>
    public const double PhaseLowCorrelation = -0.2;

    /// <summary>Windows quieter than this mean square per channel (−60 dBFS) are not judged.</summary>
    public const double ActiveMeanSquare = 1e-6;

    /// <summary>[any thread] Whether a window with channel energies <paramref name="ll"/>,
    /// <paramref name="rr"/> over <paramref name="frames"/> frames is loud enough to judge
    /// (mean square above −60 dBFS, both channels sounding).</summary>
    public static bool IsActive(double ll, double rr, double frames) =>
        frames > 0 && (ll + rr) / (2 * frames) > ActiveMeanSquare && ll > 0 && rr > 0;

    /// <summary>[any thread] Whether the low band (below 150 Hz) counts in a window: it carries at
    /// least 1 % (−20 dB) of the energy. Both energies on the same scale.</summary>
    public static bool IsLowActive(double lowEnergy, double fullEnergy) => lowEnergy >= 0.01 * Math.Max(fullEnergy, 1e-30);

    /// <summary>[any thread] The polarity decision for one active window: full-band correlation
    /// <paramref name="corr"/>, low-band correlation <paramref name="lowCorr"/> (used where
    /// <paramref name="lowActive"/>), channel energies <paramref name="ll"/> and <paramref name="rr"/>.</summary>
    public static bool SoundsInverted(double corr, double lowCorr, bool lowActive, double ll, double rr)
    {
        double diff = Math.Abs(10 * Math.Log10(Math.Max(ll, 1e-30) / Math.Max(rr, 1e-30)));
        // The low end decides where there is one: bass and kick are mono in any mix, so an
        // inverted channel turns their correlation to about −1, while wide cymbals or
        // reverbs can pull the full band negative for seconds in a healthy mix.
        return diff < 6
            && ((lowActive && lowCorr <= PolarityLowCorrelation && corr < 0)
                || (lowActive && lowCorr <= InvertedLowCorrelation)
                || (!lowActive && corr <= PolarityCorrelation)
                || corr <= StrongCorrelation);
    }

    /// <summary>[any thread] The low-end phase decision for one window (not already inverted).</summary>
    public static bool LowEndOutOfPhase(double lowCorr, bool lowActive) => lowActive && lowCorr <= PhaseLowCorrelation;
}
