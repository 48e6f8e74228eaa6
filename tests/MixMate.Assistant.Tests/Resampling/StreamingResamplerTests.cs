using MixMate.Assistant.Resampling;
using MixMate.Assistant.Tests.Streaming;
using Xunit;
using static MixMate.Assistant.Tests.Balance.BalanceTestSignals;

namespace MixMate.Assistant.Tests.Resampling;

/// <summary><c>master --sample-rate</c> converts a stream: the result must be the whole-signal
/// conversion's, sample for sample, however the source cuts its reads.</summary>
public sealed class StreamingResamplerTests
{
    [Theory]
    [InlineData(44100, 48000, 777)]
    [InlineData(48000, 22050, 8192)]
    [InlineData(96000, 44100, 5000)]
    public void The_streamed_conversion_is_the_whole_signal_conversion(int from, int to, int readFrames)
    {
        int frames = (int)(2.5 * from) + 17;
        float[] signal = Tones(2, frames, [(997, 0.3), (5000, 0.1)], decayPerBeatSeconds: 0.2);
        float[] noise = Noise(2, frames, 0.05, seed: 3);
        for (int i = 0; i < signal.Length; i++)
        {
            signal[i] += noise[i];
        }

        int outFrames = (int)Resampler.OutputFrames(frames, from, to);
        var target = new MemoryTarget(2, outFrames);
        StreamingResampler.Convert(new ChunkedSource(signal, 2, from, readFrames), to, target);

        for (int c = 0; c < 2; c++)
        {
            var expected = new float[outFrames];
            Resampler.Resample(signal.AsSpan(c * frames, frames), from, expected, to);
            Assert.Equal(expected, target.Planar.AsSpan(c * outFrames, outFrames).ToArray());
        }
    }
}
