using MixMate.Assistant.Eq;
using MixMate.Cli.Audio;
using MixMate.Cli.Commands;
using MixMate.Cli.Tests.Support;
using MixMate.Dsp;
using MixMate.Dsp.Filters;
using Xunit;

namespace MixMate.Cli.Tests.Mix;

/// <summary>
/// The shortcuts <c>mixmate mix</c> takes for speed give what the general paths give: the fixed
/// stem EQ (<see cref="FixedEq"/>) equals <see cref="ParametricEq"/> bit for bit, a reused load buffer equals a fresh load,
/// and the streamed stem source equals reading and equalising the whole file.
/// </summary>
public sealed class MixSpeedPathTests
{
    private const double Rate = 48000;

    private static readonly EqMove[] s_cuts =
    [
        new(FilterType.Peak, 63, -3, 1.4, "low end"),
        new(FilterType.Peak, 315, -2.2, 1.4, "low mids"),
        new(FilterType.Peak, 2500, -1.1, 1.4, "presence"),
    ];

    /// <summary>Music-like material with digital silence in the middle (the filters ring down into
    /// the state flush) and a loud end.</summary>
    private static PlanarBuffer Material(int channels)
    {
        PlanarBuffer noise = TestSignals.PinkNoise(-18, 1.0, Rate, channels, seed: 7);
        PlanarBuffer sweep = TestSignals.Sweep(30, 12000, -6, 1.0, Rate, channels);
        var result = new PlanarBuffer(channels, noise.Frames + 48000 + sweep.Frames, Rate);
        for (int c = 0; c < channels; c++)
        {
            noise[c].CopyTo(result[c]);
            sweep[c].CopyTo(result[c][(noise.Frames + 48000)..]);
        }

        return result;
    }

    private static PlanarBuffer ThroughParametricEq(PlanarBuffer source, IReadOnlyList<EqMove> moves, int blockFrames)
    {
        var eq = new ParametricEq(moves.Count);
        for (int b = 0; b < moves.Count; b++)
        {
            eq.SetBand(b, new EqBand(true, moves[b].Type, moves[b].FrequencyHz, moves[b].GainDb, moves[b].Q));
        }

        eq.Configure(Rate, source.Channels, blockFrames);
        return Blockwise(source, blockFrames, eq.Process);
    }

    /// <summary>The EQ a stem's cuts run through in the mix (<see cref="MixStemSource"/>).</summary>
    private static FixedEq Fixed(IReadOnlyList<EqMove> moves, int channels)
    {
        var eq = new FixedEq(moves.Count);
        eq.Configure(Rate, channels, 65536);
        eq.SetBands([.. moves.Select(m => m.ToBand())]);
        return eq;
    }

    private static PlanarBuffer Blockwise(PlanarBuffer source, int blockFrames, Action<AudioBlock> process)
    {
        var copy = new PlanarBuffer(source.Channels, source.Frames, Rate);
        source.Samples.CopyTo(copy.Samples, 0);
        for (int start = 0; start < copy.Frames; start += blockFrames)
        {
            process(copy.Slice(start, Math.Min(blockFrames, copy.Frames - start)));
        }

        return copy;
    }

    [Theory]
    [InlineData(1, 65536)]
    [InlineData(2, 65536)]
    [InlineData(2, 4096)]
    [InlineData(1, 4096)]
    public void The_mix_equalizer_equals_a_settled_parametric_eq_bit_for_bit(int channels, int blockFrames)
    {
        PlanarBuffer source = Material(channels);
        PlanarBuffer expected = ThroughParametricEq(source, s_cuts, blockFrames);
        var equalizer = Fixed(s_cuts, channels);
        PlanarBuffer actual = Blockwise(source, blockFrames, equalizer.Process);

        Assert.Equal(3, equalizer.SectionCount);
        Assert.Equal(expected.Samples, actual.Samples);

        // The cuts did something: the output is not the input.
        Assert.NotEqual(source.Samples, actual.Samples);
    }

    [Fact]
    public void Two_section_filters_shelves_and_out_of_range_settings_match_too()
    {
        EqMove[] moves =
        [
            new(FilterType.HighPass12, 40, 0, 0.7071, "rumble"),
            new(FilterType.LowShelf, 120, 2, 0.7, "warmth"),
            new(FilterType.HighShelf, 9000, -1.5, 0.7, "air"),
            new(FilterType.Peak, 30000, -50, 400, "beyond Nyquist, gain and Q clamped"),
            new(FilterType.LowPass12, 18000, 0, 0.7071, "top"),
        ];
        PlanarBuffer source = Material(2);
        PlanarBuffer expected = ThroughParametricEq(source, moves, 1000);
        var equalizer = Fixed(moves, 2);
        PlanarBuffer actual = Blockwise(source, 1000, equalizer.Process);

        Assert.Equal(moves.Length, equalizer.SectionCount);
        Assert.Equal(expected.Samples, actual.Samples);
    }

    [Fact]
    public void Blocks_of_any_size_including_zero_give_the_same_output()
    {
        PlanarBuffer source = Material(2);
        var whole = Fixed(s_cuts, 2);
        PlanarBuffer expected = Blockwise(source, source.Frames, whole.Process);

        var pieces = Fixed(s_cuts, 2);
        var copy = new PlanarBuffer(2, source.Frames, Rate);
        source.Samples.CopyTo(copy.Samples, 0);
        int[] sizes = [0, 1, 31, 32, 33, 0, 500, 4096, 7];
        int start = 0;
        for (int i = 0; start < copy.Frames; i++)
        {
            int frames = Math.Min(sizes[i % sizes.Length], copy.Frames - start);
            pieces.Process(copy.Slice(start, frames));
            start += frames;
        }

        Assert.Equal(expected.Samples, copy.Samples);
    }

    [Fact]
    public void Silence_stays_silent_and_output_is_finite_and_normal()
    {
        var silence = new PlanarBuffer(2, 48000, Rate);
        var equalizer = Fixed(s_cuts, 2);
        equalizer.Process(silence.Block);
        Assert.All(silence.Samples, x => Assert.Equal(0f, x));

        PlanarBuffer source = Material(2);
        equalizer.Process(source.Block);
        Assert.All(source.Samples, x => Assert.True(float.IsFinite(x) && (x == 0 || Math.Abs(x) >= MixMate.Dsp.Utility.Denormals.MinNormalSingle)));
    }

    [Fact]
    public void The_fixed_eq_allocates_nothing_while_processing()
    {
        FixedEq eq = Fixed(s_cuts, 2);
        var buffer = new float[2 * 4096];
        TestSignals.PinkNoise(-18, 4096 / Rate, Rate, 2, seed: 3).Samples.AsSpan(0, buffer.Length).CopyTo(buffer);
        long bytes = MixMate.TestSupport.Allocations.Measure(
            () => eq.Process(new AudioBlock(buffer, 2, 4096, 4096)),
            () =>
            {
                eq.Process(new AudioBlock(buffer, 2, 64, 4096));
                eq.Process(new AudioBlock(buffer, 2, 0, 4096));
                eq.Process(new AudioBlock(buffer, 2, 4096, 4096));
                eq.Reset();
            });
        Assert.Equal(0, bytes);
    }

    [Fact]
    public void Load_into_a_reused_buffer_equals_a_fresh_load_and_only_grows()
    {
        string longer = TestAudio.Write(TestFolder.PathFor("mix-speed-long.wav"), Material(2), TestAudio.Kind.WavPcm24);
        string shorter = TestAudio.Write(TestFolder.PathFor("mix-speed-short.flac"), TestSignals.Sine(440, -6, 0.5, Rate, channels: 1), TestAudio.Kind.Flac24);

        float[] storage = [];
        AudioBlock first = PlanarBuffer.LoadInto(longer, ref storage);
        float[] grown = storage;
        PlanarBuffer expectedLong = PlanarBuffer.Load(longer);
        Assert.Equal(expectedLong.Channels, first.Channels);
        Assert.Equal(expectedLong.Frames, first.Frames);
        for (int c = 0; c < first.Channels; c++)
        {
            Assert.True(first[c].SequenceEqual(expectedLong[c]));
        }

        AudioBlock second = PlanarBuffer.LoadInto(shorter, ref storage);
        PlanarBuffer expectedShort = PlanarBuffer.Load(shorter);
        Assert.Same(grown, storage);
        Assert.Equal(1, second.Channels);
        Assert.Equal(expectedShort.Frames, second.Frames);
        Assert.True(second[0].SequenceEqual(expectedShort[0]));
    }

    [Fact]
    public void The_stem_source_streams_what_loading_and_equalizing_the_whole_file_gives()
    {
        PlanarBuffer material = Material(2);
        string path = TestAudio.Write(TestFolder.PathFor("mix-speed-stream.wav"), material, TestAudio.Kind.WavPcm24);
        PlanarBuffer loaded = PlanarBuffer.Load(path);
        PlanarBuffer expected = ThroughParametricEq(loaded, s_cuts, 4096);

        using var source = new MixStemSource(path, s_cuts, 4096);
        var streamed = new PlanarBuffer(2, loaded.Frames, Rate);
        int position = 0;
        int read;
        while ((read = source.ReadNext(4096)) > 0)
        {
            for (int c = 0; c < 2; c++)
            {
                source.Block[c][..read].CopyTo(streamed[c][position..]);
            }

            position += read;
        }

        Assert.Equal(loaded.Frames, position);
        Assert.Equal(expected.Samples, streamed.Samples);
        Assert.Equal(0, source.ReadNext(4096));
    }
}
