namespace MixMate.Dsp;

/// <summary>
/// A planar block of 32-bit float audio: channel <c>c</c> occupies
/// <c>samples[c * Stride .. c * Stride + Frames)</c>. Every kernel in MixMate.Dsp takes this
/// shape, so the plug-in (host channel pointers copied into one planar scratch buffer) and the
/// command line (deinterleaved file blocks) feed the same code.
/// </summary>
/// <remarks>[any thread] A view only: it owns nothing and allocates nothing.</remarks>
public readonly ref struct AudioBlock
{
    private readonly Span<float> _samples;

    /// <summary>Wraps <paramref name="samples"/> as <paramref name="channels"/> channels of
    /// <paramref name="frames"/> frames, each channel starting <paramref name="stride"/> samples
    /// after the previous one.</summary>
    public AudioBlock(Span<float> samples, int channels, int frames, int stride)
    {
        if (channels < 0 || frames < 0 || stride < frames)
        {
            throw new ArgumentOutOfRangeException(nameof(stride), "Need channels >= 0, frames >= 0 and stride >= frames.");
        }

        if (channels > 0 && (long)(channels - 1) * stride + frames > samples.Length)
        {
            throw new ArgumentException("The buffer is smaller than channels × stride.", nameof(samples));
        }

        _samples = samples;
        Channels = channels;
        Frames = frames;
        Stride = stride;
    }

    /// <summary>Wraps a contiguous planar buffer whose stride equals the frame count.</summary>
    public AudioBlock(Span<float> samples, int channels)
        : this(samples, channels, channels == 0 ? 0 : samples.Length / channels, channels == 0 ? 0 : samples.Length / channels)
    {
    }

    public int Channels { get; }

    public int Frames { get; }

    public int Stride { get; }

    public bool IsEmpty => Frames == 0 || Channels == 0;

    /// <summary>The samples of one channel.</summary>
    public Span<float> this[int channel] => _samples.Slice(channel * Stride, Frames);

    /// <summary>A sub-block of <paramref name="frames"/> frames starting at <paramref name="start"/>
    /// (used for sub-block parameter changes).</summary>
    public AudioBlock Slice(int start, int frames)
    {
        if ((uint)start > (uint)Frames || (uint)frames > (uint)(Frames - start))
        {
            throw new ArgumentOutOfRangeException(nameof(start));
        }

        return Channels == 0
            ? default
            : new AudioBlock(_samples[start..], Channels, frames, Stride);
    }

    /// <summary>Copies this block into <paramref name="destination"/>, which must have the same shape.</summary>
    public void CopyTo(AudioBlock destination)
    {
        for (int c = 0; c < Channels; c++)
        {
            this[c].CopyTo(destination[c]);
        }
    }

    /// <summary>Sets every sample to zero.</summary>
    public void Clear()
    {
        for (int c = 0; c < Channels; c++)
        {
            this[c].Clear();
        }
    }
}
