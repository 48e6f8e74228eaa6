using System.Globalization;
using MixMate.Assistant.Balance;
using MixMate.Dsp.Filters;
using MixMate.Dsp.Spectrum;
using MixMate.Assistant.Text;

namespace MixMate.Assistant.Masking;

/// <summary>
/// Finds pairs of tracks that compete for the same critical bands and proposes complementary,
/// bounded cuts: the lower-priority track (<see cref="RolePriority"/>) gets a peak cut where the
/// higher-priority track is most characteristic, so the important part comes through without
/// anyone turning up. A pure function of the summaries (levels as they will sit in the mix).
/// </summary>
/// <remarks>
/// <para>Third-octave bands stand in for critical bands (above ~500 Hz they are close to the
/// critical bandwidth, Zwicker &amp; Fastl, Psychoacoustics ch. 6; below they are narrower, which
/// only makes the test stricter). In band b a track is a main contributor when its level is within
/// <see cref="ContributorWindowDb"/> of the mix's level in b and within
/// <see cref="CharacteristicWindowDb"/> of its own loudest band. Two tracks compete in b when both
/// are main contributors there.</para>
/// <para>For each pair and each region (<see cref="Regions"/>: low end 30–125 Hz — where bass and
/// kick fight —, low mids, mids, presence 1–4 kHz — where a voice competes with guitars and keys
/// —, brilliance) at most one cut: at the competing band where the higher-priority track is
/// closest to its own peak, depth from 1 dB (the lower-priority track 6 dB quieter there) to
/// <see cref="MaxCutDb"/> (it is 2 dB louder or more), Q <see cref="CutQ"/> (about an octave wide).
/// A track keeps at most <see cref="MaxCutsPerTrack"/> cuts, the deepest, at least an octave apart
/// so that neighbouring cuts do not add up beyond the bound.</para>
/// <para>Long-term spectra do not know whether two parts play at the same moments; the bound keeps
/// a cut between parts that alternate harmless.</para>
/// </remarks>
public static class MaskingAnalyzer
{
    /// <summary>Deepest cut, dB (as a positive number).</summary>
    public const double MaxCutDb = 3;

    /// <summary>Shallowest cut worth proposing, dB.</summary>
    public const double MinCutDb = 1;

    /// <summary>Cuts per track at most.</summary>
    public const int MaxCutsPerTrack = 3;

    /// <summary>Q of the cuts (≈ 1 octave between the −3 dB points of a deep cut).</summary>
    public const double CutQ = 1.4;

    /// <summary>A main contributor is within this of the mix's level in the band, dB.</summary>
    public const double ContributorWindowDb = 10;

    /// <summary>… and within this of its own loudest band, dB.</summary>
    public const double CharacteristicWindowDb = 15;

    /// <summary>The regions searched, each yielding at most one cut per pair.</summary>
    public static IReadOnlyList<(string Name, double LowHz, double HighHz)> Regions { get; } =
    [
        ("low end", 30, 125),
        ("low mids", 125, 500),
        ("mids", 500, 1000),
        ("presence", 1000, 4000),
        ("brilliance", 4000, 10000),
    ];

    /// <summary>[any thread] The cuts, grouped by track in track order, deepest first within a track.</summary>
    public static IReadOnlyList<MaskingCut> Find(IReadOnlyList<TrackSummary> tracks) => Select(Candidates(tracks), tracks.Count);

    /// <summary>[any thread] Every cut a competing pair suggests (at most one per pair and region),
    /// before <see cref="Select"/> bounds the cuts per track.</summary>
    public static IReadOnlyList<MaskingCut> Candidates(IReadOnlyList<TrackSummary> tracks)
    {
        ArgumentNullException.ThrowIfNull(tracks);
        int bands = ThirdOctaveBands.Count;
        int n = tracks.Count;
        var present = new bool[n];
        var peak = new double[n];
        var mix = new double[bands];
        for (int i = 0; i < n; i++)
        {
            present[i] = !tracks[i].Loudness.IsSilent && tracks[i].Loudness.Lufs >= BalanceEngine.NearSilentLufs && tracks[i].BandsDb.Count == bands;
            if (!present[i])
            {
                continue;
            }

            peak[i] = double.NegativeInfinity;
            for (int b = 0; b < bands; b++)
            {
                double level = tracks[i].BandsDb[b];
                if (double.IsFinite(level))
                {
                    mix[b] += Math.Pow(10, level / 10);
                    peak[i] = Math.Max(peak[i], level);
                }
            }
        }

        var mixDb = mix.Select(p => p > 0 ? 10 * Math.Log10(p) : double.NegativeInfinity).ToArray();
        bool Contributes(int i, int b)
        {
            double level = tracks[i].BandsDb[b];
            return double.IsFinite(level) && level >= mixDb[b] - ContributorWindowDb && level >= peak[i] - CharacteristicWindowDb;
        }

        var candidates = new List<MaskingCut>();
        for (int i = 0; i < n; i++)
        {
            for (int j = i + 1; j < n; j++)
            {
                if (!present[i] || !present[j])
                {
                    continue;
                }

                (int winner, int loser) = Rank(tracks, i, j);
                foreach ((string region, double low, double high) in Regions)
                {
                    int best = -1;
                    for (int b = 0; b < bands; b++)
                    {
                        double fc = ThirdOctaveBands.Centre(b);
                        if (fc < low || fc >= high || !Contributes(winner, b) || !Contributes(loser, b))
                        {
                            continue;
                        }

                        if (best < 0 || tracks[winner].BandsDb[b] - peak[winner] > tracks[winner].BandsDb[best] - peak[winner])
                        {
                            best = b;
                        }
                    }

                    if (best >= 0)
                    {
                        candidates.Add(MakeCut(tracks, winner, loser, region, best, mixDb[best]));
                    }
                }
            }
        }

        return candidates;
    }

    /// <summary>[any thread] At most <see cref="MaxCutsPerTrack"/> of <paramref name="candidates"/>
    /// per track, the deepest, an octave apart; grouped by track in track order, deepest first.</summary>
    public static IReadOnlyList<MaskingCut> Select(IReadOnlyList<MaskingCut> candidates, int trackCount)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        int n = trackCount;
        var result = new List<MaskingCut>();
        for (int t = 0; t < n; t++)
        {
            var kept = new List<(MaskingCut Cut, int Band)>();
            foreach ((MaskingCut cut, int band) in candidates.Where(c => c.Track == t).Select(c => (Cut: c, Band: ThirdOctaveBands.IndexOf(c.Move.FrequencyHz))).OrderBy(c => c.Cut.Move.GainDb).ThenBy(c => c.Band))
            {
                // One cut per octave (3 bands) keeps overlapping filters within the bound.
                if (kept.Count < MaxCutsPerTrack && kept.TrueForAll(k => Math.Abs(k.Band - band) >= 3))
                {
                    kept.Add((cut, band));
                }
            }

            result.AddRange(kept.Select(k => k.Cut));
        }

        return result;
    }

    private static (int Winner, int Loser) Rank(IReadOnlyList<TrackSummary> tracks, int i, int j)
    {
        double pi = RolePriority.Of(tracks[i].Role);
        double pj = RolePriority.Of(tracks[j].Role);
        if (pi != pj)
        {
            return pi > pj ? (i, j) : (j, i);
        }

        // Same priority: the louder track keeps its space; the earlier one on a tie.
        return tracks[j].Loudness.Lufs > tracks[i].Loudness.Lufs ? (j, i) : (i, j);
    }

    private static MaskingCut MakeCut(IReadOnlyList<TrackSummary> tracks, int winner, int loser, string region, int band, double mixDb)
    {
        double winnerDb = tracks[winner].BandsDb[band];
        double loserDb = tracks[loser].BandsDb[band];
        double depth = Math.Clamp(1 + ((loserDb - winnerDb + 6) / 4), MinCutDb, MaxCutDb);
        double fc = ThirdOctaveBands.Centre(band);
        double nominal = ThirdOctaveBands.Nominal[band];
        string other = tracks[winner].Name;
        string otherRole = tracks[winner].Role.Role ?? "role unknown";
        string reason = string.Create(CultureInfo.InvariantCulture,
            $"makes room for {other} ({otherRole}) in the {region}: around {nominal:0.#} Hz both are main parts of the mix ({tracks[loser].Name} {Signed.One(loserDb - mixDb)} dB, {other} {Signed.One(winnerDb - mixDb)} dB against the mix's band), and {otherRole} has priority");
        return new MaskingCut(loser, winner, region, new Eq.EqMove(FilterType.Peak, fc, -Math.Round(depth, 1), CutQ, reason));
    }
}
