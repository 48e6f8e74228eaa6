namespace MixMate.Assistant.Problems;

/// <summary>
/// What a programme is checked against: where it is going. Figures and their sources are listed
/// in the README ("mixmate check").
/// </summary>
/// <param name="Name">streaming, cd, broadcast or podcast.</param>
/// <param name="TargetLufs">Integrated loudness the destination plays at or asks for; null when it
/// has none (CD).</param>
/// <param name="WarnToleranceLu">Distance from the target beyond which <c>loudness</c> is a warning.</param>
/// <param name="ErrorToleranceLu">Distance beyond which it is an error (a delivery spec rejects
/// it); null when the destination normalises playback and never rejects.</param>
/// <param name="OnlyQuietMatters">True where louder than the target only means the platform turns
/// it down (streaming): louder is then info, not a warning.</param>
/// <param name="CeilingDbtp">True-peak ceiling of the destination.</param>
/// <param name="LoudnessSource">Where the target comes from.</param>
/// <param name="CeilingSource">Where the ceiling comes from.</param>
/// <param name="SampleRates">Sample rates the destination takes without conversion.</param>
/// <param name="MinBitDepth">Fewest bits per sample of integer PCM it takes (0: any).</param>
/// <param name="MaxBitDepth">Most bits per integer sample (0: any); float is judged separately.</param>
/// <param name="FloatAccepted">Whether float files are delivered as they are.</param>
/// <param name="MaxChannels">Most channels it takes.</param>
/// <param name="FormatSource">Where the format figures come from.</param>
public sealed record CheckProfile(
    string Name,
    double? TargetLufs,
    double WarnToleranceLu,
    double? ErrorToleranceLu,
    bool OnlyQuietMatters,
    double CeilingDbtp,
    string LoudnessSource,
    string CeilingSource,
    IReadOnlyList<int> SampleRates,
    int MinBitDepth,
    int MaxBitDepth,
    bool FloatAccepted,
    int MaxChannels,
    string FormatSource)
{
    /// <summary>Streaming platforms (the default).</summary>
    public static CheckProfile Streaming { get; } = new(
        "streaming", -14, 6, null, true, -1,
        "Spotify, YouTube, Tidal and Amazon normalise to about -14 LUFS (Apple -16); AES TD1008",
        "Spotify and AES TD1008: -1 dBTP so lossy encoding does not clip",
        [44100, 48000, 88200, 96000, 176400, 192000], 16, 32, true, 2,
        "distributor delivery specs (DistroKid, CD Baby, Apple Digital Masters): 44.1 kHz or higher, 16 or 24 bit, lossless");

    /// <summary>Compact Disc production.</summary>
    public static CheckProfile Cd { get; } = new(
        "cd", null, 0, null, false, -0.3,
        "the Red Book sets no loudness",
        "no standard: common CD mastering practice keeps true peaks below -0.3 dBTP for consumer converters",
        [44100], 16, 16, false, 2,
        "IEC 60908 (Red Book): 44.1 kHz, 16 bit, 2 channels");

    /// <summary>Broadcast delivery to EBU R128.</summary>
    public static CheckProfile Broadcast { get; } = new(
        "broadcast", -23, 0.5, 1.0, false, -1,
        "EBU R128: -23 LUFS, within ±0.5 LU (±1 LU where it cannot be normalised exactly)",
        "EBU R128: maximum true peak -1 dBTP",
        [48000], 16, 24, false, 8,
        "EBU R128 / Tech 3285 (BWF) practice: 48 kHz, 16 or 24 bit PCM");

    /// <summary>Podcasts and spoken word.</summary>
    public static CheckProfile Podcast { get; } = new(
        "podcast", -16, 2, null, false, -1,
        "AES TD1004 and Apple Podcasts: -16 LUFS (±1 dB) for stereo programmes",
        "AES TD1004: -1 dBTP",
        [44100, 48000], 16, 24, false, 2,
        "Apple Podcasts and Spotify podcast specs: 44.1 or 48 kHz, mono or stereo");

    /// <summary>Every profile, in the order the help text lists them.</summary>
    public static IReadOnlyList<CheckProfile> All { get; } = [Streaming, Cd, Broadcast, Podcast];

    /// <summary>[any thread] The profile called <paramref name="name"/>, or null.</summary>
    public static CheckProfile? Find(string name) =>
        All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
}
