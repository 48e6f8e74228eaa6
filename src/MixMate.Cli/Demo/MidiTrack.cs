namespace MixMate.Cli.Demo;

/// <summary>
/// One track of a Standard MIDI File being built: events are collected with absolute tick times in
/// any order and encoded (sorted, delta-timed) by <see cref="MidiWriter"/>, which creates it
/// (<see cref="MidiWriter.AddTrack"/>). Channels are 0-based (channel 9 is the General MIDI
/// percussion channel, "channel 10" to musicians). Every method validates its arguments and throws
/// <see cref="ArgumentOutOfRangeException"/> for a field the file format cannot hold.
/// </summary>
/// <remarks>[any thread] Not thread-safe: build one track on one thread.</remarks>
public sealed class MidiTrack
{
    // Order of events that share a tick (SMF 1.0 leaves it to the writer): releases first so a
    // repeated key is not cut by its own previous note-off, then meta and channel set-up, then
    // note-ons, which therefore always see the program and controllers of their tick.
    private const int NoteOffOrder = 0;
    private const int SetupOrder = 1;
    private const int NoteOnOrder = 2;

    private readonly List<MidiEvent> _events = [];
    private long _endTick;

    internal MidiTrack(string name, int ticksPerQuarter)
    {
        Name = name;
        TicksPerQuarter = ticksPerQuarter;
        byte[] text = System.Text.Encoding.ASCII.GetBytes(name);
        AddMeta(0, 0x03, text);
    }

    /// <summary>The sequence/track name (meta event 0x03). [any thread]</summary>
    public string Name { get; }

    /// <summary>Number of notes added. [any thread]</summary>
    public int NoteCount { get; private set; }

    /// <summary>Ticks per quarter note of the file this track belongs to. [any thread]</summary>
    public int TicksPerQuarter { get; }

    /// <summary>A position or length in quarter notes converted to this file's ticks, rounded to
    /// the nearest tick (ties to even, like <see cref="Math.Round(double)"/>). [any thread]</summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative, not finite, or beyond the 28 bits a
    /// delta time can hold (SMF 1.0 variable-length quantity).</exception>
    public long BeatsToTicks(double beats)
    {
        double ticks = Math.Round(beats * TicksPerQuarter);
        if (!(ticks >= 0 && ticks <= 0x0FFFFFFF))
        {
            throw new ArgumentOutOfRangeException(nameof(beats));
        }

        return (long)ticks;
    }

    /// <summary>Tempo from <paramref name="tick"/> on (meta event 0x51, microseconds per quarter
    /// note); 4 to 1000 beats per minute. [any thread]</summary>
    public void Tempo(long tick, double beatsPerMinute)
    {
        if (!(beatsPerMinute >= 4 && beatsPerMinute <= 1000))
        {
            throw new ArgumentOutOfRangeException(nameof(beatsPerMinute));
        }

        int micros = (int)Math.Round(60_000_000.0 / beatsPerMinute);
        AddMeta(tick, 0x51, [(byte)(micros >> 16), (byte)(micros >> 8), (byte)micros]);
    }

    /// <summary>Time signature (meta event 0x58); <paramref name="denominator"/> must be a power of
    /// two. [any thread]</summary>
    public void TimeSignature(long tick, int numerator, int denominator)
    {
        if (numerator is < 1 or > 255 || denominator < 1 || denominator > 64 || !int.IsPow2(denominator))
        {
            throw new ArgumentOutOfRangeException(nameof(denominator));
        }

        // 24 MIDI clocks per metronome click, 8 notated 32nd notes per quarter (SMF 1.0, meta 0x58).
        AddMeta(tick, 0x58, [(byte)numerator, (byte)int.Log2(denominator), 24, 8]);
    }

    /// <summary>Program change (0-based General MIDI program number). [any thread]</summary>
    public void ProgramChange(long tick, int channel, int program)
    {
        CheckChannel(channel);
        Check7Bit(program, nameof(program));
        Add(tick, SetupOrder, [(byte)(0xC0 | channel), (byte)program]);
    }

    /// <summary>Control change, e.g. 7 volume, 10 pan, 91 reverb send, 93 chorus send. [any thread]</summary>
    public void ControlChange(long tick, int channel, int controller, int value)
    {
        CheckChannel(channel);
        Check7Bit(controller, nameof(controller));
        Check7Bit(value, nameof(value));
        Add(tick, SetupOrder, [(byte)(0xB0 | channel), (byte)controller, (byte)value]);
    }

    /// <summary>A note: note-on at <paramref name="tick"/> and note-off (0x80, velocity 64)
    /// <paramref name="duration"/> ticks later; velocity 1..127, duration at least one tick.
    /// [any thread]</summary>
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

        Add(tick, NoteOnOrder, [(byte)(0x90 | channel), (byte)key, (byte)velocity]);
        Add(tick + duration, NoteOffOrder, [(byte)(0x80 | channel), (byte)key, 64]);
        NoteCount++;
    }

    /// <summary>Places the end-of-track event no earlier than <paramref name="tick"/> (so every
    /// stem of a song plays for the same time, release tails included). [any thread]</summary>
    public void EndAt(long tick)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(tick);
        _endTick = Math.Max(_endTick, tick);
    }

    /// <summary>The MTrk chunk: header, length and the delta-timed events ending with FF 2F 00.</summary>
    internal byte[] Encode()
    {
        var ordered = new List<MidiEvent>(_events);
        ordered.Sort(static (a, b) =>
            a.Tick != b.Tick ? a.Tick.CompareTo(b.Tick)
            : a.Order != b.Order ? a.Order.CompareTo(b.Order)
            : a.Sequence.CompareTo(b.Sequence));

        var body = new List<byte>(ordered.Count * 5 + 8);
        long previous = 0;
        foreach (MidiEvent e in ordered)
        {
            WriteVariableLength(body, e.Tick - previous);
            body.AddRange(e.Bytes);
            previous = e.Tick;
        }

        long end = Math.Max(previous, _endTick);
        WriteVariableLength(body, end - previous);
        body.AddRange([0xFF, 0x2F, 0x00]);

        var chunk = new List<byte>(body.Count + 8);
        chunk.AddRange("MTrk"u8.ToArray());
        MidiWriter.WriteBigEndian32(chunk, body.Count);
        chunk.AddRange(body);
        return [.. chunk];
    }

    /// <summary>SMF 1.0 variable-length quantity: 7 bits per byte, most significant first, bit 7
    /// set on every byte but the last; at most 4 bytes (0x0FFFFFFF).</summary>
    internal static void WriteVariableLength(List<byte> output, long value)
    {
        if (value is < 0 or > 0x0FFFFFFF)
        {
            throw new ArgumentOutOfRangeException(nameof(value));
        }

        Span<byte> scratch = stackalloc byte[4];
        int count = 0;
        do
        {
            scratch[count++] = (byte)(value & 0x7F);
            value >>= 7;
        }
        while (value > 0);

        for (int i = count - 1; i >= 0; i--)
        {
            output.Add((byte)(scratch[i] | (i > 0 ? 0x80 : 0)));
        }
    }

    private void AddMeta(long tick, byte type, byte[] data)
    {
        var bytes = new List<byte>(data.Length + 6) { 0xFF, type };
        WriteVariableLength(bytes, data.Length);
        bytes.AddRange(data);
        Add(tick, SetupOrder, [.. bytes]);
    }

    private void Add(long tick, int order, byte[] bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(tick);
        _events.Add(new MidiEvent(tick, order, _events.Count, bytes));
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

    private readonly record struct MidiEvent(long Tick, int Order, int Sequence, byte[] Bytes);
}
