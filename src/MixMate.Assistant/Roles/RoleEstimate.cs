namespace MixMate.Assistant.Roles;

/// <summary>
/// What the assistant thinks a track is. <see cref="Role"/> is null when it cannot tell (silence,
/// too short, model unavailable); <see cref="Reason"/> then says why.
/// </summary>
/// <param name="Role">Most probable role, or null.</param>
/// <param name="Confidence">Probability of <see cref="Role"/> (0 when null).</param>
/// <param name="Probabilities">Probability per role name (empty when the model did not run).</param>
/// <param name="Reason">Why <see cref="Role"/> is null; null otherwise.</param>
public sealed record RoleEstimate(string? Role, double Confidence, IReadOnlyDictionary<string, double> Probabilities, string? Reason);
