namespace MixMate.Assistant.Balance;

/// <summary>
/// The arithmetic of the balance evaluation (<c>models/mixeval</c>): scramble a song's stems away
/// from their intended balance, let a method propose gains, and score how far the result is from
/// the intended balance once the common offset is removed.
/// </summary>
public static class BalanceEvaluation
{
    /// <summary>[any thread] Offsets drawn uniformly in ±<paramref name="rangeDb"/> (dB), the same for the same seed.</summary>
    public static double[] Scramble(int tracks, int seed, double rangeDb = 10)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(tracks);
        var random = new Random(seed);
        var offsets = new double[tracks];
        for (int i = 0; i < tracks; i++)
        {
            offsets[i] = ((2 * random.NextDouble()) - 1) * rangeDb;
        }

        return offsets;
    }

    /// <summary>
    /// [any thread] RMS in dB of the residual <c>recovered[i] + scramble[i]</c> after removing its
    /// mean: 0 when the proposed gains undo the scramble up to a common gain.
    /// </summary>
    public static double RmsErrorDb(IReadOnlyList<double> recoveredGainsDb, IReadOnlyList<double> scrambleDb)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(recoveredGainsDb.Count, scrambleDb.Count);
        int n = scrambleDb.Count;
        if (n == 0)
        {
            return 0;
        }

        var residual = new double[n];
        for (int i = 0; i < n; i++)
        {
            residual[i] = recoveredGainsDb[i] + scrambleDb[i];
        }

        double mean = residual.Average();
        return Math.Sqrt(residual.Sum(r => (r - mean) * (r - mean)) / n);
    }

    /// <summary>[any thread] The baseline: gains that bring every track to the same loudness.</summary>
    public static double[] EqualLoudnessGains(IReadOnlyList<double> lufs)
    {
        double mean = lufs.Average();
        return [.. lufs.Select(l => mean - l)];
    }
}
