using MixMate.Assistant.Eq;
using MixMate.Assistant.Loudness;
using MixMate.Assistant.Mastering;
using MixMate.Assistant.Tonal;
using MixMate.Dsp;
using MixMate.Dsp.Filters;
using MixMate.Dsp.Loudness;
using MixMate.Dsp.Mastering;
using Xunit;
using static MixMate.Assistant.Tests.Balance.BalanceTestSignals;

namespace MixMate.Assistant.Tests.Mastering;

/// <summary>With an EQ the engine renders the stages before the gain once and runs only gain,
/// compressor and limiter per render of its search: the master must be the one the whole chain
/// makes in one render at the same gain.</summary>
public sealed class StagedRenderTests
{
    private const double Rate = 48000;

    [Theory]
    [InlineData(false, 0.0)]
    [InlineData(true, 0.0)]
    [InlineData(false, 2.0)]
    public void A_staged_master_equals_the_whole_chain_rendered_at_its_gain(bool compressor, double sideGainDb)
    {
        int frames = (int)(12 * Rate) + 1234;
        float[] song = Tones(2, frames, [(90, 0.3), (250, 0.12), (1800, 0.06), (7000, 0.03)], decayPerBeatSeconds: 0.15);
        float[] bed = Noise(2, frames, 0.03, seed: 4);
        for (int i = 0; i < song.Length; i++)
        {
            // A little difference between the channels, so the side gain has something to act on.
            song[i] += bed[i] * (i < frames ? 1f : 0.6f);
        }

        EqMove[] moves =
        [
            new(FilterType.LowShelf, 80, 2.5, 0.7, "test"),
            new(FilterType.Peak, 400, -3, 1.4, "test"),
            new(FilterType.Peak, 2500, 2, 2.1, "test"),
            new(FilterType.HighShelf, 9000, 3, 0.7, "test"),
            new(FilterType.HighPass24, 25, 1, 0.7, "test"), // a high-pass has no gain; any non-zero one keeps it applied
        ];
        var suggestion = new TonalSuggestion(new double[ThirdOctaveCount], moves, "test");
        var settings = new MasterSettings(LoudnessTarget.Custom(-10, -1), EqMode.Apply, 0.8, compressor)
        {
            SuggestEq = _ => suggestion,
            InputBandsDb = new double[ThirdOctaveCount],
            EqBandCount = 12,
            SideGainDb = sideGainDb,
        };

        AudioBlock input = Block(song, 2);
        var output = new float[song.Length];
        MasterResult result = MasteringEngine.Master(input, Rate, Integrated(input), Block(output, 2), settings);
        Assert.Equal(moves.Length, result.AppliedEq.Count);

        // The whole chain, one render, at the gain the engine delivered, and the engine's trim.
        var chain = new MasterChain(12);
        chain.Width.SideGainDb = sideGainDb;
        chain.CompressorEnabled = compressor;
        chain.Limiter.CeilingDbtp = -1;
        chain.Configure(Rate, 2, OfflineRenderer.BlockFrames);
        for (int i = 0; i < result.AppliedEq.Count; i++)
        {
            EqMove m = result.AppliedEq[i];
            chain.Eq.SetBand(i, new EqBand(true, m.Type, m.FrequencyHz, m.GainDb, m.Q));
        }

        chain.GainDb = result.GainDb;
        chain.Reset();
        var whole = new float[song.Length];
        new OfflineRenderer(2).Render(chain, input, Block(whole, 2));
        float trim = (float)Decibels.ToGain(result.OutputTrimDb);
        double worst = 0;
        for (int i = 0; i < whole.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs((whole[i] * trim) - output[i]));
        }

        Assert.True(worst <= 1e-6, $"staged and whole-chain renders differ by up to {worst:E2}");

        // The streaming entry point: without a stage every render runs the whole chain on the
        // source; with one, the front stages run once. Same master.
        var programme = new MemoryRenderScratch(2, Rate);
        programme.Begin();
        programme.Write(input);
        var unstaged = new MemoryRenderScratch(2, Rate);
        var staged = new MemoryRenderScratch(2, Rate);
        MasterResult plain = MasteringEngine.Master(programme.Open(), Integrated(input), unstaged, settings);
        MasterResult twoStage = MasteringEngine.Master(programme.Open(), Integrated(input), staged, settings, stage: new MemoryRenderScratch(2, Rate));
        Assert.Equal(plain.Passes, twoStage.Passes);
        Assert.Equal(plain.OutputTrimDb, twoStage.OutputTrimDb);
        Assert.Equal(plain.GainReductionDb, twoStage.GainReductionDb);
        var a = new float[song.Length];
        var b = new float[song.Length];
        unstaged.Open().Read(Block(a, 2));
        staged.Open().Read(Block(b, 2));
        double apart = 0;
        for (int i = 0; i < a.Length; i++)
        {
            apart = Math.Max(apart, Math.Abs(a[i] - b[i]));
        }

        Assert.True(apart <= 1e-6, $"staged and unstaged streaming masters differ by up to {apart:E2}");
        Assert.Equal(a, b); // in fact sample for sample: the same arithmetic in the same order
    }

    [Fact]
    public void A_memory_scratch_gives_back_what_was_written_across_growth()
    {
        var scratch = new MemoryRenderScratch(2, Rate, expectedFrames: 100);
        scratch.Begin();
        var data = new float[2 * 300];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = i;
        }

        scratch.Write(Block(data, 2).Slice(0, 70));
        scratch.Write(Block(data, 2).Slice(70, 230));
        MixMate.Assistant.Streaming.IAudioSource source = scratch.Open();
        Assert.Equal(300, source.Frames);
        var back = new float[2 * 300];
        Assert.Equal(300, source.Read(Block(back, 2)));
        Assert.Equal(data, back);
        Assert.Equal(0, source.Read(Block(back, 2)));
    }

    private static int ThirdOctaveCount => MixMate.Dsp.Spectrum.ThirdOctaveBands.Count;

    private static double Integrated(AudioBlock audio)
    {
        using var meter = new LoudnessMeter();
        meter.Configure(Rate, audio.Channels, 4096);
        meter.Process(audio);
        meter.Flush();
        return meter.IntegratedLufs;
    }
}
