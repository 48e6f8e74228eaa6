using MixMate.Assistant.Eq;
using MixMate.Assistant.Roles;

namespace MixMate.Assistant.Models;

/// <summary>What <c>mixmate suggest</c> reports for one track.</summary>
/// <param name="Role">The role estimate (role null with a reason when unknown).</param>
/// <param name="Eq">Suggested moves, each with its reason (empty when nothing is worth doing).</param>
/// <param name="EqSource"><c>model</c> (learned EQ model), <c>rule-based</c> (fallback) or <c>none</c>.</param>
/// <param name="Notes">Sentences for the user: fallbacks and why.</param>
public sealed record TrackSuggestion(RoleEstimate Role, IReadOnlyList<EqMove> Eq, string EqSource, IReadOnlyList<string> Notes)
{
    /// <summary>The track's long-term level per third-octave band (dB) the EQ was judged on; the
    /// in-memory analysis leaves it empty for a silent track.</summary>
    public IReadOnlyList<double> BandsDb { get; init; } = [];
}
