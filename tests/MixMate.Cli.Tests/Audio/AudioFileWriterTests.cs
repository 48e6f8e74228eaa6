using MixMate.Cli.Audio;
using MixMate.Cli.Tests.Support;
using MixMate.TestSupport;
using Xunit;

namespace MixMate.Cli.Tests.Audio;

public sealed class AudioFileWriterTests
{
    [Theory]
    [InlineData(nameof(SampleFormat.Pcm16), 1, "16 bit")]
    [InlineData(nameof(SampleFormat.Pcm24), 2, "24 bit")]
    [InlineData(nameof(SampleFormat.Float32), 2, "32 bit float")]
    [InlineData(nameof(SampleFormat.Pcm24), 6, "24 bit")]
    public void Writes_wav_in_the_requested_encoding(string encodingName, int channels, string encoding)
    {
        SampleFormat format = Enum.Parse<SampleFormat>(encodingName);
        PlanarBuffer signal = TestSignals.PinkNoise(-20, 0.5, 96000, channels, seed: 3);
        string path = TestFolder.PathFor($"write-{format}-{channels}.wav");

        signal.Save(path, format);

        using AudioFileReader reader = AudioFileReader.Open(path);
        Assert.Equal(96000, reader.SampleRate);
        Assert.Equal(channels, reader.Channels);
        Assert.Equal(signal.Frames, reader.Frames);
        Assert.Contains(encoding, reader.FormatName, StringComparison.OrdinalIgnoreCase);
        // More than two channels need WAVE_FORMAT_EXTENSIBLE to carry a channel mask.
        Assert.Equal(channels > 2 ? SndFile.FormatWavex : SndFile.FormatWav, reader.Format & SndFile.TypeMask);
    }

    [Theory]
    [InlineData(nameof(SampleFormat.Pcm16), 32767.0 / 32768)]
    [InlineData(nameof(SampleFormat.Pcm24), 8388607.0 / 8388608)]
    public void Integer_formats_clip_instead_of_wrapping(string encodingName, double fullScale)
    {
        SampleFormat format = Enum.Parse<SampleFormat>(encodingName);
        var buffer = new PlanarBuffer(1, 4, 48000);
        buffer[0][0] = 1.0f;
        buffer[0][1] = 1.5f;
        buffer[0][2] = -1.0f;
        buffer[0][3] = -2.0f;
        string path = TestFolder.PathFor($"clip-{format}.wav");

        buffer.Save(path, format);
        PlanarBuffer back = PlanarBuffer.Load(path);

        Tolerance.AssertClose(fullScale, back[0][0], 1e-9, "+1.0");
        Tolerance.AssertClose(fullScale, back[0][1], 1e-9, "+1.5");
        Tolerance.AssertClose(-1.0, back[0][2], 1e-9, "-1.0");
        Tolerance.AssertClose(-1.0, back[0][3], 1e-9, "-2.0");
    }

    [Fact]
    public void Float32_keeps_every_sample_exactly()
    {
        PlanarBuffer signal = TestSignals.PinkNoise(-3, 0.25, 44100, 2, seed: 11).Gain(6);
        string path = TestFolder.PathFor("exact-float.wav");

        signal.Save(path, SampleFormat.Float32);

        Tolerance.AssertAllClose(signal.Samples, PlanarBuffer.Load(path).Samples, 0);
    }

    [Fact]
    public void Writing_in_several_blocks_equals_writing_at_once()
    {
        PlanarBuffer signal = TestSignals.PinkNoise(-12, 0.3, 48000, 2, seed: 5);
        string path = TestFolder.PathFor("blocks.wav");

        using (AudioFileWriter writer = AudioFileWriter.Create(path, 48000, 2, SampleFormat.Float32))
        {
            int[] sizes = [0, 1, 4095, 4097, 10];
            int position = 0;
            foreach (int size in sizes)
            {
                writer.Write(signal.Slice(position, size));
                position += size;
            }

            writer.Write(signal.Slice(position, signal.Frames - position));
            Assert.Equal(signal.Frames, writer.FramesWritten);
            writer.Close();
        }

        Tolerance.AssertAllClose(signal.Samples, PlanarBuffer.Load(path).Samples, 0);
    }

    [Fact]
    public void A_non_finite_sample_is_never_written()
    {
        var buffer = new PlanarBuffer(2, 100, 48000);
        buffer[1][42] = float.NaN;
        string path = TestFolder.PathFor("nan-out.wav");
        using AudioFileWriter writer = AudioFileWriter.Create(path, 48000, 2, SampleFormat.Pcm24);

        var error = Assert.Throws<InvalidOperationException>(() => writer.Write(buffer.Block));

        Assert.Contains("frame 42, channel 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Creating_in_a_missing_folder_names_the_file()
    {
        string path = Path.Combine(TestFolder.Root, "no-such-folder", "out.wav");

        var error = Assert.Throws<MixMate.Cli.CommandLine.CliException>(() => AudioFileWriter.Create(path, 48000, 2, SampleFormat.Pcm16));

        Assert.StartsWith(path + ": cannot create", error.Message, StringComparison.Ordinal);
    }
}
