using MixMate.Dsp.Filters;
using MixMate.Dsp.Loudness;
using MixMate.Dsp.Mastering;
using MixMate.Dsp.Utility;
using MixMate.TestSupport;
using Xunit;

namespace MixMate.Dsp.Tests.Mastering;

public sealed class MasterChainTests
{
    private const double Rate = 48000;

    private static float[] Stereo(float[] left, float[] right)
    {
        var planar = new float[left.Length * 2];
        left.CopyTo(planar, 0);
        right.CopyTo(planar, left.Length);
        return planar;
    }

    private static MasterChain NewChain(int maxBlock = 512)
    {
        var chain = new MasterChain();
        chain.Limiter.CeilingDbtp = -1;
        chain.Configure(Rate, 2, maxBlock);
        chain.Eq.SetBand(0, new EqBand(true, FilterType.Peak, 300, -3, 1));
        chain.GainDb = 12;
        chain.Reset();
        return chain;
    }

    private static float[] Run(MasterChain chain, float[] planar, int frames, Func<int, int> blockSize, Action<int>? beforeBlock = null)
    {
        var output = (float[])planar.Clone();
        var all = new AudioBlock(output, 2, frames, frames);
        int position = 0, index = 0;
        while (position < frames)
        {
            int n = Math.Min(blockSize(index++), frames - position);
            beforeBlock?.Invoke(position);
            chain.Process(all.Slice(position, n));
            position += n;
        }

        return output;
    }

    [Fact]
    public void OutputIsTheSameForEveryBlockSize()
    {
        int frames = (int)Rate;
        float[] input = Stereo(Signals.PinkNoise(frames, 0.2, 1), Signals.PinkNoise(frames, 0.2, 2));
        float[] reference = Run(NewChain(), input, frames, _ => 512);

        foreach (int size in new[] { 1, 7, 64, 4096 })
        {
            float[] output = Run(NewChain(), input, frames, _ => size);
            Tolerance.AssertAllClose(reference, output, 1e-6, $"block size {size}");
        }

        var random = new Random(5);
        Tolerance.AssertAllClose(reference, Run(NewChain(), input, frames, _ => random.Next(0, 700)), 1e-6, "random block sizes");
    }

    [Fact]
    public void TruePeakStaysUnderTheCeilingAndNothingIsNotFinite()
    {
        int frames = (int)Rate * 2;
        float[] input = Stereo(Signals.PinkNoise(frames, 0.3, 3), Signals.PinkNoise(frames, 0.3, 4));
        float[] output = Run(NewChain(), input, frames, _ => 64);

        var meter = new TruePeakDetector();
        meter.Configure(Rate, 2, frames);
        meter.Process(new AudioBlock(output, 2, frames, frames));
        meter.Flush();
        Assert.True(meter.TruePeakDbtp <= -1 + 0.1, $"true peak {meter.TruePeakDbtp:0.00} dBTP");
        Tolerance.AssertFiniteNormal(output.Where(x => x != 0).ToArray());
    }

    [Fact]
    public void SwitchingTheLimiterCrossfadesWithoutAClickAndKeepsTheLatency()
    {
        int frames = (int)Rate;
        float[] tone = Signals.Sine(Rate, 220, 0.5, frames);
        float[] input = Stereo(tone, tone);
        MasterChain chain = NewChain(64);
        chain.GainDb = 0;
        chain.Reset();
        int latency = chain.LatencySamples;

        float[] output = Run(chain, input, frames, _ => 64, position =>
        {
            chain.LimiterEnabled = position < frames / 3 || position >= 2 * frames / 3;
            Assert.Equal(latency, chain.LatencySamples);
        });

        // A 220 Hz tone at −6 dBFS below the ceiling: limited or not, the output is the input delayed,
        // so the largest second difference stays that of the tone itself.
        double toneCurvature = 0.5 * Math.Pow(2 * Math.PI * 220 / Rate, 2);
        double worst = 0;
        for (int i = 2 + latency; i < frames; i++)
        {
            worst = Math.Max(worst, Math.Abs(output[i] - (2 * output[i - 1]) + output[i - 2]));
        }

        Assert.True(worst < toneCurvature * 1.5, $"second difference {worst:E2} vs the tone's {toneCurvature:E2}");
    }

    [Fact]
    public void ProcessAllocatesNothingIncludingSwitchesAndEmptyBlocks()
    {
        MasterChain chain = NewChain(64);
        var buffer = new float[2 * 64];
        Signals.PinkNoise(128, 0.5, 7).CopyTo(buffer, 0);
        int i = 0;

        long bytes = Allocations.Measure(
            () => { for (int k = 0; k < 4000; k++) { chain.LimiterEnabled = k % 100 < 50; chain.Process(new AudioBlock(buffer, 2, 64, 64)); } },
            () =>
            {
                chain.LimiterEnabled = i++ % 100 < 50;
                chain.GainDb = i % 7;
                chain.Eq.SetGainDb(0, -(i % 5));
                chain.Process(new AudioBlock(buffer, 2, 64, 64));
                chain.Process(new AudioBlock(buffer, 2, 0, 64));
            });

        Assert.Equal(0, bytes);
    }

    [Fact]
    public void GainStageRampsAndIsUnityBeforeConfiguration()
    {
        var stage = new GainStage(rampMilliseconds: 1);
        var x = new float[] { 1, 1, 1, 1 };
        stage.Process(new AudioBlock(x, 1));
        Assert.All(x, v => Assert.Equal(1f, v));

        stage.Configure(Rate, 2, 256);
        stage.GainDb = -6;
        var block = Enumerable.Repeat(1f, 2 * 100).ToArray();
        stage.Process(new AudioBlock(block, 2));
        int ramp = (int)(Rate / 1000);

        for (int c = 0; c < 2; c++)
        {
            Span<float> ch = block.AsSpan(c * 100, 100);
            for (int i = 1; i < ramp; i++)
            {
                Assert.True(ch[i] < ch[i - 1], "the gain ramps down monotonically");
            }

            Assert.Equal(Decibels.ToGain(-6), ch[99], 5);
        }
    }
}
