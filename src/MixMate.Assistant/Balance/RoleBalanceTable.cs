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
/// kick           0.0    bass          -1.5    keys          -3.0
/// snare         -1.0    vocal         +2.5    synth_lead    -2.0
/// hihat_cymbals -10.5   guitar        -3.0    pad           -6.5
/// drums         +2.0    strings       -4.5    brass_winds   -3.0
/// percussion    -6.0    fx            -4.5    mix           +2.0
/// (unknown)     -3.5
/// </code>
/// <para>Start values followed common mixing practice (lead voice on top; kick, bass and snare close
/// behind; harmony beds, cymbals and effects further down: kick 0, snare −1, hats −9, drums +0.5,
/// percussion −8, bass −0.5, vocal +1.5, guitar −3.5, keys −4.5, synth_lead +0.5, pad −7.5,
/// strings −5.5, brass_winds −2.5, fx −9, mix +1). They were then fitted on the four training
/// songs of <c>models/mixeval</c> (<c>evaluate.sh --tune</c>: least squares over the role model's
/// probabilities with a pull of 0.5 toward the start values, rounded to 0.5 LU) and evaluated on
/// the four other songs; see <c>models/mixeval/RESULTS.md</c>. The fit absorbs the role model's
/// habits on those songs (e.g. <c>fx</c> rose because melodic instruments were heard as fx), so
/// the table should be refitted when the role model changes.</para>
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

    /// <summary>The tuned table (see remarks).</summary>
    public static RoleBalanceTable Default { get; } = new(
        new Dictionary<string, double>
        {
            ["kick"] = 0.0,
            ["snare"] = -1.0,
            ["hihat_cymbals"] = -10.5,
            ["drums"] = 2.0,
            ["percussion"] = -6.0,
            ["bass"] = -1.5,
            ["vocal"] = 2.5,
            ["guitar"] = -3.0,
            ["keys"] = -3.0,
            ["synth_lead"] = -2.0,
            ["pad"] = -6.5,
            ["strings"] = -4.5,
            ["brass_winds"] = -3.0,
            ["fx"] = -4.5,
            ["mix"] = 2.0,
        }.ToFrozenDictionary(),
        -3.5);

    /// <summary>[any thread] The target of <paramref name="role"/> (null or not in the table: <see cref="UnknownLu"/>).</summary>
    public double TargetOf(string? role) => role is not null && TargetsLu.TryGetValue(role, out double lu) ? lu : UnknownLu;
}
