using System.Buffers.Binary;
using MixMate.Cli.Audio;

namespace MixMate.Cli.Tests.Support;

/// <summary>Writes test files: good ones in every container MixMate reads, and broken ones.</summary>
internal static class TestAudio
{
    /// <summary>Containers and encodings the reader must handle.</summary>
    public enum Kind
    {
        WavPcm16,
        WavPcm24,
        WavPcm32,
        WavFloat32,
        WavFloat64,
        WavExtensible24,
        Flac16,
        Flac24,
        Aiff24,
        OggVorbis,
        Mp3,
    }

    public static string Extension(Kind kind) => kind switch
    {
        Kind.Flac16 or Kind.Flac24 => ".flac",
        Kind.Aiff24 => ".aiff",
        Kind.OggVorbis => ".ogg",
        Kind.Mp3 => ".mp3",
        _ => ".wav",
    };

    /// <summary>The libsndfile format word for a kind.</summary>
    public static int Format(Kind kind) => kind switch
    {
        Kind.WavPcm16 => SndFile.FormatWav | SndFile.FormatPcm16,
        Kind.WavPcm24 => SndFile.FormatWav | SndFile.FormatPcm24,
        Kind.WavPcm32 => SndFile.FormatWav | SndFile.FormatPcm32,
        Kind.WavFloat32 => SndFile.FormatWav | SndFile.FormatFloat,
        Kind.WavFloat64 => SndFile.FormatWav | SndFile.FormatDouble,
        Kind.WavExtensible24 => SndFile.FormatWavex | SndFile.FormatPcm24,
        Kind.Flac16 => SndFile.FormatFlac | SndFile.FormatPcm16,
        Kind.Flac24 => SndFile.FormatFlac | SndFile.FormatPcm24,
        Kind.Aiff24 => SndFile.FormatAiff | SndFile.FormatPcm24,
        Kind.OggVorbis => SndFile.FormatOgg | SndFile.FormatVorbis,
        Kind.Mp3 => SndFile.FormatMpeg | SndFile.FormatMpegLayer3,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>Writes <paramref name="buffer"/> to <paramref name="path"/> as <paramref name="kind"/>.</summary>
    public static string Write(string path, PlanarBuffer buffer, Kind kind)
    {
        using AudioFileWriter writer = AudioFileWriter.CreateWithFormat(path, (int)buffer.SampleRate, buffer.Channels, Format(kind));
        writer.Write(buffer.Block);
        writer.Close();
        return path;
    }

    /// <summary>Writes a float WAV.</summary>
    public static string WriteWav(string path, PlanarBuffer buffer) => Write(path, buffer, Kind.WavFloat32);

    /// <summary>A canonical 44-byte-header PCM WAV written byte by byte (RIFF/WAVE, "fmt " of 16
    /// bytes, "data"), so tests can falsify any field.</summary>
    public static byte[] HandMadeWav(int channels, int sampleRate, int bitsPerSample, ReadOnlySpan<byte> data, uint? declaredDataBytes = null, ushort formatTag = 1)
    {
        byte[] file = new byte[44 + data.Length];
        Span<byte> s = file;
        "RIFF"u8.CopyTo(s);
        BinaryPrimitives.WriteUInt32LittleEndian(s[4..], (uint)(36 + data.Length));
        "WAVE"u8.CopyTo(s[8..]);
        "fmt "u8.CopyTo(s[12..]);
        BinaryPrimitives.WriteUInt32LittleEndian(s[16..], 16);
        BinaryPrimitives.WriteUInt16LittleEndian(s[20..], formatTag);
        BinaryPrimitives.WriteUInt16LittleEndian(s[22..], (ushort)channels);
        BinaryPrimitives.WriteUInt32LittleEndian(s[24..], (uint)sampleRate);
        int blockAlign = channels * bitsPerSample / 8;
        BinaryPrimitives.WriteUInt32LittleEndian(s[28..], (uint)(sampleRate * blockAlign));
        BinaryPrimitives.WriteUInt16LittleEndian(s[32..], (ushort)blockAlign);
        BinaryPrimitives.WriteUInt16LittleEndian(s[34..], (ushort)bitsPerSample);
        "data"u8.CopyTo(s[36..]);
        BinaryPrimitives.WriteUInt32LittleEndian(s[40..], declaredDataBytes ?? (uint)data.Length);
        data.CopyTo(s[44..]);
        return file;
    }

    /// <summary>16-bit PCM bytes of a 1 kHz tone at −6 dBFS.</summary>
    public static byte[] Pcm16Tone(int channels, int sampleRate, int frames)
    {
        byte[] data = new byte[frames * channels * 2];
        for (int i = 0; i < frames; i++)
        {
            short x = (short)Math.Round(16384 * Math.Sin(2 * Math.PI * 1000 * i / sampleRate));
            for (int c = 0; c < channels; c++)
            {
                BinaryPrimitives.WriteInt16LittleEndian(data.AsSpan(((i * channels) + c) * 2), x);
            }
        }

        return data;
    }

    /// <summary>A float WAV whose sample at <paramref name="badFrame"/> (channel 2) is <paramref name="bad"/>.</summary>
    public static byte[] FloatWavWith(float bad, int badFrame, int frames = 48000, int sampleRate = 48000)
    {
        const int Channels = 2;
        byte[] data = new byte[frames * Channels * 4];
        for (int i = 0; i < frames; i++)
        {
            float x = (float)(0.25 * Math.Sin(2 * Math.PI * 440 * i / sampleRate));
            BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(i * Channels * 4), x);
            BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan((i * Channels * 4) + 4), i == badFrame ? bad : x);
        }

        return HandMadeWav(Channels, sampleRate, 32, data, formatTag: 3);
    }
}
