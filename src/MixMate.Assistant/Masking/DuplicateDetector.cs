using System.Globalization;
using MixMate.Assistant.Balance;
using MixMate.Dsp.Spectrum;

namespace MixMate.Assistant.Masking;

/// <summary>
/// Finds tracks that are the same audio twice (an export repeated, a stem dragged in twice, or a
/// copy at another level): they "mask" each other perfectly, and cutting one to make room for the
/// other would only carve a hole in the part. The planner warns instead.
/// </summary>
/// <remarks>
/// Two tracks are taken for duplicates when, with their levels removed, their long-term
/// third-octave spectra agree within <see cref="MaxShapeRmsDb"/> (RMS over the bands within 40 dB
/// of either's loudest band), they play over the same share of the time (within
/// <see cref="MaxActiveFractionDifference"/>) and their peak-to-active loudness ratios agree within
/// <see cref="MaxCrestDifferenceLu"/>. Two different parts — even two takes on one instrument —
/// differ by several dB in some bands; a copy, a re-encode or a copy at another gain does not.
/// </remarks>
public static class DuplicateDetector
{
    /// <summary>Largest RMS difference of the level-normalised spectra, dB.</summary>
    public const double MaxShapeRmsDb = 0.5;

    /// <summary>Largest difference of the active fractions.</summary>
    public const double MaxActiveFractionDifference = 0.03;

    /// <summary>Largest difference of (loudest block − active loudness), LU.</summary>
    public const double MaxCrestDifferenceLu = 0.5;

    private const double RangeDb = 40;

    /// <summary>[any thread] Pairs (i &lt; j) that sound like the same audio, in index order.</summary>
    public static IReadOnlyList<(int First, int Second)> Find(IReadOnlyList<TrackSummary> tracks)
    {
        ArgumentNullException.ThrowIfNull(tracks);
        var pairs = new List<(int, int)>();
        for (int i = 0; i < tracks.Count; i++)
        {
            for (int j = i + 1; j < tracks.Count; j++)
            {
                if (AreDuplicates(tracks[i], tracks[j]))
                {
                    pairs.Add((i, j));
                }
            }
        }

        return pairs;
    }

    /// <summary>[any thread] Whether <paramref name="a"/> and <paramref name="b"/> sound like the same audio.</summary>
    public static bool AreDuplicates(TrackSummary a, TrackSummary b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ActiveLoudness la = a.Loudness, lb = b.Loudness;
        int bands = ThirdOctaveBands.Count;
        if (la.IsSilent || lb.IsSilent || la.Lufs < BalanceEngine.NearSilentLufs || lb.Lufs < BalanceEngine.NearSilentLufs
            || a.BandsDb.Count != bands || b.BandsDb.Count != bands
            || Math.Abs(la.ActiveFraction - lb.ActiveFraction) > MaxActiveFractionDifference
            || Math.Abs((la.MaxMomentaryLufs - la.Lufs) - (lb.MaxMomentaryLufs - lb.Lufs)) > MaxCrestDifferenceLu)
        {
            return false;
        }

        double peakA = a.BandsDb.Where(double.IsFinite).DefaultIfEmpty(double.NegativeInfinity).Max() - la.Lufs;
        double peakB = b.BandsDb.Where(double.IsFinite).DefaultIfEmpty(double.NegativeInfinity).Max() - lb.Lufs;
        double sum = 0;
        int count = 0;
        for (int k = 0; k < bands; k++)
        {
            double x = a.BandsDb[k] - la.Lufs;
            double y = b.BandsDb[k] - lb.Lufs;
            bool inA = double.IsFinite(x) && x >= peakA - RangeDb;
            bool inB = double.IsFinite(y) && y >= peakB - RangeDb;
            if (!inA && !inB)
            {
                continue;
            }

            if (!double.IsFinite(x) || !double.IsFinite(y))
            {
                return false; // one has a band the other lacks entirely
            }

            sum += (x - y) * (x - y);
            count++;
        }

        return count > 0 && Math.Sqrt(sum / count) <= MaxShapeRmsDb;
    }

    /// <summary>[any thread] The warning the planner gives for a duplicate pair.</summary>
    public static string Warning(TrackSummary first, TrackSummary second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        double apart = second.Loudness.Lufs - first.Loudness.Lufs;
        string level = Math.Abs(apart) < 0.05
            ? "at the same level"
            : string.Create(CultureInfo.InvariantCulture, $"{Math.Abs(apart):0.0} dB {(apart > 0 ? "louder" : "quieter")}");
        return $"{second.Name} sounds like the same audio as {first.Name} ({level}: same spectrum and activity); no masking cuts between them — check whether one was added twice";
    }
}
