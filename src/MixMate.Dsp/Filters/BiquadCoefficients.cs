namespace MixMate.Dsp.Filters;

/// <summary>
/// Coefficients of one second-order section, normalized so a0 = 1:
/// H(z) = (B0 + B1 z⁻¹ + B2 z⁻²) / (1 + A1 z⁻¹ + A2 z⁻²).
/// The designs are R. Bristow-Johnson's "Cookbook formulae for audio EQ biquad filter
/// coefficients" (the W3C Audio EQ Cookbook): bilinear transforms of analog prototypes with the
/// centre/cutoff frequency pre-warped, so the digital response at ω equals the analog prototype at
/// Ω = tan(ω/2) / tan(ω0/2).
/// </summary>
/// <remarks>[any thread] Immutable; designing one allocates nothing.</remarks>
public readonly record struct BiquadCoefficients(double B0, double B1, double B2, double A1, double A2)
{
    /// <summary>[any thread] Q values of the two sections of a 4th-order Butterworth filter:
    /// 1 / (2 cos(π/8)) and 1 / (2 cos(3π/8)) (pole angles of the Butterworth polynomial).</summary>
    public static readonly double ButterworthQ4First = 1.0 / (2.0 * Math.Cos(Math.PI / 8.0));

    /// <inheritdoc cref="ButterworthQ4First"/>
    public static readonly double ButterworthQ4Second = 1.0 / (2.0 * Math.Cos(3.0 * Math.PI / 8.0));

    /// <summary>[any thread] Q of a 2nd-order Butterworth section, 1/√2.</summary>
    public const double ButterworthQ = 0.70710678118654752;

    /// <summary>[any thread] The pass-through section H(z) = 1.</summary>
    public static BiquadCoefficients Identity => new(1.0, 0.0, 0.0, 0.0, 0.0);

    /// <summary>[any thread] Cookbook peakingEQ: H(s) = (s² + s·A/Q + 1) / (s² + s/(A·Q) + 1),
    /// A = 10^(gain/40).</summary>
    public static BiquadCoefficients Peak(double sampleRate, double frequency, double gainDb, double q)
    {
        Prepare(sampleRate, frequency, q, out double cos, out double alpha);
        double a = Math.Pow(10.0, gainDb / 40.0);
        return Normalize(1.0 + alpha * a, -2.0 * cos, 1.0 - alpha * a, 1.0 + alpha / a, -2.0 * cos, 1.0 - alpha / a);
    }

    /// <summary>[any thread] Cookbook lowShelf: H(s) = A·(s² + (√A/Q)s + A) / (A·s² + (√A/Q)s + 1).</summary>
    public static BiquadCoefficients LowShelf(double sampleRate, double frequency, double gainDb, double q)
    {
        Prepare(sampleRate, frequency, q, out double cos, out double alpha);
        double a = Math.Pow(10.0, gainDb / 40.0);
        double k = 2.0 * Math.Sqrt(a) * alpha;
        return Normalize(
            a * ((a + 1.0) - (a - 1.0) * cos + k),
            2.0 * a * ((a - 1.0) - (a + 1.0) * cos),
            a * ((a + 1.0) - (a - 1.0) * cos - k),
            (a + 1.0) + (a - 1.0) * cos + k,
            -2.0 * ((a - 1.0) + (a + 1.0) * cos),
            (a + 1.0) + (a - 1.0) * cos - k);
    }

    /// <summary>[any thread] Cookbook highShelf: H(s) = A·(A·s² + (√A/Q)s + 1) / (s² + (√A/Q)s + A).</summary>
    public static BiquadCoefficients HighShelf(double sampleRate, double frequency, double gainDb, double q)
    {
        Prepare(sampleRate, frequency, q, out double cos, out double alpha);
        double a = Math.Pow(10.0, gainDb / 40.0);
        double k = 2.0 * Math.Sqrt(a) * alpha;
        return Normalize(
            a * ((a + 1.0) + (a - 1.0) * cos + k),
            -2.0 * a * ((a - 1.0) + (a + 1.0) * cos),
            a * ((a + 1.0) + (a - 1.0) * cos - k),
            (a + 1.0) - (a - 1.0) * cos + k,
            2.0 * ((a - 1.0) - (a + 1.0) * cos),
            (a + 1.0) - (a - 1.0) * cos - k);
    }

    /// <summary>[any thread] Cookbook HPF: H(s) = s² / (s² + s/Q + 1).</summary>
    public static BiquadCoefficients HighPass(double sampleRate, double frequency, double q)
    {
        Prepare(sampleRate, frequency, q, out double cos, out double alpha);
        return Normalize((1.0 + cos) / 2.0, -(1.0 + cos), (1.0 + cos) / 2.0, 1.0 + alpha, -2.0 * cos, 1.0 - alpha);
    }

    /// <summary>[any thread] Cookbook LPF: H(s) = 1 / (s² + s/Q + 1).</summary>
    public static BiquadCoefficients LowPass(double sampleRate, double frequency, double q)
    {
        Prepare(sampleRate, frequency, q, out double cos, out double alpha);
        return Normalize((1.0 - cos) / 2.0, 1.0 - cos, (1.0 - cos) / 2.0, 1.0 + alpha, -2.0 * cos, 1.0 - alpha);
    }

    /// <summary>[any thread] Designs the one or two sections that realize a band of type
    /// <paramref name="type"/>; returns the section count. For a single section
    /// <paramref name="second"/> is <see cref="Identity"/>. 24 dB/oct types are 4th-order
    /// Butterworth (−3 dB at <paramref name="frequency"/>) and ignore <paramref name="q"/>;
    /// <paramref name="gainDb"/> only matters for peak and shelves.</summary>
    public static int Design(FilterType type, double sampleRate, double frequency, double gainDb, double q,
        out BiquadCoefficients first, out BiquadCoefficients second)
    {
        second = Identity;
        switch (type)
        {
            case FilterType.Peak:
                first = Peak(sampleRate, frequency, gainDb, q);
                return 1;
            case FilterType.LowShelf:
                first = LowShelf(sampleRate, frequency, gainDb, q);
                return 1;
            case FilterType.HighShelf:
                first = HighShelf(sampleRate, frequency, gainDb, q);
                return 1;
            case FilterType.HighPass12:
                first = HighPass(sampleRate, frequency, q);
                return 1;
            case FilterType.LowPass12:
                first = LowPass(sampleRate, frequency, q);
                return 1;
            case FilterType.HighPass24:
                first = HighPass(sampleRate, frequency, ButterworthQ4First);
                second = HighPass(sampleRate, frequency, ButterworthQ4Second);
                return 2;
            case FilterType.LowPass24:
                first = LowPass(sampleRate, frequency, ButterworthQ4First);
                second = LowPass(sampleRate, frequency, ButterworthQ4Second);
                return 2;
            default:
                first = Identity;
                return 1;
        }
    }

    /// <summary>[any thread] Magnitude of a whole band (both sections for 24 dB/oct types) in dB
    /// at <paramref name="atFrequency"/>. For plots and analysis.</summary>
    public static double MagnitudeDb(FilterType type, double sampleRate, double frequency, double gainDb, double q, double atFrequency)
    {
        int sections = Design(type, sampleRate, frequency, gainDb, q, out BiquadCoefficients first, out BiquadCoefficients second);
        double db = first.MagnitudeDb(atFrequency, sampleRate);
        return sections == 2 ? db + second.MagnitudeDb(atFrequency, sampleRate) : db;
    }

    /// <summary>[any thread] |H(e^jω)| in dB at <paramref name="frequency"/>. Uses the cookbook's
    /// φ = sin²(ω/2) form, which keeps its precision at low frequencies where the cos ω form cancels.</summary>
    public double MagnitudeDb(double frequency, double sampleRate)
    {
        double s = Math.Sin(Math.PI * frequency / sampleRate);
        double phi = s * s;
        double sumB = B0 + B1 + B2;
        double sumA = 1.0 + A1 + A2;
        double numerator = sumB * sumB - 4.0 * (B0 * B1 + 4.0 * B0 * B2 + B1 * B2) * phi + 16.0 * B0 * B2 * phi * phi;
        double denominator = sumA * sumA - 4.0 * (A1 + 4.0 * A2 + A1 * A2) * phi + 16.0 * A2 * phi * phi;
        return 10.0 * Math.Log10(Math.Max(numerator, 1e-300) / Math.Max(denominator, 1e-300));
    }

    private static void Prepare(double sampleRate, double frequency, double q, out double cos, out double alpha)
    {
        double w0 = 2.0 * Math.PI * frequency / sampleRate;
        cos = Math.Cos(w0);
        alpha = Math.Sin(w0) / (2.0 * q);
    }

    private static BiquadCoefficients Normalize(double b0, double b1, double b2, double a0, double a1, double a2)
    {
        double inverse = 1.0 / a0;
        return new BiquadCoefficients(b0 * inverse, b1 * inverse, b2 * inverse, a1 * inverse, a2 * inverse);
    }
}
