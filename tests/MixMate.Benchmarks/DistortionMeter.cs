using MixMate.Dsp.Spectrum;

namespace MixMate.Benchmarks;

/// <summary>
/// THD+N-like figure of a limited sine: the energy outside ±1/3 octave of the fundamental relative
/// to the total energy, in dB, from one Blackman–Harris-windowed FFT of a steady-state segment.
/// The 4-term window's side lobes (−92 dB) set the floor of what this can see.
/// </summary>
internal static class DistortionMeter
{
    /// <summary>FFT length (1.49 s at 44.1 kHz).</summary>
    public const int Size = 65536;

    /// <summary>[any thread] Out-of-band energy ratio in dB of <paramref name="segment"/> (≥ <see cref="Size"/> samples).</summary>
    public static double OutOfBandDb(ReadOnlySpan<float> segment, double sampleRate, double fundamentalHz)
    {
        var real = new double[Size];
        var imaginary = new double[Size];
        // 4-term Blackman–Harris (Harris 1978, Proc. IEEE 66(1), table of windows).
        const double A0 = 0.35875, A1 = 0.48829, A2 = 0.14128, A3 = 0.01168;
        for (int n = 0; n < Size; n++)
        {
            double phase = 2 * Math.PI * n / Size;
            double w = A0 - (A1 * Math.Cos(phase)) + (A2 * Math.Cos(2 * phase)) - (A3 * Math.Cos(3 * phase));
            real[n] = segment[n] * w;
        }

        new Fft(Size).Forward(real, imaginary);
        double low = fundamentalHz * Math.Pow(2, -1.0 / 3), high = fundamentalHz * Math.Pow(2, 1.0 / 3);
        double total = 0, outside = 0;
        for (int k = 0; k <= Size / 2; k++)
        {
            double power = (real[k] * real[k]) + (imaginary[k] * imaginary[k]);
            double f = k * sampleRate / Size;
            total += power;
            if (f < low || f > high)
            {
                outside += power;
            }
        }

        return 10 * Math.Log10(Math.Max(outside, 1e-30) / total);
    }
}
