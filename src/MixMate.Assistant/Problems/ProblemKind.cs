namespace MixMate.Assistant.Problems;

/// <summary>What is wrong. The JSON names (<see cref="ProblemKinds.Name"/>) are a contract.</summary>
public enum ProblemKind
{
    Clipping,
    TruePeakOver,
    DcOffset,
    Polarity,
    Phase,
    StereoImbalance,
    Hum,
    Clicks,
    Noise,
    Resonance,
    Sibilance,
    Rumble,
    SilenceStart,
    SilenceEnd,
    AbruptEnd,
    Loudness,
    OverCompressed,
    Format,
}

/// <summary>Names of <see cref="ProblemKind"/> as reports write them.</summary>
public static class ProblemKinds
{
    /// <summary>[any thread] The snake_case name: <c>clipping</c>, <c>true_peak_over</c>, ….</summary>
    public static string Name(this ProblemKind kind) => kind switch
    {
        ProblemKind.Clipping => "clipping",
        ProblemKind.TruePeakOver => "true_peak_over",
        ProblemKind.DcOffset => "dc_offset",
        ProblemKind.Polarity => "polarity",
        ProblemKind.Phase => "phase",
        ProblemKind.StereoImbalance => "stereo_imbalance",
        ProblemKind.Hum => "hum",
        ProblemKind.Clicks => "clicks",
        ProblemKind.Noise => "noise",
        ProblemKind.Resonance => "resonance",
        ProblemKind.Sibilance => "sibilance",
        ProblemKind.Rumble => "rumble",
        ProblemKind.SilenceStart => "silence_start",
        ProblemKind.SilenceEnd => "silence_end",
        ProblemKind.AbruptEnd => "abrupt_end",
        ProblemKind.Loudness => "loudness",
        ProblemKind.OverCompressed => "over_compressed",
        ProblemKind.Format => "format",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
