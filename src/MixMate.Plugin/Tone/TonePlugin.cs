using MixMate.Dsp;
using MixMate.Dsp.Utility;
using MixMate.Plugin.Abi;
using MixMate.Plugin.Hosting;
using P = MixMate.Plugin.Tone.ToneParameters;

namespace MixMate.Plugin.Tone;

/// <summary>
/// "MixMate Tone": a calibrated test-signal instrument. Each note plays the selected
/// <c>signal</c>; sine notes sound at the note's pitch (A4 = MIDI 69 = 440 Hz, 12-TET, plus the
/// event's tuning in cents).
/// </summary>
/// <remarks>
/// Calibration (per output channel, before the output trim):
/// <c>level_dBFS_RMS = −20 + 20·log10(v / 100)</c>, where <c>v = 127 × velocity</c> is the MIDI
/// velocity. Velocity 100 gives −20 dBFS RMS for every signal (a sine at velocity 100 has a peak
/// of 0.1414); velocity 127 gives −17.92 dBFS RMS. The trim adds its dB. Attack 2 ms,
/// release 10 ms, both linear. Up to 16 notes; a 17th steals the oldest.
/// Threads: as <see cref="PluginInstance"/>.
/// </remarks>
public sealed class TonePlugin : PluginInstance
{
    public const int MaxVoices = 16;
    private const double AttackMs = 2.0;
    private const double ReleaseMs = 10.0;

    private readonly ToneVoice[] _voices = new ToneVoice[MaxVoices];
    private float[] _mono = [];
    private ToneSignal _signal;
    private double _sweepSeconds = 10;
    private double _sweepStart = 20;
    private double _sweepEnd = 20000;
    private double _trim = 1.0;
    private long _noteCounter;
    private int _attackSteps = 1;
    private int _releaseSteps = 1;

    // The notes held now, for the editor: bit p of _held[p / 64] for MIDI pitch p, and the last
    // velocity (1…127) each pitch was struck with. Written by the audio thread after every note
    // event; read lock-free (a reader may see one event late, which only delays a redraw).
    private readonly long[] _held = new long[2];
    private readonly byte[] _velocity = new byte[128];

    public TonePlugin()
        : base(P.Shared)
    {
    }

    /// <inheritdoc />
    public override PluginKind Kind => PluginKind.Tone;

    /// <inheritdoc />
    public override int LatencySamples => 0;

    /// <inheritdoc />
    public override int TailSamples => _releaseSteps;

    /// <summary>[any thread] Whether MIDI pitch <paramref name="pitch"/> (0…127) is held now.</summary>
    public bool IsHeld(int pitch) => (uint)pitch < 128 && (Volatile.Read(ref _held[pitch >> 6]) & (1L << (pitch & 63))) != 0;

    /// <summary>[any thread] The held notes as two 64-bit masks (pitches 0–63, 64–127): one value
    /// to compare for a redraw.</summary>
    public (long Low, long High) HeldMask => (Volatile.Read(ref _held[0]), Volatile.Read(ref _held[1]));

    /// <summary>[any thread] The MIDI velocity (1…127) pitch <paramref name="pitch"/> was last struck with.</summary>
    public int HeldVelocity(int pitch) => (uint)pitch < 128 ? Volatile.Read(ref _velocity[pitch]) : 0;

    /// <summary>The calibrated RMS level in dBFS of MIDI velocity <paramref name="midiVelocity"/> (1…127).</summary>
    public static double LevelDbfs(double midiVelocity) => -20.0 + 20.0 * Math.Log10(midiVelocity / 100.0);

    /// <inheritdoc />
    protected override void OnSetup(double sampleRate, int channels)
    {
        _mono = new float[SubBlockFrames];
        _attackSteps = Math.Max(1, (int)Math.Round(AttackMs * sampleRate / 1000.0));
        _releaseSteps = Math.Max(1, (int)Math.Round(ReleaseMs * sampleRate / 1000.0));
        _ = PinkNoise.UnitRmsScale;
    }

    /// <inheritdoc />
    protected override void OnReset()
    {
        Array.Clear(_voices);
        _noteCounter = 0;
        PublishHeld();
    }

    // [audio thread] The held notes from the voices (a voice is held until its release starts).
    private void PublishHeld()
    {
        long low = 0, high = 0;
        for (int i = 0; i < _voices.Length; i++)
        {
            ref ToneVoice v = ref _voices[i];
            if (v.Active && !v.IsReleasing && (uint)v.Pitch < 128)
            {
                if (v.Pitch < 64)
                {
                    low |= 1L << v.Pitch;
                }
                else
                {
                    high |= 1L << (v.Pitch - 64);
                }
            }
        }

        Volatile.Write(ref _held[0], low);
        Volatile.Write(ref _held[1], high);
    }

    /// <inheritdoc />
    protected override void OnParameter(int index, double plain, bool snap)
    {
        switch (Parameters[index].Id)
        {
            case P.Signal:
                _signal = (ToneSignal)(int)plain;
                break;
            case P.SweepSeconds:
                _sweepSeconds = plain;
                break;
            case P.SweepStartHz:
                _sweepStart = plain;
                break;
            case P.SweepEndHz:
                _sweepEnd = plain;
                break;
            case P.GainDb:
                _trim = Decibels.ToGain(plain);
                break;
        }
    }

    /// <inheritdoc />
    protected override void OnNote(in MmNote note)
    {
        if (note.Type == MmNote.On && note.Velocity > 0)
        {
            int slot = FindVoice(note, preferFree: true);
            double midiVelocity = Math.Clamp(note.Velocity, 0f, 1f) * 127.0;
            double rms = Decibels.ToGain(LevelDbfs(midiVelocity)) * _trim;
            double frequency = 440.0 * Math.Pow(2.0, (note.Pitch - 69 + note.Tuning / 100.0) / 12.0);
            ref ToneVoice v = ref _voices[slot];
            v.Pitch = note.Pitch;
            v.Channel = note.Channel;
            v.NoteId = note.NoteId;
            v.StartedAt = _noteCounter;
            v.Start(_signal, frequency, rms, SampleRate, _sweepSeconds, _sweepStart, _sweepEnd,
                (ulong)_noteCounter + 1, _attackSteps, _releaseSteps);
            _noteCounter++;
            if ((uint)note.Pitch < 128)
            {
                Volatile.Write(ref _velocity[note.Pitch], (byte)Math.Clamp((int)Math.Round(midiVelocity), 1, 127));
            }
        }
        else
        {
            // Note-off (or note-on with velocity 0, the MIDI convention for note-off).
            for (int i = 0; i < _voices.Length; i++)
            {
                ref ToneVoice v = ref _voices[i];
                if (v.Active && !v.IsReleasing && Matches(v, note))
                {
                    v.Release();
                }
            }
        }

        PublishHeld();
    }

    /// <inheritdoc />
    protected override void RenderSubBlock(AudioBlock block)
    {
        Span<float> mono = _mono.AsSpan(0, block.Frames);
        mono.Clear();
        for (int i = 0; i < _voices.Length; i++)
        {
            if (_voices[i].Active)
            {
                _voices[i].Render(mono);
            }
        }

        Denormals.FlushToZero(mono);
        for (int c = 0; c < block.Channels; c++)
        {
            mono.CopyTo(block[c]);
        }
    }

    private static bool Matches(in ToneVoice v, in MmNote note) =>
        note.NoteId != -1 && v.NoteId != -1 ? v.NoteId == note.NoteId : v.Pitch == note.Pitch && v.Channel == note.Channel;

    private int FindVoice(in MmNote note, bool preferFree)
    {
        int oldest = 0;
        for (int i = 0; i < _voices.Length; i++)
        {
            if (_voices[i].Active && _voices[i].Pitch == note.Pitch && _voices[i].Channel == note.Channel)
            {
                return i;
            }
        }

        for (int i = 0; i < _voices.Length; i++)
        {
            if (preferFree && !_voices[i].Active)
            {
                return i;
            }

            if (_voices[i].StartedAt < _voices[oldest].StartedAt)
            {
                oldest = i;
            }
        }

        return oldest;
    }
}
