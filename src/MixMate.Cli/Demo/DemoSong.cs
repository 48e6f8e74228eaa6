namespace MixMate.Cli.Demo;

/// <summary>
/// The built-in demo song, composed here for MixMate: 16 bars of 4/4 at 100 BPM in D major over
/// I–V–vi–IV (D A Bm G), ending vi–IV–V–I. Intro (bars 1–4: electric piano, hi-hat, then bass and
/// kick), main section (bars 5–12: full groove, flute melody in two phrases), ending (bars 13–16:
/// ride cymbal, melody reprise, cadence on a held D chord). A crash marks bars 5, 13 and 16.
/// The stem levels are deliberately unbalanced (loud bass, quiet flute) and the keys double the
/// roots low, so the mix is a little boomy: material for the assistant to fix.
/// </summary>
/// <remarks>
/// Every part ends its MIDI track at the same tick, 1.6 s after bar 16, so all stems render to
/// <see cref="DurationSeconds"/> = 40 s with the release tails inside.
/// </remarks>
public static class DemoSong
{
    public const double BeatsPerMinute = 100;
    public const int Bars = 16;
    public const int TicksPerQuarter = 480;
    public const int TicksPerBar = 4 * TicksPerQuarter;

    /// <summary>The tick where every track ends: 16 bars plus a tail of 1280 ticks (1.6 s).</summary>
    public const long EndTick = Bars * TicksPerBar + 1280;

    /// <summary>Length of every rendered stem and the mix.</summary>
    public const double DurationSeconds = EndTick * 60.0 / (BeatsPerMinute * TicksPerQuarter);

    /// <summary>The stem names, in mix order.</summary>
    public static IReadOnlyList<string> StemNames { get; } = ["drums", "bass", "keys", "lead"];

    // GM percussion keys (General MIDI 1, percussion map, channel 10).
    private const int Kick = 36;
    private const int SideStick = 37;
    private const int Snare = 38;
    private const int ClosedHat = 42;
    private const int OpenHat = 46;
    private const int LowTom = 45;
    private const int LowMidTom = 47;
    private const int HighMidTom = 48;
    private const int HighTom = 50;
    private const int Crash = 49;
    private const int Ride = 51;

    // Chord per bar (1-based bars): three rounds of D A Bm G, then Bm G A D.
    private static readonly Chord[] s_progression = BuildProgression();

    /// <summary>[any thread] Composes the four parts. Deterministic: same bytes on every call.</summary>
    internal static IReadOnlyList<DemoStem> Compose() => [Drums(), Bass(), Keys(), Lead()];

    /// <summary>[any thread, not real-time] Renders the stems and their mix with FluidSynth into
    /// <paramref name="folder"/> (default: <see cref="StemRenderer.DefaultFolder"/>) unless they are
    /// already there from the same MIDI; returns the paths. Safe to call from parallel tests and
    /// processes (a lock file serialises rendering). Test suites use it as real music material.</summary>
    /// <exception cref="CommandLine.CliException">FluidSynth or the soundfont is missing, or rendering failed.</exception>
    public static DemoRender EnsureRendered(string? folder = null) =>
        StemRenderer.EnsureRendered(Compose(), folder ?? StemRenderer.DefaultFolder(), force: false, progress: null);

    private static DemoStem Drums()
    {
        var part = new Part("drums", channel: 9, program: 0, volume: 116, pan: 64, reverbSend: 0);
        for (int bar = 1; bar <= 16; bar++)
        {
            if (bar <= 2)
            {
                Hats(part, bar, ClosedHat, loud: 62, soft: 40);
            }
            else if (bar <= 4)
            {
                Hats(part, bar, ClosedHat, loud: 70, soft: 45);
                part.Hit(bar, 0, Kick, 92);
                part.Hit(bar, 2, Kick, 85);
                part.Hit(bar, 1, SideStick, 58);
                if (bar == 4)
                {
                    // Pick-up into the main section: four rising sixteenths on the snare.
                    for (int i = 0; i < 4; i++)
                    {
                        part.Hit(bar, 3 + (0.25 * i), Snare, 60 + (12 * i));
                    }
                }
                else
                {
                    part.Hit(bar, 3, SideStick, 58);
                }
            }
            else if (bar <= 15)
            {
                bool ending = bar >= 13;
                bool fill = bar is 12 or 15;
                Groove(part, bar, cymbal: ending ? Ride : ClosedHat, fill);
                if (bar is 5 or 13)
                {
                    part.Hit(bar, 0, Crash, 108);
                }

                if (bar is 8 && !fill)
                {
                    part.Hit(bar, 3.5, OpenHat, 70);
                }

                if (bar == 12)
                {
                    int[] toms = [HighTom, HighMidTom, LowMidTom, LowTom];
                    for (int i = 0; i < 4; i++)
                    {
                        part.Hit(bar, 3 + (0.25 * i), toms[i], 88 + (4 * i));
                    }
                }
                else if (bar == 15)
                {
                    for (int i = 0; i < 8; i++)
                    {
                        part.Hit(bar, 2 + (0.25 * i), Snare, 62 + (6 * i));
                    }
                }
            }
            else
            {
                part.Hit(bar, 0, Crash, 112);
                part.Hit(bar, 0, Kick, 105);
            }
        }

        return part.Finish();
    }

    private static void Hats(Part part, int bar, int key, int loud, int soft)
    {
        for (int eighth = 0; eighth < 8; eighth++)
        {
            part.Hit(bar, 0.5 * eighth, key, eighth % 2 == 0 ? loud : soft);
        }
    }

    private static void Groove(Part part, int bar, int cymbal, bool fill)
    {
        // Backbeat groove; a fill bar gives up its last beat (bar 12) or its second half (bar 15)
        // to the fill.
        double fillStart = bar == 15 ? 2 : 3;
        for (int eighth = 0; eighth < 8; eighth++)
        {
            double beat = 0.5 * eighth;
            if (fill && beat >= fillStart)
            {
                break;
            }

            bool onBeat = eighth % 2 == 0;
            if (cymbal == Ride)
            {
                part.Hit(bar, beat, Ride, onBeat ? 84 : 62);
            }
            else if (!(bar is 5 && eighth == 0) && !(bar is 8 && eighth == 7))
            {
                part.Hit(bar, beat, ClosedHat, onBeat ? 80 : 54);
            }
        }

        part.Hit(bar, 0, Kick, 104);
        if (bar % 2 == 0)
        {
            part.Hit(bar, 1.5, Kick, 78);
        }

        if (!(fill && fillStart <= 2))
        {
            part.Hit(bar, 2, Kick, 96);
        }

        part.Hit(bar, 1, Snare, 104);
        if (!fill)
        {
            part.Hit(bar, 3, Snare, 108);
        }
    }

    private static DemoStem Bass()
    {
        var part = new Part("bass", channel: 1, program: 33, volume: 122, pan: 64, reverbSend: 0);
        for (int bar = 3; bar <= 16; bar++)
        {
            Chord chord = s_progression[bar - 1];
            if (bar <= 4)
            {
                part.Note(bar, 0, 3.8, chord.BassRoot, 84);
            }
            else if (bar < 16)
            {
                // Root on 1, 2-and and 3, the fifth on 4, a chromatic approach to the next root on 4-and.
                int next = s_progression[bar].BassRoot;
                int approach = next < chord.BassRoot ? next + 1 : next - 1;
                part.Note(bar, 0, 1.4, chord.BassRoot, 100);
                part.Note(bar, 1.5, 0.45, chord.BassRoot, 76);
                part.Note(bar, 2, 0.9, chord.BassRoot, 92);
                part.Note(bar, 3, 0.45, chord.BassRoot + 7, 80);
                part.Note(bar, 3.5, 0.45, approach, 74);
            }
            else
            {
                part.Note(bar, 0, 4, chord.BassRoot, 98);
            }
        }

        return part.Finish();
    }

    private static DemoStem Keys()
    {
        var part = new Part("keys", channel: 2, program: 4, volume: 100, pan: 48, reverbSend: 36);
        for (int bar = 1; bar <= 16; bar++)
        {
            Chord chord = s_progression[bar - 1];
            if (bar <= 4)
            {
                part.Chord(bar, 0, 3.9, chord.Voicing, 66);
                part.Note(bar, 0, 3.9, chord.LowRoot, 60);
            }
            else if (bar < 16)
            {
                // Comping: 1, 2-and, 3-and (ghost), 4; the left hand holds the root through the bar.
                part.Chord(bar, 0, 1.45, chord.Voicing, 76);
                part.Chord(bar, 1.5, 0.95, chord.Voicing, 60);
                part.Chord(bar, 2.5, 0.45, chord.Voicing, 50);
                part.Chord(bar, 3, 0.95, chord.Voicing, 66);
                part.Note(bar, 0, 3.9, chord.LowRoot, 70);
            }
            else
            {
                part.Chord(bar, 0, 4, [.. chord.Voicing, chord.Voicing[0] + 12], 74);
                part.Note(bar, 0, 4, chord.LowRoot, 70);
            }
        }

        return part.Finish();
    }

    private static DemoStem Lead()
    {
        var part = new Part("lead", channel: 3, program: 73, volume: 72, pan: 76, reverbSend: 44);

        // (bar, beat, length in beats, key). D5 = 74; the melody stays within C#5..D6.
        (int Bar, double Beat, double Length, int Key)[] melody =
        [
            (5, 0, 1, 78), (5, 1, 1, 81), (5, 2, 0.5, 81), (5, 2.5, 0.5, 83), (5, 3, 1, 81),
            (6, 0, 1.5, 76), (6, 1.5, 0.5, 73), (6, 2, 2, 76),
            (7, 0, 1, 74), (7, 1, 1, 78), (7, 2, 1.5, 83), (7, 3.5, 0.5, 81),
            (8, 0, 1.5, 79), (8, 1.5, 0.5, 78), (8, 2, 2, 76),
            (9, 0, 1, 81), (9, 1, 1, 86), (9, 2, 0.5, 85), (9, 2.5, 0.5, 83), (9, 3, 1, 81),
            (10, 0, 1.5, 85), (10, 1.5, 0.5, 83), (10, 2, 2, 81),
            (11, 0, 1, 83), (11, 1, 0.5, 81), (11, 1.5, 0.5, 78), (11, 2, 1, 74), (11, 3, 1, 78),
            (12, 0, 2, 79), (12, 2, 1, 78), (12, 3, 1, 76),
            (13, 0, 1, 78), (13, 1, 1, 83), (13, 2, 1.5, 86), (13, 3.5, 0.5, 85),
            (14, 0, 2, 83), (14, 2, 1, 79), (14, 3, 1, 83),
            (15, 0, 1.5, 81), (15, 1.5, 0.5, 79), (15, 2, 1, 78), (15, 3, 1, 76),
            (16, 0, 3.5, 74),
        ];

        foreach ((int bar, double beat, double length, int key) in melody)
        {
            // Phrase shape: downbeats and long notes a little stronger; slightly detached articulation.
            int velocity = 78 + (beat == 0 ? 10 : 0) + (length >= 1.5 ? 6 : 0);
            part.Note(bar, beat, length * 0.92, key, velocity);
        }

        return part.Finish();
    }

    private static Chord[] BuildProgression()
    {
        // Right-hand voicings move by step (common tones held); the keys' left hand plays the root in
        // octave 2–3, the bass in octave 1–2.
        var d = new Chord(38, 50, [62, 66, 69]);
        var a = new Chord(33, 45, [61, 64, 69]);
        var bm = new Chord(35, 47, [62, 66, 71]);
        var g = new Chord(31, 43, [62, 67, 71]);
        return [d, a, bm, g, d, a, bm, g, d, a, bm, g, bm, g, a, d];
    }

    private sealed record Chord(int BassRoot, int LowRoot, int[] Voicing);

    /// <summary>Collects one part's notes and writes its MIDI file as it goes.</summary>
    private sealed class Part
    {
        private readonly string _name;
        private readonly int _channel;
        private readonly int _program;
        private readonly bool _reverb;
        private readonly MidiWriter _file = new(TicksPerQuarter);
        private readonly MidiTrack _track;
        private readonly List<DemoNote> _notes = [];

        public Part(string name, int channel, int program, int volume, int pan, int reverbSend)
        {
            _name = name;
            _channel = channel;
            _program = program;
            _reverb = reverbSend > 0;

            MidiTrack conductor = _file.AddTrack($"MixMate demo - {name}");
            conductor.Tempo(0, BeatsPerMinute);
            conductor.TimeSignature(0, 4, 4);
            conductor.EndAt(EndTick);

            _track = _file.AddTrack(name);
            _track.ProgramChange(0, channel, program);
            _track.ControlChange(0, channel, 7, volume);
            _track.ControlChange(0, channel, 10, pan);
            _track.ControlChange(0, channel, 91, reverbSend);
            _track.ControlChange(0, channel, 93, 0);
            _track.EndAt(EndTick);
        }

        public void Note(int bar, double beat, double lengthBeats, int key, int velocity)
        {
            long tick = ((bar - 1) * (long)TicksPerBar) + (long)Math.Round(beat * TicksPerQuarter);
            long duration = Math.Max(1, (long)Math.Round(lengthBeats * TicksPerQuarter));
            _track.Note(tick, _channel, key, velocity, duration);
            _notes.Add(new DemoNote(tick, duration, key, velocity));
        }

        public void Chord(int bar, double beat, double lengthBeats, int[] keys, int velocity)
        {
            // A hint of strum keeps the chord from sounding machine-stacked: upper voices softer.
            for (int i = 0; i < keys.Length; i++)
            {
                Note(bar, beat, lengthBeats, keys[i], Math.Max(1, velocity - (3 * i)));
            }
        }

        /// <summary>A drum hit: GM percussion ignores note length beyond the sample, an eighth is plenty.</summary>
        public void Hit(int bar, double beat, int key, int velocity) => Note(bar, beat, 0.25, key, velocity);

        public DemoStem Finish() => new(_name, _channel, _program, _reverb, _notes, _file.ToBytes());
    }
}
