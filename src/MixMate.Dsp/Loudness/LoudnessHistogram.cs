namespace MixMate.Dsp.Loudness;

/// <summary>
/// Constant-memory distribution of block loudness values for the gated measures (BS.1770-4
/// integrated loudness, EBU Tech 3342 Loudness Range). Values from −70 to +30 LUFS are counted in
/// fine bins of 0.001 LU, grouped into coarse bins of 0.1 LU that also hold the exact energy sum
/// of their blocks; the exact total energy is kept as well.
/// </summary>
/// <remarks>
/// A gated mean is exact except for the blocks inside the one 0.001 LU fine bin that holds the
/// threshold (included when the bin's centre is at or above it) and, within the threshold's
/// coarse bin only, for using each fine bin's centre energy (≤ 0.0005 LU off). Reads touch
/// 1 000 coarse and at most 100 fine bins. Memory: about 420 kB. Values above +30 LUFS are
/// counted in the top bin with their exact energy.
/// The 400 kB of fine bins are zero pages mapped from the system (<see cref="Utility.ZeroPages"/>):
/// a page costs nothing until a value lands in it,
/// so configuring a meter — a plug-in instance's setup in a running DAW — stays cheap, and the
/// GC never sees a large object (a large-object collection would stall every audio thread).
/// Freed by <see cref="Dispose"/> (a plug-in instance being destroyed) or by the finalizer.
/// </remarks>
internal sealed unsafe class LoudnessHistogram : IDisposable
{
    public const double FloorLufs = Bs1770.AbsoluteGateLufs;
    public const double CeilingLufs = 30.0;
    private const int FinePerLu = 1000;
    private const int FinePerCoarse = 100;
    private const int FineBins = (int)((CeilingLufs - FloorLufs) * FinePerLu);
    private const int CoarseBins = FineBins / FinePerCoarse;

    private int* _fineCount = (int*)Utility.ZeroPages.Allocate(FineBins * sizeof(int));
    private readonly long[] _coarseCount = new long[CoarseBins];
    private readonly double[] _coarseEnergy = new double[CoarseBins];

    ~LoudnessHistogram() => Free();

    /// <summary>[non-real-time, never again used] Frees the fine bins.</summary>
    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    /// <summary>Number of values added.</summary>
    public long Count { get; private set; }

    /// <summary>Exact sum of the energies added.</summary>
    public double TotalEnergy { get; private set; }

    /// <summary>Forgets every value (nothing to touch when nothing was added: a fresh or just
    /// cleared histogram is already zero, which keeps plug-in activation cheap).</summary>
    public void Clear()
    {
        if (Count == 0)
        {
            return;
        }

        new Span<int>(_fineCount, FineBins).Clear();
        Array.Clear(_coarseCount);
        Array.Clear(_coarseEnergy);
        Count = 0;
        TotalEnergy = 0;
    }

    /// <summary>Adds one block of mean-square <paramref name="energy"/> (loudness
    /// <paramref name="lufs"/>, which must be at or above <see cref="FloorLufs"/>).</summary>
    public void Add(double energy, double lufs)
    {
        if (_fineCount == null)
        {
            return; // disposed
        }

        int fine = FineIndex(lufs);
        _fineCount[fine]++;
        int coarse = fine / FinePerCoarse;
        _coarseCount[coarse]++;
        _coarseEnergy[coarse] += energy;
        Count++;
        TotalEnergy += energy;
    }

    /// <summary>Number of values at or above <paramref name="thresholdLufs"/>, and their energy sum.</summary>
    public long CountAtOrAbove(double thresholdLufs, out double energy)
    {
        int first = FirstFine(thresholdLufs);
        int coarse = first / FinePerCoarse;
        long count = 0;
        energy = 0;
        if (first % FinePerCoarse == 0)
        {
            count += _coarseCount[coarse];
            energy += _coarseEnergy[coarse];
        }
        else
        {
            for (int f = first; f < (coarse + 1) * FinePerCoarse; f++)
            {
                int c = _fineCount[f];
                if (c != 0)
                {
                    count += c;
                    energy += c * CentreEnergy(f);
                }
            }
        }

        for (int b = coarse + 1; b < CoarseBins; b++)
        {
            count += _coarseCount[b];
            energy += _coarseEnergy[b];
        }

        return count;
    }

    /// <summary>The loudness (fine-bin centre) of the value with 0-based <paramref name="rank"/>
    /// in ascending order among those at or above <paramref name="thresholdLufs"/>.</summary>
    public double LufsAtRank(double thresholdLufs, long rank)
    {
        int first = FirstFine(thresholdLufs);
        int coarse = first / FinePerCoarse;
        long seen = 0;
        int f = first;

        // Partial first coarse bin, fine bin by fine bin.
        for (; f < (coarse + 1) * FinePerCoarse; f++)
        {
            seen += _fineCount[f];
            if (rank < seen)
            {
                return CentreLufs(f);
            }
        }

        // Skip whole coarse bins, then descend into the one holding the rank.
        for (int b = coarse + 1; b < CoarseBins; b++)
        {
            if (rank >= seen + _coarseCount[b])
            {
                seen += _coarseCount[b];
                continue;
            }

            for (f = b * FinePerCoarse; ; f++)
            {
                seen += _fineCount[f];
                if (rank < seen)
                {
                    return CentreLufs(f);
                }
            }
        }

        return double.NaN;
    }

    private void Free()
    {
        int* p = _fineCount;
        _fineCount = null;
        Count = 0;
        Utility.ZeroPages.Free(p, FineBins * sizeof(int));
    }

    // Always inside the bins (the fine counts are raw memory): NaN goes to the bottom bin.
    private static int FineIndex(double lufs)
    {
        double index = Math.Floor((lufs - FloorLufs) * FinePerLu);
        return index >= 0 ? (int)Math.Min(index, FineBins - 1) : 0;
    }

    /// <summary>First fine bin whose centre is at or above the threshold.</summary>
    private static int FirstFine(double thresholdLufs)
    {
        if (thresholdLufs <= FloorLufs)
        {
            return 0;
        }

        int f = FineIndex(thresholdLufs);
        return CentreLufs(f) >= thresholdLufs ? f : Math.Min(f + 1, FineBins - 1);
    }

    private static double CentreLufs(int fine) => FloorLufs + (fine + 0.5) / FinePerLu;

    private static double CentreEnergy(int fine) => Bs1770.LufsToEnergy(CentreLufs(fine));
}
