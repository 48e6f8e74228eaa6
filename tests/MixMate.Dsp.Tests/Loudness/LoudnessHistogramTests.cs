using MixMate.Dsp.Loudness;
using MixMate.TestSupport;
using Xunit;

namespace MixMate.Dsp.Tests.Loudness;

public sealed class LoudnessHistogramTests
{
    private static double Energy(double lufs) => Math.Pow(10, (lufs + 0.691) / 10);

    private static double Bin(double lufs) => Math.Floor((lufs + 70) * 1000);

    private static bool Counts(double lufs, double threshold) =>
        threshold <= -70 || Bin(lufs) != Bin(threshold) ? lufs >= threshold : (Bin(threshold) + 0.5) / 1000 - 70 >= threshold;

    [Fact]
    public void Gated_sums_and_ranks_agree_with_a_sorted_list()
    {
        var random = new Random(5);
        var histogram = new LoudnessHistogram();
        var values = new List<double>();
        for (int i = 0; i < 50_000; i++)
        {
            // Clusters of equal values as well as spread ones, like steady and varying programme.
            double lufs = random.NextDouble() < 0.3 ? -30.0 + random.Next(5) : -69.9 + 99 * random.NextDouble();
            values.Add(lufs);
            histogram.Add(Energy(lufs), lufs);
        }

        values.Sort();
        Assert.Equal(values.Count, histogram.Count);
        Tolerance.AssertClose(values.Sum(Energy), histogram.TotalEnergy, 1e-9 * histogram.TotalEnergy, "total energy");
        foreach (double threshold in new[] { -80.0, -45.123, -30.0004, -29.9996, 0.5, 25.0 })
        {
            // The documented rule, written from the class's remarks: a value counts when it is at or
            // above the threshold, except inside the one 0.001 LU bin that holds the threshold,
            // whose values all count when the bin's centre is at or above it. At −30.0004 and
            // −29.9996 this decides the whole cluster at −30.0 (one bin, centre −29.9995): in both.
            var included = values.Where(v => Counts(v, threshold)).ToList();
            long count = histogram.CountAtOrAbove(threshold, out double energy);
            Assert.Equal(included.Count, count);
            if (included.Count > 0)
            {
                Tolerance.AssertClose(10 * Math.Log10(included.Average(Energy)), 10 * Math.Log10(energy / count), 0.0005, $"mean above {threshold}");
                foreach (double p in new[] { 0.0, 0.1, 0.5, 0.95, 1.0 })
                {
                    int rank = (int)Math.Round((included.Count - 1) * p);
                    Tolerance.AssertClose(included[rank], histogram.LufsAtRank(threshold, rank), 0.000501, $"rank {p} above {threshold}");
                }
            }
        }

        histogram.Clear();
        Assert.Equal(0, histogram.Count);
        Assert.Equal(0, histogram.CountAtOrAbove(-70, out _));
    }
}
