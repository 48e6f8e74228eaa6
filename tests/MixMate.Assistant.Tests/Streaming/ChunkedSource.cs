using MixMate.Assistant.Mastering;
using MixMate.Assistant.Streaming;
using MixMate.Dsp;

namespace MixMate.Assistant.Tests.Streaming;

/// <summary>A planar signal read back in awkward pieces (at most <c>readFrames</c> per call, as a
/// file reader at a chunk edge would), counting its passes: what a streamed caller sees.</summary>
internal sealed class ChunkedSource(float[] planar, int channels, double sampleRate, int readFrames) : IAudioSource
{
    private readonly int _frames = planar.Length / channels;
    private long _position;

    public int Channels => channels;

    public double SampleRate => sampleRate;

    public long Frames => _frames;

    /// <summary>Times the source was rewound (passes started).</summary>
    public int Passes { get; private set; }

    public void Rewind()
    {
        _position = 0;
        Passes++;
    }

    public int Read(AudioBlock destination)
    {
        int n = (int)Math.Min(Math.Min(destination.Frames, readFrames), _frames - _position);
        for (int c = 0; c < channels; c++)
        {
            planar.AsSpan((c * _frames) + (int)_position, n).CopyTo(destination[c]);
        }

        _position += n;
        return n;
    }
}

/// <summary>An <see cref="IRenderTarget"/> that keeps the last render in planar arrays.</summary>
internal sealed class MemoryTarget(int channels, int frames) : IRenderTarget
{
    private int _position;

    public float[] Planar { get; } = new float[channels * frames];

    public int Renders { get; private set; }

    public void Begin()
    {
        _position = 0;
        Renders++;
    }

    public void Write(AudioBlock piece)
    {
        for (int c = 0; c < channels; c++)
        {
            piece[c].CopyTo(Planar.AsSpan((c * frames) + _position, piece.Frames));
        }

        _position += piece.Frames;
    }

    public void Trim(float gain)
    {
        for (int i = 0; i < Planar.Length; i++)
        {
            Planar[i] *= gain;
        }
    }
}
