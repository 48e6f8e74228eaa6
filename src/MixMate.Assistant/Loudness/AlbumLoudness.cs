using MixMate.Dsp.Loudness;

namespace MixMate.Assistant.Loudness;

/// <summary>
/// The integrated loudness of an album: BS.1770-4's gating applied to the gating blocks of every
/// track together, as if the tracks were played one after the other (AES TD1008 §3.3 recommends
/// album normalisation: one gain for the whole album, so the tracks keep the levels the artist
/// set relative to each other). A quiet interlude then counts for its length, not as a track.
/// </summary>
/// <remarks>[any-thread]</remarks>
public static class AlbumLoudness
{
    /// <summary>Integrated loudness over all <paramref name="tracks"/>, LUFS; −∞ when no block
    /// passes the absolute gate.</summary>
    public static double IntegratedLufs(IEnumerable<GatingBlocks> tracks)
    {
        ArgumentNullException.ThrowIfNull(tracks);
        GatingBlocks[] all = [.. tracks];
        double sum = 0;
        long count = 0;
        foreach (GatingBlocks track in all)
        {
            foreach (double e in track.Energies)
            {
                sum += e;
                count++;
            }
        }

        if (count == 0)
        {
            return double.NegativeInfinity;
        }

        // Relative gate (Annex 1 eqs. 6–7), blocks at the threshold kept as the meter keeps them.
        double threshold = sum / count * Bs1770.RelativeGateRatio;
        double kept = 0;
        long keptCount = 0;
        foreach (GatingBlocks track in all)
        {
            foreach (double e in track.Energies)
            {
                if (e >= threshold)
                {
                    kept += e;
                    keptCount++;
                }
            }
        }

        return keptCount == 0 ? double.NegativeInfinity : Bs1770.EnergyToLufs(kept / keptCount);
    }
}
