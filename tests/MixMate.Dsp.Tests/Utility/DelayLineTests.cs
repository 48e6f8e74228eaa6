using MixMate.Dsp.Utility;
using MixMate.TestSupport;
using Xunit;

namespace MixMate.Dsp.Tests.Utility;

public sealed class DelayLineTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(37)]
    [InlineData(300)]
    public void Blocks_of_any_size_come_out_exactly_delay_samples_later(int delay)
    {
        const int frames = 2000;
        float[] left = TestSignals.Noise(frames, 0.5, 1);
        float[] right = TestSignals.Noise(frames, 0.5, 2);
        var line = new DelayLine();
        line.Configure(2, delay);
        float[] buffer = ProcessorHarness.Interleave([left, right]);
        int[] sizes = [0, 1, 7, 64, 0, 333, 512];
        for (int start = 0, k = 0; start < frames; k++)
        {
            int n = Math.Min(sizes[k % sizes.Length], frames - start);
            line.Process(new AudioBlock(buffer.AsSpan(start), 2, n, frames));
            start += n;
        }

        float[][] output = ProcessorHarness.Split(buffer, 2);
        for (int i = 0; i < frames; i++)
        {
            Assert.Equal(i < delay ? 0f : left[i - delay], output[0][i]);
            Assert.Equal(i < delay ? 0f : right[i - delay], output[1][i]);
        }

        line.Reset();
        var one = new float[2];
        one[0] = 1;
        line.Process(new AudioBlock(one, 2, 1, 1));
        Assert.Equal(delay == 0 ? 1f : 0f, one[0]);
    }

    [Fact]
    public void Processing_allocates_nothing()
    {
        var line = new DelayLine();
        line.Configure(2, 64);
        var buffer = new float[2 * 512];
        long bytes = Allocations.Measure(
            () => line.Process(new AudioBlock(buffer, 2, 512, 512)),
            () =>
            {
                line.Process(new AudioBlock(buffer, 2, 100, 512));
                line.Process(new AudioBlock(buffer, 2, 0, 512));
                line.Reset();
            });
        Assert.Equal(0, bytes);
    }
}
