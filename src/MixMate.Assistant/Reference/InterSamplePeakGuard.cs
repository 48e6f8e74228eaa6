using MixMate.Dsp;

namespace MixMate.Assistant.Reference;

/// <summary>
/// A second look at the true peak of a finished master, finer than the limiter's 4× detector:
/// around every local maximum within <see cref="SearchBelowDb"/> of the ceiling the signal is
/// reconstructed at <see cref="Phases"/> points per sample period with a Hann-windowed sinc of
/// ±<see cref="HalfTaps"/> taps (16× oversampling, as the reference meters of BS.1770 comparisons
/// use), and the highest value found is returned. A reference match brightens or deepens a
/// programme toward its reference; energy pushed toward Nyquist (cymbals, hi-hats) makes peaks
/// between the 4× points that a 4× detector misses by a few tenths of a dB, and the match's
/// ceiling is a promise.
/// </summary>
public static class InterSamplePeakGuard
{
    /// <summary>Oversampling factor of the check.</summary>
    public const int Phases = 16;

    /// <summary>Half-length of the interpolation kernel, in samples.</summary>
    public const int HalfTaps = 12;

    /// <summary>Local maxima of |x| this far below the ceiling (dB) are examined: the continuous
    /// peak lies in an interval next to a sampled maximum, and one more than 2 dB above it needs a
    /// signal a 4× true-peak limiter does not let through.</summary>
    public const double SearchBelowDb = 2;

    private static readonly Lazy<double[][]> Kernels = new(BuildKernels);

    /// <summary>[any-thread] The highest reconstructed peak of <paramref name="block"/> near the
    /// ceiling, dBTP (−∞ when no sample comes within <see cref="SearchBelowDb"/> of it).</summary>
    public static double PeakDbtp(AudioBlock block, double ceilingDbtp)
    {
        double threshold = Decibels.ToGain(ceilingDbtp - SearchBelowDb);
        double[][] kernels = Kernels.Value;
        double peak = 0;
        for (int c = 0; c < block.Channels; c++)
        {
            ReadOnlySpan<float> x = block[c];
            for (int i = 0; i < x.Length; i++)
            {
                float a = Math.Abs(x[i]);
                if (a < threshold || (i > 0 && Math.Abs(x[i - 1]) > a) || (i + 1 < x.Length && Math.Abs(x[i + 1]) > a))
                {
                    continue;
                }

                peak = Math.Max(peak, Math.Abs(x[i]));

                // The intervals on both sides of the sample: (i−1, i) and (i, i+1).
                for (int start = i - 1; start <= i; start++)
                {
                    for (int p = 1; p < Phases; p++)
                    {
                        double[] k = kernels[p];
                        double sum = 0;
                        for (int t = 0; t < k.Length; t++)
                        {
                            int n = start - HalfTaps + 1 + t;
                            if ((uint)n < (uint)x.Length)
                            {
                                sum += k[t] * x[n];
                            }
                        }

                        peak = Math.Max(peak, Math.Abs(sum));
                    }
                }
            }
        }

        return Decibels.FromGain(peak);
    }

    // Kernel for fractional position p/Phases after sample `start`: taps at start−HalfTaps+1 … start+HalfTaps.
    private static double[][] BuildKernels()
    {
        var kernels = new double[Phases][];
        for (int p = 0; p < Phases; p++)
        {
            double frac = (double)p / Phases;
            var k = new double[2 * HalfTaps];
            for (int t = 0; t < k.Length; t++)
            {
                double d = (t - HalfTaps + 1) - frac; // tap position relative to the point
                double sinc = Math.Abs(d) < 1e-12 ? 1 : Math.Sin(Math.PI * d) / (Math.PI * d);
                double window = 0.5 + (0.5 * Math.Cos(Math.PI * d / (HalfTaps + 1)));
                k[t] = sinc * window;
            }

            kernels[p] = k;
        }

        return kernels;
    }
}
