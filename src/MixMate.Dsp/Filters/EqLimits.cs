namespace MixMate.Dsp.Filters;

/// <summary>
/// The bounds every EQ in MixMate puts on a band's settings, shared by the live
/// <see cref="ParametricEq"/> and the <see cref="FixedEq"/> a stem gets in a mix, so the same band
/// designs the same sections in both.
/// </summary>
public static class EqLimits
{
    /// <summary>Narrowest and widest Q.</summary>
    public const double MinQ = 0.05;

    /// <summary>Widest Q.</summary>
    public const double MaxQ = 50.0;

    /// <summary>Largest boost or cut, dB.</summary>
    public const double MaxGainDb = 40.0;

    /// <summary>Highest design frequency as a share of the sample rate (0.45: the bilinear
    /// transform's warping and the RBJ designs stay well behaved below Nyquist).</summary>
    public const double MaxDesignFraction = 0.45;

    /// <summary>[any thread] <paramref name="band"/> with non-finite values replaced (1 kHz, 0 dB,
    /// Butterworth Q) and gain and Q clamped; frequency at least 1 Hz.</summary>
    public static EqBand Bound(EqBand band) => band with
    {
        FrequencyHz = double.IsFinite(band.FrequencyHz) ? Math.Max(band.FrequencyHz, 1.0) : 1000.0,
        GainDb = double.IsFinite(band.GainDb) ? Math.Clamp(band.GainDb, -MaxGainDb, MaxGainDb) : 0.0,
        Q = double.IsFinite(band.Q) ? Math.Clamp(band.Q, MinQ, MaxQ) : BiquadCoefficients.ButterworthQ,
    };

    /// <summary>[any thread] The frequency a band is designed at, at <paramref name="sampleRate"/>.</summary>
    public static double DesignFrequency(double frequency, double sampleRate) => Math.Clamp(frequency, 1.0, MaxDesignFraction * sampleRate);
}
