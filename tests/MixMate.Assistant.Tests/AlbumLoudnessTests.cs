using MixMate.Assistant.Loudness;
using MixMate.Assistant.Mastering;
using MixMate.Dsp;
using MixMate.Dsp.Loudness;
using MixMate.TestSupport;
using Xunit;

namespace MixMate.Assistant.Tests;

/// <summary>Album loudness: BS.1770 gating over the blocks of every track, and the engine's fixed
/// album gain.</summary>
public sealed class AlbumLoudnessTests
{
    private const double Rate = 48000;

    private static AudioBlock Stereo(float[] samples) => new(samples, 2, samples.Length / 2, samples.Length / 2);

    private static (float[] Samples, LoudnessMeter Meter, GatingBlocks Blocks) Measure(float[] left, float[] right)
    {
        var samples = new float[left.Length * 2];
        left.CopyTo(samples, 0);
        right.CopyTo(samples, left.Length);
        AudioBlock block = Stereo(samples);
        var meter = new LoudnessMeter();
        var blocks = new GatingBlocks();
        meter.Configure(Rate, 2, 4096);
        meter.Observer = blocks;
        for (int start = 0; start < block.Frames; start += 4096)
        {
            meter.Process(block.Slice(start, Math.Min(4096, block.Frames - start)));
        }

        return (samples, meter, blocks);
    }

    [Fact]
    public void One_track_gated_alone_is_the_meters_integrated_loudness()
    {
        // Tech 3341 case 5 style: levels that the relative gate must sort out.
        float[] tone = Signals.ToneSequence(Rate, (20, -26), (20.1, -20), (20, -26), (5, -60));
        var (_, meter, blocks) = Measure(tone, tone);

        Assert.Equal(meter.IntegratedLufs, AlbumLoudness.IntegratedLufs([blocks]), 3);
    }

    [Fact]
    public void An_album_is_gated_as_its_tracks_played_in_order()
    {
        float[] loud = Signals.ToneSequence(Rate, (12, -18));
        float[] quiet = Signals.ToneSequence(Rate, (8, -30));
        float[] near = Signals.ToneSequence(Rate, (10, -24));
        var a = Measure(loud, loud);
        var b = Measure(quiet, quiet);
        var c = Measure(near, near);
        float[] all = [.. loud, .. quiet, .. near];
        var together = Measure(all, all);

        double album = AlbumLoudness.IntegratedLufs([a.Blocks, b.Blocks, c.Blocks]);

        // The concatenation adds a few blocks straddling the joins; nothing else differs.
        Assert.Equal(together.Meter.IntegratedLufs, album, 1);
        Assert.InRange(album, a.Meter.IntegratedLufs - 6, a.Meter.IntegratedLufs);
        Assert.Equal(double.NegativeInfinity, AlbumLoudness.IntegratedLufs([new GatingBlocks()]));
    }

    [Fact]
    public void A_fixed_gain_renders_once_and_keeps_a_track_that_needs_no_limiting_exactly_that_much_louder()
    {
        float[] tone = Signals.ToneSequence(Rate, (6, -30));
        var (samples, meter, _) = Measure(tone, tone);
        AudioBlock block = Stereo(samples);
        var output = new AudioBlock(new float[block.Frames * 2], 2, block.Frames, block.Frames);
        var settings = new MasterSettings(LoudnessTarget.FindPreset("spotify")!, EqMode.Off) { FixedGainDb = 7.5 };

        MasterResult result = MasteringEngine.Master(block, Rate, meter.IntegratedLufs, output, settings);

        Assert.Single(result.Passes);
        Assert.Equal(7.5, result.GainDb);
        Assert.Equal(0, result.MaxGainReductionDb, 3);
        Assert.Equal(meter.IntegratedLufs + 7.5, result.OutputIntegratedLufs, 2);
        Assert.Equal(0, result.OutputTrimDb);
    }
}
