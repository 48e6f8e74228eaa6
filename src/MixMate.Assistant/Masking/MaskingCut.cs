using MixMate.Assistant.Eq;

namespace MixMate.Assistant.Masking;

/// <summary>One proposed unmasking cut.</summary>
/// <param name="Track">Index of the track that gets the cut (the lower-priority one).</param>
/// <param name="Other">Index of the track it makes room for.</param>
/// <param name="Region">The frequency region where the two compete ("low end", "presence", …).</param>
/// <param name="Move">The cut: a peak filter, gain in −<see cref="MaskingAnalyzer.MaxCutDb"/>..−<see cref="MaskingAnalyzer.MinCutDb"/> dB, with its reason.</param>
public sealed record MaskingCut(int Track, int Other, string Region, EqMove Move);
