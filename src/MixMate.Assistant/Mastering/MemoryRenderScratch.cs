using MixMate.Assistant.Streaming;
using MixMate.Dsp;

namespace MixMate.Assistant.Mastering;

/// <summary>An <see cref="IRenderScratch"/> in memory: one planar array, reserved at the first
/// <see cref="Begin"/> for the expected length and grown if more frames arrive.</summary>
/// <remarks>[one caller at a time]</remarks>
public sealed class MemoryRenderScratch : IRenderScratch
{
    private readonly int _channels;
    private readonly long _expected; // reserved at the first Begin: a scratch never used costs nothing
    private float[] _samples;
    private long _capacity;
    private long _frames;

    /// <param name="channels">Channels of the render.</param>
    /// <param name="sampleRate">Its sample rate (what <see cref="Open"/>'s source reports).</param>
    /// <param name="expectedFrames">Frames to reserve.</param>
    public MemoryRenderScratch(int channels, double sampleRate, long expectedFrames = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        _channels = channels;
        SampleRate = sampleRate;
        _expected = Math.Max(0, expectedFrames);
        _samples = [];
    }


    /// <summary>Its sample rate.</summary>
    public double SampleRate { get; }

    /// <summary>Frames written since the last <see cref="Begin"/>.</summary>
    public long Frames => _frames;

    /// <inheritdoc />
    public void Begin()
    {
        _frames = 0;
        if (_capacity < _expected)
        {
            _samples = new float[checked(_expected * _channels)];
            _capacity = _expected;
        }
    }

    /// <inheritdoc />
    public void Write(AudioBlock piece)
    {
        if (_frames + piece.Frames > _capacity)
        {
            Grow(Math.Max(_frames + piece.Frames, 2 * _capacity));
        }

        for (int c = 0; c < _channels; c++)
        {
            piece[c].CopyTo(Channel(c).Slice((int)_frames, piece.Frames));
        }

        _frames += piece.Frames;
    }

    /// <inheritdoc />
    public void Trim(float gain)
    {
        for (int c = 0; c < _channels; c++)
        {
            Span<float> x = Channel(c)[..(int)_frames];
            for (int i = 0; i < x.Length; i++)
            {
                x[i] *= gain;
            }
        }
    }

    /// <inheritdoc />
    public IAudioSource Open() => new Reader(this);

    private Span<float> Channel(int c) => _samples.AsSpan((int)(c * _capacity), (int)_capacity);

    private void Grow(long frames)
    {
        var grown = new float[checked(frames * _channels)];
        for (int c = 0; c < _channels; c++)
        {
            Channel(c)[..(int)_frames].CopyTo(grown.AsSpan((int)(c * frames), (int)frames));
        }

        _samples = grown;
        _capacity = frames;
    }

    private sealed class Reader(MemoryRenderScratch owner) : IAudioSource
    {
        private long _position;

        public int Channels => owner._channels;

        public double SampleRate => owner.SampleRate;

        public long Frames => owner._frames;

        public void Rewind() => _position = 0;

        public int Read(AudioBlock destination)
        {
            int n = (int)Math.Min(destination.Frames, owner._frames - _position);
            for (int c = 0; c < owner._channels; c++)
            {
                owner.Channel(c).Slice((int)_position, n).CopyTo(destination[c]);
            }

            _position += n;
            return n;
        }
    }
}
