using MixMate.Assistant.Masking;

namespace MixMate.Assistant.Mixing;

/// <summary>The planner's answer for a set of tracks (see <see cref="MixPlanner"/>).</summary>
/// <param name="Tracks">One plan per track, in the order of the summaries.</param>
/// <param name="Pairs">Every pair and region that competed, with the masking before and after the
/// cuts and whether its cut was kept.</param>
/// <param name="Warnings">Sentences about the set as a whole (duplicated tracks).</param>
public sealed record MixPlan(IReadOnlyList<TrackPlan> Tracks, IReadOnlyList<MaskingPair> Pairs, IReadOnlyList<string> Warnings);
