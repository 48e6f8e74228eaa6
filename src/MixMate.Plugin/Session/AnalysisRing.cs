using MixMate.Dsp;

namespace MixMate.Plugin.Session;

/// <summary>
/// Single-producer, single-consumer ring of planar audio: how a plug-in's audio thread hands what
/// it hears to the session's analysis thread without a lock, an allocation or a wait.
/// </summary>
/// <remarks>
/// The producer (audio thread) writes frames then publishes its write position with a release
/// store; the consumer (analysis thread) reads up to that position then publishes its read
/// position. Positions are 64-bit frame counters (they never wrap in practice), the buffer index
/// is the counter modulo the power-of-two capacity. When the consumer falls behind by a whole
/// ring the producer drops the block and counts it (<see cref="DroppedFrames"/>): analysis is a
/// statistic over minutes, and the audio thread must never wait.
/// The samples are zero pages from the system (<see cref="Dsp.Utility.ZeroPages"/>), freed by the
/// finalizer once neither the instance nor the analysis thread can reach the ring: creating one at
/// an instance's setup puts nothing on the managed heap.
/// </remarks>
public sealed unsafe class AnalysisRing
{
    private readonly float*[] _channels;
    private readonly int _mask;
    private long _written;
    private long _read;
    private long _dropped;

    /// <summary>Largest capacity, frames (64 kB per channel).</summary>
    public const int MaxCapacity = 16384;

    /// <summary>[main thread] A ring of <paramref name="minimumFrames"/> frames rounded up to a
    /// power of two, at most <see cref="MaxCapacity"/>.</summary>
    public AnalysisRing(int channels, int minimumFrames)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        int capacity = (int)Math.Min(MaxCapacity, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(minimumFrames, 1024)));
        _mask = capacity - 1;
        _channels = new float*[channels];
        for (int c = 0; c < channels; c++)
        {
            _channels[c] = (float*)Dsp.Utility.ZeroPages.Allocate((nuint)capacity * sizeof(float));
        }
    }

    ~AnalysisRing()
    {
        foreach (float* channel in _channels)
        {
            Dsp.Utility.ZeroPages.Free(channel, (nuint)Capacity * sizeof(float));
        }
    }

    public int Channels => _channels.Length;

    public int Capacity => _mask + 1;

    /// <summary>[consumer] Frames waiting to be read.</summary>
    public long Available => Volatile.Read(ref _written) - _read;

    /// <summary>[any thread] Frames the producer could not write because the ring was full.</summary>
    public long DroppedFrames => Volatile.Read(ref _dropped);

    /// <summary>[producer: audio thread] Appends <paramref name="block"/> (missing channels as
    /// silence, extra channels ignored) or drops it whole when it does not fit.</summary>
    public void Write(AudioBlock block)
    {
        int n = block.Frames;
        long written = _written;
        if (n == 0)
        {
            return;
        }

        if (written + n - Volatile.Read(ref _read) > Capacity)
        {
            Volatile.Write(ref _dropped, _dropped + n);
            return;
        }

        int start = (int)(written & _mask);
        int first = Math.Min(n, Capacity - start);
        for (int c = 0; c < _channels.Length; c++)
        {
            var ring = new Span<float>(_channels[c], Capacity);
            if (c < block.Channels)
            {
                Span<float> source = block[c];
                source[..first].CopyTo(ring.Slice(start, first));
                source[first..].CopyTo(ring[..(n - first)]);
            }
            else
            {
                ring.Slice(start, first).Clear();
                ring[..(n - first)].Clear();
            }
        }

        Volatile.Write(ref _written, written + n);
    }

    /// <summary>[consumer: analysis thread] Moves up to <paramref name="destination"/>.Frames
    /// frames into <paramref name="destination"/> (its first <see cref="Channels"/> channels);
    /// returns how many.</summary>
    public int Read(AudioBlock destination)
    {
        long read = _read;
        int n = (int)Math.Min(Volatile.Read(ref _written) - read, destination.Frames);
        if (n <= 0)
        {
            return 0;
        }

        int start = (int)(read & _mask);
        int first = Math.Min(n, Capacity - start);
        for (int c = 0; c < _channels.Length && c < destination.Channels; c++)
        {
            Span<float> target = destination[c];
            var ring = new ReadOnlySpan<float>(_channels[c], Capacity);
            ring.Slice(start, first).CopyTo(target);
            ring[..(n - first)].CopyTo(target[first..n]);
        }

        Volatile.Write(ref _read, read + n);
        return n;
    }
}
