using MixMate.Assistant.Loudness;
using MixMate.Assistant.Problems;
using MixMate.Dsp;

namespace MixMate.Cli.Analysis;

/// <summary>
/// The checks of <c>mixmate check</c> run on what <c>master</c> and <c>mix</c> read and write,
/// keeping what a user must hear about: problems of warning or error severity, of the kinds
/// <see cref="CheckStage"/> judges at that stage (the checker skips the detectors of the others).
/// </summary>
internal static class StageChecks
{
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
    /// <param name="sampleRate">Frames per second.</param>
    /// <param name="channels">Channel count.</param>
    /// <param name="target">The loudness target (its delivery profile).</param>
    /// <param name="kinds">The stage's kinds (<see cref="CheckStage.MasteringInput"/> or
    /// <see cref="CheckStage.Master"/>): detectors no kind of them needs are not run.</param>
    public static ProblemChecker Checker(double sampleRate, int channels, LoudnessTarget target, IReadOnlyCollection<ProblemKind> kinds) =>
        new(ProfileFor(target), AudioFormat.InMemory((int)sampleRate, channels), kinds);

    /// <summary>[any thread] The input's problems worth a warning, from a <see cref="Checker"/>'s report.</summary>
    public static IReadOnlyList<Problem> Input(CheckReport report) => Keep(report, CheckStage.MasteringInput);

    /// <summary>[any thread] The master's problems worth a warning, from a <see cref="Checker"/>'s report.</summary>
    public static IReadOnlyList<Problem> Master(CheckReport report) => Keep(report, CheckStage.Master);

    /// <summary>[any thread] What is wrong with a mastering input worth a warning.</summary>
    public static IReadOnlyList<Problem> Input(AudioBlock audio, double sampleRate, LoudnessTarget target) =>
        Warnings(FileChecker.Check(audio, (int)sampleRate, ProfileFor(target), CheckStage.MasteringInput));

    /// <summary>[any thread] What mastering may have caused that is worth a warning.</summary>
    public static IReadOnlyList<Problem> Master(AudioBlock audio, double sampleRate, LoudnessTarget target) =>
        Warnings(FileChecker.Check(audio, (int)sampleRate, ProfileFor(target), CheckStage.Master));

    /// <summary>[any thread] What is wrong with one stem of <c>mix</c> worth a warning (the profile
    /// plays no part: no <see cref="CheckStage.Stem"/> kind depends on it).</summary>
    public static IReadOnlyList<Problem> Stem(AudioBlock audio, double sampleRate) =>
        Warnings(FileChecker.Check(audio, (int)sampleRate, CheckProfile.Streaming, CheckStage.Stem));

    /// <summary>[any thread] What is wrong with the sum <c>mix</c> writes worth a warning.</summary>
    public static IReadOnlyList<Problem> Mix(AudioBlock audio, double sampleRate) =>
        Warnings(FileChecker.Check(audio, (int)sampleRate, CheckProfile.Streaming, CheckStage.Mix));

    private static List<Problem> Warnings(CheckReport report) =>
        [.. report.Problems.Where(p => p.Severity >= ProblemSeverity.Warning)];

    private static List<Problem> Keep(CheckReport report, IReadOnlyList<ProblemKind> kinds) =>
        [.. report.Problems.Where(p => p.Severity >= ProblemSeverity.Warning && kinds.Contains(p.Kind))];
}
