using System.Numerics;
using MixMate.Dsp.Filters;
using MixMate.Dsp.Tests.Utility;
using MixMate.TestSupport;
using Xunit;

namespace MixMate.Dsp.Tests.Filters;

/// <summary>
/// Every band type, measured through the EQ, equals the RBJ cookbook's analog prototype mapped by
/// the pre-warped bilinear transform: digital response at f equals the prototype at
/// Ω = tan(πf/fs) / tan(πf0/fs). The prototypes below are written from the cookbook's H(s), not
/// from our coefficient code, so a wrong coefficient formula shows up here.
/// </summary>
public sealed class BiquadResponseTests
{
    private const double ToleranceDb = 0.05;

    public static TheoryData<FilterType, double, double, double, double> Cases()
    {
        var data = new TheoryData<FilterType, double, double, double, double>();
        foreach (double fs in new[] { 44100.0, 48000.0, 96000.0 })
        {
            data.Add(FilterType.Peak, fs, 1000, 6, 1.0);
            data.Add(FilterType.Peak, fs, 120, -9, 2.5);
            data.Add(FilterType.Peak, fs, 9000, 12, 0.5);
            data.Add(FilterType.LowShelf, fs, 200, 6, BiquadCoefficients.ButterworthQ);
            data.Add(FilterType.LowShelf, fs, 800, -8, 1.2);
            data.Add(FilterType.HighShelf, fs, 5000, 4, BiquadCoefficients.ButterworthQ);
            data.Add(FilterType.HighShelf, fs, 2000, -10, 0.5);
            data.Add(FilterType.HighPass12, fs, 80, 0, BiquadCoefficients.ButterworthQ);
            data.Add(FilterType.HighPass12, fs, 300, 0, 2.0);
            data.Add(FilterType.LowPass12, fs, 8000, 0, BiquadCoefficients.ButterworthQ);
            data.Add(FilterType.LowPass12, fs, 1500, 0, 0.6);
            data.Add(FilterType.HighPass24, fs, 60, 0, 1.0);
            data.Add(FilterType.HighPass24, fs, 1000, 0, 1.0);
            data.Add(FilterType.LowPass24, fs, 12000, 0, 1.0);
            data.Add(FilterType.LowPass24, fs, 400, 0, 1.0);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MeasuredResponseMatchesAnalogPrototype(FilterType type, double sampleRate, double f0, double gainDb, double q)
    {
        float[] impulseResponse = MeasureImpulseResponse(type, sampleRate, f0, gainDb, q);
        foreach (double ratio in new[] { 0.1, 0.25, 0.5, 0.7071, 1.0, 1.4142, 2.0, 4.0, 10.0 })
        {
            double f = f0 * ratio;
            if (f > 0.45 * sampleRate || f < 5)
            {
                continue;
            }

            double expected = PrototypeDb(type, sampleRate, f0, gainDb, q, f);
            if (expected < -60)
            {
                continue; // deep stop band: float output resolution, not the design, would decide
            }

            double measured = 20 * Math.Log10(TestSignals.Dft(impulseResponse, sampleRate, f).Magnitude);
            Tolerance.AssertClose(expected, measured, ToleranceDb, $"{type} {f0} Hz @ {sampleRate} Hz, |H({f:0.#} Hz)| dB");

            double designed = BiquadCoefficients.MagnitudeDb(type, sampleRate, f0, gainDb, q, f);
            Tolerance.AssertClose(expected, designed, 1e-6, $"{type} MagnitudeDb({f:0.#} Hz)");
        }
    }

    [Theory]
    [InlineData(FilterType.HighPass12, 44100.0)]
    [InlineData(FilterType.LowPass12, 48000.0)]
    [InlineData(FilterType.HighPass24, 48000.0)]
    [InlineData(FilterType.LowPass24, 96000.0)]
    public void ButterworthTypesAreMinus3DbAtCutoff(FilterType type, double sampleRate)
    {
        // 12 dB/oct with Q = 1/√2 and 24 dB/oct (4th-order Butterworth) are both −3.01 dB at f0.
        const double f0 = 1000;
        float[] h = MeasureImpulseResponse(type, sampleRate, f0, 0, BiquadCoefficients.ButterworthQ);
        double db = 20 * Math.Log10(TestSignals.Dft(h, sampleRate, f0).Magnitude);
        Tolerance.AssertClose(-3.0103, db, 0.01, $"{type} at cutoff");

        // One octave into the stop band: 12 or 24 dB/oct asymptotes (analog values 10·log10(1 + 2^(2n))).
        bool lowPass = type is FilterType.LowPass12 or FilterType.LowPass24;
        int order = type is FilterType.HighPass24 or FilterType.LowPass24 ? 4 : 2;
        double omega = Math.Tan(Math.PI * (lowPass ? 2 * f0 : f0 / 2) / sampleRate) / Math.Tan(Math.PI * f0 / sampleRate);
        omega = lowPass ? omega : 1 / omega;
        double expected = -10 * Math.Log10(1 + Math.Pow(omega, 2 * order));
        double measured = 20 * Math.Log10(TestSignals.Dft(h, sampleRate, lowPass ? 2 * f0 : f0 / 2).Magnitude);
        Tolerance.AssertClose(expected, measured, ToleranceDb, $"{type} one octave into the stop band");
        Assert.True(measured < (order == 4 ? -23.5 : -11.5), $"{type}: {measured:0.00} dB an octave out");
    }

    [Fact]
    public void PeakGainAtCentreIsExact()
    {
        foreach (double g in new[] { -15.0, -3.0, 3.0, 15.0 })
        {
            var c = BiquadCoefficients.Peak(48000, 2500, g, 1.7);
            Tolerance.AssertClose(g, c.MagnitudeDb(2500, 48000), 1e-9, "peak gain at f0");
            Tolerance.AssertClose(0, c.MagnitudeDb(0, 48000), 1e-9, "peak gain at DC");
        }
    }

    [Fact]
    public void ShelvesReachTheirGainAtTheFarEnd()
    {
        var low = BiquadCoefficients.LowShelf(48000, 300, 7, BiquadCoefficients.ButterworthQ);
        Tolerance.AssertClose(7, low.MagnitudeDb(0, 48000), 1e-9, "low shelf at DC");
        Tolerance.AssertClose(0, low.MagnitudeDb(24000, 48000), 1e-9, "low shelf at Nyquist");
        Tolerance.AssertClose(3.5, low.MagnitudeDb(300, 48000), 1e-9, "low shelf at f0 (half gain)");
        var high = BiquadCoefficients.HighShelf(48000, 3000, -6, BiquadCoefficients.ButterworthQ);
        Tolerance.AssertClose(-6, high.MagnitudeDb(24000, 48000), 1e-9, "high shelf at Nyquist");
        Tolerance.AssertClose(0, high.MagnitudeDb(0, 48000), 1e-9, "high shelf at DC");
    }

    /// <summary>Impulse response of a one-band EQ, long enough for the slowest band here to decay.</summary>
    private static float[] MeasureImpulseResponse(FilterType type, double sampleRate, double f0, double gainDb, double q)
    {
        var eq = new ParametricEq(1);
        eq.SetBand(0, new EqBand(true, type, f0, gainDb, q));
        eq.Configure(sampleRate, 1, 4096);
        int n = sampleRate > 50000 ? 1 << 17 : 1 << 16;
        float[][] x = [TestSignals.Impulse(n, 0, 1f)];
        return ProcessorHarness.Run(eq, x, 4096)[0];
    }

    /// <summary>The cookbook's H(s) for each type, evaluated at the pre-warped frequency.</summary>
    private static double PrototypeDb(FilterType type, double sampleRate, double f0, double gainDb, double q, double f)
    {
        double omega = Math.Tan(Math.PI * f / sampleRate) / Math.Tan(Math.PI * f0 / sampleRate);
        var s = new Complex(0, omega);
        double a = Math.Pow(10, gainDb / 40);
        double sa = Math.Sqrt(a);
        Complex h = type switch
        {
            FilterType.Peak => (s * s + s * (a / q) + 1) / (s * s + s / (a * q) + 1),
            FilterType.LowShelf => a * (s * s + s * (sa / q) + a) / (a * s * s + s * (sa / q) + 1),
            FilterType.HighShelf => a * (a * s * s + s * (sa / q) + 1) / (s * s + s * (sa / q) + a),
            FilterType.HighPass12 => s * s / (s * s + s / q + 1),
            FilterType.LowPass12 => 1 / (s * s + s / q + 1),
            // 4th-order Butterworth: |H|² = 1 / (1 + Ω^8) (low-pass), Ω^8 / (1 + Ω^8) (high-pass).
            FilterType.LowPass24 => 1 / Math.Sqrt(1 + Math.Pow(omega, 8)),
            FilterType.HighPass24 => Math.Pow(omega, 4) / Math.Sqrt(1 + Math.Pow(omega, 8)),
            _ => throw new ArgumentOutOfRangeException(nameof(type)),
        };
        return 20 * Math.Log10(h.Magnitude);
    }
}
