using MixMate.Assistant.Balance;
using MixMate.Assistant.Eq;
using MixMate.Assistant.Roles;

namespace MixMate.Assistant.Mixing;

/// <summary>What the plan does to one track, as suggested (before the user's amount).</summary>
/// <param name="Name">The track's name, as the summary gave it.</param>
/// <param name="Role">The role estimate the plan used.</param>
/// <param name="Balance">The level move (gain, role target, reason).</param>
/// <param name="Cuts">Unmasking cuts (peak filters, at most <see cref="Masking.MaskingAnalyzer.MaxCutsPerTrack"/>), deepest first.</param>
/// <param name="Reasons">One sentence per move, the level move first, then one per cut, then any warning about the track.</param>
public sealed record TrackPlan(string Name, RoleEstimate Role, BalanceMove Balance, IReadOnlyList<EqMove> Cuts, IReadOnlyList<string> Reasons)
{
    /// <summary>The level move, dB.</summary>
    public double GainDb => Balance.GainDb;
}
