using MixMate.Dsp;

namespace MixMate.Assistant.Mastering;

/// <summary>
/// Where <see cref="MasteringEngine"/> puts each render of the chain: memory for the in-memory
/// entry point, a temporary file for the command line (a long programme never sits in memory).
/// Only the last render is kept; the engine may scale it afterwards by an exact linear trim.
/// </summary>
/// <remarks>[one writer at a time] Not for the audio thread.</remarks>
public interface IRenderTarget
{
    /// <summary>[renderer] A new render starts: what an earlier one wrote is discarded.</summary>
    void Begin();

    /// <summary>[renderer] Appends the next frames of the render (aligned with the input).</summary>
    void Write(AudioBlock piece);

    /// <summary>[renderer] Scales the finished render by <paramref name="gain"/> (each sample
    /// multiplied in single precision, once).</summary>
    void Trim(float gain);
}
