namespace MixMate.Plugin.Mastering;

/// <summary>
/// A multichannel fixed delay (ring buffer), used to keep the host-bypass path aligned with the
/// chain's latency so bypass switches without a time jump.
/// </summary>
/// <remarks>[audio thread, configured] <see cref="Process"/> allocates nothing.</remarks>
public sealed class DelayLine
{
    private float[] _ring = [];
    private int _length;
    private int _write;

    public int DelaySamples { get; private set; }

    /// <summary>[main thread] Allocates for <paramref name="channels"/> channels delayed by
    /// <paramref name="delaySamples"/> frames.</summary>
    public void Configure(int channels, int delaySamples)
    {
        DelaySamples = Math.Max(0, delaySamples);
        _length = DelaySamples + 1;
        _ring = new float[channels * _length];
        _write = 0;
    }

    /// <summary>[audio thread] Zeroes the line.</summary>
    public void Reset()
    {
        Array.Clear(_ring);
        _write = 0;
    }

    /// <summary>[audio thread] Delays <paramref name="samples"/> of channel <paramref name="channel"/>
    /// in place. Call once per channel per block with equal lengths, then <see cref="Advance"/>.</summary>
    public void Process(int channel, Span<float> samples)
    {
        if (DelaySamples == 0)
        {
            return;
        }

        Span<float> ring = _ring.AsSpan(channel * _length, _length);
        int w = _write;
        for (int i = 0; i < samples.Length; i++)
        {
            ring[w] = samples[i];
            int r = w - DelaySamples;
            samples[i] = ring[r < 0 ? r + _length : r];
            w = w + 1 == _length ? 0 : w + 1;
        }
    }

    /// <summary>[audio thread] Moves the write position after all channels of a block.</summary>
    public void Advance(int frames)
    {
        if (DelaySamples > 0)
        {
            _write = (int)((_write + (long)frames) % _length);
        }
    }
}
