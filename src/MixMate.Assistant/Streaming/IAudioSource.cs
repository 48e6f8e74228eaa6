using MixMate.Dsp;

namespace MixMate.Assistant.Streaming;

/// <summary>
/// A programme that can be read in blocks, from the start, as often as needed: a file streamed
/// from disk (the command line) or audio already in memory. Analyses and renders that need more
/// than one pass over a long programme read it again instead of holding it, so their memory does
/// not grow with its length.
/// </summary>
/// <remarks>[one reader at a time] Not for the audio thread: a file source reads from disk.</remarks>
public interface IAudioSource
{
    /// <summary>Channel count (at least one).</summary>
    int Channels { get; }

    /// <summary>Frames per second.</summary>
    double SampleRate { get; }

    /// <summary>Frames in the programme: exact once a pass has read to the end (a lossy file's
    /// header may only estimate it before).</summary>
    long Frames { get; }

    /// <summary>[reader] Starts again at the first frame.</summary>
    void Rewind();

    /// <summary>[reader] Reads up to <c>destination.Frames</c> frames into the planar
    /// <paramref name="destination"/> (<see cref="Channels"/> channels) and returns how many were
    /// read: fewer only at the end, 0 at the end.</summary>
    int Read(AudioBlock destination);
}
