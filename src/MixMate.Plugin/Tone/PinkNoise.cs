using MixMate.Dsp.Utility;

namespace MixMate.Plugin.Tone;

/// <summary>
/// Pink (−3 dB/octave) noise: uniform white noise through Paul Kellet's "refined" sum of six
/// one-pole sections plus a direct and a one-sample path (published on music-dsp, 1999; within
/// ±0.05 dB of 1/f from 9.2 Hz at 44.1 kHz). The output is scaled to unit RMS exactly: the
/// filter's power gain Σh[n]² is computed once from its impulse response, and uniform white noise
/// on [−1, 1) has power 1/3.
/// </summary>
/// <remarks>[audio thread] A value type; <see cref="Next"/> allocates nothing.</remarks>
public struct PinkNoise
{
    private static readonly double s_unitRmsScale = ComputeUnitRmsScale();

    private XorShiftRandom _random;
    private double _b0, _b1, _b2, _b3, _b4, _b5, _b6;

    public PinkNoise(ulong seed)
    {
        _random = new XorShiftRandom(seed);
        _b0 = _b1 = _b2 = _b3 = _b4 = _b5 = _b6 = 0;
    }

    /// <summary>The scale that makes the filtered noise unit RMS (forces the one-time computation
    /// off the audio thread when called from setup).</summary>
    public static double UnitRmsScale => s_unitRmsScale;

    /// <summary>Next sample, long-term RMS 1.</summary>
    public double Next() => Filter(_random.NextSigned()) * s_unitRmsScale;

    private double Filter(double white)
    {
        _b0 = 0.99886 * _b0 + white * 0.0555179;
        _b1 = 0.99332 * _b1 + white * 0.0750759;
        _b2 = 0.96900 * _b2 + white * 0.1538520;
        _b3 = 0.86650 * _b3 + white * 0.3104856;
        _b4 = 0.55000 * _b4 + white * 0.5329522;
        _b5 = -0.7616 * _b5 - white * 0.0168980;
        double pink = _b0 + _b1 + _b2 + _b3 + _b4 + _b5 + _b6 + white * 0.5362;
        _b6 = white * 0.115926;
        return pink;
    }

    private static double ComputeUnitRmsScale()
    {
        // The slowest pole (0.99886) decays below 1e-12 in power after ~12,000 samples.
        var filter = new PinkNoise(0);
        double energy = 0;
        for (int n = 0; n < 40000; n++)
        {
            double h = filter.Filter(n == 0 ? 1.0 : 0.0);
            energy += h * h;
        }

        return 1.0 / Math.Sqrt(energy / 3.0);
    }
}
