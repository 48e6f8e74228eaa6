using System.Text.Json.Serialization;

namespace MixMate.Cli.Batch;

/// <summary>
/// One line of <c>DIR/results.jsonl</c>: what happened to one input. Field names are a public
/// contract. Nothing in it depends on the run (no times, no process, no absolute path the user did
/// not give), so a sharded run writes the same lines as a single one.
/// </summary>
/// <param name="Input">The input as given on the command line, found in a folder, or named by the manifest.</param>
/// <param name="Sha256">SHA-256 of the input's bytes (hex); null when it could not be read.</param>
/// <param name="Command">master, analyze or check.</param>
/// <param name="Status"><c>ok</c> or <c>failed</c>.</param>
/// <param name="Output">The master (master) or the JSON (analyze, check), relative to DIR.</param>
/// <param name="Report">The JSON report of a master, relative to DIR; null for analyze and check.</param>
/// <param name="Options">What the input was processed with.</param>
internal sealed record BatchResult(string Input, string? Sha256, string Command, string Status, string? Output, string? Report, BatchOptions Options)
{
    /// <summary>Status of an input that was processed.</summary>
    public const string Ok = "ok";

    /// <summary>Status of an input that could not be processed (<see cref="Error"/> says why).</summary>
    public const string Failed = "failed";

    /// <summary>The delivered file's figures: the master's for master, else the input's.</summary>
    public BatchFigures? Loudness { get; init; }

    /// <summary>master: the input's figures.</summary>
    public BatchFigures? InputLoudness { get; init; }

    /// <summary>master: gain before the limiter, dB.</summary>
    public double? GainDb { get; init; }

    /// <summary>master: largest limiter gain reduction, dB.</summary>
    public double? LimiterMaxDb { get; init; }

    /// <summary>What each platform's loudness normalisation does to <see cref="Loudness"/> on
    /// playback, dB (negative: turned down), by preset name.</summary>
    public IReadOnlyDictionary<string, double>? Playback { get; init; }

    /// <summary>Problems found: every one for check; for master those of the input and of the master
    /// at warning or worse.</summary>
    public IReadOnlyList<BatchProblem> Problems { get; init; } = [];

    /// <summary>Warnings, each a sentence.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Why the input failed (one line naming it); null when it did not.</summary>
    public string? Error { get; init; }
}

/// <summary>Loudness figures of one file, rounded as the reports round them.</summary>
internal sealed record BatchFigures(double? IntegratedLufs, double? LoudnessRangeLu, double? TruePeakDbtp, double? SamplePeakDbfs,
    double DurationSeconds, int? SampleRate, int? Channels);

/// <summary>One problem as the catalogue lists it.</summary>
/// <param name="Kind">The check's kind (clipping, true_peak_over, …).</param>
/// <param name="Severity">info, warning or error.</param>
/// <param name="Where">input or master (master only); null for check.</param>
/// <param name="When">m:ss.s, a range, or "whole file".</param>
/// <param name="Message">What is wrong.</param>
internal sealed record BatchProblem(string Kind, string Severity, string? Where, string When, string Message);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = false,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(BatchResult))]
[JsonSerializable(typeof(BatchOptions))]
internal sealed partial class BatchResultJsonContext : JsonSerializerContext;
