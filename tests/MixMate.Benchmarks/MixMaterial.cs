using System.Globalization;
using MixMate.Cli.Audio;
using MixMate.Cli.Demo;

namespace MixMate.Benchmarks;

/// <summary>
/// Issue 6's mixing material: 16 stereo 48 kHz 24-bit WAV stems of 4 minutes, all from MixMate's
/// own demo score. The drum part is split by instrument (kick, snare, hi-hats, cymbals and toms);
/// the bass, keys and melody parts are each played by several General MIDI programs, some
/// transposed an octave, so the stems cover the roles a real session has. Each part is rendered
/// with FluidSynth and the Debian GM soundfont (40 s, <see cref="StemRenderer"/>'s cache), then
/// looped six times to 4 minutes and converted to 24-bit by sox. Cached under
/// <see cref="BenchPaths.BenchFolder"/>/mix-stems; nothing is committed.
/// </summary>
internal static class MixMaterial
{
    /// <summary>Number of stems.</summary>
    public const int StemCount = 16;

    /// <summary>Length of each stem.</summary>
    public const double DurationSeconds = 240;

    private const int Copies = 6;

    // GM percussion keys (General MIDI 1 percussion map).
    private static readonly int[] s_kick = [35, 36];
    private static readonly int[] s_snare = [37, 38, 40];
    private static readonly int[] s_hats = [42, 44, 46];

    /// <summary>Name, source part, GM program (−1: the part's drums filtered by key set), transposition.</summary>
    private static readonly (string Name, string Part, int Program, int Transpose, int[]? Keys)[] s_layout =
    [
        ("kick", "drums", -1, 0, s_kick),
        ("snare", "drums", -1, 0, s_snare),
        ("hihat", "drums", -1, 0, s_hats),
        ("cymbals-toms", "drums", -1, 0, null),
        ("bass-finger", "bass", 33, 0, null),
        ("bass-synth", "bass", 38, 0, null),
        ("keys-epiano", "keys", 4, 0, null),
        ("keys-piano", "keys", 0, 0, null),
        ("keys-organ", "keys", 16, 0, null),
        ("pad-strings", "keys", 48, 0, null),
        ("pad-synth", "keys", 89, 12, null),
        ("guitar-clean", "keys", 27, 0, null),
        ("lead-flute", "lead", 73, 0, null),
        ("lead-violin", "lead", 40, 0, null),
        ("lead-trumpet", "lead", 56, -12, null),
        ("lead-sax", "lead", 65, -12, null),
    ];

    /// <summary>[any thread, not real-time] Paths of the 16 stems, rendering what is missing.</summary>
    public static IReadOnlyList<string> Stems()
    {
        string folder = Path.Combine(BenchPaths.BenchFolder, "mix-stems");
        Directory.CreateDirectory(folder);
        var paths = new List<string>(StemCount);
        foreach ((string name, _, _, _, _) in s_layout)
        {
            paths.Add(Path.Combine(folder, name + "-4min-48k-24bit.wav"));
        }

        if (paths.TrueForAll(File.Exists))
        {
            return paths;
        }

        Dictionary<string, DemoStem> parts = DemoSong.Compose().ToDictionary(p => p.Name);
        var stems = new List<DemoStem>(StemCount);
        foreach ((string name, string part, int program, int transpose, int[]? keys) in s_layout)
        {
            stems.Add(Arrange(name, parts[part], program, transpose, keys));
        }

        DemoRender render = StemRenderer.EnsureRendered(stems, Path.Combine(folder, "render-40s"), force: false, progress: null);
        for (int i = 0; i < StemCount; i++)
        {
            if (File.Exists(paths[i]))
            {
                continue;
            }

            string temporary = paths[i] + ".tmp.wav";

            // "repeat 5" plays the 40 s render six times: 240 s.
            BenchMaterial.Run("sox", [render.Stems[i].Path, "-b", "24", temporary, "repeat", (Copies - 1).ToString(CultureInfo.InvariantCulture)]);
            File.Move(temporary, paths[i], overwrite: true);
        }

        return paths;
    }

    /// <summary>[any thread] Seconds of audio in the stems (all equal length).</summary>
    public static double StemSeconds(IReadOnlyList<string> stems)
    {
        using AudioFileReader reader = AudioFileReader.Open(stems[0]);
        return reader.Frames / (double)reader.SampleRate;
    }

    private static DemoStem Arrange(string name, DemoStem part, int program, int transpose, int[]? keys)
    {
        bool drums = program < 0;
        int[] others = [.. s_kick, .. s_snare, .. s_hats];
        var file = new MidiWriter(DemoSong.TicksPerQuarter);
        MidiTrack conductor = file.AddTrack($"MixMate bench - {name}");
        conductor.Tempo(0, DemoSong.BeatsPerMinute);
        conductor.TimeSignature(0, 4, 4);
        conductor.EndAt(DemoSong.EndTick);
        MidiTrack track = file.AddTrack(name);
        int channel = drums ? 9 : part.Channel;
        if (!drums)
        {
            track.ProgramChange(0, channel, program);
        }

        track.ControlChange(0, channel, 7, 110);
        track.ControlChange(0, channel, 91, drums ? 0 : 30);
        track.ControlChange(0, channel, 93, 0);
        track.EndAt(DemoSong.EndTick);
        var notes = new List<DemoNote>();
        foreach (DemoNote note in part.Notes)
        {
            bool keep = !drums || (keys is null ? !others.Contains(note.Key) : keys.Contains(note.Key));
            if (keep)
            {
                DemoNote moved = note with { Key = drums ? note.Key : note.Key + transpose };
                track.Note(moved.Tick, channel, moved.Key, moved.Velocity, moved.Duration);
                notes.Add(moved);
            }
        }

        return new DemoStem(name, channel, drums ? 0 : program, !drums, notes, file.ToBytes());
    }
}
