namespace MixMate.Assistant.Problems;

/// <summary>How a programme is stored, as far as the format checks need it.</summary>
/// <param name="SampleRate">Frames per second.</param>
/// <param name="Channels">Channel count.</param>
/// <param name="BitDepth">Bits per sample of integer PCM; 32 or 64 with <paramref name="IsFloat"/>;
/// 0 when the encoding has no bit depth (lossy codecs).</param>
/// <param name="IsFloat">Floating-point samples.</param>
/// <param name="IsLossy">A lossy codec (MP3, Vorbis, Opus).</param>
/// <param name="Description">Container and encoding in words, e.g. "WAV, 24-bit PCM".</param>
public sealed record AudioFormat(int SampleRate, int Channels, int BitDepth, bool IsFloat, bool IsLossy, string Description)
{
    /// <summary>A float format for audio made in memory.</summary>
    public static AudioFormat InMemory(int sampleRate, int channels) =>
        new(sampleRate, channels, 32, true, false, "32-bit float (in memory)");
}
