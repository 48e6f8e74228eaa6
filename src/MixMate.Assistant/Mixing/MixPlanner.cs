using System.Globalization;
using MixMate.Assistant.Balance;
using MixMate.Assistant.Eq;
using MixMate.Assistant.Masking;

namespace MixMate.Assistant.Mixing;

/// <summary>
/// The one mix planner: track summaries in; per track the level move, the unmasking cuts, the role
/// and the reasons out. <c>mixmate mix</c> and the in-DAW session both call it, so the same
/// tracks get the same moves in either.
/// </summary>
/// <remarks>
/// <para>Order of decisions. (1) <see cref="BalanceEngine"/> proposes the level moves. (2) The
/// masking is judged on the tracks at those <i>balanced</i> levels — as they will sit in the mix —
/// not as they came in. (3) Pairs that sound like the same audio (<see cref="DuplicateDetector"/>)
/// get a warning and no cuts between them. (4) Every cut <see cref="MaskingAnalyzer"/> suggests for
/// a competing pair is measured (<see cref="MaskingMeasure"/>): it is kept only when it lowers the
/// share of the other track covered in that region by at least <see cref="MinMaskingReduction"/>;
/// then each track keeps its deepest cuts, an octave apart. (5) Every competing pair is reported
/// with its masking before and after all kept cuts.</para>
/// <para>The plan is the suggestion at full strength: a front end applies its amount (the CLI's
/// <c>--amount</c>, the plug-in's amount parameter) to the gains and cut depths it applies.</para>
/// </remarks>
public static class MixPlanner
{
    /// <summary>A cut is kept only when it lowers the covered share of the track it makes room for
    /// by at least this much (one percentage point of that track's energy in the region).</summary>
    public const double MinMaskingReduction = 0.01;

    /// <summary>[any thread] Plans <paramref name="tracks"/> against <paramref name="table"/>
    /// (null: <see cref="RoleBalanceTable.Default"/>). Allocates; pure.</summary>
    public static MixPlan Plan(IReadOnlyList<TrackSummary> tracks, RoleBalanceTable? table = null)
    {
        ArgumentNullException.ThrowIfNull(tracks);
        int n = tracks.Count;
        IReadOnlyList<BalanceMove> moves = BalanceEngine.Propose(tracks, table);
        TrackSummary[] balanced = [.. tracks.Select((s, i) => s.WithGain(moves[i].GainDb))];

        IReadOnlyList<(int First, int Second)> duplicates = DuplicateDetector.Find(tracks);
        var duplicated = new HashSet<(int, int)>(duplicates);
        var extra = new List<string>[n];
        for (int i = 0; i < n; i++)
        {
            extra[i] = [];
        }

        var warnings = new List<string>();
        foreach ((int first, int second) in duplicates)
        {
            string warning = DuplicateDetector.Warning(tracks[first], tracks[second]);
            warnings.Add(warning);
            extra[second].Add("warning: " + warning);
        }

        // Each candidate measured alone against its pair; the helpful ones compete for the slots.
        var judged = new List<(MaskingCut Cut, double Before, double Low, double High)>();
        var helpful = new List<MaskingCut>();
        foreach (MaskingCut cut in MaskingAnalyzer.Candidates(balanced))
        {
            if (duplicated.Contains((Math.Min(cut.Track, cut.Other), Math.Max(cut.Track, cut.Other))))
            {
                continue;
            }

            (double low, double high) = RegionBounds(cut.Region);
            double before = MaskingMeasure.Covered(balanced[cut.Other], [], balanced[cut.Track], [], low, high);
            double alone = MaskingMeasure.Covered(balanced[cut.Other], [], balanced[cut.Track], [cut.Move], low, high);
            judged.Add((cut, before, low, high));
            if (before - alone >= MinMaskingReduction)
            {
                helpful.Add(cut);
            }
        }

        IReadOnlyList<MaskingCut> kept = MaskingAnalyzer.Select(helpful, n);
        var keptSet = new HashSet<MaskingCut>(kept, ReferenceEqualityComparer.Instance);
        var cuts = new List<EqMove>[n];
        for (int i = 0; i < n; i++)
        {
            cuts[i] = [.. kept.Where(c => c.Track == i).Select(c => c.Move)];
        }

        var pairs = new List<MaskingPair>(judged.Count);
        var described = new List<EqMove>[n];
        for (int i = 0; i < n; i++)
        {
            described[i] = [];
        }

        foreach ((MaskingCut cut, double before, double low, double high) in judged)
        {
            double after = MaskingMeasure.Covered(balanced[cut.Other], cuts[cut.Other], balanced[cut.Track], cuts[cut.Track], low, high);
            bool isKept = keptSet.Contains(cut);
            pairs.Add(new MaskingPair(cut.Track, cut.Other, cut.Region, before, after, isKept));
        }

        foreach (MaskingCut cut in kept)
        {
            MaskingPair pair = pairs.First(p => p.Track == cut.Track && p.Other == cut.Other && p.Region == cut.Region);
            described[cut.Track].Add(cut.Move with
            {
                Reason = cut.Move.Reason + string.Create(CultureInfo.InvariantCulture,
                    $"; {tracks[cut.Track].Name} covers {pair.CoveredBefore:0%} of {tracks[cut.Other].Name}'s {cut.Region}, {pair.CoveredAfter:0%} with the cuts"),
            });
        }

        var plans = new TrackPlan[n];
        for (int i = 0; i < n; i++)
        {
            var reasons = new List<string> { moves[i].Reason };
            reasons.AddRange(described[i].Select(m => m.Reason));
            reasons.AddRange(extra[i]);
            plans[i] = new TrackPlan(tracks[i].Name, tracks[i].Role, moves[i], described[i], reasons);
        }

        return new MixPlan(plans, pairs, warnings);
    }

    private static (double Low, double High) RegionBounds(string region)
    {
        foreach ((string name, double low, double high) in MaskingAnalyzer.Regions)
        {
            if (name == region)
            {
                return (low, high);
            }
        }

        throw new ArgumentException($"unknown region {region}", nameof(region));
    }
}
