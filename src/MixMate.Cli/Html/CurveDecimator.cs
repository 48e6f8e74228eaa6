namespace MixMate.Cli.Html;

/// <summary>
/// Shrinks long curves for display without hiding what matters: per bucket of equal index span the
/// smallest and largest value are kept, in their original order (min/max decimation), so peaks,
/// dips and the curve's envelope survive while a 60-minute programme's 36 000 loudness steps become
/// about two points per pixel column.
/// </summary>
internal static class CurveDecimator
{
    /// <summary>[any thread] At most 2 × <paramref name="buckets"/> points of (<paramref name="xs"/>,
    /// <paramref name="ys"/>); the input itself (copied) when it is already that short. Values are
    /// compared after <paramref name="floor"/> is applied, so −∞ (silence) counts as the floor.</summary>
    public static (double[] X, double[] Y) MinMax(ReadOnlySpan<double> xs, ReadOnlySpan<double> ys, int buckets, double floor = double.NegativeInfinity)
    {
        if (xs.Length != ys.Length)
        {
            throw new ArgumentException("x and y must have the same length.", nameof(ys));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(buckets, 1);
        int n = xs.Length;
        if (n <= 2 * buckets)
        {
            double[] y = ys.ToArray();
            for (int i = 0; i < y.Length; i++)
            {
                y[i] = Floor(y[i], floor);
            }

            return (xs.ToArray(), y);
        }

        var outX = new List<double>(2 * buckets);
        var outY = new List<double>(2 * buckets);
        for (int b = 0; b < buckets; b++)
        {
            int start = (int)((long)b * n / buckets);
            int end = (int)((long)(b + 1) * n / buckets);
            if (end <= start)
            {
                continue;
            }

            int lo = start, hi = start;
            for (int i = start + 1; i < end; i++)
            {
                double v = Floor(ys[i], floor);
                if (v < Floor(ys[lo], floor))
                {
                    lo = i;
                }

                if (v > Floor(ys[hi], floor))
                {
                    hi = i;
                }
            }

            int first = Math.Min(lo, hi), second = Math.Max(lo, hi);
            outX.Add(xs[first]);
            outY.Add(Floor(ys[first], floor));
            if (second != first)
            {
                outX.Add(xs[second]);
                outY.Add(Floor(ys[second], floor));
            }
        }

        return ([.. outX], [.. outY]);
    }

    /// <summary>[any thread] Merges x-ranges (sorted by start) whose gap is below <paramref name="minimumGap"/>,
    /// so thousands of short gated-out steps become a few visible regions.</summary>
    public static List<(double From, double To)> MergeRanges(IReadOnlyList<(double From, double To)> ranges, double minimumGap)
    {
        var merged = new List<(double From, double To)>();
        foreach ((double from, double to) in ranges)
        {
            if (merged.Count > 0 && from - merged[^1].To <= minimumGap)
            {
                merged[^1] = (merged[^1].From, Math.Max(merged[^1].To, to));
            }
            else
            {
                merged.Add((from, to));
            }
        }

        return merged;
    }

    private static double Floor(double v, double floor) => double.IsNaN(v) ? floor : Math.Max(v, floor);
}
