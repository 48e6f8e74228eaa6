using System.Globalization;
using MixMate.Assistant.Roles;
using MixMate.Assistant.Text;

namespace MixMate.Assistant.Balance;

/// <summary>
/// Role-aware level balancing: for each track, the gain that brings its active loudness to its
/// role's place in <see cref="RoleBalanceTable"/> relative to the other tracks. A pure function of
/// the summaries, so it can run anywhere a set of <see cref="TrackSummary"/> exists.
/// </summary>
/// <remarks>
/// <para>Target of a track: the role table's value, averaged over the role model's probabilities
/// when they are known (a track the model hears as 52 % bass, 35 % keys gets a target between the
/// two rather than betting on one), less <c>10·log10(n)</c> when n tracks share its most probable
/// role. The raw move is target − active loudness; the mean raw move over the balanced tracks is
/// removed, so the proposal changes relations, not the overall level (the mix bus keeps
/// headroom afterwards). Moves are bounded to ±<see cref="MaxGainDb"/>.</para>
/// <para>Silent tracks and tracks whose active loudness is below <see cref="NearSilentLufs"/> are
/// left alone (gain 0) with a reason: there is nothing reliable to measure, and +40 dB on a
/// nearly empty track would only raise its noise.</para>
/// </remarks>
public static class BalanceEngine
{
    /// <summary>Active loudness below which a track is left alone, LUFS.</summary>
    public const double NearSilentLufs = -60;

    /// <summary>Largest move either way, dB.</summary>
    public const double MaxGainDb = 24;

    /// <summary>[any thread] One move per track, in the order of <paramref name="tracks"/>.</summary>
    public static IReadOnlyList<BalanceMove> Propose(IReadOnlyList<TrackSummary> tracks, RoleBalanceTable? table = null)
    {
        ArgumentNullException.ThrowIfNull(tracks);
        table ??= RoleBalanceTable.Default;
        int n = tracks.Count;
        var moves = new BalanceMove?[n];
        var balanced = new List<int>(n);
        for (int i = 0; i < n; i++)
        {
            ActiveLoudness loudness = tracks[i].Loudness;
            if (loudness.IsSilent)
            {
                moves[i] = new BalanceMove(0, null, "silent (no 400 ms block reaches −70 LUFS); left as it is");
            }
            else if (loudness.Lufs < NearSilentLufs)
            {
                moves[i] = new BalanceMove(0, null, Invariant(
                    $"nearly silent (plays at {loudness.Lufs:0.0} LUFS, below {NearSilentLufs:0} LUFS); too quiet to judge, left as it is"));
            }
            else
            {
                balanced.Add(i);
            }
        }

        if (balanced.Count == 1)
        {
            int only = balanced[0];
            moves[only] = new BalanceMove(0, TargetOf(tracks[only], table, 1), Invariant(
                $"the only track with programme ({Describe(tracks[only].Role)}, {tracks[only].Loudness.Lufs:0.0} LUFS); nothing to balance against"));
        }
        else if (balanced.Count > 1)
        {
            var roleCounts = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (int i in balanced)
            {
                if (tracks[i].Role.Role is string role)
                {
                    roleCounts[role] = roleCounts.GetValueOrDefault(role) + 1;
                }
            }

            var targets = new double[n];
            var raw = new double[n];
            double mean = 0;
            foreach (int i in balanced)
            {
                int sharing = table.ShareSameRole && tracks[i].Role.Role is string role ? roleCounts[role] : 1;
                targets[i] = TargetOf(tracks[i], table, sharing);
                raw[i] = targets[i] - Level(tracks[i].Loudness, table);
                mean += raw[i];
            }

            mean /= balanced.Count;
            double meanTarget = balanced.Average(i => targets[i]);
            foreach (int i in balanced)
            {
                double gain = raw[i] - mean;
                double bounded = Math.Clamp(gain, -MaxGainDb, MaxGainDb);
                int sharing = table.ShareSameRole && tracks[i].Role.Role is string role ? roleCounts[role] : 1;
                moves[i] = new BalanceMove(bounded, targets[i], Reason(tracks[i], table, targets[i] - meanTarget, sharing, gain, bounded));
            }
        }

        return [.. moves.Select(m => m!)];
    }

    /// <summary>[any thread] A track's target in LU on the table's scale (see remarks of <see cref="BalanceEngine"/>).</summary>
    public static double TargetOf(TrackSummary track, RoleBalanceTable table, int sharing)
    {
        ArgumentNullException.ThrowIfNull(track);
        ArgumentNullException.ThrowIfNull(table);
        double target;
        IReadOnlyDictionary<string, double> p = track.Role.Probabilities;
        double total = p.Values.Where(v => v > 0).Sum();
        if (track.Role.Role is not null && total > 0)
        {
            target = 0;
            foreach ((string role, double probability) in p)
            {
                if (probability > 0)
                {
                    target += probability / total * table.TargetOf(role);
                }
            }
        }
        else
        {
            target = table.TargetOf(track.Role.Role);
        }

        ActiveLoudness l = track.Loudness;
        if (double.IsFinite(l.Lufs) && double.IsFinite(l.IntegratedLufs) && double.IsFinite(l.MaxMomentaryLufs))
        {
            target += (table.ActiveMinusIntegratedPerLu * (l.Lufs - l.IntegratedLufs))
                + (table.CrestPerLu * (l.MaxMomentaryLufs - l.Lufs))
                + (table.PerActiveFraction * l.ActiveFraction);
        }

        return target - (10 * Math.Log10(Math.Max(1, sharing)));
    }

    /// <summary>[any thread] The loudness of <paramref name="loudness"/> that <paramref name="table"/>'s targets are in.</summary>
    public static double Level(ActiveLoudness loudness, RoleBalanceTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return table.Measure == BalanceMeasure.Integrated && double.IsFinite(loudness.IntegratedLufs) ? loudness.IntegratedLufs : loudness.Lufs;
    }

    private static string Reason(TrackSummary track, RoleBalanceTable table, double relativeLu, int sharing, double gain, double bounded)
    {
        string shared = sharing > 1 ? Invariant($", sharing its level with {sharing - 1} other {track.Role.Role} track{(sharing > 2 ? "s" : "")}") : string.Empty;
        string bound = gain != bounded ? Invariant($" (bounded from {Signed.One(gain)} dB)") : string.Empty;
        string measured = table.Measure == BalanceMeasure.Integrated
            ? Invariant($"{Level(track.Loudness, table):0.0} LUFS integrated")
            : Invariant($"{track.Loudness.Lufs:0.0} LUFS") + (track.Loudness.ActiveFraction < 0.9 ? Invariant($" over the {track.Loudness.ActiveFraction:0%} where it plays") : string.Empty);
        return Invariant(
            $"{Describe(track.Role)} measures {measured}; the {table.Name} puts it {Signed.One(relativeLu)} LU from the average track{shared} → {Signed.One(bounded)} dB{bound}");
    }

    private static string Describe(RoleEstimate role) => RoleExplanation.Short(role);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
