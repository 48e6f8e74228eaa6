namespace MixMate.Assistant.Roles;

/// <summary>
/// The roles a track can play, in the order of the role model's outputs (the model card in
/// <c>models/role/MODEL_CARD.md</c> defines each). Never reorder: the shipped model's output
/// index i means <c>All[i]</c>.
/// </summary>
public static class TrackRoles
{
    /// <summary>Role names as reports and JSON show them.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        "kick", "snare", "hihat_cymbals", "drums", "percussion", "bass", "vocal", "guitar", "keys",
        "synth_lead", "pad", "strings", "brass_winds", "fx", "mix",
    ];

    /// <summary>[any thread] Index of <paramref name="role"/> in <see cref="All"/>, or −1.</summary>
    public static int IndexOf(string role)
    {
        for (int i = 0; i < All.Count; i++)
        {
            if (All[i] == role)
            {
                return i;
            }
        }

        return -1;
    }
}
