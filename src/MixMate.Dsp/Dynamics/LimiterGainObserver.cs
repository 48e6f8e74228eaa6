namespace MixMate.Dsp.Dynamics;

/// <summary>Receives the linear gain the limiter applied to each sample of the piece it just
/// processed (1 = no reduction), for gain-reduction plots. Called on the audio thread inside
/// Process: it must not allocate, lock or block, and must copy what it keeps.</summary>
public delegate void LimiterGainObserver(ReadOnlySpan<float> gains);
