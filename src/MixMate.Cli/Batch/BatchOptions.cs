using System.Text.Json.Serialization;

namespace MixMate.Cli.Batch;

/// <summary>
/// The options one input is processed with, resolved (a preset's loudness and ceiling written
/// out), as <c>results.jsonl</c> records them under <c>options</c>: <c>--resume</c> skips an input
/// only when they are the same. Options that do not apply to the command are null and left out.
/// </summary>
internal sealed record BatchOptions
{
    /// <summary>master: the preset (or <c>custom</c>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Target { get; init; }

    /// <summary>master: integrated loudness target, LUFS.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Lufs { get; init; }

    /// <summary>master: true-peak ceiling, dBTP.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Tp { get; init; }

    /// <summary>master: off, suggest or apply.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Eq { get; init; }

    /// <summary>master: percentage of every EQ move applied.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Amount { get; init; }

    /// <summary>master: 16, 24 or 32f.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? BitDepth { get; init; }

    /// <summary>master: wav, flac, ogg or mp3.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Format { get; init; }

    /// <summary>master: the rate converted to, Hz (null: the input's).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? SampleRate { get; init; }

    /// <summary>master: the bus compressor engaged.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Compressor { get; init; }

    /// <summary>check: the destination profile.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Profile { get; init; }
}
