using System.Text.Json.Serialization;

namespace MixMate.Cli.Demo;

/// <summary>System.Text.Json metadata for the demo's stem manifest (file name → render key),
/// generated at compile time so the command also works compiled ahead of time.</summary>
[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class StemManifestJsonContext : JsonSerializerContext;
