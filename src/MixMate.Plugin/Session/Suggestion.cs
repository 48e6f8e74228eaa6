using MixMate.Assistant.Eq;

namespace MixMate.Plugin.Session;

/// <summary>
/// What the session suggests to one member: immutable, published by the analysis thread with one
/// reference write and read by the audio thread (meters) and the main thread (host edits).
/// </summary>
/// <param name="Generation">Increases with every computation of the session.</param>
/// <param name="GainDb">Level move for a track (0 for bus and master members, or when there is
/// nothing to balance against).</param>
/// <param name="Role">Index into <see cref="MixMate.Assistant.Roles.TrackRoles.All"/>, −1 unknown.</param>
/// <param name="Eq">EQ moves (at most <see cref="Mastering.MasteringParameters.EqBands"/>): masking
/// cuts for a track, the tonal balance for a bus or the master.</param>
/// <param name="Reasons">One sentence per move, the level move first.</param>
public sealed record Suggestion(long Generation, double GainDb, int Role, IReadOnlyList<EqMove> Eq, IReadOnlyList<string> Reasons)
{
    /// <summary>Why the track has its role (<see cref="MixMate.Assistant.Roles.RoleEstimate.Explanation"/>:
    /// the evidence and the runner-up, or "set by the user (…)"); null for bus and master members.</summary>
    public string? RoleReason { get; init; }
}
