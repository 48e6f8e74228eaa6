using MixMate.Assistant.Loudness;
using MixMate.Assistant.Problems;
using MixMate.Dsp;

namespace MixMate.Cli.Analysis;

/// <summary>
/// The checks of <c>mixmate check</c> run on what <c>master</c> and <c>mix</c> read and write,
/// keeping what a user must hear about: problems of warning or error severity, of the kinds that
/// make sense at that stage.
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
internal static class StageChecks
{
    private static readonly ProblemKind[] s_notOnInput = [ProblemKind.Loudness, ProblemKind.TruePeakOver, ProblemKind.OverCompressed, ProblemKind.Format];
    private static readonly ProblemKind[] s_onMaster = [ProblemKind.Clipping, ProblemKind.TruePeakOver, ProblemKind.Clicks, ProblemKind.OverCompressed, ProblemKind.DcOffset];

    /// <summary>The kinds judged on a stem of <c>mix</c>.</summary>
    public static readonly ProblemKind[] OnStem =
        [ProblemKind.Clipping, ProblemKind.DcOffset, ProblemKind.Polarity, ProblemKind.Phase, ProblemKind.Hum, ProblemKind.Clicks, ProblemKind.Noise, ProblemKind.Rumble];

    /// <summary>The kinds judged on the sum <c>mix</c> writes.</summary>
    public static readonly ProblemKind[] OnMix =
        [ProblemKind.Clipping, ProblemKind.DcOffset, ProblemKind.Polarity, ProblemKind.Phase, ProblemKind.StereoImbalance,
            ProblemKind.SilenceStart, ProblemKind.SilenceEnd, ProblemKind.AbruptEnd];

    /// <summary>The kinds of the sum that mastering carries into the master unchanged (gain, EQ
    /// and a limiter neither cause nor cure them): with <c>mix --master</c> they are said of the
    /// written master, with the master's own.</summary>
    public static readonly ProblemKind[] CarriedThroughMastering =
        [ProblemKind.Polarity, ProblemKind.Phase, ProblemKind.StereoImbalance, ProblemKind.SilenceStart, ProblemKind.SilenceEnd, ProblemKind.AbruptEnd];

    /// <summary>[any thread] The delivery profile a loudness target belongs to.</summary>
    public static CheckProfile ProfileFor(LoudnessTarget target) => target.Preset switch
    {
        "ebu-r128" or "atsc-a85" => CheckProfile.Broadcast,
        "podcast" => CheckProfile.Podcast,
        _ => CheckProfile.Streaming,
    };

    /// <summary>[any thread] The checker <see cref="Input(AudioBlock, double, LoudnessTarget)"/> and
    /// <see cref="Master(AudioBlock, double, LoudnessTarget)"/> run (audio judged as 32-bit float),
    /// for a caller streaming the programme on a pass of its own: feed it blocks of at most
    /// <see cref="FileChecker.BlockFrames"/> frames, then pass its report to <see cref="Input(CheckReport)"/>
    /// or <see cref="Master(CheckReport)"/>.</summary>
    public static ProblemChecker Checker(double sampleRate, int channels, LoudnessTarget target) =>
        new(ProfileFor(target), AudioFormat.InMemory((int)sampleRate, channels));

    /// <summary>[any thread] The input's problems worth a warning, from a <see cref="Checker"/>'s report.</summary>
    public static IReadOnlyList<Problem> Input(CheckReport report) => Keep(report, k => !s_notOnInput.Contains(k));

    /// <summary>[any thread] The master's problems worth a warning, from a <see cref="Checker"/>'s report.</summary>
    public static IReadOnlyList<Problem> Master(CheckReport report) => Keep(report, k => s_onMaster.Contains(k));

    /// <summary>[any thread] What is wrong with a mastering input worth a warning.</summary>
    public static IReadOnlyList<Problem> Input(AudioBlock audio, double sampleRate, LoudnessTarget target) =>
        Keep(FileChecker.Check(audio, (int)sampleRate, ProfileFor(target)), k => !s_notOnInput.Contains(k));

    /// <summary>[any thread] What mastering may have caused that is worth a warning.</summary>
    public static IReadOnlyList<Problem> Master(AudioBlock audio, double sampleRate, LoudnessTarget target) =>
        Keep(FileChecker.Check(audio, (int)sampleRate, ProfileFor(target), s_onMaster), k => s_onMaster.Contains(k));

    /// <summary>[any thread] What is wrong with one stem of <c>mix</c> worth a warning (the profile
    /// plays no part: only <see cref="OnStem"/> kinds are judged).</summary>
    public static IReadOnlyList<Problem> Stem(AudioBlock audio, double sampleRate) =>
        Keep(FileChecker.Check(audio, (int)sampleRate, CheckProfile.Streaming, OnStem), OnStem.Contains);

    /// <summary>[any thread] What is wrong with the sum <c>mix</c> writes worth a warning.</summary>
    public static IReadOnlyList<Problem> Mix(AudioBlock audio, double sampleRate) =>
        Keep(FileChecker.Check(audio, (int)sampleRate, CheckProfile.Streaming, OnMix), OnMix.Contains);

    private static List<Problem> Keep(CheckReport report, Func<ProblemKind, bool> wanted) =>
        [.. report.Problems.Where(p => p.Severity >= ProblemSeverity.Warning && wanted(p.Kind))];
}
