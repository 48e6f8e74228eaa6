namespace MixMate.Assistant.Problems;

/// <summary>
/// One problem found in a programme.
/// </summary>
/// <param name="Kind">What is wrong.</param>
/// <param name="Severity">How bad it is.</param>
/// <param name="Start">Where it starts, seconds from the beginning; null for a whole-file problem.</param>
/// <param name="End">Where it ends, seconds; null for a whole-file problem.</param>
/// <param name="Value">The measured figure, in <paramref name="Unit"/>.</param>
/// <param name="Threshold">The figure it was compared with, in <paramref name="Unit"/>.</param>
/// <param name="Unit">Unit of the value and threshold (dBFS, dBTP, LUFS, LU, dB, s, samples, …).</param>
/// <param name="Source">Where the threshold comes from (a standard, a platform, or MixMate's own
/// choice, named as such).</param>
/// <param name="Message">What was found, in plain words.</param>
/// <param name="Fix">What to do about it, in plain words.</param>
public sealed record Problem(
    ProblemKind Kind,
    ProblemSeverity Severity,
    double? Start,
    double? End,
    double Value,
    double Threshold,
    string Unit,
    string Source,
    string Message,
    string Fix);
