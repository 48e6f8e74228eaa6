using MixMate.Dsp.Loudness;
using MixMate.TestSupport;

namespace MixMate.Dsp.Tests.Loudness;

/// <summary>Feeds planar signals to a <see cref="LoudnessMeter"/> in blocks of a chosen size and
/// optionally samples the meter after every block.</summary>
internal static class LoudnessTestRig
{
    public static LoudnessMeter Measure(float[][] channels, double sampleRate, int blockFrames = 4096, Action<LoudnessMeter, long>? afterBlock = null)
    {
        var meter = new LoudnessMeter();
        meter.Configure(sampleRate, channels.Length, Math.Max(blockFrames, 1));
        Feed(meter, channels, blockFrames, afterBlock);
        return meter;
    }

    /// <summary>Feeds the signal; <paramref name="afterBlock"/> gets the meter and the number of
    /// frames fed so far.</summary>
    public static void Feed(LoudnessMeter meter, float[][] channels, int blockFrames, Action<LoudnessMeter, long>? afterBlock = null)
    {
        float[] buffer = Signals.ToPlanarBuffer(channels);
        int frames = channels[0].Length;
        for (int i = 0; i < frames; i += blockFrames)
        {
            int n = Math.Min(blockFrames, frames - i);
            meter.Process(new AudioBlock(buffer.AsSpan(i), channels.Length, n, frames));
            afterBlock?.Invoke(meter, i + n);
        }
    }

    /// <summary>Reads <paramref name="read"/> every 10 ms (one meter update) and returns, for each
    /// of <paramref name="segments"/> consecutive segments of <paramref name="segmentSeconds"/>,
    /// the largest value read while inside it.</summary>
    public static double[] SegmentMaxima(float[][] channels, double sampleRate, int segments, double segmentSeconds, Func<LoudnessMeter, double> read)
    {
        var max = new double[segments];
        Array.Fill(max, double.NegativeInfinity);
        int block = (int)Math.Round(sampleRate / 100);
        Measure(channels, sampleRate, block, (m, fed) =>
        {
            double t = (fed - 0.5) / sampleRate;
            int s = (int)(t / segmentSeconds);
            if (s < segments)
            {
                max[s] = Math.Max(max[s], read(m));
            }
        });
        return max;
    }
}
