using NAudio.Midi;

namespace MixMate.Cli.Demo;

/// <summary>
/// MixMate's one way of writing Standard MIDI Files (SMF 1.0, format 1: simultaneous tracks sharing
/// one tempo map, the first track conventionally holding tempo and time signature), encoded by
/// NAudio.Midi (<see cref="MidiFile.Export(Stream, MidiEventCollection)"/>). MixMate keeps only the
/// part that is about its music: the vocabulary the demo song, the test suite's composed song and
/// the balance evaluation's songs use (tempo, time signature, program and control changes, notes
/// with velocity) and the order of events that share a tick.
/// </summary>
/// <remarks>[any-thread] Not thread-safe: build one file on one thread.</remarks>
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

    /// <summary>Ticks per quarter note (the header's division). [any-thread]</summary>
    public int TicksPerQuarter { get; }

    /// <summary>The tracks added so far, in file order. [any-thread]</summary>
    public IReadOnlyList<MidiTrack> Tracks => _tracks;

    /// <summary>Appends a track named <paramref name="name"/> (meta event 0x03 at tick 0). [any-thread]</summary>
    public MidiTrack AddTrack(string name)
    {
        var track = new MidiTrack(name, TicksPerQuarter);
        _tracks.Add(track);
        return track;
    }

    /// <summary>The whole file: MThd (format 1, track count, division) then one MTrk per track.
    /// [any-thread]</summary>
    /// <exception cref="InvalidOperationException">No track, or more than 65535.</exception>
    public byte[] ToBytes()
    {
        if (_tracks.Count is 0 or > 0xFFFF)
        {
            throw new InvalidOperationException("A MIDI file needs 1 to 65535 tracks.");
        }

        var events = new MidiEventCollection(1, TicksPerQuarter);
        foreach (MidiTrack track in _tracks)
        {
            events.AddTrack(track.ToEvents());
        }

        using var stream = new MemoryStream();
        MidiFile.Export(stream, events);
        return stream.ToArray();
    }
}
