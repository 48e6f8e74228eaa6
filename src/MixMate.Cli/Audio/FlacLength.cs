using System.Buffers.Binary;

namespace MixMate.Cli.Audio;

/// <summary>
/// The length a FLAC file's audio frames really hold, read from the header of its last frame, to
/// compare with the total STREAMINFO declares (which libsndfile trusts: a STREAMINFO saying 1
/// sample makes a 2-second file decode as nothing). The last frame is found by scanning back from
/// the end for a frame header whose sync code, CRC-8 and stream parameters agree with STREAMINFO
/// and whose frame CRC-16 ends exactly at the end of the file, so a pattern inside compressed data
/// is never mistaken for it.
/// </summary>
/// <remarks>[any-thread] Reads at most the last few frames' worth of the file.</remarks>
internal static class FlacLength
{
    private const int StreamInfoLength = 34;

    /// <summary>What STREAMINFO declares and what the frames hold (null where it cannot tell:
    /// not a plain FLAC file, no verifiable last frame).</summary>
    public readonly record struct Lengths(long Declared, long? Frames);

    /// <summary>Reads <paramref name="path"/>; null if it is not a native FLAC stream.</summary>
    public static Lengths? Measure(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.RandomAccess);
        Span<byte> head = stackalloc byte[8 + StreamInfoLength];
        if (file.Length < head.Length || file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false) < head.Length
            || !head[..4].SequenceEqual("fLaC"u8) || (head[4] & 0x7F) != 0)
        {
            return null;
        }

        ReadOnlySpan<byte> info = head[8..];
        int maxBlock = BinaryPrimitives.ReadUInt16BigEndian(info[2..]);
        int maxFrame = (info[7] << 16) | (info[8] << 8) | info[9];
        int sampleRate = (info[10] << 12) | (info[11] << 4) | (info[12] >> 4);
        int channels = ((info[12] >> 1) & 0x7) + 1;
        int bits = (((info[12] & 1) << 4) | (info[13] >> 4)) + 1;
        long declared = ((long)(info[13] & 0xF) << 32) | BinaryPrimitives.ReadUInt32BigEndian(info[14..]);
        var stream = new StreamParameters(maxBlock, sampleRate, channels, bits);

        long length = file.Length;
        int window = (int)Math.Min(length, Math.Clamp((2L * Math.Max(maxFrame, 0)) + 1024, 64 * 1024, 16 * 1024 * 1024));
        var tail = new byte[window];
        file.Position = length - window;
        file.ReadExactly(tail);

        // An ID3v1 tag may follow the last frame.
        int end = window;
        if (window >= 128 + 16 && tail.AsSpan(window - 128, 3).SequenceEqual("TAG"u8))
        {
            end -= 128;
        }

        for (int start = end - 16; start >= 0; start--)
        {
            if (tail[start] != 0xFF || (tail[start + 1] & 0xFE) != 0xF8)
            {
                continue;
            }

            long? first = ParseHeader(tail.AsSpan(start, end - start), stream, out int blockSize);
            if (first is not null && Crc16(tail.AsSpan(start, end - start - 2)) == BinaryPrimitives.ReadUInt16BigEndian(tail.AsSpan(end - 2)))
            {
                return new Lengths(declared, first.Value + blockSize);
            }
        }

        return new Lengths(declared, null);
    }

    /// <summary>The first sample of the frame whose header starts <paramref name="frame"/>, or null
    /// when it is no valid header of this stream.</summary>
    private static long? ParseHeader(ReadOnlySpan<byte> frame, StreamParameters stream, out int blockSize)
    {
        blockSize = 0;
        if (frame.Length < 6)
        {
            return null;
        }

        bool variable = (frame[1] & 1) != 0;
        int sizeCode = frame[2] >> 4;
        int rateCode = frame[2] & 0xF;
        int channelCode = frame[3] >> 4;
        int bitsCode = (frame[3] >> 1) & 0x7;
        if (sizeCode == 0 || rateCode == 15 || channelCode > 10 || bitsCode == 3 || (frame[3] & 1) != 0)
        {
            return null;
        }

        int channels = channelCode <= 7 ? channelCode + 1 : 2;
        if (channels != stream.Channels)
        {
            return null;
        }

        int bits = bitsCode switch { 1 => 8, 2 => 12, 4 => 16, 5 => 20, 6 => 24, 7 => 32, _ => stream.Bits };
        if (bits != stream.Bits)
        {
            return null;
        }

        // UTF-8-style coded frame or sample number.
        int pos = 4;
        int lead = frame[pos];
        int extra = lead < 0x80 ? 0 : lead >= 0xFE ? 6 : lead >= 0xFC ? 5 : lead >= 0xF8 ? 4 : lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : -1;
        if (extra < 0 || frame.Length < pos + 1 + extra + 4)
        {
            return null;
        }

        long number = extra == 0 ? lead : lead & (0x3F >> extra);
        for (int k = 1; k <= extra; k++)
        {
            int b = frame[pos + k];
            if ((b & 0xC0) != 0x80)
            {
                return null;
            }

            number = (number << 6) | (uint)(b & 0x3F);
        }

        pos += 1 + extra;
        blockSize = sizeCode switch
        {
            1 => 192,
            >= 2 and <= 5 => 576 << (sizeCode - 2),
            6 => frame[pos++] + 1,
            7 => ((frame[pos++] << 8) | frame[pos++]) + 1,
            _ => 256 << (sizeCode - 8),
        };

        int rate = rateCode switch
        {
            12 => frame[pos++] * 1000,
            13 => (frame[pos++] << 8) | frame[pos++],
            14 => ((frame[pos++] << 8) | frame[pos++]) * 10,
            _ => RateOf(rateCode) ?? stream.SampleRate,
        };
        if (rate != stream.SampleRate || blockSize > Math.Max(stream.MaxBlock, 16))
        {
            return null;
        }

        if (Crc8(frame[..pos]) != frame[pos])
        {
            return null;
        }

        return variable ? number : number * stream.MaxBlock;
    }

    private static int? RateOf(int code) => code switch
    {
        1 => 88200,
        2 => 176400,
        3 => 192000,
        4 => 8000,
        5 => 16000,
        6 => 22050,
        7 => 24000,
        8 => 32000,
        9 => 44100,
        10 => 48000,
        11 => 96000,
        _ => null,
    };

    private static byte Crc8(ReadOnlySpan<byte> data)
    {
        int crc = 0;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int i = 0; i < 8; i++)
            {
                crc = (crc & 0x80) != 0 ? ((crc << 1) ^ 0x07) & 0xFF : (crc << 1) & 0xFF;
            }
        }

        return (byte)crc;
    }

    private static ushort Crc16(ReadOnlySpan<byte> data)
    {
        int crc = 0;
        foreach (byte b in data)
        {
            crc ^= b << 8;
            for (int i = 0; i < 8; i++)
            {
                crc = (crc & 0x8000) != 0 ? ((crc << 1) ^ 0x8005) & 0xFFFF : (crc << 1) & 0xFFFF;
            }
        }

        return (ushort)crc;
    }

    private readonly record struct StreamParameters(int MaxBlock, int SampleRate, int Channels, int Bits);
}
