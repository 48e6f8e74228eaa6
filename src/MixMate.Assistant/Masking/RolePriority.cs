using System.Collections.Frozen;
using MixMate.Assistant.Roles;

namespace MixMate.Assistant.Masking;

/// <summary>
/// Which track yields when two compete for the same band: the one with the lower priority gets
/// the cut. Higher is more important.
/// </summary>
/// <remarks>
/// <code>
/// vocal 100   synth_lead 90   kick 80   snare 75   drums 72   bass 70   brass_winds 60
/// guitar 55   keys 50   strings 45   percussion 40   pad 35   hihat_cymbals 30   fx 20   mix 10
/// (unknown) 25
/// </code>
/// The lead voice carries the song, so everything yields to it in its presence band; the kick
/// owns the lowest octave and the bass makes room for it (the usual mixing convention: the bass
/// keeps its harmonics, the kick keeps its thump); harmony beds (keys, strings, pads) yield to
/// melodic and rhythmic parts.
/// <para>A track's priority (<see cref="Of(RoleEstimate)"/>) is its role's when the role is sure —
/// confident or set by the user — and otherwise the table averaged over the role model's
/// probabilities, so a track heard as 45 % bass, 40 % keys neither wins like a bass nor yields like
/// keys.</para>
/// </remarks>
public static class RolePriority
{
    /// <summary>Priority of a track whose role is unknown.</summary>
    public const int Unknown = 25;

    private static readonly FrozenDictionary<string, int> s_table = new Dictionary<string, int>
    {
        ["vocal"] = 100,
        ["synth_lead"] = 90,
        ["kick"] = 80,
        ["snare"] = 75,
        ["drums"] = 72,
        ["bass"] = 70,
        ["brass_winds"] = 60,
        ["guitar"] = 55,
        ["keys"] = 50,
        ["strings"] = 45,
        ["percussion"] = 40,
        ["pad"] = 35,
        ["hihat_cymbals"] = 30,
        ["fx"] = 20,
        ["mix"] = 10,
    }.ToFrozenDictionary();

    /// <summary>[any thread] The priority of <paramref name="role"/>.</summary>
    public static int Of(string? role) => role is not null && s_table.TryGetValue(role, out int p) ? p : Unknown;

    /// <summary>[any thread] The priority of a track with role estimate <paramref name="estimate"/> (see remarks).</summary>
    public static double Of(RoleEstimate estimate)
    {
        ArgumentNullException.ThrowIfNull(estimate);
        if (estimate.Role is null || estimate.Certainty is RoleCertainty.Confident or RoleCertainty.SetByUser)
        {
            return Of(estimate.Role);
        }

        double total = 0;
        double sum = 0;
        foreach ((string role, double probability) in estimate.Probabilities)
        {
            if (probability > 0)
            {
                total += probability;
                sum += probability * Of(role);
            }
        }

        return total > 0 ? sum / total : Of(estimate.Role);
    }
}
