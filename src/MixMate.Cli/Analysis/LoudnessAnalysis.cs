namespace MixMate.Cli.Analysis;

/// <summary>
/// Loudness figures of one file or buffer per ITU-R BS.1770-4 and EBU R128 (Tech 3341/3342).
/// Levels that do not exist are null rather than −∞ (JSON has no infinity): integrated loudness
/// when no gating block passes the −70 LUFS absolute gate (digital silence), loudness range when no
/// complete 3 s short-term window passes that gate (shorter than 3 s, or silent), peaks for
/// all-zero audio, maxima when the audio is shorter than one window (400 ms momentary, 3 s
/// short-term).
/// </summary>
/// <param name="Path">The file as given on the command line, or a label for in-memory audio.</param>
/// <param name="SampleRate">Hz.</param>
/// <param name="Channels">Channel count; weighted as in <c>LoudnessMeter.DefaultChannelWeights</c> (5.1 = L R C LFE Ls Rs, the LFE excluded, surrounds +1.5 dB).</param>
/// <param name="DurationSeconds">Frames ÷ sample rate.</param>
/// <param name="IntegratedLufs">Gated integrated loudness (BS.1770-4 §2.8), LUFS.</param>
/// <param name="LoudnessRangeLu">Loudness range (EBU Tech 3342), LU.</param>
/// <param name="TruePeakDbtp">Maximum true peak over channels (BS.1770-4 Annex 2), dBTP.</param>
/// <param name="SamplePeakDbfs">Maximum absolute sample over channels, dBFS.</param>
/// <param name="MaxMomentaryLufs">Highest momentary (400 ms) loudness, LUFS.</param>
/// <param name="MaxShortTermLufs">Highest short-term (3 s) loudness, LUFS.</param>
internal sealed record LoudnessAnalysis(
    string Path,
    int SampleRate,
    int Channels,
    double DurationSeconds,
    double? IntegratedLufs,
    double? LoudnessRangeLu,
    double? TruePeakDbtp,
    double? SamplePeakDbfs,
    double? MaxMomentaryLufs,
    double? MaxShortTermLufs)
{
    /// <summary>Decimals kept in reports for levels: 0.01 dB is far below any audible or
    /// metering difference (EBU Tech 3341 asks for ±0.1 LU accuracy).</summary>
    public const int LevelDecimals = 2;

    /// <summary>Decimals kept in reports for the duration (milliseconds).</summary>
    public const int DurationDecimals = 3;

    /// <summary>[any thread] A copy rounded for reports (JSON, tables); computations use the original.</summary>
    public LoudnessAnalysis Rounded() => this with
    {
        DurationSeconds = Math.Round(DurationSeconds, DurationDecimals, MidpointRounding.AwayFromZero),
        IntegratedLufs = Round(IntegratedLufs),
        LoudnessRangeLu = Round(LoudnessRangeLu),
        TruePeakDbtp = Round(TruePeakDbtp),
        SamplePeakDbfs = Round(SamplePeakDbfs),
        MaxMomentaryLufs = Round(MaxMomentaryLufs),
        MaxShortTermLufs = Round(MaxShortTermLufs),
    };

    /// <summary>A finite level, or null for −∞ / NaN (the meters' "nothing to report").</summary>
    public static double? Level(double value) => double.IsFinite(value) ? value : null;

    // Adding +0.0 turns a rounded −0 into 0, so reports never show "-0".
    private static double? Round(double? value) =>
        value is double v ? Math.Round(v, LevelDecimals, MidpointRounding.AwayFromZero) + 0.0 : null;
}
