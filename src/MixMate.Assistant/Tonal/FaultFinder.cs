using MixMate.Dsp.Spectrum;

namespace MixMate.Assistant.Tonal;

/// <summary>
/// Estimates an EQ fault in a programme rather than its distance from a house curve. Real
/// long-term spectra are smooth on a log-frequency axis and differ widely by style, while an EQ
/// fault is a bump, a notch or a shelf. Two detectors, each acting only beyond what clean
/// material of the same kind shows (<see cref="TonalReference"/>):
/// <list type="bullet">
/// <item>narrow: the twelfth-octave spectrum against its own robust smoothed shape (running
/// median over an octave, then a mean over half an octave) — resonances and notches, wherever
/// the style puts the overall balance;</item>
/// <item>broad: that smoothed shape against the content's reference mean, level offset removed —
/// shelves, tilts and wide bells, only where the deviation exceeds the spread of clean tracks.</item>
/// </list>
/// Both are soft thresholds (the part beyond the threshold counts, with its sign), so the estimate
/// moves monotonically and never faster than the spectrum: a fault added to a track changes the
/// estimate by at most the fault, in its direction.
/// </summary>
public static class FaultFinder
{
    /// <summary>Lowest and highest analysed frequency, Hz.</summary>
    public const double LowHz = 35, HighHz = 17000;

    /// <summary>Bands more than this below the loudest are not analysed (noise), dB.</summary>
    public const double DynamicRangeDb = 60;

    /// <summary>Half-width of the running median, bands (half an octave).</summary>
    private const int MedianHalfWidth = 6;

    /// <summary>Half-width of the mean after it, bands (a quarter octave).</summary>
    private const int MeanHalfWidth = 3;

    /// <summary>[any thread] Estimates the fault of <paramref name="profile"/> against <paramref name="reference"/>.</summary>
    public static FaultEstimate Estimate(TonalProfile profile, TonalReference reference, FaultFinderSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(reference);
        settings ??= FaultFinderSettings.Default;
        int n = TwelfthOctaveBands.Count;
        bool[] analysed = Analysed(profile);
        double[] light = LightlySmoothed(profile.FineDb, analysed);
        double[] smoothed = Baseline(light, analysed);

        var narrow = new double[n];
        var offsets = new List<double>();
        for (int i = 0; i < n; i++)
        {
            if (analysed[i])
            {
                narrow[i] = light[i] - smoothed[i];
                double f = TwelfthOctaveBands.Centre(i);
                if (f is >= 50 and <= 16000)
                {
                    offsets.Add(smoothed[i] - reference.MeanDb[i]);
                }
            }
        }

        // The mean, as the fault is scored (level removed by its mean over 50 Hz–16 kHz): the
        // deviation then moves linearly with a fault.
        double offset = offsets.Count > 0 ? offsets.Average() : 0;
        var broad = new double[n];
        var fault = new double[n];
        var narrowFault = new double[n];
        for (int i = 0; i < n; i++)
        {
            if (!analysed[i])
            {
                continue;
            }

            broad[i] = smoothed[i] - reference.MeanDb[i] - offset;
            double tn = Math.Max(settings.MinNarrowDb, settings.NarrowThreshold * reference.NarrowSpreadDb[i]);
            double tb = Math.Max(settings.MinBroadDb, settings.BroadThreshold * reference.SpreadDb[i]);
            narrowFault[i] = Soft(narrow[i], tn);
            double tau = settings.BroadFaultScaleDb;
            double sigma = reference.SpreadDb[i];
            fault[i] = narrowFault[i] + (tau > 0 ? broad[i] * tau * tau / ((sigma * sigma) + (tau * tau)) : Soft(broad[i], tb));
        }

        return new FaultEstimate(analysed, smoothed, narrow, broad, fault, narrowFault, offset);
    }

    /// <summary>[any thread] The programme's own smoothed twelfth-octave spectrum (−∞ where not analysed).</summary>
    public static double[] Smoothed(TonalProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        bool[] analysed = Analysed(profile);
        double[] s = Baseline(LightlySmoothed(profile.FineDb, analysed), analysed);
        for (int i = 0; i < s.Length; i++)
        {
            if (!analysed[i])
            {
                s[i] = double.NegativeInfinity;
            }
        }

        return s;
    }

    /// <summary>[any thread] Bands that carry programme: finite, inside <see cref="LowHz"/>–<see cref="HighHz"/>,
    /// below Nyquist and within <see cref="DynamicRangeDb"/> of the loudest band.</summary>
    public static bool[] Analysed(TonalProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        int n = TwelfthOctaveBands.Count;
        if (profile.FineDb.Length != n)
        {
            throw new ArgumentException($"Need {n} twelfth-octave levels.", nameof(profile));
        }

        double loudest = double.NegativeInfinity;
        foreach (double v in profile.FineDb)
        {
            if (double.IsFinite(v))
            {
                loudest = Math.Max(loudest, v);
            }
        }

        var analysed = new bool[n];
        for (int i = 0; i < n; i++)
        {
            double f = TwelfthOctaveBands.Centre(i);
            analysed[i] = double.IsFinite(profile.FineDb[i]) && profile.FineDb[i] > loudest - DynamicRangeDb
                && f >= LowHz && f <= HighHz && TwelfthOctaveBands.UpperEdge(i) < profile.SampleRate / 2;
        }

        return analysed;
    }

    /// <summary>Soft threshold: the part of <paramref name="x"/> beyond ±<paramref name="t"/>.</summary>
    public static double Soft(double x, double t) => x > t ? x - t : x < -t ? x + t : 0;

    // [¼ ½ ¼] over analysed neighbours: one band's estimation noise is not a resonance.
    private static double[] LightlySmoothed(double[] levels, bool[] analysed)
    {
        var result = new double[levels.Length];
        for (int i = 0; i < levels.Length; i++)
        {
            if (!analysed[i])
            {
                continue;
            }

            double sum = 0, weight = 0;
            for (int k = -1; k <= 1; k++)
            {
                int j = i + k;
                if (j >= 0 && j < levels.Length && analysed[j])
                {
                    double w = k == 0 ? 0.5 : 0.25;
                    sum += w * levels[j];
                    weight += w;
                }
            }

            result[i] = sum / weight;
        }

        return result;
    }

    // Running median (robust: a resonance does not lift its own baseline), then a running mean
    // (the median's steps are not faults).
    private static double[] Baseline(double[] levels, bool[] analysed)
    {
        int n = levels.Length;
        var median = new double[n];
        var window = new List<double>(2 * MedianHalfWidth + 1);
        for (int i = 0; i < n; i++)
        {
            if (!analysed[i])
            {
                continue;
            }

            window.Clear();
            for (int j = Math.Max(0, i - MedianHalfWidth); j <= Math.Min(n - 1, i + MedianHalfWidth); j++)
            {
                if (analysed[j])
                {
                    window.Add(levels[j]);
                }
            }

            median[i] = Median(window);
        }

        var mean = new double[n];
        for (int i = 0; i < n; i++)
        {
            if (!analysed[i])
            {
                continue;
            }

            double sum = 0;
            int count = 0;
            for (int j = Math.Max(0, i - MeanHalfWidth); j <= Math.Min(n - 1, i + MeanHalfWidth); j++)
            {
                if (analysed[j])
                {
                    sum += median[j];
                    count++;
                }
            }

            mean[i] = sum / count;
        }

        return mean;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        int m = values.Count / 2;
        return values.Count % 2 == 1 ? values[m] : 0.5 * (values[m - 1] + values[m]);
    }
}
