using MathNet.Numerics.Statistics;
using MixMate.Dsp.Spectrum;

namespace MixMate.Assistant.Reference;

/// <summary>
/// The level offset a tonal comparison removes: the median band difference over the bands that
/// carry programme between 45 Hz and 17 kHz. The median (not the mean) keeps a local bump a bump
/// instead of tilting every band; the same offset defines the distance the match is judged by.
/// </summary>
public static class TonalShape
{
    /// <summary>Bands whose difference sets the offset (45 Hz–17 kHz).</summary>
    public const double OffsetLowHz = 45, OffsetHighHz = 17000;

    /// <summary>A band carries programme when within this many dB of the loudest band.</summary>
    public const double PresentWithinDb = 60;

    /// <summary>[any-thread] Whether band <paramref name="b"/> of <paramref name="bandsDb"/> carries programme at this rate.</summary>
    public static bool Present(ReadOnlySpan<double> bandsDb, int b, double sampleRate)
    {
        double loudest = double.NegativeInfinity;
        foreach (double v in bandsDb)
        {
            loudest = Math.Max(loudest, v);
        }

        return double.IsFinite(bandsDb[b]) && bandsDb[b] > loudest - PresentWithinDb && ThirdOctaveBands.UpperEdge(b) <= (sampleRate / 2) + 1e-9;
    }

    /// <summary>[any-thread] Levels relative to their own median over the offset range; −∞ where absent.</summary>
    public static double[] Relative(ReadOnlySpan<double> bandsDb, double sampleRate)
    {
        var present = new List<double>();
        for (int b = 0; b < bandsDb.Length; b++)
        {
            double fc = ThirdOctaveBands.Centre(b);
            if (fc is >= OffsetLowHz and <= OffsetHighHz && Present(bandsDb, b, sampleRate))
            {
                present.Add(bandsDb[b]);
            }
        }

        double median = present.Count > 0 ? present.Median() : 0;
        var shape = new double[bandsDb.Length];
        for (int b = 0; b < shape.Length; b++)
        {
            shape[b] = Present(bandsDb, b, sampleRate) ? bandsDb[b] - median : double.NegativeInfinity;
        }

        return shape;
    }

    /// <summary>[any-thread] The difference <paramref name="targetDb"/> − <paramref name="bandsDb"/>
    /// per band with the median over the offset range removed; NaN where either is absent.</summary>
    public static double[] Difference(ReadOnlySpan<double> targetDb, ReadOnlySpan<double> bandsDb, double sampleRate)
    {
        int n = ThirdOctaveBands.Count;
        var d = new double[n];
        var inRange = new List<double>();
        for (int b = 0; b < n; b++)
        {
            bool both = double.IsFinite(targetDb[b]) && Present(bandsDb, b, sampleRate);
            d[b] = both ? targetDb[b] - bandsDb[b] : double.NaN;
            double fc = ThirdOctaveBands.Centre(b);
            if (both && fc is >= OffsetLowHz and <= OffsetHighHz)
            {
                inRange.Add(d[b]);
            }
        }

        double median = inRange.Count > 0 ? inRange.Median() : 0;
        for (int b = 0; b < n; b++)
        {
            d[b] -= median;
        }

        return d;
    }

    /// <summary>[any-thread] Root-mean-square of the median-removed difference over the bands where
    /// both carry programme: the third-octave distance a match is judged by, dB.</summary>
    public static double Distance(ReadOnlySpan<double> targetDb, ReadOnlySpan<double> bandsDb, double sampleRate)
    {
        double[] d = Difference(targetDb, bandsDb, sampleRate);
        double sum = 0;
        int count = 0;
        foreach (double v in d)
        {
            if (double.IsFinite(v))
            {
                sum += v * v;
                count++;
            }
        }

        return count > 0 ? Math.Sqrt(sum / count) : 0;
    }
}
