namespace MixMate.Cli.Audio;

/// <summary>Containers MixMate writes through libsndfile; chosen from the output's extension or
/// <c>--format</c> (<see cref="FileFormats"/>).</summary>
internal enum FileFormat
{
    /// <summary>RIFF WAVE (WAVE_FORMAT_EXTENSIBLE above two channels); 16/24-bit PCM or 32-bit float.</summary>
    Wav,

    /// <summary>FLAC, lossless; 16- or 24-bit.</summary>
    Flac,

    /// <summary>Ogg Vorbis, lossy; encoded from float (no word length).</summary>
    Ogg,

    /// <summary>MPEG-1 Layer III, lossy; encoded from float where libsndfile was built with LAME.</summary>
    Mp3,
}
