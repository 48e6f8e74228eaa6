using System.Diagnostics;
using MixMate.Cli.Demo;

namespace MixMate.Cli.Tests.Support;

/// <summary>
/// A short piece composed here (I–vi–IV–V in C, 120 bpm): four quiet bars of piano and strings,
/// then eight bars with drums, bass, piano and a lead — so it has a real loudness range. Rendered
/// once per test run with FluidSynth and the Debian General MIDI soundfont (FluidR3_GM).
/// </summary>
internal static class ComposedSong
{
    public const string SoundFont = "/usr/share/sounds/sf2/FluidR3_GM.sf2";
    public const int SampleRate = 44100;

    private const int Ticks = 480;
    private const int Bar = 4 * Ticks;

    private static readonly Lazy<string> s_wav = new(Render);

    /// <summary>Path of the rendered 16-bit stereo WAV (about 25 s).</summary>
    public static string WavPath => s_wav.Value;

    /// <summary>The composition as a Standard MIDI File: one track, all channels.</summary>
    public static MidiWriter Compose()
    {
        var midi = new MidiWriter(Ticks);
        MidiTrack t = midi.AddTrack("MixMate composed test song");
        t.Tempo(0, 120);
        Setup(t, 0, 0, 100, pan: 52);   // Acoustic grand, slightly left.
        Setup(t, 1, 33, 110);           // Fingered bass.
        Setup(t, 2, 80, 80, pan: 80);   // Square lead, right.
        Setup(t, 3, 48, 90);            // Strings.
        t.ControlChange(0, 9, 7, 110);

        int[][] chords = [[60, 64, 67], [57, 60, 64], [53, 57, 60], [55, 59, 62]];
        int[] roots = [36, 33, 29, 31];
        int[] melody = [72, 74, 76, 79, 76, 74, 72, 69, 67, 69, 72, 74, 76, 74, 72, 67];
        const int Bars = 12;
        const int IntroBars = 4;
        for (int bar = 0; bar < Bars; bar++)
        {
            long start = (long)bar * Bar;
            bool intro = bar < IntroBars;
            int chord = bar % 4;
            foreach (int key in chords[chord])
            {
                // Piano on every beat; strings hold the chord through the intro.
                for (int beat = 0; beat < 4; beat++)
                {
                    t.Note(start + (beat * Ticks), 0, key, intro ? 45 : 88, Ticks - 40);
                }

                if (intro)
                {
                    t.Note(start, 3, key - 12, 50, Bar - 10);
                }
            }

            if (intro)
            {
                continue;
            }

            for (int eighth = 0; eighth < 8; eighth++)
            {
                long at = start + (eighth * Ticks / 2);
                t.Note(at, 1, roots[chord] + (eighth % 4 == 3 ? 7 : 0), 100, (Ticks / 2) - 20);
                t.Note(at, 9, 42, eighth % 2 == 0 ? 90 : 60, 60);                  // Closed hi-hat.
                if (eighth % 4 == 0)
                {
                    t.Note(at, 9, 36, 115, 120);                                      // Kick on 1 and 3.
                }
                else if (eighth % 4 == 2)
                {
                    t.Note(at, 9, 38, 105, 120);                                      // Snare on 2 and 4.
                }
            }

            if (bar == IntroBars)
            {
                t.Note(start, 9, 49, 110, Ticks);                                    // Crash into the chorus.
            }

            for (int quarter = 0; quarter < 4; quarter++)
            {
                int note = melody[((bar - IntroBars) * 4 + quarter) % melody.Length];
                t.Note(start + (quarter * Ticks), 2, note, 96, Ticks - 30);
            }
        }

        return midi;
    }

    private static void Setup(MidiTrack track, int channel, int program, int volume, int? pan = null)
    {
        track.ProgramChange(0, channel, program);
        track.ControlChange(0, channel, 7, volume);
        if (pan is int value)
        {
            track.ControlChange(0, channel, 10, value);
        }
    }

    private static string Render()
    {
        if (!File.Exists(SoundFont))
        {
            throw new InvalidOperationException($"{SoundFont} is missing; install fluid-soundfont-gm.");
        }

        string folder = TestFolder.NewFolder("song");
        string midiPath = Path.Combine(folder, "song.mid");
        string wavPath = Path.Combine(folder, "song.wav");
        File.WriteAllBytes(midiPath, Compose().ToBytes());

        var start = new ProcessStartInfo("fluidsynth")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { "-ni", "-q", "-g", "0.7", "-r", SampleRate.ToString(System.Globalization.CultureInfo.InvariantCulture), "-F", wavPath, SoundFont, midiPath })
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("fluidsynth did not start; install fluidsynth.");
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("fluidsynth did not finish rendering in 120 s.");
        }

        if (process.ExitCode != 0 || !File.Exists(wavPath) || new FileInfo(wavPath).Length < 100_000)
        {
            throw new InvalidOperationException($"fluidsynth failed (exit {process.ExitCode}): {output.Result} {errors.Result}");
        }

        return wavPath;
    }
}
