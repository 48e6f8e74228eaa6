using MixMate.Cli.Demo;

namespace MixMate.MixEval;

/// <summary>One stem of an evaluation song and its intended level.</summary>
/// <param name="Name">File name and label.</param>
/// <param name="Part">What it plays (see <see cref="Songs.Write"/>).</param>
/// <param name="Program">General MIDI program (ignored for drum parts).</param>
/// <param name="LevelLu">Intended active loudness relative to the song's reference, LU: the truth.</param>
/// <param name="Pan">MIDI pan 0..127.</param>
internal sealed record StemSpec(string Name, string Part, int Program, double LevelLu, int Pan = 64);

/// <summary>An evaluation song: 8 bars over a four-chord loop, with the balance its arranger intends.</summary>
internal sealed record SongSpec(string Name, bool Training, double Bpm, int Tonic, bool Minor, int[] Degrees, int Seed, IReadOnlyList<StemSpec> Stems);

/// <summary>
/// The evaluation songs, composed here for MixMate. Each states its intended balance per stem (LU,
/// active loudness): the arranger's choice for that style — lead voice on top, kick/bass/snare
/// close behind, harmony beds and cymbals lower — varied song by song (a ballad's piano is a
/// feature, a funk tune's brass section punches, a rock tune's guitars are doubled).
/// </summary>
internal static class Songs
{
    public const int Bars = 8;

    public static IReadOnlyList<SongSpec> All { get; } =
    [
        new("sunday-drive", true, 104, 43, false, [0, 7, 9, 5], 11,
        [
            new("kick", "kick", 0, 0), new("snare", "snare", 0, -1), new("hats", "hats", 0, -10),
            new("bass", "bass", 33, -1), new("piano", "keys", 0, -4, 52), new("lead", "lead", 80, 1.5, 70),
            new("pad", "pad", 89, -8),
        ]),
        new("night-shift", true, 112, 40, true, [0, 5, 3, 7], 12,
        [
            new("drums", "drums", 0, 0.5), new("bass", "bass16", 36, 0), new("guitar", "guitar", 27, -3, 40),
            new("brass", "brass", 61, -2, 84), new("organ", "keys", 17, -5, 60), new("sax", "lead", 65, 1),
        ]),
        new("harbour-lights", true, 72, 50, false, [0, 9, 5, 7], 13,
        [
            new("piano", "arp", 0, -1), new("strings", "pad", 48, -4), new("bass", "bassWhole", 32, -2),
            new("flute", "lead", 73, 1), new("drums", "drumsSoft", 0, -1.5), new("pad", "pad", 88, -7),
        ]),
        new("dust-road", true, 128, 45, true, [0, 8, 3, 10], 14,
        [
            new("kick", "kick", 0, 0.5), new("snare", "snare", 0, 0), new("cymbals", "crashRide", 0, -8),
            new("bass", "bass8", 34, -0.5), new("guitar-l", "guitar", 30, -3.5, 20), new("guitar-r", "guitar", 29, -3.5, 108),
            new("lead", "lead", 81, 1),
        ]),
        new("blue-corner", false, 132, 53, false, [2, 7, 0, 9], 15,
        [
            new("drums", "drumsSoft", 0, -2), new("ride", "ride", 0, -7), new("bass", "walking", 32, 0),
            new("piano", "keys", 0, -3, 48), new("sax", "lead", 66, 1.5), new("trumpet", "brass", 56, -1.5, 88),
        ]),
        new("glass-city", false, 118, 48, true, [0, 8, 10, 7], 16,
        [
            new("kick", "kick", 0, 0.5), new("snare", "snare", 0, -0.5), new("hats", "hats", 0, -9),
            new("bass", "bass8", 38, 0), new("pad", "pad", 90, -6), new("lead", "lead", 80, 1),
            new("ep", "keys", 4, -4.5, 44), new("shaker", "shaker", 0, -9, 90),
        ]),
        new("valley-song", false, 96, 48, false, [0, 5, 9, 7], 17,
        [
            new("guitar", "guitar", 25, -1.5, 50), new("bass", "bass", 32, -2), new("strings", "pad", 49, -5),
            new("clarinet", "lead", 71, 1), new("congas", "congas", 0, -7, 80), new("drums", "drumsSoft", 0, -2),
        ]),
        new("iron-bloom", false, 150, 40, true, [0, 3, 8, 7], 18,
        [
            new("drums", "drums", 0, 1), new("bass", "bass8", 33, -1), new("guitar-l", "guitar", 30, -2.5, 16),
            new("guitar-r", "guitar", 30, -2.5, 112), new("strings", "pad", 50, -7), new("lead", "lead", 81, 0.5),
        ]),
        new("paper-boats", true, 100, 45, false, [0, 5, 7, 5], 19,
        [
            new("guitar", "guitar", 24, -1.5, 44), new("bass", "bass", 32, -2), new("strings", "pad", 48, -6),
            new("harmonica", "lead", 22, 1), new("drums", "drumsSoft", 0, -2.5), new("shaker", "shaker", 0, -9, 84),
        ]),
        new("neon-ride", true, 122, 42, true, [0, 8, 3, 10], 20,
        [
            new("kick", "kick", 0, 0), new("snare", "snare", 0, -1), new("hats", "hats", 0, -9.5),
            new("bass", "bass8", 39, -0.5), new("pad", "pad", 91, -7), new("lead", "lead", 81, 1),
            new("arp", "arp", 84, -4.5, 76),
        ]),
        new("late-train", true, 140, 46, false, [2, 7, 0, 0], 21,
        [
            new("drums", "drumsSoft", 0, -2.5), new("ride", "ride", 0, -7.5), new("bass", "walking", 33, -0.5),
            new("keys", "keys", 2, -3.5, 52), new("trombone", "lead", 57, 1.5), new("guitar", "guitar", 26, -4, 80),
        ]),
        new("river-hymn", true, 66, 43, false, [0, 7, 9, 5], 22,
        [
            new("piano", "arp", 1, -1), new("strings", "pad", 49, -5), new("bass", "bassWhole", 32, -2.5),
            new("cello", "lead", 42, 1), new("drums", "drumsSoft", 0, -2),
        ]),
        new("sun-market", true, 108, 50, false, [0, 5, 7, 0], 23,
        [
            new("kick", "kick", 0, -0.5), new("congas", "congas", 0, -6, 40), new("shaker", "shaker", 0, -9, 90),
            new("bass", "bass", 33, -1), new("guitar", "guitar", 24, -3, 70), new("trumpet", "lead", 56, 1),
            new("horns", "brass", 61, -2.5, 58),
        ]),
        new("steel-yard", true, 138, 41, true, [0, 10, 8, 7], 24,
        [
            new("drums", "drums", 0, 0.5), new("bass", "bass8", 34, -1), new("guitar-l", "guitar", 29, -3.5, 18),
            new("guitar-r", "guitar", 29, -3.5, 110), new("organ", "keys", 18, -5, 70), new("lead", "lead", 82, 1.5),
        ]),
        new("cold-harbour", true, 124, 44, true, [0, 3, 10, 8], 25,
        [
            new("kick", "kick", 0, 0.5), new("snare", "snare", 0, -1), new("hats", "hats", 0, -9),
            new("bass", "bass16", 38, 0), new("pad", "pad", 95, -7.5), new("lead", "lead", 83, 1),
            new("ep", "keys", 5, -4.5, 40),
        ]),
        new("mill-dance", true, 116, 47, false, [0, 5, 0, 7], 26,
        [
            new("drums", "drums", 0, 0), new("bass", "bass16", 36, -0.5), new("guitar", "guitar", 28, -3, 36),
            new("brass", "brass", 62, -2, 92), new("ep", "keys", 4, -4.5, 60), new("sax", "lead", 65, 1),
        ]),
    ];

    private const int TicksPerQuarter = 480;
    private const int DrumChannel = 9;
    private const int Kick = 36, Snare = 38, ClosedHat = 42, OpenHat = 46, Crash = 49, Ride = 51;
    private const int Shaker = 70, HighConga = 62, LowConga = 64;

    /// <summary>The MIDI file of one stem: one track holding tempo, channel set-up and notes.</summary>
    public static byte[] Write(SongSpec song, StemSpec stem)
    {
        var file = new MidiWriter(TicksPerQuarter);
        MidiTrack midi = file.AddTrack($"{song.Name} - {stem.Name}");
        midi.Tempo(0, song.Bpm);
        bool drum = stem.Part is "kick" or "snare" or "hats" or "drums" or "drumsSoft" or "crashRide" or "ride" or "shaker" or "congas";
        int channel = drum ? DrumChannel : 0;
        midi.ProgramChange(0, channel, drum ? 0 : stem.Program);
        midi.ControlChange(0, channel, 7, 100);
        midi.ControlChange(0, channel, 10, stem.Pan);
        midi.ControlChange(0, channel, 91, drum ? 0 : 40);
        midi.ControlChange(0, channel, 93, 0);
        var random = new Random(song.Seed * 31 + stem.Name.Length);
        int melody = song.Tonic + 24;
        for (int bar = 0; bar < Bars; bar++)
        {
            double t = bar * 4;
            int degree = song.Degrees[bar % song.Degrees.Length];
            int root = song.Tonic + degree;
            bool minor = ChordIsMinor(song.Minor, degree);
            int[] chord = [root + 12, root + 12 + (minor ? 3 : 4), root + 19];
            switch (stem.Part)
            {
                case "kick":
                    Hits(midi, t, Kick, [(0, 104), (2, 98), (bar % 2 == 1 ? 2.5 : -1, 80)]);
                    break;
                case "snare":
                    Hits(midi, t, Snare, [(1, 100), (3, 104), (bar == Bars - 1 ? 3.5 : -1, 90)]);
                    break;
                case "hats":
                    for (int e = 0; e < 8; e++)
                    {
                        Note(midi, DrumChannel, t + (0.5 * e), 0.25, e == 7 && bar % 4 == 3 ? OpenHat : ClosedHat, e % 2 == 0 ? 82 : 56);
                    }

                    break;
                case "crashRide":
                    Hits(midi, t, bar % 4 == 0 ? Crash : Ride, [(0, 100)]);
                    for (int q = 1; q < 4; q++)
                    {
                        Note(midi, DrumChannel, t + q, 0.25, Ride, 78);
                    }

                    break;
                case "ride":
                    for (int q = 0; q < 4; q++)
                    {
                        Note(midi, DrumChannel, t + q, 0.25, Ride, 84);
                        if (q % 2 == 1)
                        {
                            Note(midi, DrumChannel, t + q + (2.0 / 3), 0.2, Ride, 60);
                        }
                    }

                    break;
                case "drums":
                case "drumsSoft":
                    int v = stem.Part == "drums" ? 104 : 78;
                    Hits(midi, t, Kick, [(0, v), (2, v - 6), (bar % 2 == 1 ? 2.5 : -1, v - 20)]);
                    Hits(midi, t, stem.Part == "drums" ? Snare : 37, [(1, v), (3, v)]);
                    for (int e = 0; e < 8; e++)
                    {
                        Note(midi, DrumChannel, t + (0.5 * e), 0.25, ClosedHat, e % 2 == 0 ? v - 24 : v - 44);
                    }

                    if (bar % 4 == 0)
                    {
                        Note(midi, DrumChannel, t, 0.25, Crash, v);
                    }

                    break;
                case "shaker":
                    for (int s = 0; s < 16; s++)
                    {
                        Note(midi, DrumChannel, t + (0.25 * s), 0.2, Shaker, s % 4 == 2 ? 90 : 60);
                    }

                    break;
                case "congas":
                    Hits(midi, t, HighConga, [(0.5, 80), (1.5, 70), (2.75, 76), (3.5, 84)]);
                    Hits(midi, t, LowConga, [(0, 88), (2, 84), (3, 70)]);
                    break;
                case "bass":
                    Tones(midi, t, root - 12, [(0, 1.4, 0, 100), (1.5, 0.45, 0, 80), (2, 0.9, 0, 94), (3, 0.45, 7, 84), (3.5, 0.45, 12, 76)]);
                    break;
                case "bass8":
                    for (int e = 0; e < 8; e++)
                    {
                        Note(midi, 0, t + (0.5 * e), 0.42, root - 12, e % 2 == 0 ? 100 : 84);
                    }

                    break;
                case "bass16":
                    Tones(midi, t, root - 12, [(0, 0.2, 0, 110), (0.75, 0.2, 12, 90), (1.5, 0.2, 0, 100), (2, 0.2, 10, 86), (2.5, 0.45, 0, 104), (3.25, 0.2, 7, 90), (3.5, 0.2, 12, 96)]);
                    break;
                case "bassWhole":
                    Note(midi, 0, t, 3.9, root - 12, 90);
                    break;
                case "walking":
                    int[] steps = [0, minor ? 3 : 4, 7, 9];
                    for (int q = 0; q < 4; q++)
                    {
                        Note(midi, 0, t + q, 0.9, root - 12 + steps[q], 92 - (q * 4));
                    }

                    break;
                case "keys":
                    foreach ((double beat, double length, int velocity) in new[] { (0.0, 1.4, 80), (1.5, 0.9, 64), (3.0, 0.9, 70) })
                    {
                        foreach (int key in chord)
                        {
                            Note(midi, 0, t + beat, length, key + 12, velocity);
                        }
                    }

                    break;
                case "arp":
                    int[] arp = [chord[0], chord[1], chord[2], chord[0] + 12, chord[2], chord[1], chord[0] + 12, chord[2]];
                    for (int e = 0; e < 8; e++)
                    {
                        Note(midi, 0, t + (0.5 * e), 0.9, arp[e] + 12, e == 0 ? 86 : 68);
                    }

                    Note(midi, 0, t, 3.9, root, 70);
                    break;
                case "guitar":
                    foreach ((double beat, int velocity) in new[] { (0.0, 96), (1.0, 70), (1.5, 84), (2.5, 80), (3.0, 70), (3.5, 88) })
                    {
                        int[] strum = [chord[0], chord[2], chord[0] + 12, chord[1] + 12];
                        for (int k = 0; k < strum.Length; k++)
                        {
                            Note(midi, 0, t + beat + (0.02 * k), 0.45, strum[k], velocity - (2 * k));
                        }
                    }

                    break;
                case "pad":
                    foreach (int key in chord)
                    {
                        Note(midi, 0, t, 4, key + 12, 76);
                    }

                    break;
                case "brass":
                    foreach (double beat in new[] { 1.5, 3.0 })
                    {
                        foreach (int key in chord)
                        {
                            Note(midi, 0, t + beat, 0.4, key + 12, 96);
                        }
                    }

                    break;
                case "lead":
                    if (bar % 4 == 3 && bar != Bars - 1)
                    {
                        break; // breathe at the end of each phrase
                    }

                    double beatAt = 0;
                    while (beatAt < 4)
                    {
                        double length = random.Next(3) switch { 0 => 0.5, 1 => 1, _ => 1.5 };
                        length = Math.Min(length, 4 - beatAt);
                        int[] tones = [chord[0] + 24, chord[1] + 24, chord[2] + 24, chord[0] + 36];
                        int best = tones.MinBy(k => Math.Abs(k - melody + random.Next(-4, 5)));
                        melody = best;
                        Note(midi, 0, t + beatAt, length * 0.9, best, 84 + random.Next(-6, 10));
                        beatAt += length;
                    }

                    break;
                default:
                    throw new InvalidOperationException($"unknown part {stem.Part}");
            }

        }

        // Three beats of silence after the last bar let release and reverb tails ring out.
        midi.EndAt(midi.BeatsToTicks((Bars * 4) + 3));
        return file.ToBytes();
    }

    private static bool ChordIsMinor(bool minorKey, int degree)
    {
        int d = ((degree % 12) + 12) % 12;
        return minorKey ? d is 0 or 5 or 7 && d != 7 : d is 2 or 4 or 9;
    }

    private static void Hits(MidiTrack midi, double bar, int key, (double Beat, int Velocity)[] hits)
    {
        foreach ((double beat, int velocity) in hits)
        {
            if (beat >= 0)
            {
                Note(midi, DrumChannel, bar + beat, 0.25, key, velocity);
            }
        }
    }

    private static void Tones(MidiTrack midi, double bar, int root, (double Beat, double Length, int Interval, int Velocity)[] notes)
    {
        foreach ((double beat, double length, int interval, int velocity) in notes)
        {
            Note(midi, 0, bar + beat, length, root + interval, velocity);
        }
    }

    /// <summary>A note at <paramref name="beat"/> (quarter notes from the start) lasting
    /// <paramref name="beats"/>, at least one tick.</summary>
    private static void Note(MidiTrack midi, int channel, double beat, double beats, int key, int velocity) =>
        midi.Note(midi.BeatsToTicks(beat), channel, key, velocity, Math.Max(1, midi.BeatsToTicks(beats)));
}
