namespace MixMate.Assistant.Roles;

/// <summary>How sure the assistant is of a track's role (thresholds in <see cref="RoleExplanation"/>).</summary>
public enum RoleCertainty
{
    /// <summary>No role: silence, too short, or no role model.</summary>
    Unknown,

    /// <summary>The runner-up is close, or no role stands out: the user should check.</summary>
    Unsure,

    /// <summary>Neither confident nor unsure.</summary>
    Likely,

    /// <summary>The most probable role clearly stands out.</summary>
    Confident,

    /// <summary>The user set the role; the model's estimate is kept beside it.</summary>
    SetByUser,
}
