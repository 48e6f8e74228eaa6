using MixMate.Assistant.Balance;
using MixMate.Dsp;
using MixMate.TestSupport;
using Xunit;
using static MixMate.Assistant.Tests.Balance.BalanceTestSignals;

namespace MixMate.Assistant.Tests.Balance;

/// <summary>The streaming active loudness (what a plug-in accumulates while it listens) against
/// the whole-track measure of <c>mixmate mix</c>.</summary>
public sealed class ActiveLoudnessAccumulatorTests
{
    private const double Rate = 48000;

    [Theory]
    [InlineData(1, 512)]
    [InlineData(2, 4410)]
    [InlineData(2, 777)]
    public void Streaming_agrees_with_the_whole_track_measure_for_any_block_size(int channels, int block)
    {
        // 20 s: a bleed floor, a loud burst and a quieter phrase — the three gates all matter.
        int frames = (int)(20 * Rate);
        float[] track = Noise(channels, frames, 0.006, seed: 4);
        float[] burst = Noise(channels, (int)(2 * Rate), 0.1, seed: 5);
        float[] phrase = Tones(channels, (int)(5 * Rate), [(330, 0.05), (660, 0.02)], decayPerBeatSeconds: 0.3);
        Paste(track, channels, frames, burst, (int)(3 * Rate));
        Paste(track, channels, frames, phrase, (int)(9 * Rate));
        ActiveLoudness whole = ActiveLoudnessMeasure.Measure(Block(track, channels), Rate);

        var acc = new ActiveLoudnessAccumulator();
        acc.Configure(Rate, channels);
        AudioBlock all = Block(track, channels);
        for (int start = 0; start < frames; start += block)
        {
            acc.Add(all.Slice(start, Math.Min(block, frames - start)));
        }

        ActiveLoudness streamed = acc.Result();
        Tolerance.AssertClose(whole.Lufs, streamed.Lufs, 0.02, "active loudness");
        Tolerance.AssertClose(whole.IntegratedLufs, streamed.IntegratedLufs, 0.02, "integrated loudness");
        Tolerance.AssertClose(whole.MaxMomentaryLufs, streamed.MaxMomentaryLufs, 1e-9, "loudest block");
        Tolerance.AssertClose(whole.ActiveFraction, streamed.ActiveFraction, 0.01, "active share");
        Tolerance.AssertClose(whole.DurationSeconds, streamed.DurationSeconds, 1e-9, "duration");
        Assert.True(Math.Abs(whole.IntegratedLufs - whole.Lufs) > 0.3, $"the test signal separates the two measures: I {whole.IntegratedLufs:0.00}, active {whole.Lufs:0.00}, share {whole.ActiveFraction:0.00}");

        // Reset forgets; silence reads silent; adding allocates nothing.
        acc.Reset();
        acc.Add(new AudioBlock(new float[channels * 48000], channels, 48000, 48000));
        Assert.True(acc.Result().IsSilent);
        var chunk = new float[channels * 480];
        // Warm-up long enough for tiered compilation to settle (a tier-up installing code can
        // allocate on the calling thread), then the measured calls.
        long bytes = Allocations.Measure(
            () =>
            {
                for (int i = 0; i < 500; i++)
                {
                    acc.Add(new AudioBlock(chunk, channels, 480, 480));
                }
            },
            () => acc.Add(new AudioBlock(chunk, channels, 480, 480)),
            2000);
        Assert.Equal(0, bytes);
    }

    private static void Paste(float[] into, int channels, int frames, float[] part, int at)
    {
        int n = part.Length / channels;
        for (int c = 0; c < channels; c++)
        {
            part.AsSpan(c * n, n).CopyTo(into.AsSpan((c * frames) + at));
        }
    }
}
