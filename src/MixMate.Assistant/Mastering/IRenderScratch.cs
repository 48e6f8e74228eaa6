using MixMate.Assistant.Streaming;

namespace MixMate.Assistant.Mastering;

/// <summary>
/// Where <see cref="MasteringEngine"/> keeps an intermediate render it reads back several times:
/// the programme through the stages before the gain (DC blocker, EQ, width), rendered once and
/// then fed to every render of the gain search, which runs only the gain, compressor and limiter.
/// Memory for the in-memory entry point (<see cref="MemoryRenderScratch"/>), a temporary file for
/// the command line, where a long programme never sits in memory.
/// </summary>
/// <remarks>[one caller at a time] Not for the audio thread.</remarks>
public interface IRenderScratch : IRenderTarget
{
    /// <summary>[caller] The frames last written (trimmed if <see cref="IRenderTarget.Trim"/> was
    /// called), as a source read from its start; the sample rate is the scratch's.</summary>
    IAudioSource Open();
}
