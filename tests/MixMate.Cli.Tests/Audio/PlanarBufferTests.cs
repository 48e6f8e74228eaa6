using MixMate.Cli.Audio;
using MixMate.Cli.Tests.Support;
using Xunit;

namespace MixMate.Cli.Tests.Audio;

public sealed class PlanarBufferTests
{
    [Fact]
    public void Channels_are_stored_one_after_the_other()
    {
        var buffer = new PlanarBuffer(3, 5, 48000);
        buffer[1][2] = 0.5f;
        buffer.Block[2][4] = -0.25f;

        Assert.Equal(15, buffer.Samples.Length);
        Assert.Equal(0.5f, buffer.Samples[(1 * 5) + 2]);
        Assert.Equal(-0.25f, buffer.Samples[(2 * 5) + 4]);
        Assert.Equal(5, buffer.Block.Stride);
    }

    [Fact]
    public void Slice_views_the_same_samples()
    {
        var buffer = new PlanarBuffer(2, 100, 44100);
        var slice = buffer.Slice(10, 20);
        slice[1][0] = 1f;

        Assert.Equal(20, slice.Frames);
        Assert.Equal(1f, buffer[1][10]);
    }

    [Fact]
    public void Load_gives_what_the_streaming_reader_gives()
    {
        PlanarBuffer signal = TestSignals.Sweep(20, 20000, -3, 1.0, 48000, channels: 2);
        string path = TestAudio.Write(TestFolder.PathFor("load.flac"), signal, TestAudio.Kind.Flac24);

        PlanarBuffer loaded = PlanarBuffer.Load(path);
        using AudioFileReader reader = AudioFileReader.Open(path);
        var streamed = new PlanarBuffer(2, (int)reader.Frames, reader.SampleRate);
        Assert.Equal(streamed.Frames, reader.Read(streamed.Block));

        Assert.Equal(48000, loaded.Frames);
        Assert.Equal(1.0, loaded.DurationSeconds);
        Assert.Equal(streamed.Samples, loaded.Samples);
    }

    [Fact]
    public void Sizes_beyond_the_limit_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PlanarBuffer(2, (int)(PlanarBuffer.MaxSamples / 2) + 1, 48000));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PlanarBuffer(0, 10, 48000));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PlanarBuffer(1, 10, 0));
    }
}
