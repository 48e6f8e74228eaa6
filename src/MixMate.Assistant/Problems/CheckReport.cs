namespace MixMate.Assistant.Problems;

/// <summary>The outcome of one check: the problems, in time order, and the figures they were
/// judged on.</summary>
/// <param name="Problems">Whole-file problems first, then by start time.</param>
/// <param name="DurationSeconds">Programme length.</param>
/// <param name="IntegratedLufs">BS.1770-4 integrated loudness (−∞ for silence).</param>
/// <param name="TruePeakDbtp">Largest true peak.</param>
/// <param name="SamplePeakDbfs">Largest sample peak.</param>
/// <param name="LoudnessRangeLu">EBU Tech 3342 loudness range.</param>
public sealed record CheckReport(
    IReadOnlyList<Problem> Problems,
    double DurationSeconds,
    double IntegratedLufs,
    double TruePeakDbtp,
    double SamplePeakDbfs,
    double LoudnessRangeLu)
{
    /// <summary>[any thread] True when some problem is at least <paramref name="severity"/>.</summary>
    public bool Has(ProblemSeverity severity) => Problems.Any(p => p.Severity >= severity);
}
