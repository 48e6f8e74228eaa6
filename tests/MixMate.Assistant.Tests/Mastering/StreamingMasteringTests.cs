using MixMate.Assistant.Loudness;
using MixMate.Assistant.Mastering;
using MixMate.Assistant.Tests.Streaming;
using MixMate.Dsp;
using MixMate.Dsp.Loudness;
using Xunit;
using static MixMate.Assistant.Tests.Balance.BalanceTestSignals;

namespace MixMate.Assistant.Tests.Mastering;

/// <summary>
/// The streamed engine (every pass read from a source in awkward pieces, every render handed to a
/// target) is the in-memory engine: same gains, same renders, the same samples bit for bit, so a
/// long file mastered in bounded memory keeps the pinned figures.
/// </summary>
public sealed class StreamingMasteringTests
{
    private const double Rate = 48000;

    [Theory]
    [InlineData(EqMode.Suggest, false)]
    [InlineData(EqMode.Apply, true)]
    public void The_streamed_master_is_the_in_memory_master_sample_for_sample(EqMode eq, bool compressor)
    {
        int frames = (int)(8 * Rate);
        float[] song = Tones(2, frames, [(110, 0.3), (220, 0.15), (330, 0.1), (1320, 0.05)], decayPerBeatSeconds: 0.2);
        float[] bed = Noise(2, frames, 0.02, seed: 4);
        for (int i = 0; i < song.Length; i++)
        {
            song[i] += bed[i];
        }

        var settings = new MasterSettings(LoudnessTarget.FindPreset("spotify")!) { Eq = eq, Compressor = compressor };
        AudioBlock input = Block(song, 2);
        double lufs = Integrated(input);
        var whole = new float[song.Length];
        MasterResult expected = MasteringEngine.Master(input, Rate, lufs, Block(whole, 2), settings);

        var source = new ChunkedSource(song, 2, Rate, readFrames: 999);
        var target = new MemoryTarget(2, frames);
        MasterResult streamed = MasteringEngine.Master(source, lufs, target, settings);

        Assert.Equal(expected.GainDb, streamed.GainDb);
        Assert.Equal(expected.Passes, streamed.Passes);
        Assert.Equal(expected.OutputTrimDb, streamed.OutputTrimDb);
        Assert.Equal(expected.MaxGainReductionDb, streamed.MaxGainReductionDb);
        Assert.Equal(expected.OutputTruePeakDbtp, streamed.OutputTruePeakDbtp);
        Assert.Equal(expected.GainReductionDb, streamed.GainReductionDb);
        Assert.Equal(whole, target.Planar);

        // Each pass read the source from its start; nothing was held between passes.
        Assert.True(source.Passes >= streamed.Passes.Count + 1, $"{source.Passes} passes for {streamed.Passes.Count} renders");
        Assert.True(target.Renders >= streamed.Passes.Count);
    }

    [Fact]
    public void Without_the_true_peak_meter_the_renders_are_the_same_and_the_peak_reads_NaN()
    {
        int frames = (int)(6 * Rate);
        float[] song = Tones(2, frames, [(80, 0.5), (440, 0.1), (2500, 0.05)], decayPerBeatSeconds: 0.15);
        var settings = new MasterSettings(LoudnessTarget.FindPreset("spotify")!) { Eq = EqMode.Apply };
        AudioBlock input = Block(song, 2);
        double lufs = Integrated(input);
        var metered = new float[song.Length];
        var unmetered = new float[song.Length];
        MasterResult a = MasteringEngine.Master(input, Rate, lufs, Block(metered, 2), settings);
        MasterResult b = MasteringEngine.Master(input, Rate, lufs, Block(unmetered, 2), settings with { MeasuresOutputTruePeak = false });

        Assert.True(double.IsFinite(a.OutputTruePeakDbtp));
        Assert.True(a.OutputTruePeakDbtp <= settings.Target.TruePeakDbtp + 0.1, $"{a.OutputTruePeakDbtp} dBTP");
        Assert.True(double.IsNaN(b.OutputTruePeakDbtp));
        Assert.Equal(a.Passes, b.Passes);
        Assert.Equal(a.GainDb, b.GainDb);
        Assert.Equal(a.OutputIntegratedLufs, b.OutputIntegratedLufs);
        Assert.Equal(metered, unmetered);
    }

    [Fact]
    public void The_limiter_model_built_from_odd_blocks_is_the_model_of_the_whole()
    {
        int frames = (int)(6 * Rate);
        float[] song = Tones(2, frames, [(60, 0.6), (440, 0.1)], decayPerBeatSeconds: 0.1);
        LimiterLoudnessModel whole = LimiterLoudnessModel.Build(Block(song, 2), Rate);
        var builder = new LimiterLoudnessModel.Builder(Rate, 2);
        var block = new float[2 * 1237];
        for (int start = 0; start < frames; start += 1237)
        {
            int n = Math.Min(1237, frames - start);
            for (int c = 0; c < 2; c++)
            {
                song.AsSpan((c * frames) + start, n).CopyTo(block.AsSpan(c * 1237));
            }

            builder.Add(new AudioBlock(block, 2, n, 1237));
        }

        LimiterLoudnessModel streamed = builder.Build();
        Assert.Equal(whole.SegmentCount, streamed.SegmentCount);
        foreach (double gain in new[] { -6.0, 0, 6, 12, 24 })
        {
            Assert.Equal(whole.PredictLufs(gain, -1), streamed.PredictLufs(gain, -1));
        }

        Assert.Equal(whole.UsefulGainLimitDb(-1), streamed.UsefulGainLimitDb(-1));
    }

    private static double Integrated(AudioBlock audio)
    {
        var meter = new LoudnessMeter();
        meter.Configure(Rate, audio.Channels, 4096);
        for (int start = 0; start < audio.Frames; start += 4096)
        {
            meter.Process(audio.Slice(start, Math.Min(4096, audio.Frames - start)));
        }

        meter.Flush();
        return meter.IntegratedLufs;
    }
}
