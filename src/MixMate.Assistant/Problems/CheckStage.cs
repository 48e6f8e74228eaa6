namespace MixMate.Assistant.Problems;

/// <summary>
/// Which problem kinds make sense where <c>master</c> and <c>mix</c> run the checks of
/// <c>mixmate check</c> (one decision, used by both commands and by the benchmark).
/// <list type="bullet">
/// <item>Mastering input: all but the kinds mastering itself decides (loudness, ceiling, crest,
/// format).</item>
/// <item>Master: only what mastering can cause — clipping, true-peak overs, clicks,
/// over-compression, DC — since everything else was already in the input and said once there.</item>
/// <item>A stem of <c>mix</c>: damage to the recording — clipping, DC, an inverted channel or
/// low end out of phase, hum, clicks, noise in quiet passages, rumble. A stem is not a programme:
/// it is not judged for loudness, peaks or format against a profile, for its balance (a stem
/// panned to one side is a choice), for silence at its ends (stems are aligned at the song's start
/// and often enter late), nor for resonances and sibilance (the full-mix criteria misread a solo
/// instrument's harmonics and a solo voice).</item>
/// <item>The sum <c>mix</c> writes (before any mastering): what summing and balancing can cause
/// or show only in the whole — clipping, DC, polarity and phase, stereo imbalance, silence at the
/// start or end, a cut-off end. Hum, noise and rumble were said per stem; loudness and peaks are
/// mastering's.</item>
/// </list>
/// </summary>
public static class CheckStage
{
    /// <summary>The kinds judged on a mastering input.</summary>
    public static readonly IReadOnlyList<ProblemKind> MasteringInput =
        [.. Enum.GetValues<ProblemKind>().Where(k => k is not (ProblemKind.Loudness or ProblemKind.TruePeakOver or ProblemKind.OverCompressed or ProblemKind.Format))];

    /// <summary>The kinds judged on a master.</summary>
    public static readonly IReadOnlyList<ProblemKind> Master =
        [ProblemKind.Clipping, ProblemKind.TruePeakOver, ProblemKind.Clicks, ProblemKind.OverCompressed, ProblemKind.DcOffset];

    /// <summary>The kinds judged on a stem of <c>mix</c>.</summary>
    public static readonly IReadOnlyList<ProblemKind> Stem =
        [ProblemKind.Clipping, ProblemKind.DcOffset, ProblemKind.Polarity, ProblemKind.Phase, ProblemKind.Hum, ProblemKind.Clicks, ProblemKind.Noise, ProblemKind.Rumble];

    /// <summary>The kinds judged on the sum <c>mix</c> writes.</summary>
    public static readonly IReadOnlyList<ProblemKind> Mix =
        [ProblemKind.Clipping, ProblemKind.DcOffset, ProblemKind.Polarity, ProblemKind.Phase, ProblemKind.StereoImbalance,
            ProblemKind.SilenceStart, ProblemKind.SilenceEnd, ProblemKind.AbruptEnd];

    /// <summary>The kinds of the sum that mastering carries into the master unchanged (gain, EQ
    /// and a limiter neither cause nor cure them): with <c>mix --master</c> they are said of the
    /// written master, with the master's own.</summary>
    public static readonly IReadOnlyList<ProblemKind> CarriedThroughMastering =
        [ProblemKind.Polarity, ProblemKind.Phase, ProblemKind.StereoImbalance, ProblemKind.SilenceStart, ProblemKind.SilenceEnd, ProblemKind.AbruptEnd];
}
