namespace MixMate.Assistant.Roles;

/// <summary>
/// What the assistant thinks a track is. <see cref="Role"/> is null when it cannot tell (silence,
/// too short, model unavailable); <see cref="Reason"/> then says why. A role the user set
/// (<see cref="SetByUser"/>) has probability 1 and keeps what the model heard in <see cref="Heard"/>.
/// </summary>
/// <param name="Role">Most probable role, or null.</param>
/// <param name="Confidence">Probability of <see cref="Role"/> (0 when null).</param>
/// <param name="Probabilities">Probability per role name (empty when the model did not run).</param>
/// <param name="Reason">Why <see cref="Role"/> is null, or the user's setting; null for a model's estimate
/// (<see cref="Explanation"/> then names the evidence).</param>
public sealed record RoleEstimate(string? Role, double Confidence, IReadOnlyDictionary<string, double> Probabilities, string? Reason)
{
    /// <summary>The model's own estimate when the user set the role, else null.</summary>
    public RoleEstimate? Heard { get; init; }

    /// <summary>Whether the user set the role.</summary>
    public bool IsSetByUser => Heard is not null;

    /// <summary>[any thread] How sure the estimate is (see <see cref="RoleExplanation"/>).</summary>
    public RoleCertainty Certainty => RoleExplanation.CertaintyOf(this);

    /// <summary>[any thread] The sentence reports show as <c>roleReason</c>: the evidence and the
    /// runner-up, the user's setting, or why the role is unknown (<see cref="RoleExplanation.Describe"/>).</summary>
    public string Explanation => RoleExplanation.Describe(this);

    /// <summary>
    /// [any thread] The role <paramref name="role"/> set by the user over what the model heard
    /// (<paramref name="heard"/>, kept in <see cref="Heard"/>): probability 1 for it, 0 for every
    /// other role, so the engines use exactly that role.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="role"/> is not one of <see cref="TrackRoles.All"/>.</exception>
    public static RoleEstimate SetByUser(string role, RoleEstimate heard)
    {
        ArgumentNullException.ThrowIfNull(role);
        ArgumentNullException.ThrowIfNull(heard);
        if (TrackRoles.IndexOf(role) < 0)
        {
            throw new ArgumentException($"'{role}' is not a role ({string.Join(", ", TrackRoles.All)})", nameof(role));
        }

        RoleEstimate model = heard.Heard ?? heard;
        var probabilities = new Dictionary<string, double>(TrackRoles.All.Count);
        foreach (string r in TrackRoles.All)
        {
            probabilities[r] = r == role ? 1.0 : 0.0;
        }

        return new RoleEstimate(role, 1.0, probabilities, RoleExplanation.SetByUser(model)) { Heard = model };
    }
}
