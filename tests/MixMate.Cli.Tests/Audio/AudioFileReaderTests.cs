using System.Buffers.Binary;
using MixMate.Cli.Audio;
using MixMate.Cli.CommandLine;
using MixMate.Cli.Tests.Support;
using MixMate.Dsp;
using MixMate.TestSupport;
using Xunit;

namespace MixMate.Cli.Tests.Audio;

public sealed class AudioFileReaderTests
{
    [Fact]
    public void Pcm16_is_read_exactly_and_normalised_to_plus_minus_one()
    {
        // Every 16-bit code k must come back as k / 32768 (libsndfile's normalisation).
        short[] codes = [0, 1, -1, 16384, -16384, short.MaxValue, short.MinValue, 12345, -23456];
        byte[] data = new byte[codes.Length * 2];
        for (int i = 0; i < codes.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(data.AsSpan(i * 2), codes[i]);
        }

        string path = TestFolder.PathFor("codes16.wav");
        File.WriteAllBytes(path, TestAudio.HandMadeWav(1, 48000, 16, data));

        using AudioFileReader reader = AudioFileReader.Open(path);
        Assert.Equal(48000, reader.SampleRate);
        Assert.Equal(1, reader.Channels);
        Assert.Equal(codes.Length, reader.Frames);
        Assert.Contains("WAV", reader.FormatName, StringComparison.Ordinal);
        Assert.Contains("16 bit", reader.FormatName, StringComparison.Ordinal);

        float[] samples = new float[16];
        int read = reader.Read(new AudioBlock(samples, 1, 16, 16));
        Assert.Equal(codes.Length, read);
        for (int i = 0; i < codes.Length; i++)
        {
            Assert.Equal(codes[i] / 32768f, samples[i]);
        }

        Assert.Equal(0, reader.Read(new AudioBlock(samples, 1, 16, 16)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4095)]
    [InlineData(4096)]
    [InlineData(10_000)]
    public void Reading_in_blocks_of_any_size_deinterleaves_the_same_samples(int blockFrames)
    {
        PlanarBuffer expected = ThreeChannelRamp(30_011);
        string path = TestAudio.WriteWav(TestFolder.PathFor($"ramp-{blockFrames}.wav"), expected);

        using AudioFileReader reader = AudioFileReader.Open(path);
        var actual = new PlanarBuffer(3, expected.Frames, expected.SampleRate);
        int position = 0;
        while (true)
        {
            int frames = Math.Min(blockFrames, actual.Frames - position);
            int read = frames == 0 ? 0 : reader.Read(actual.Slice(position, frames));
            if (read == 0)
            {
                break;
            }

            position += read;
        }

        Assert.Equal(expected.Frames, position);
        Assert.Equal(expected.Frames, reader.Position);
        for (int c = 0; c < 3; c++)
        {
            Tolerance.AssertAllClose(expected[c], actual[c], 0, $"channel {c}");
        }
    }

    [Fact]
    public void Float_files_are_not_clipped_on_read()
    {
        var buffer = new PlanarBuffer(2, 4, 44100);
        buffer[0][0] = 1.75f;
        buffer[1][3] = -3.5f;
        string path = TestAudio.WriteWav(TestFolder.PathFor("over.wav"), buffer);

        PlanarBuffer loaded = PlanarBuffer.Load(path);

        Assert.Equal(1.75f, loaded[0][0]);
        Assert.Equal(-3.5f, loaded[1][3]);
    }

    [Theory]
    [InlineData(nameof(TestAudio.Kind.WavPcm16), 1.0 / 32768)]
    [InlineData(nameof(TestAudio.Kind.WavPcm24), 1.0 / 8_388_608)]
    [InlineData(nameof(TestAudio.Kind.WavPcm32), 1e-7)]
    [InlineData(nameof(TestAudio.Kind.WavFloat32), 0)]
    [InlineData(nameof(TestAudio.Kind.WavFloat64), 0)]
    [InlineData(nameof(TestAudio.Kind.WavExtensible24), 1.0 / 8_388_608)]
    [InlineData(nameof(TestAudio.Kind.Flac16), 1.0 / 32768)]
    [InlineData(nameof(TestAudio.Kind.Flac24), 1.0 / 8_388_608)]
    [InlineData(nameof(TestAudio.Kind.Aiff24), 1.0 / 8_388_608)]
    public void Lossless_formats_round_trip_within_one_quantisation_step(string format, double step)
    {
        TestAudio.Kind kind = Enum.Parse<TestAudio.Kind>(format);
        PlanarBuffer expected = ThreeChannelRamp(5000);
        string path = TestAudio.Write(TestFolder.PathFor($"lossless-{kind}{TestAudio.Extension(kind)}"), expected, kind);

        PlanarBuffer actual = PlanarBuffer.Load(path);

        Assert.Equal(3, actual.Channels);
        Assert.Equal(expected.Frames, actual.Frames);
        Assert.Equal(expected.SampleRate, actual.SampleRate);
        Tolerance.AssertAllClose(expected.Samples, actual.Samples, step, kind.ToString());
    }

    [Theory]
    [InlineData(nameof(TestAudio.Kind.OggVorbis))]
    [InlineData(nameof(TestAudio.Kind.Mp3))]
    public void Lossy_formats_decode_to_the_declared_length_and_shape(string format)
    {
        TestAudio.Kind kind = Enum.Parse<TestAudio.Kind>(format);
        PlanarBuffer tone = TestSignals.Sine(1000, -6, 2.0, 44100, channels: 2);
        string path = TestAudio.Write(TestFolder.PathFor($"lossy-{kind}{TestAudio.Extension(kind)}"), tone, kind);

        using AudioFileReader reader = AudioFileReader.Open(path);
        PlanarBuffer decoded = PlanarBuffer.Load(path);

        Assert.Equal(2, decoded.Channels);
        Assert.Equal(44100, decoded.SampleRate);
        // Codecs pad to whole frames (MP3: 1152 samples plus encoder delay).
        Assert.InRange(decoded.Frames, tone.Frames - 2304, tone.Frames + 4608);
        Assert.InRange(reader.Frames, tone.Frames - 2304, tone.Frames + 4608);
        float peak = 0;
        foreach (float x in decoded.Samples)
        {
            peak = Math.Max(peak, Math.Abs(x));
        }

        Tolerance.AssertClose(0.5, peak, 0.05, $"{kind} peak");
    }

    [Theory]
    [InlineData(float.NaN, 12_345, "NaN")]
    [InlineData(float.PositiveInfinity, 0, "infinite")]
    [InlineData(float.NegativeInfinity, 47_999, "infinite")]
    public void A_non_finite_sample_is_an_error_naming_the_file_and_the_first_bad_frame(float bad, int frame, string word)
    {
        string path = TestFolder.PathFor($"bad-{word}-{frame}.wav");
        File.WriteAllBytes(path, TestAudio.FloatWavWith(bad, frame));

        var error = Assert.Throws<CliException>(() => PlanarBuffer.Load(path));

        Assert.StartsWith(path + ":", error.Message, StringComparison.Ordinal);
        Assert.Contains(word, error.Message, StringComparison.Ordinal);
        Assert.Contains($"frame {frame} ", error.Message, StringComparison.Ordinal);
        Assert.Contains("channel 2", error.Message, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.BadInput, error.ExitCode);
    }

    [Fact]
    public void A_block_with_the_wrong_channel_count_is_rejected()
    {
        string path = TestAudio.WriteWav(TestFolder.PathFor("shape.wav"), ThreeChannelRamp(10));
        using AudioFileReader reader = AudioFileReader.Open(path);

        Assert.Throws<ArgumentException>(() => reader.Read(new AudioBlock(new float[20], 2, 10, 10)));
    }

    [Fact]
    public void A_zero_frame_block_reads_nothing_and_keeps_the_position()
    {
        string path = TestAudio.WriteWav(TestFolder.PathFor("zero-block.wav"), ThreeChannelRamp(10));
        using AudioFileReader reader = AudioFileReader.Open(path);

        Assert.Equal(0, reader.Read(new AudioBlock([], 3, 0, 0)));
        Assert.Equal(0, reader.Position);
    }

    /// <summary>Three channels with distinct, exactly representable ramps, so a channel swap or an
    /// off-by-one in deinterleaving shows.</summary>
    private static PlanarBuffer ThreeChannelRamp(int frames)
    {
        var buffer = new PlanarBuffer(3, frames, 48000);
        for (int i = 0; i < frames; i++)
        {
            buffer[0][i] = ((i % 1000) - 500) / 1024f;
            buffer[1][i] = -((i % 777) - 388) / 512f;
            buffer[2][i] = (i % 2 == 0 ? 1 : -1) * (Spread(i) / 4096f);
        }

        return buffer;

        static int Spread(int i) => (i * 7) % 4000;
    }
}
