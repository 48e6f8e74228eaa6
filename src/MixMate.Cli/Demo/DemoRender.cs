namespace MixMate.Cli.Demo;

/// <summary>The rendered demo: one 48 kHz stereo 32-bit float WAV per stem, all exactly
/// <see cref="Frames"/> long, and their sum with headroom.</summary>
/// <param name="Folder">The cache folder holding the files.</param>
/// <param name="Stems">Each stem's name ("drums", "bass", "keys", "lead") and WAV path, in mix order.</param>
/// <param name="MixPath">The summed mix, 32-bit float, sample peak ≤ −3 dBFS.</param>
/// <param name="SampleRate">48000.</param>
/// <param name="Frames">Length of every file in frames.</param>
public sealed record DemoRender(string Folder, IReadOnlyList<DemoRender.Stem> Stems, string MixPath, int SampleRate, long Frames)
{
    /// <summary>The path of the stem called <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such stem.</exception>
    public string PathOf(string name)
    {
        foreach (Stem stem in Stems)
        {
            if (stem.Name == name)
            {
                return stem.Path;
            }
        }

        throw new KeyNotFoundException($"The demo has no stem '{name}'.");
    }

    /// <summary>One rendered stem.</summary>
    public sealed record Stem(string Name, string Path);
}
