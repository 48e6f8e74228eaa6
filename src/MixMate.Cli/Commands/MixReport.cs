using System.Text.Json.Serialization;
using MixMate.Cli.Analysis;

namespace MixMate.Cli.Commands;

/// <summary>The JSON report of <c>mixmate mix --report</c>. Field names are a public contract.</summary>
/// <param name="Tracks">One entry per stem, in argument order.</param>
/// <param name="Master">The mastering report (as <c>mixmate master --report</c> writes it), or null without --master.</param>
/// <param name="Output">Loudness of the written file (the fields of <c>mixmate analyze --json</c>).</param>
internal sealed record MixReport(IReadOnlyList<MixReportTrack> Tracks, MasterReport? Master, LoudnessAnalysis Output)
{
    /// <summary>Percentage of every gain and EQ move applied (--amount).</summary>
    public double Amount { get; init; } = 100;

    /// <summary>Gain applied to the whole sum so its sample peak stays at or below <see cref="CeilingDbfs"/> (≤ 0 dB).</summary>
    public double HeadroomDb { get; init; }

    /// <summary>Sample-peak ceiling of the sum before mastering, dBFS.</summary>
    public double CeilingDbfs { get; init; }

    /// <summary>Length of the mix in frames (the longest stem).</summary>
    public long Frames { get; init; }

    /// <summary>Sample rate shared by all stems, Hz.</summary>
    public int SampleRate { get; init; }

    /// <summary>Sentences about fallbacks (e.g. role model unavailable) and the warnings.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Warnings about the stems as a set (a stem that sounds like another: the same audio twice).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Every pair of stems that competes in a region, with the masking before and after the cuts.</summary>
    public IReadOnlyList<MixReportMasking> Masking { get; init; } = [];

    /// <summary>Stems converted to <see cref="SampleRate"/> before mixing: path and original rate.</summary>
    public IReadOnlyList<MixReportResampled> Resampled { get; init; } = [];

    /// <summary>Per stem, in argument order: problems of warning or error severity that
    /// <c>mixmate check</c> finds in it, of the kinds judged on a stem (clipping, DC, polarity,
    /// phase, hum, clicks, noise, rumble); times on the stem's own axis.</summary>
    public IReadOnlyList<MixReportStemProblems> InputProblems { get; init; } = [];

    /// <summary>Problems of warning or error severity in the written file: of the sum (clipping,
    /// DC, polarity, phase, stereo imbalance, silence at the start or end, a cut-off end) or, with
    /// --master, what mastering may have caused plus what the sum carries into the master.</summary>
    public IReadOnlyList<MasterReportProblem> OutputProblems { get; init; } = [];
}

/// <summary>The problems found in one stem.</summary>
/// <param name="Path">The stem as given on the command line.</param>
/// <param name="Problems">Each as the master report lists problems.</param>
internal sealed record MixReportStemProblems(string Path, IReadOnlyList<MasterReportProblem> Problems);

/// <summary>One competing pair of stems in one region (see <c>MaskingMeasure</c>).</summary>
/// <param name="Path">The stem that yields (gets the cut when it is kept).</param>
/// <param name="Other">The stem it makes room for.</param>
/// <param name="Region">Frequency region ("low end", "low mids", "mids", "presence", "brilliance").</param>
/// <param name="CoveredBefore">Share of <paramref name="Other"/>'s energy in the region that
/// <paramref name="Path"/> covers at the balanced levels, before any cut, 0..1.</param>
/// <param name="CoveredAfter">The same after all the cuts the mix makes (on either stem), 0..1.</param>
/// <param name="CutKept">Whether the pair's cut was made: only when it lowers the covered share by
/// at least one percentage point, within the stem's three cuts.</param>
internal sealed record MixReportMasking(string Path, string Other, string Region, double CoveredBefore, double CoveredAfter, bool CutKept);

/// <summary>One stem in the mix report.</summary>
/// <param name="Path">The stem as given on the command line.</param>
/// <param name="Role">Detected role, or null when unknown.</param>
/// <param name="GainDb">Gain applied to that stem, all scaling included: <see cref="BalanceMoveDb"/> + <see cref="HeadroomDb"/>.</param>
/// <param name="Eq">Unmasking cuts applied to the stem (scaled by the amount), each with its reason.</param>
/// <param name="Reasons">Why: the balance move's reason first, then one per cut.</param>
internal sealed record MixReportTrack(string Path, string? Role, double GainDb, IReadOnlyList<MasterReportEqMove> Eq, IReadOnlyList<string> Reasons)
{
    /// <summary>Probability of <see cref="Role"/> (0 when unknown).</summary>
    public double RoleConfidence { get; init; }

    /// <summary>The evidence for the role and the runner-up ("unsure: the role model hears bass 45 %,
    /// or keys 40 % …"), the user's setting, or why the role is unknown
    /// (<see cref="MixMate.Assistant.Roles.RoleExplanation"/>).</summary>
    public string? RoleReason { get; init; }

    /// <summary>"model" (detected), "user" (set with --role), or null when the role is unknown.</summary>
    public string? RoleSource { get; init; }

    /// <summary>Channels of the stem (a mono stem is placed centre with a −3 dB pan law).</summary>
    public int Channels { get; init; }

    /// <summary>Length of the stem in seconds (shorter stems are padded with silence at the end).</summary>
    public double DurationSeconds { get; init; }

    /// <summary>Active loudness as the stem came in (LUFS), null for silence.</summary>
    public double? ActiveLoudnessLufs { get; init; }

    /// <summary>Share of the stem where it plays, 0..1.</summary>
    public double ActiveFraction { get; init; }

    /// <summary>The role target used, LU on the role table's scale; null when the stem was left alone.</summary>
    public double? TargetLu { get; init; }

    /// <summary>The balance move as proposed (before the amount), dB.</summary>
    public double BalanceDb { get; init; }

    /// <summary>The balance move as applied (after the amount), dB.</summary>
    public double BalanceMoveDb { get; init; }

    /// <summary>The headroom scaling common to every stem (the report's headroomDb), dB (≤ 0).</summary>
    public double HeadroomDb { get; init; }
}

/// <summary>A stem that was resampled for the mix.</summary>
internal sealed record MixReportResampled(string Path, int FromHz, int ToHz);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(MixReport))]
internal sealed partial class MixReportJsonContext : JsonSerializerContext;
