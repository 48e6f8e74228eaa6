namespace MixMate.MixEval;

/// <summary>A one-track Standard MIDI File (format 0) built from absolute-tick events.</summary>
internal sealed class Smf
{
    public const int TicksPerQuarter = 480;

    private readonly List<(long Tick, int Order, byte[] Bytes)> _events = [];
    private long _end;

    public Smf(double bpm)
    {
        int micros = (int)Math.Round(60_000_000 / bpm);
        _events.Add((0, 0, [0xFF, 0x51, 3, (byte)(micros >> 16), (byte)(micros >> 8), (byte)micros]));
    }

    public void Setup(int channel, int program, int pan, int reverb)
    {
        _events.Add((0, 0, [(byte)(0xC0 | channel), (byte)program]));
        _events.Add((0, 0, [(byte)(0xB0 | channel), 7, 100]));
        _events.Add((0, 0, [(byte)(0xB0 | channel), 10, (byte)pan]));
        _events.Add((0, 0, [(byte)(0xB0 | channel), 91, (byte)reverb]));
        _events.Add((0, 0, [(byte)(0xB0 | channel), 93, 0]));
    }

    /// <summary>A note at <paramref name="beat"/> (quarter notes from the start) lasting <paramref name="beats"/>.</summary>
    public void Note(int channel, double beat, double beats, int key, int velocity)
    {
        long on = (long)Math.Round(beat * TicksPerQuarter);
        long off = on + Math.Max(1, (long)Math.Round(beats * TicksPerQuarter));
        key = Math.Clamp(key, 0, 127);
        velocity = Math.Clamp(velocity, 1, 127);
        _events.Add((on, 2, [(byte)(0x90 | channel), (byte)key, (byte)velocity]));
        _events.Add((off, 1, [(byte)(0x80 | channel), (byte)key, 64]));
        _end = Math.Max(_end, off);
    }

    public void EndAt(double beat) => _end = Math.Max(_end, (long)Math.Round(beat * TicksPerQuarter));

    public byte[] ToBytes()
    {
        var body = new List<byte>();
        long previous = 0;
        foreach ((long tick, _, byte[] bytes) in _events.OrderBy(e => e.Tick).ThenBy(e => e.Order))
        {
            Vlq(body, tick - previous);
            body.AddRange(bytes);
            previous = tick;
        }

        Vlq(body, Math.Max(0, _end - previous));
        body.AddRange([0xFF, 0x2F, 0x00]);
        var file = new List<byte>();
        file.AddRange("MThd"u8.ToArray());
        file.AddRange([0, 0, 0, 6, 0, 0, 0, 1, TicksPerQuarter >> 8, TicksPerQuarter & 0xFF]);
        file.AddRange("MTrk"u8.ToArray());
        file.AddRange([(byte)(body.Count >> 24), (byte)(body.Count >> 16), (byte)(body.Count >> 8), (byte)body.Count]);
        file.AddRange(body);
        return [.. file];
    }

    private static void Vlq(List<byte> output, long value)
    {
        Span<byte> scratch = stackalloc byte[5];
        int n = 0;
        do
        {
            scratch[n++] = (byte)(value & 0x7F);
            value >>= 7;
        }
        while (value > 0);

        for (int i = n - 1; i >= 0; i--)
        {
            output.Add((byte)(scratch[i] | (i > 0 ? 0x80 : 0)));
        }
    }
}
