using System.Text.Json.Serialization;

namespace MixMate.Cli.Commands;

/// <summary>The JSON report of <c>mixmate master --album</c> (<c>DIR/album.json</c>). Field names
/// are a public contract.</summary>
/// <param name="Target">The loudness target the album is brought to.</param>
/// <param name="InputLufs">The album's integrated loudness as given: every track's gating blocks gated together (BS.1770-4).</param>
/// <param name="GainDb">The one gain applied to every track.</param>
/// <param name="OutputLufs">The album's integrated loudness after mastering (below the target when tracks were limited).</param>
/// <param name="TruePeakDbtp">The highest true peak of any master.</param>
/// <param name="Tracks">Every track, in album order.</param>
/// <param name="Warnings">Things to know, each a sentence.</param>
internal sealed record AlbumReport(MasterReportTarget Target, double? InputLufs, double GainDb, double? OutputLufs, double? TruePeakDbtp,
    IReadOnlyList<AlbumReportTrack> Tracks, IReadOnlyList<string> Warnings)
{
    /// <summary>The mixmate version that wrote the report.</summary>
    public string MixmateVersion { get; init; } = MixMate.Assistant.ProductVersion.Version;
}

/// <summary>One track of the album.</summary>
/// <param name="Input">The track as given.</param>
/// <param name="Output">Its master, relative to DIR.</param>
/// <param name="Report">Its JSON report (the <c>master --report</c> format), relative to DIR.</param>
/// <param name="Html">Its HTML report, relative to DIR.</param>
/// <param name="InputLufs">Integrated loudness of the track as given.</param>
/// <param name="OutputLufs">Integrated loudness of its master.</param>
/// <param name="RelativeInputLu">The track's loudness relative to the album's, as given.</param>
/// <param name="RelativeOutputLu">The same after mastering.</param>
/// <param name="MovedLu">How much the track moved against the album gain: output − input − gain (0 unless the limiter worked on it).</param>
/// <param name="Limited">Whether the limiter had to work on the track to hold the ceiling.</param>
/// <param name="LimiterMaxDb">The limiter's largest gain reduction on the track, dB.</param>
/// <param name="TruePeakDbtp">True peak of the master.</param>
internal sealed record AlbumReportTrack(string Input, string Output, string Report, string Html, double? InputLufs, double? OutputLufs,
    double? RelativeInputLu, double? RelativeOutputLu, double? MovedLu, bool Limited, double LimiterMaxDb, double? TruePeakDbtp);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(AlbumReport))]
internal sealed partial class AlbumReportJsonContext : JsonSerializerContext;
