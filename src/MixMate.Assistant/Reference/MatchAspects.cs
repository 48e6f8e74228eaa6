namespace MixMate.Assistant.Reference;

/// <summary>What a reference match matches (<c>--match tone,loudness,width,dynamics</c>).</summary>
[Flags]
public enum MatchAspects
{
    /// <summary>Nothing.</summary>
    None = 0,

    /// <summary>The long-term tonal balance (third-octave spectrum shape).</summary>
    Tone = 1,

    /// <summary>The integrated loudness (BS.1770).</summary>
    Loudness = 2,

    /// <summary>The stereo width (side-to-mid energy ratio).</summary>
    Width = 4,

    /// <summary>The loudness range (EBU Tech 3342 LRA).</summary>
    Dynamics = 8,

    /// <summary>What a match does unless told otherwise: tone and loudness.</summary>
    Default = Tone | Loudness,
}

/// <summary>Parses and names <see cref="MatchAspects"/> (the one place their words live).</summary>
public static class MatchAspectNames
{
    private static readonly (string Name, MatchAspects Aspect)[] Names =
    [
        ("tone", MatchAspects.Tone), ("loudness", MatchAspects.Loudness), ("width", MatchAspects.Width), ("dynamics", MatchAspects.Dynamics),
    ];

    /// <summary>[any-thread] Parses a comma-separated list such as <c>tone,loudness</c>.</summary>
    /// <exception cref="FormatException">An unknown or empty name; the message lists the valid ones.</exception>
    public static MatchAspects Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        MatchAspects aspects = MatchAspects.None;
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            int i = Array.FindIndex(Names, n => string.Equals(n.Name, part, StringComparison.OrdinalIgnoreCase));
            if (i < 0)
            {
                throw new FormatException($"unknown match '{part}' (choose from {string.Join(", ", Names.Select(n => n.Name))}, comma-separated)");
            }

            aspects |= Names[i].Aspect;
        }

        return aspects;
    }

    /// <summary>[any-thread] The names of the aspects in <paramref name="aspects"/>, in canonical order.</summary>
    public static IReadOnlyList<string> Of(MatchAspects aspects) => [.. Names.Where(n => aspects.HasFlag(n.Aspect)).Select(n => n.Name)];
}
