namespace MixMate.TestSupport;

/// <summary>
/// Writes Standard MIDI Files (format 1, Standard MIDI File 1.0 specification), enough to compose
/// test music that FluidSynth renders: tempo, program changes, controllers and notes.
/// </summary>
public sealed class MidiFile
{
    private readonly List<Track> _tracks = [];

    public MidiFile(int ticksPerQuarter = 480)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ticksPerQuarter, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ticksPerQuarter, 0x7FFF);
        TicksPerQuarter = ticksPerQuarter;
    }

    public int TicksPerQuarter { get; }

    /// <summary>Adds an empty track.</summary>
    public Track AddTrack()
    {
        var track = new Track();
        _tracks.Add(track);
        return track;
    }

    /// <summary>The file's bytes: header chunk "MThd", then one "MTrk" chunk per track.</summary>
    public byte[] ToBytes()
    {
        using var stream = new MemoryStream();
        stream.Write("MThd"u8);
        WriteBigEndian(stream, 6, 4);
        WriteBigEndian(stream, 1, 2);
        WriteBigEndian(stream, _tracks.Count, 2);
        WriteBigEndian(stream, TicksPerQuarter, 2);
        foreach (Track track in _tracks)
        {
            byte[] body = track.Encode();
            stream.Write("MTrk"u8);
            WriteBigEndian(stream, body.Length, 4);
            stream.Write(body);
        }

        return stream.ToArray();
    }

    public void Save(string path) => File.WriteAllBytes(path, ToBytes());

    private static void WriteBigEndian(Stream stream, int value, int bytes)
    {
        for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8)
        {
            stream.WriteByte((byte)(value >> shift));
        }
    }

    /// <summary>One track: events at absolute tick positions, sorted when encoded.</summary>
    public sealed class Track
    {
        private readonly List<(long Tick, int Order, int Sequence, byte[] Data)> _events = [];

        /// <summary>Tempo meta event (FF 51 03, microseconds per quarter note).</summary>
        public Track Tempo(long tick, double beatsPerMinute)
        {
            int microseconds = (int)Math.Round(60_000_000 / beatsPerMinute);
            return Add(tick, 0, [0xFF, 0x51, 0x03, (byte)(microseconds >> 16), (byte)(microseconds >> 8), (byte)microseconds]);
        }

        /// <summary>Program change (Cn pp); program is the 0-based General MIDI number.</summary>
        public Track Program(long tick, int channel, int program) =>
            Add(tick, 1, [(byte)(0xC0 | Channel(channel)), DataByte(program)]);

        /// <summary>Control change (Bn cc vv), e.g. 7 volume, 10 pan, 91 reverb.</summary>
        public Track Controller(long tick, int channel, int controller, int value) =>
            Add(tick, 1, [(byte)(0xB0 | Channel(channel)), DataByte(controller), DataByte(value)]);

        /// <summary>A note: note-on at <paramref name="tick"/>, note-off <paramref name="duration"/> ticks later.</summary>
        public Track Note(long tick, int channel, int key, int velocity, long duration)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(duration, 1);
            ArgumentOutOfRangeException.ThrowIfLessThan(velocity, 1);
            Add(tick, 3, [(byte)(0x90 | Channel(channel)), DataByte(key), DataByte(velocity)]);
            // Note-offs sort before note-ons at the same tick, so repeated notes retrigger.
            return Add(tick + duration, 2, [(byte)(0x80 | Channel(channel)), DataByte(key), 0]);
        }

        internal byte[] Encode()
        {
            using var stream = new MemoryStream();
            long previous = 0;
            foreach (var e in _events.OrderBy(e => e.Tick).ThenBy(e => e.Order).ThenBy(e => e.Sequence))
            {
                WriteVariableLength(stream, e.Tick - previous);
                stream.Write(e.Data);
                previous = e.Tick;
            }

            WriteVariableLength(stream, 0);
            stream.Write([0xFF, 0x2F, 0x00]); // End of track.
            return stream.ToArray();
        }

        private Track Add(long tick, int order, byte[] data)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(tick);
            _events.Add((tick, order, _events.Count, data));
            return this;
        }

        private static int Channel(int channel)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(channel);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(channel, 15);
            return channel;
        }

        private static byte DataByte(int value)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 127);
            return (byte)value;
        }

        // Delta times are big-endian base-128 with the top bit set on all but the last byte.
        private static void WriteVariableLength(Stream stream, long value)
        {
            Span<byte> buffer = stackalloc byte[5];
            int count = 0;
            buffer[count++] = (byte)(value & 0x7F);
            while ((value >>= 7) > 0)
            {
                buffer[count++] = (byte)(0x80 | (value & 0x7F));
            }

            while (count > 0)
            {
                stream.WriteByte(buffer[--count]);
            }
        }
    }
}
