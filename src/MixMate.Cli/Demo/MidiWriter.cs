namespace MixMate.Cli.Demo;

/// <summary>
/// MixMate's one Standard MIDI File writer (SMF 1.0, format 1: simultaneous tracks sharing one
/// tempo map, the first track conventionally holding tempo and time signature). Enough for the
/// music MixMate composes — the demo song, the test suite's composed song and the balance
/// evaluation's songs: tempo, time signature, program and control changes, notes with velocity.
/// </summary>
/// <remarks>[any thread] Not thread-safe: build one file on one thread.</remarks>
public sealed class MidiWriter
{
    private readonly List<MidiTrack> _tracks = [];

    /// <summary>Creates an empty file whose ticks are <paramref name="ticksPerQuarter"/> per quarter
    /// note (the header's "division", metrical form: 1..32767).</summary>
    public MidiWriter(int ticksPerQuarter = 480)
    {
        if (ticksPerQuarter is < 1 or > 0x7FFF)
        {
            throw new ArgumentOutOfRangeException(nameof(ticksPerQuarter));
        }

        TicksPerQuarter = ticksPerQuarter;
    }

    /// <summary>Ticks per quarter note (the header's division). [any thread]</summary>
    public int TicksPerQuarter { get; }

    /// <summary>The tracks added so far, in file order. [any thread]</summary>
    public IReadOnlyList<MidiTrack> Tracks => _tracks;

    /// <summary>Appends a track named <paramref name="name"/> (meta event 0x03 at tick 0). [any thread]</summary>
    public MidiTrack AddTrack(string name)
    {
        var track = new MidiTrack(name, TicksPerQuarter);
        _tracks.Add(track);
        return track;
    }

    /// <summary>The whole file: MThd (length 6, format 1, track count, division) then one MTrk per
    /// track. [any thread]</summary>
    /// <exception cref="InvalidOperationException">No track, or more than 65535.</exception>
    public byte[] ToBytes()
    {
        if (_tracks.Count is 0 or > 0xFFFF)
        {
            throw new InvalidOperationException("A MIDI file needs 1 to 65535 tracks.");
        }

        var bytes = new List<byte>(1024);
        bytes.AddRange("MThd"u8.ToArray());
        WriteBigEndian32(bytes, 6);
        WriteBigEndian16(bytes, 1);
        WriteBigEndian16(bytes, _tracks.Count);
        WriteBigEndian16(bytes, TicksPerQuarter);
        foreach (MidiTrack track in _tracks)
        {
            bytes.AddRange(track.Encode());
        }

        return [.. bytes];
    }

    internal static void WriteBigEndian32(List<byte> output, int value)
    {
        output.Add((byte)(value >> 24));
        output.Add((byte)(value >> 16));
        output.Add((byte)(value >> 8));
        output.Add((byte)value);
    }

    internal static void WriteBigEndian16(List<byte> output, int value)
    {
        output.Add((byte)(value >> 8));
        output.Add((byte)value);
    }
}
