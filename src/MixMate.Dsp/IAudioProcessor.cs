namespace MixMate.Dsp;

/// <summary>
/// The one contract every real-time kernel follows: configure (the only place that allocates),
/// process spans, reset, report latency.
/// </summary>
public interface IAudioProcessor
{
    /// <summary>[non-real-time] Allocates everything the processor will ever need for blocks of
    /// up to <paramref name="maxBlockFrames"/> frames.</summary>
    void Configure(double sampleRate, int channels, int maxBlockFrames);

    /// <summary>[audio thread, configured] Processes the block in place. Allocates nothing.
    /// Blocks longer than the configured maximum are accepted and processed in pieces.</summary>
    void Process(AudioBlock block);

    /// <summary>[audio thread or non-real-time, configured] Clears all signal state (delay lines,
    /// envelopes, meters) without allocating.</summary>
    void Reset();

    /// <summary>[any thread] Delay in samples that this processor adds to the signal.</summary>
    int LatencySamples { get; }
}
