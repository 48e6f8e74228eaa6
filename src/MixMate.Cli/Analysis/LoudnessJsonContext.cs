using System.Text.Json.Serialization;

namespace MixMate.Cli.Analysis;

/// <summary>System.Text.Json metadata generated at compile time: camelCase names, nulls written.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(LoudnessAnalysis))]
[JsonSerializable(typeof(LoudnessAnalysis[]))]
internal sealed partial class LoudnessJsonContext : JsonSerializerContext;
