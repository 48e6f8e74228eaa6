using System.Collections.Frozen;

namespace MixMate.Assistant.Balance;

/// <summary>
/// Where each role sits in a balanced mix: the active loudness of a track of that role relative to
/// the other tracks, in LU. Only differences matter (the engine removes the common offset).
/// </summary>
/// <remarks>
/// <para>The default table (<see cref="Default"/>), LU relative to the kick:</para>
/// <code>
/// role            LU    role            LU    role            LU
/// kick           0.0    bass          -1.0    keys          -4.5
/// snare         -1.0    vocal         +2.0    synth_lead     0.0
/// hihat_cymbals -8.5    guitar        -0.5    pad          -12.5
/// drums         -0.5    strings       -1.0    brass_winds   +3.5
/// percussion    -5.0    fx            +3.5    mix           +3.0
/// (unknown)     -3.5
/// </code>
/// <para>Start values (<see cref="CommonPractice"/>) follow common mixing practice: lead voice on
/// top; kick, bass and snare close behind; harmony beds, cymbals and effects further down. The
/// default table is fitted on the twelve training songs of <c>models/mixeval</c>
/// (<c>evaluate.sh --tune</c>: least squares of the probability-weighted target against each
/// stem's intended level, one free offset per song, pulled toward the start values with weight
/// 0.1, rounded to 0.5 LU). The pull weight and the role model were chosen leave-one-song-out on
/// those training songs (<c>--cv</c>), never on the four test songs; see
/// <c>models/mixeval/RESULTS.md</c>. The fit absorbs both the songs' arrangements and the role
/// model's habits: <c>brass_winds</c> sits high because in these songs reeds, pipes and brass
/// mostly play the tune (a role names the instrument family, not the part), <c>fx</c> high
/// because melodic leads are sometimes heard as fx, <c>pad</c> low because pads sit low and tracks
/// heard partly as pad are beds. Refit whenever the role model changes. No song contains a vocal
/// or a full mix, so those two move only through the small probabilities the model gives them.</para>
/// <para>When several tracks share a role they share its level: each sits
/// <c>10·log10(n)</c> LU lower (<see cref="ShareSameRole"/>), so two doubled guitars together are
/// as loud as one.</para>
/// </remarks>
/// <param name="TargetsLu">Target per role name (<see cref="Roles.TrackRoles.All"/>).</param>
/// <param name="UnknownLu">Target of a track whose role is unknown.</param>
public sealed record RoleBalanceTable(IReadOnlyDictionary<string, double> TargetsLu, double UnknownLu)
{
    /// <summary>Tracks sharing a role share its level (see remarks).</summary>
    public bool ShareSameRole { get; init; } = true;

    /// <summary>The loudness the targets are measured in (the built-in tables: active loudness).</summary>
    public BalanceMeasure Measure { get; init; } = BalanceMeasure.Active;

    /// <summary>Target shift per LU that a track's active loudness exceeds its integrated loudness
    /// (a part that plays in bursts), LU/LU; 0 in the built-in tables.</summary>
    public double ActiveMinusIntegratedPerLu { get; init; }

    /// <summary>Target shift per LU of crest (loudest 400 ms block above the active loudness), LU/LU.</summary>
    public double CrestPerLu { get; init; }

    /// <summary>Target shift for a track that plays all the time against one that never does, LU.</summary>
    public double PerActiveFraction { get; init; }

    /// <summary>How reasons name the table ("role table" for the built-in ones, "learned" for
    /// <see cref="LearnedBalanceTable"/>).</summary>
    public string Name { get; init; } = "role table";

    /// <summary>The tuned table (see remarks).</summary>
    public static RoleBalanceTable Default { get; } = new(
        new Dictionary<string, double>
        {
            ["kick"] = 0.0,
            ["snare"] = -1.0,
            ["hihat_cymbals"] = -8.5,
            ["drums"] = -0.5,
            ["percussion"] = -5.0,
            ["bass"] = -1.0,
            ["vocal"] = 2.0,
            ["guitar"] = -0.5,
            ["keys"] = -4.5,
            ["synth_lead"] = 0.0,
            ["pad"] = -12.5,
            ["strings"] = -1.0,
            ["brass_winds"] = 3.5,
            ["fx"] = 3.5,
            ["mix"] = 3.0,
        }.ToFrozenDictionary(),
        -3.5);

    /// <summary>
    /// The start values from common mixing practice (see remarks), before any fitting: the prior the
    /// fit on the training songs is pulled toward.
    /// </summary>
    public static RoleBalanceTable CommonPractice { get; } = new(
        new Dictionary<string, double>
        {
            ["kick"] = 0.0,
            ["snare"] = -1.0,
            ["hihat_cymbals"] = -9.0,
            ["drums"] = 0.5,
            ["percussion"] = -8.0,
            ["bass"] = -0.5,
            ["vocal"] = 1.5,
            ["guitar"] = -3.5,
            ["keys"] = -4.5,
            ["synth_lead"] = 0.5,
            ["pad"] = -7.5,
            ["strings"] = -5.5,
            ["brass_winds"] = -2.5,
            ["fx"] = -9.0,
            ["mix"] = 1.0,
        }.ToFrozenDictionary(),
        -3.5);

    /// <summary>[any thread] The target of <paramref name="role"/> (null or not in the table: <see cref="UnknownLu"/>).</summary>
    public double TargetOf(string? role) => role is not null && TargetsLu.TryGetValue(role, out double lu) ? lu : UnknownLu;
}
