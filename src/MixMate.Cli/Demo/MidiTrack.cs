using NAudio.Midi;

namespace MixMate.Cli.Demo;

/// <summary>
/// One track of a Standard MIDI File being built: events are collected with absolute tick times in
/// any order; <see cref="MidiWriter"/>, which creates it (<see cref="MidiWriter.AddTrack"/>), orders
/// them and has NAudio.Midi encode the file. Channels are 0-based here (channel 9 is the General
/// MIDI percussion channel, "channel 10" to musicians; NAudio counts from 1). Every method validates
/// its arguments and throws <see cref="ArgumentOutOfRangeException"/> for a field the file format
/// cannot hold.
/// </summary>
/// <remarks>[any-thread] Not thread-safe: build one track on one thread.</remarks>
public sealed class MidiTrack
{
    /// <summary>Largest tick a delta time can reach (SMF 1.0 variable-length quantity, 28 bits).</summary>
    public const long MaxTick = 0x0FFFFFFF;

    // Order of events that share a tick (SMF 1.0 leaves it to the writer): releases first so a
    // repeated key is not cut by its own previous note-off, then meta and channel set-up, then
    // note-ons, which therefore always see the program and controllers of their tick.
    private const int NoteOffOrder = 0;
    private const int SetupOrder = 1;
    private const int NoteOnOrder = 2;

    private readonly List<PendingEvent> _events = [];
    private long _endTick;

    internal MidiTrack(string name, int ticksPerQuarter)
    {
        Name = name;
        TicksPerQuarter = ticksPerQuarter;
        Add(0, SetupOrder, t => new TextEvent(name, MetaEventType.SequenceTrackName, t));
    }

    /// <summary>The sequence/track name (meta event 0x03). [any-thread]</summary>
    public string Name { get; }

    /// <summary>Number of notes added. [any-thread]</summary>
    public int NoteCount { get; private set; }

    /// <summary>Ticks per quarter note of the file this track belongs to. [any-thread]</summary>
    public int TicksPerQuarter { get; }

    /// <summary>A position or length in quarter notes converted to this file's ticks, rounded to
    /// the nearest tick (ties to even, like <see cref="Math.Round(double)"/>). [any-thread]</summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative, not finite, or beyond the 28 bits a
    /// delta time can hold (SMF 1.0 variable-length quantity).</exception>
    public long BeatsToTicks(double beats)
    {
        double ticks = Math.Round(beats * TicksPerQuarter);
        if (!(ticks >= 0 && ticks <= MaxTick))
        {
            throw new ArgumentOutOfRangeException(nameof(beats));
        }

        return (long)ticks;
    }

    /// <summary>Tempo from <paramref name="tick"/> on (meta event 0x51, microseconds per quarter
    /// note); 4 to 1000 beats per minute. [any-thread]</summary>
    public void Tempo(long tick, double beatsPerMinute)
    {
        if (!(beatsPerMinute >= 4 && beatsPerMinute <= 1000))
        {
            throw new ArgumentOutOfRangeException(nameof(beatsPerMinute));
        }

        int micros = (int)Math.Round(60_000_000.0 / beatsPerMinute);
        Add(tick, SetupOrder, t => new TempoEvent(micros, t));
    }

    /// <summary>Time signature (meta event 0x58); <paramref name="denominator"/> must be a power of
    /// two. [any-thread]</summary>
    public void TimeSignature(long tick, int numerator, int denominator)
    {
        if (numerator is < 1 or > 255 || denominator < 1 || denominator > 64 || !int.IsPow2(denominator))
        {
            throw new ArgumentOutOfRangeException(nameof(denominator));
        }

        // The file stores the denominator as a power of two; 24 MIDI clocks per metronome click,
        // 8 notated 32nd notes per quarter (SMF 1.0, meta 0x58).
        int power = int.Log2(denominator);
        Add(tick, SetupOrder, t => new TimeSignatureEvent(t, numerator, power, 24, 8));
    }

    /// <summary>Program change (0-based General MIDI program number). [any-thread]</summary>
    public void ProgramChange(long tick, int channel, int program)
    {
        CheckChannel(channel);
        Check7Bit(program, nameof(program));
        Add(tick, SetupOrder, t => new PatchChangeEvent(t, channel + 1, program));
    }

    /// <summary>Control change, e.g. 7 volume, 10 pan, 91 reverb send, 93 chorus send. [any-thread]</summary>
    public void ControlChange(long tick, int channel, int controller, int value)
    {
        CheckChannel(channel);
        Check7Bit(controller, nameof(controller));
        Check7Bit(value, nameof(value));
        Add(tick, SetupOrder, t => new ControlChangeEvent(t, channel + 1, (MidiController)controller, value));
    }

    /// <summary>A note: note-on at <paramref name="tick"/> and note-off (0x80, velocity 64)
    /// <paramref name="duration"/> ticks later; velocity 1..127, duration at least one tick.
    /// [any-thread]</summary>
    public void Note(long tick, int channel, int key, int velocity, long duration)
    {
        CheckChannel(channel);
        Check7Bit(key, nameof(key));
        if (velocity is < 1 or > 127)
        {
            // Velocity 0 would be a note-off by running-status convention.
            throw new ArgumentOutOfRangeException(nameof(velocity));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(duration, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(tick + duration, MaxTick);

        Add(tick, NoteOnOrder, t => new NoteEvent(t, channel + 1, MidiCommandCode.NoteOn, key, velocity));
        Add(tick + duration, NoteOffOrder, t => new NoteEvent(t, channel + 1, MidiCommandCode.NoteOff, key, 64));
        NoteCount++;
    }

    /// <summary>Places the end-of-track event no earlier than <paramref name="tick"/> (so every
    /// stem of a song plays for the same time, release tails included). [any-thread]</summary>
    public void EndAt(long tick)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(tick);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(tick, MaxTick);
        _endTick = Math.Max(_endTick, tick);
    }

    /// <summary>The track's events for NAudio, ordered (tick, then release / set-up / note-on, then
    /// insertion) and closed by the end-of-track meta event.</summary>
    internal List<MidiEvent> ToEvents()
    {
        var ordered = new List<PendingEvent>(_events);
        ordered.Sort(static (a, b) =>
            a.Tick != b.Tick ? a.Tick.CompareTo(b.Tick)
            : a.Order != b.Order ? a.Order.CompareTo(b.Order)
            : a.Sequence.CompareTo(b.Sequence));
        var events = new List<MidiEvent>(ordered.Count + 1);
        long last = 0;
        foreach (PendingEvent e in ordered)
        {
            events.Add(e.Create(e.Tick));
            last = e.Tick;
        }

        events.Add(new MetaEvent(MetaEventType.EndTrack, 0, Math.Max(last, _endTick)));
        return events;
    }

    private void Add(long tick, int order, Func<long, MidiEvent> create)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(tick);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(tick, MaxTick);
        _events.Add(new PendingEvent(tick, order, _events.Count, create));
    }

    private static void CheckChannel(int channel)
    {
        if (channel is < 0 or > 15)
        {
            throw new ArgumentOutOfRangeException(nameof(channel));
        }
    }

    private static void Check7Bit(int value, string name)
    {
        if (value is < 0 or > 127)
        {
            throw new ArgumentOutOfRangeException(name);
        }
    }

    private readonly record struct PendingEvent(long Tick, int Order, int Sequence, Func<long, MidiEvent> Create);
}
