namespace MixMate.Assistant.Mastering;

/// <summary>A master that did not reach its loudness target: how loud it could be made, and why no louder.</summary>
/// <param name="ReachableLufs">The integrated loudness of the master delivered, LUFS: the loudest the
/// search found within the true-peak ceiling (and, where it stopped there, the useful-gain limit).</param>
/// <param name="Reason">A short phrase: what stopped the gain.</param>
/// <param name="AtUsefulGainLimit">The gain stopped where each further dB added less than
/// <see cref="LimiterLoudnessModel.MinUsefulLuPerDb"/> LU (peaky material).</param>
public sealed record LoudnessShortfall(double ReachableLufs, string Reason, bool AtUsefulGainLimit);
