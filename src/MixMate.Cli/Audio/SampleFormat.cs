namespace MixMate.Cli.Audio;

/// <summary>Sample encodings MixMate writes (always as WAV).</summary>
internal enum SampleFormat
{
    /// <summary>16-bit integer PCM. Apply TPDF dither before writing; the writer does not.</summary>
    Pcm16,

    /// <summary>24-bit integer PCM.</summary>
    Pcm24,

    /// <summary>32-bit IEEE float.</summary>
    Float32,
}
