namespace MixMate.Dsp.Utility;

/// <summary>
/// A fixed multichannel delay: the one delay line of the DSP core — the limiter's look-ahead, the
/// master chain's equal-latency bypass and the plug-in's host-bypass path all run through it.
/// </summary>
/// <remarks>
/// Legend: per channel a ring of <see cref="DelaySamples"/> frames; <c>_position</c> indexes the
/// sample that entered <see cref="DelaySamples"/> frames ago, which each new sample replaces.
/// Threads: <see cref="Configure"/> is [main-thread] (the only allocation); <see cref="Process"/>
/// and <see cref="Reset"/> are [audio-thread] and allocate nothing.
/// </remarks>
public sealed class DelayLine
{
    private float[] _ring = [];
    private int _channels;
    private int _position;

    /// <summary>Delay in frames (0: the line passes audio unchanged).</summary>
    public int DelaySamples { get; private set; }

    /// <summary>[main-thread] Allocates for <paramref name="channels"/> channels delayed by
    /// <paramref name="delaySamples"/> frames, silent.</summary>
    public void Configure(int channels, int delaySamples)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(channels);
        DelaySamples = Math.Max(0, delaySamples);
        _channels = channels;
        _ring = new float[channels * DelaySamples];
        _position = 0;
    }

    /// <summary>[audio-thread] Silences the line.</summary>
    public void Reset()
    {
        Array.Clear(_ring);
        _position = 0;
    }

    /// <summary>[audio-thread, configured] Delays every channel of <paramref name="block"/> in place
    /// (channels beyond the configured count are left as they are).</summary>
    public void Process(AudioBlock block)
    {
        int length = DelaySamples;
        if (length == 0 || block.Frames == 0)
        {
            return;
        }

        int channels = Math.Min(block.Channels, _channels);
        int position = _position;
        for (int c = 0; c < channels; c++)
        {
            Span<float> line = _ring.AsSpan(c * length, length);
            Span<float> x = block[c];
            position = _position;
            for (int i = 0; i < x.Length; i++)
            {
                (x[i], line[position]) = (line[position], x[i]);
                if (++position == length)
                {
                    position = 0;
                }
            }
        }

        _position = (int)((_position + (long)block.Frames) % length);
    }
}
