using MixMate.Dsp;

namespace MixMate.Assistant.Streaming;

/// <summary>
/// An <see cref="IAudioSource"/> over a planar block the caller has pinned: lets the in-memory
/// entry points run the streaming code unchanged, without copying the programme.
/// </summary>
/// <remarks>[one reader at a time] Valid only while the caller keeps the memory pinned (inside its
/// <c>fixed</c> statement).</remarks>
internal sealed unsafe class PinnedBlockSource : IAudioSource
{
    private readonly float* _samples;
    private readonly int _stride;
    private long _position;

    /// <param name="samples">Channel 0's first sample; channel <c>c</c> starts <paramref name="stride"/>·c later.</param>
    /// <param name="channels">Channels.</param>
    /// <param name="frames">Frames per channel.</param>
    /// <param name="stride">Samples from one channel's start to the next.</param>
    /// <param name="sampleRate">Frames per second.</param>
    public PinnedBlockSource(float* samples, int channels, int frames, int stride, double sampleRate)
    {
        _samples = samples;
        Channels = channels;
        Frames = frames;
        _stride = stride;
        SampleRate = sampleRate;
    }

    public int Channels { get; }

    public double SampleRate { get; }

    public long Frames { get; }

    public void Rewind() => _position = 0;

    public int Read(AudioBlock destination)
    {
        int n = (int)Math.Min(destination.Frames, Frames - _position);
        for (int c = 0; c < Channels; c++)
        {
            new ReadOnlySpan<float>(_samples + ((long)c * _stride) + _position, n).CopyTo(destination[c]);
        }

        _position += n;
        return n;
    }
}
