using MixMate.Dsp;

namespace MixMate.Assistant.Mastering;

/// <summary>An <see cref="IRenderTarget"/> over a planar block the caller has pinned (the in-memory
/// entry point of <see cref="MasteringEngine"/>).</summary>
/// <remarks>[one writer at a time] Valid only while the caller keeps the memory pinned.</remarks>
internal sealed unsafe class PinnedBlockTarget : IRenderTarget
{
    private readonly float* _samples;
    private readonly int _channels;
    private readonly int _frames;
    private readonly int _stride;
    private int _position;

    public PinnedBlockTarget(float* samples, int channels, int frames, int stride)
    {
        _samples = samples;
        _channels = channels;
        _frames = frames;
        _stride = stride;
    }

    public void Begin() => _position = 0;

    public void Write(AudioBlock piece)
    {
        if (piece.Frames > _frames - _position)
        {
            throw new ArgumentException("The render is longer than the output block.", nameof(piece));
        }

        for (int c = 0; c < _channels; c++)
        {
            piece[c].CopyTo(Channel(c).Slice(_position, piece.Frames));
        }

        _position += piece.Frames;
    }

    public void Trim(float gain)
    {
        for (int c = 0; c < _channels; c++)
        {
            Span<float> x = Channel(c);
            for (int i = 0; i < x.Length; i++)
            {
                x[i] *= gain;
            }
        }
    }

    private Span<float> Channel(int c) => new(_samples + ((long)c * _stride), _frames);
}
