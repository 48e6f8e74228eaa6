using MixMate.Assistant.Eq;
using MixMate.Assistant.Roles;

namespace MixMate.Assistant.Models;

/// <summary>What <c>mixmate suggest</c> reports for one track.</summary>
/// <param name="Role">The role estimate (role null with a reason when unknown).</param>
/// <param name="Eq">Suggested moves, each with its reason (empty when nothing is worth doing).</param>
/// <param name="EqSource"><c>rule-based</c> (the tonal engine) or <c>none</c> (a silent track).</param>
/// <param name="Notes">Sentences for the user: fallbacks and why.</param>
public sealed record TrackSuggestion(RoleEstimate Role, IReadOnlyList<EqMove> Eq, string EqSource, IReadOnlyList<string> Notes)
{
    /// <summary>The track's long-term level per third-octave band (dB) the EQ was judged on; the
    /// in-memory analysis leaves it empty for a silent track.</summary>
    public IReadOnlyList<double> BandsDb { get; init; } = [];

    /// <summary>Name of the tonal reference the moves were judged against (<c>mix</c>, <c>speech</c>, a role, <c>track</c>).</summary>
    public string TonalReference { get; init; } = Tonal.TonalReferences.Mix;

    /// <summary>That reference per third-octave band at the track's level (what the page draws); empty when none was used.</summary>
    public double[] ReferenceBandsDb { get; init; } = [];

    /// <summary>The speech check, when it ran (null for an instrument's role).</summary>
    public Tonal.SpeechVerdict? Speech { get; init; }
}
