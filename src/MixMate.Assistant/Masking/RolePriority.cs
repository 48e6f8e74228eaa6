using System.Collections.Frozen;

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
}
