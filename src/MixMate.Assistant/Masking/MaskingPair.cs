namespace MixMate.Assistant.Masking;

/// <summary>One pair of tracks competing in one region, as the planner judged it.</summary>
/// <param name="Track">Index of the track that yields (would get the cut).</param>
/// <param name="Other">Index of the track it makes room for.</param>
/// <param name="Region">The frequency region ("low end", "presence", …).</param>
/// <param name="CoveredBefore">Share of <paramref name="Other"/>'s energy in the region covered by
/// <paramref name="Track"/> at the balanced levels, before any cut (<see cref="MaskingMeasure"/>), 0..1.</param>
/// <param name="CoveredAfter">The same after every cut the plan keeps (on either track), 0..1.</param>
/// <param name="CutKept">Whether this pair's cut is in the plan (false: it would not have reduced
/// the masking by <see cref="Mixing.MixPlanner.MinMaskingReduction"/>, or a track kept deeper cuts nearby).</param>
public sealed record MaskingPair(int Track, int Other, string Region, double CoveredBefore, double CoveredAfter, bool CutKept);
