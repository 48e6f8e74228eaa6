using System.Text.Json.Serialization;
using MixMate.Assistant.Problems;
using MixMate.Cli.Analysis;
using MixMate.Assistant.Eq;
using MixMate.Dsp.Filters;

namespace MixMate.Cli.Commands;

/// <summary>The JSON report of <c>mixmate master --report</c>. Field names are a public contract.</summary>
internal sealed record MasterReport(
    LoudnessAnalysis Input,
    LoudnessAnalysis Output,
    MasterReportTarget Target,
    double GainDb,
    MasterReportLimiter Limiter,
    IReadOnlyList<MasterReportEqMove> Eq,
    IReadOnlyList<string> Warnings)
{
    /// <summary>off, suggest or apply.</summary>
    public string EqMode { get; init; } = "suggest";

    /// <summary>Percentage of each suggested move that was applied.</summary>
    public double Amount { get; init; } = 100;

    /// <summary>16, 24 or 32f (the lossy formats are encoded from 32f).</summary>
    public string BitDepth { get; init; } = "24";

    /// <summary>Sample rate of the master, Hz.</summary>
    public int SampleRate { get; init; }

    /// <summary>The input's rate when the master was converted from it (--sample-rate), else null.</summary>
    public int? ResampledFromHz { get; init; }

    /// <summary>Container written: wav, flac, ogg or mp3.</summary>
    public string Format { get; init; } = "wav";

    /// <summary>The mixmate version that wrote the report.</summary>
    public string MixmateVersion { get; init; } = MixMate.Assistant.ProductVersion.Version;

    /// <summary>Every render of the gain search: gain tried, loudness reached (our meter).</summary>
    public IReadOnlyList<MasterReportPass> Passes { get; init; } = [];

    /// <summary>Problems of warning or error severity in the input (as <c>mixmate check</c> finds them,
    /// less loudness, ceiling, crest and format, which mastering sets).</summary>
    public IReadOnlyList<MasterReportProblem> InputProblems { get; init; } = [];

    /// <summary>Problems of warning or error severity that mastering may have caused (clipping,
    /// true-peak overs, clicks, over-compression, DC).</summary>
    public IReadOnlyList<MasterReportProblem> OutputProblems { get; init; } = [];

    /// <summary>Linear trim after the limiter that put the render exactly on target, dB (≤ 0).</summary>
    public double OutputTrimDb { get; init; }

    /// <summary>Latency of the chain, compensated in the file.</summary>
    public int LatencySamples { get; init; }

    /// <summary>Input long-term spectrum per ISO third-octave band (20 Hz–20 kHz), dB; null where empty.</summary>
    public IReadOnlyList<double?> InputBandsDb { get; init; } = [];

    /// <summary>Deviation from the tonal reference per band, dB (level offset removed).</summary>
    public IReadOnlyList<double> TonalDeviationDb { get; init; } = [];

    /// <summary>speech or music (what the tonal engine judged the programme as); null when EQ is off.</summary>
    public string? Content { get; init; }

    /// <summary>Why: the speech check's figures; null when EQ is off.</summary>
    public string? ContentReason { get; init; }

    /// <summary>Name of the tonal reference the moves were judged against (mix, speech); null when EQ is off.</summary>
    public string? TonalReference { get; init; }

    /// <summary>That reference per third-octave band at the input's level, dB (empty when EQ is off).</summary>
    public IReadOnlyList<double> ReferenceBandsDb { get; init; } = [];

    /// <summary>The fault the tonal engine estimated per third-octave band, dB (positive: too much).</summary>
    public IReadOnlyList<double> EstimatedFaultDb { get; init; } = [];

    /// <summary>The combined response of the suggested moves per third-octave band, dB (before the amount).</summary>
    public IReadOnlyList<double> EqCurveDb { get; init; } = [];

    /// <summary>What a reference match (<c>--reference</c>, <c>--target-curve</c>) matched and by how much; null without one.</summary>
    public MasterReportMatch? Match { get; init; }
}

/// <summary>A reference match: toward what, which aspects, how much, and what came of it.</summary>
/// <param name="Kind">reference (a file) or target (a style target).</param>
/// <param name="File">The reference or target file as given.</param>
/// <param name="Name">How reasons name it.</param>
/// <param name="Aspects">What was matched: tone, loudness, width, dynamics.</param>
/// <param name="Amount">Percentage of every match applied.</param>
/// <param name="Reference">The reference's figures.</param>
/// <param name="Items">Each aspect: input, reference, planned and result values, and what was done.</param>
/// <param name="Tone">The third-octave distances; null when tone was not matched.</param>
internal sealed record MasterReportMatch(string Kind, string File, string Name, IReadOnlyList<string> Aspects, double Amount,
    MasterReportMatchReference Reference, IReadOnlyList<MasterReportMatchItem> Items, MasterReportMatchTone? Tone)
{
    /// <summary>The master's long-term spectrum per third-octave band, dB (null where empty).</summary>
    public IReadOnlyList<double?> ResultBandsDb { get; init; } = [];

    /// <summary>Side-to-mid energy ratio of the input, dB (null when mono).</summary>
    public double? InputWidthDb { get; init; }

    /// <summary>Side-to-mid energy ratio of the master, dB (null when mono).</summary>
    public double? ResultWidthDb { get; init; }

    /// <summary>Whether the loudness aimed at was reached, the ceiling held and the master's 16× true peak.</summary>
    public MasterReportMatchLoudness? Loudness { get; init; }
}

/// <summary>The loudness part of a match: the aim (the reference's loudness scaled by the amount, or
/// the given target), the master's, whether it was reached (within
/// <see cref="Assistant.Mastering.MasteringEngine.ShortfallLu"/> LU), and if not why and how loud
/// the master could be made; the limiter's true-peak ceiling and the delivered master's true peak
/// as the 16× search reads it (null for silence).</summary>
internal sealed record MasterReportMatchLoudness(double TargetLufs, double? ResultLufs, bool LoudnessReached,
    MasterReportLoudnessOutOfReach? LoudnessOutOfReach, double LimiterCeilingDbtp, double? InterSamplePeakDbtp);

/// <summary>Why the loudness aimed at is out of reach, and the loudness the master reached (LUFS).</summary>
internal sealed record MasterReportLoudnessOutOfReach(string Reason, double? ReachableLufs);

/// <summary>The reference's (or target's) figures. Bands: absolute levels for a reference file, the
/// target curve (median 0 dB) for a style target.</summary>
internal sealed record MasterReportMatchReference(double? IntegratedLufs, double? LoudnessRangeLu, double? TruePeakDbtp, double? WidthDb,
    IReadOnlyList<double?> BandsDb, IReadOnlyList<double?> SpreadDb);

/// <summary>One matched aspect (unit dB, LUFS or LU); <c>planned</c> is what the plan aimed at, <c>result</c> the master's value.</summary>
internal sealed record MasterReportMatchItem(string Aspect, string Unit, double? Input, double? Reference, double? Planned, double? Result, string Note);

/// <summary>Third-octave distance to the reference (RMS over bands with programme, median offset
/// removed), dB, for the input and the master, and how much of it the match removed.</summary>
internal sealed record MasterReportMatchTone(double InputDistanceDb, double ResultDistanceDb, double ReductionPercent);

/// <summary>The loudness target.</summary>
internal sealed record MasterReportTarget(string Preset, double Lufs, double TruePeakDbtp);

/// <summary>Limiter statistics of the delivered render (positive dB of reduction).</summary>
internal sealed record MasterReportLimiter(double MaxGainReductionDb, double MeanGainReductionDb)
{
    /// <summary>"transparent", or "dense" when that character was needed to reach the loudness.</summary>
    public string Character { get; init; } = "transparent";

    /// <summary>With the dense character: the loudness the transparent limiter reached, LUFS.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public double? TransparentLufs { get; init; }
}

/// <summary>One EQ move: as suggested (<see cref="GainDb"/>) and as applied.</summary>
internal sealed record MasterReportEqMove([property: JsonConverter(typeof(FilterTypeJsonConverter))] FilterType Type, double FrequencyHz, double GainDb, double Q, string Reason, double AppliedGainDb);

/// <summary>
/// One problem <c>mixmate check</c> found, as the master report lists it: the check's contract
/// fields (<c>kind</c>, <c>severity</c>, <c>start</c>/<c>end</c> in seconds or null,
/// <c>value</c>, <c>threshold</c>, <c>message</c>) plus the fix and where, in words.
/// </summary>
internal sealed record MasterReportProblem(string Kind, string Severity, double? Start, double? End, double? Value, double? Threshold,
    string Unit, string Message, string Fix, string When)
{
    /// <summary>Where the threshold comes from (a standard, a platform, or MixMate's own choice).</summary>
    public string Source { get; init; } = string.Empty;

    /// <summary>[any thread] The report's view of a found problem, value and threshold rounded to
    /// <paramref name="decimals"/> (<c>check --json</c> writes 2).</summary>
    public static MasterReportProblem Rounded(Problem p, int decimals) => new(
        p.Kind.Name(),
        p.Severity == ProblemSeverity.Error ? "error" : p.Severity == ProblemSeverity.Warning ? "warning" : "info",
        p.Start is double a ? Math.Round(a, 3) : null,
        p.End is double b ? Math.Round(b, 3) : null,
        double.IsFinite(p.Value) ? Math.Round(p.Value, decimals) + 0.0 : null,
        double.IsFinite(p.Threshold) ? Math.Round(p.Threshold, decimals) + 0.0 : null,
        p.Unit,
        p.Message,
        p.Fix,
        CheckCommand.When(p))
    {
        Source = p.Source,
    };

    /// <summary>[any thread] The report's view of a found problem.</summary>
    public static MasterReportProblem From(Problem p) => Rounded(p, 3);
}

/// <summary>One render of the gain search.</summary>
internal sealed record MasterReportPass(double GainDb, double? Lufs);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(MasterReport))]
internal sealed partial class MasterReportJsonContext : JsonSerializerContext;
