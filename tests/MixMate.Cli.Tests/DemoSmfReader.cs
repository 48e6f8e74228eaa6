using Xunit;

namespace MixMate.Cli.Tests.Demo;

/// <summary>
/// An independent, strict Standard MIDI File parser for the tests (SMF 1.0): checks chunk lengths,
/// running status, variable-length quantities and that every track ends with FF 2F 00 exactly at
/// its chunk's end; pairs note-ons with note-offs.
/// </summary>
internal static class DemoSmfReader
{
    public static SmfFile Parse(byte[] data)
    {
        int position = 0;
        Expect(data, ref position, "MThd");
        int headerLength = ReadInt32(data, ref position);
        Assert.Equal(6, headerLength);
        int format = ReadInt16(data, ref position);
        int trackCount = ReadInt16(data, ref position);
        int division = ReadInt16(data, ref position);
        Assert.True((division & 0x8000) == 0, "metrical time division expected");

        var tracks = new List<SmfTrack>();
        for (int t = 0; t < trackCount; t++)
        {
            Expect(data, ref position, "MTrk");
            int length = ReadInt32(data, ref position);
            int end = position + length;
            Assert.True(end <= data.Length, $"track {t} chunk length {length} runs past the file end");
            tracks.Add(ParseTrack(data, ref position, end, t));
            Assert.Equal(end, position);
        }

        Assert.Equal(data.Length, position);
        return new SmfFile(format, division, tracks);
    }

    public static long ReadVariableLength(byte[] data, ref int position)
    {
        long value = 0;
        for (int i = 0; i < 4; i++)
        {
            byte b = data[position++];
            value = (value << 7) | (uint)(b & 0x7F);
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        throw new InvalidDataException("variable-length quantity longer than 4 bytes");
    }

    private static SmfTrack ParseTrack(byte[] data, ref int position, int end, int index)
    {
        var notes = new List<SmfNote>();
        var open = new Dictionary<(int Channel, int Key), Queue<(long Tick, int Velocity)>>();
        var programs = new List<(long Tick, int Channel, int Program)>();
        var controls = new List<(long Tick, int Channel, int Controller, int Value)>();
        var tempos = new List<(long Tick, int MicrosPerQuarter)>();
        string? name = null;
        long tick = 0;
        int status = 0;
        long? endOfTrack = null;
        while (position < end)
        {
            Assert.Null(endOfTrack);
            tick += ReadVariableLength(data, ref position);
            byte first = data[position];
            if (first >= 0x80)
            {
                status = first;
                position++;
            }
            else
            {
                Assert.True(status is >= 0x80 and < 0xF0, $"track {index}: data byte without running status");
            }

            if (status == 0xFF)
            {
                byte type = data[position++];
                int length = (int)ReadVariableLength(data, ref position);
                byte[] payload = data[position..(position + length)];
                position += length;
                switch (type)
                {
                    case 0x03:
                        name = System.Text.Encoding.ASCII.GetString(payload);
                        break;
                    case 0x51:
                        Assert.Equal(3, length);
                        tempos.Add((tick, (payload[0] << 16) | (payload[1] << 8) | payload[2]));
                        break;
                    case 0x2F:
                        Assert.Equal(0, length);
                        endOfTrack = tick;
                        break;
                }

                status = 0;
                continue;
            }

            Assert.True(status is >= 0x80 and < 0xF0, $"track {index}: unsupported status {status:X2}");
            int channel = status & 0x0F;
            int kind = status & 0xF0;
            int data1 = data[position++];
            Assert.True(data1 < 0x80);
            int data2 = 0;
            if (kind is not (0xC0 or 0xD0))
            {
                data2 = data[position++];
                Assert.True(data2 < 0x80);
            }

            if (kind == 0x90 && data2 > 0)
            {
                if (!open.TryGetValue((channel, data1), out Queue<(long, int)>? queue))
                {
                    open[(channel, data1)] = queue = new Queue<(long, int)>();
                }

                queue.Enqueue((tick, data2));
            }
            else if (kind == 0x80 || kind == 0x90)
            {
                Assert.True(open.TryGetValue((channel, data1), out Queue<(long Tick, int Velocity)>? queue) && queue.Count > 0,
                    $"track {index}: note-off without note-on (channel {channel}, key {data1}, tick {tick})");
                (long start, int velocity) = queue.Dequeue();
                notes.Add(new SmfNote(channel, data1, velocity, start, tick));
            }
            else if (kind == 0xC0)
            {
                programs.Add((tick, channel, data1));
            }
            else if (kind == 0xB0)
            {
                controls.Add((tick, channel, data1, data2));
            }
        }

        Assert.True(endOfTrack.HasValue, $"track {index} has no end-of-track event");
        Assert.All(open.Values, q => Assert.Empty(q));
        return new SmfTrack(name, notes, programs, controls, tempos, endOfTrack.Value);
    }

    private static void Expect(byte[] data, ref int position, string tag)
    {
        Assert.Equal(tag, System.Text.Encoding.ASCII.GetString(data, position, 4));
        position += 4;
    }

    private static int ReadInt32(byte[] data, ref int position)
    {
        int value = (data[position] << 24) | (data[position + 1] << 16) | (data[position + 2] << 8) | data[position + 3];
        position += 4;
        return value;
    }

    private static int ReadInt16(byte[] data, ref int position)
    {
        int value = (data[position] << 8) | data[position + 1];
        position += 2;
        return value;
    }
}

internal sealed record SmfFile(int Format, int Division, IReadOnlyList<SmfTrack> Tracks);

internal sealed record SmfTrack(
    string? Name,
    IReadOnlyList<SmfNote> Notes,
    IReadOnlyList<(long Tick, int Channel, int Program)> Programs,
    IReadOnlyList<(long Tick, int Channel, int Controller, int Value)> Controls,
    IReadOnlyList<(long Tick, int MicrosPerQuarter)> Tempos,
    long EndTick);

internal sealed record SmfNote(int Channel, int Key, int Velocity, long Start, long End);
