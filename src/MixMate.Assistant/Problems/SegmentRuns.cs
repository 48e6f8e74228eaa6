namespace MixMate.Assistant.Problems;

/// <summary>
/// Runs of flagged analysis steps (100 ms segments, spectrum frames): where a problem starts and
/// ends on the time axis.
/// </summary>
internal static class SegmentRuns
{
    /// <summary>[any thread] Runs of true in <paramref name="flags"/> as [Start, End) index pairs;
    /// runs separated by at most <paramref name="maxGap"/> false steps are merged, and runs shorter
    /// than <paramref name="minLength"/> steps are dropped.</summary>
    public static List<(int Start, int End)> Find(ReadOnlySpan<bool> flags, int maxGap, int minLength)
    {
        var runs = new List<(int Start, int End)>();
        int i = 0;
        while (i < flags.Length)
        {
            if (!flags[i])
            {
                i++;
                continue;
            }

            int start = i;
            int end = i + 1;
            int j = end;
            while (j < flags.Length)
            {
                if (flags[j])
                {
                    end = j + 1;
                    j++;
                }
                else if (j - end < maxGap)
                {
                    j++;
                }
                else
                {
                    break;
                }
            }

            if (end - start >= minLength)
            {
                runs.Add((start, end));
            }

            i = Math.Max(end, j);
        }

        return runs;
    }

    /// <summary>[any thread] Centred moving sums: result[i] = Σ x[i − half .. i + half] (clipped
    /// at the ends).</summary>
    public static double[] CentredSum(ReadOnlySpan<double> x, int half)
    {
        var prefix = new double[x.Length + 1];
        for (int i = 0; i < x.Length; i++)
        {
            prefix[i + 1] = prefix[i] + x[i];
        }

        var result = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            int from = Math.Max(0, i - half);
            int to = Math.Min(x.Length, i + half + 1);
            result[i] = prefix[to] - prefix[from];
        }

        return result;
    }

    /// <summary>[any thread] Grows the run [start, end) while <paramref name="keep"/> holds for the
    /// step beside it: the edges of a problem found with a strict test move out to where a looser
    /// one (half its level, a zero crossing) stops holding.</summary>
    public static (int Start, int End) Extend(int start, int end, int length, Func<int, bool> keep)
    {
        while (start > 0 && keep(start - 1))
        {
            start--;
        }

        while (end < length && keep(end))
        {
            end++;
        }

        return (start, end);
    }

    /// <summary>[any thread] True when [start, end) seconds covers at least 90 % of a programme of
    /// <paramref name="duration"/> seconds: the problem is then reported for the whole file.</summary>
    public static bool IsWholeFile(double start, double end, double duration) =>
        duration > 0 && end - start >= 0.9 * duration;
}
