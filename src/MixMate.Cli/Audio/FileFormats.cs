using MixMate.Cli.CommandLine;

namespace MixMate.Cli.Audio;

/// <summary>
/// The one place an output's container is decided: from <c>--format</c> when given, else from the
/// file's extension; a mismatch, an unknown extension or a combination libsndfile cannot encode is
/// refused with one line (exit 2) before any work is done.
/// </summary>
internal static class FileFormats
{
    /// <summary>Names accepted by <c>--format</c>, in help order.</summary>
    public static readonly string[] Names = ["wav", "flac", "ogg", "mp3"];

    /// <summary>[any-thread] The container for <paramref name="path"/>.</summary>
    /// <exception cref="CliException">Unknown extension without --format, or extension and --format disagree.</exception>
    public static FileFormat Resolve(string command, string path, string? formatOption)
    {
        FileFormat? fromOption = formatOption is null ? null : Parse(formatOption)
            ?? throw new CliException($"{command}: --format must be one of {string.Join(", ", Names)}, not '{formatOption}'");
        string extension = Path.GetExtension(path);
        FileFormat? fromExtension = FromExtension(extension);
        if (fromOption is FileFormat chosen)
        {
            if (extension.Length > 0 && fromExtension != chosen)
            {
                throw CliException.ForFile(path, $"the extension '{extension}' does not match --format {Name(chosen)} (use .{Extension(chosen)})");
            }

            return chosen;
        }

        return fromExtension ?? throw CliException.ForFile(path, extension.Length == 0
            ? $"has no extension; name it .wav, .flac, .ogg or .mp3, or give --format"
            : $"unknown output extension '{extension}'; use .wav, .flac, .ogg or .mp3 (or --format)");
    }

    /// <summary>[any-thread] Whether the container stores samples losslessly with a word length.</summary>
    public static bool IsLossy(FileFormat format) => format is FileFormat.Ogg or FileFormat.Mp3;

    /// <summary>[any-thread] The libsndfile format word for <paramref name="format"/> with the
    /// word length <paramref name="sample"/> (ignored by the lossy containers).</summary>
    /// <exception cref="CliException">The container cannot hold that word length (FLAC has no float).</exception>
    public static int LibsndfileFormat(string path, FileFormat format, SampleFormat sample, int channels)
    {
        int pcm = sample switch
        {
            SampleFormat.Pcm16 => SndFile.FormatPcm16,
            SampleFormat.Pcm24 => SndFile.FormatPcm24,
            SampleFormat.Float32 => SndFile.FormatFloat,
            _ => throw new ArgumentOutOfRangeException(nameof(sample)),
        };
        return format switch
        {
            FileFormat.Wav => (channels > 2 ? SndFile.FormatWavex : SndFile.FormatWav) | pcm,
            FileFormat.Flac when sample == SampleFormat.Float32 => throw CliException.ForFile(path, "FLAC holds 16- or 24-bit samples, not 32-bit float; use --bit-depth 16 or 24, or a .wav"),
            FileFormat.Flac => SndFile.FormatFlac | pcm,
            FileFormat.Ogg => SndFile.FormatOgg | SndFile.FormatVorbis,
            FileFormat.Mp3 => SndFile.FormatMpeg | SndFile.FormatMpegLayer3,
            _ => throw new ArgumentOutOfRangeException(nameof(format)),
        };
    }

    /// <summary>[any-thread] Refuses, before any work, a combination this libsndfile cannot encode
    /// (e.g. MP3 at 96 kHz, FLAC above 8 channels, a build without LAME).</summary>
    /// <exception cref="CliException">libsndfile's <c>sf_format_check</c> says no.</exception>
    public static void CheckWritable(string path, FileFormat format, SampleFormat sample, int sampleRate, int channels)
    {
        int word = LibsndfileFormat(path, format, sample, channels);
        if (!SndFile.CanWrite(word, sampleRate, channels))
        {
            throw CliException.ForFile(path, $"this libsndfile cannot write {Name(format)} at {sampleRate} Hz with {channels} channel{(channels == 1 ? string.Empty : "s")}");
        }
    }

    /// <summary>[any-thread] "wav", "flac", "ogg" or "mp3".</summary>
    public static string Name(FileFormat format) => Names[(int)format];

    private static string Extension(FileFormat format) => Name(format);

    private static FileFormat? Parse(string name) => name.ToLowerInvariant() switch
    {
        "wav" or "wave" => FileFormat.Wav,
        "flac" => FileFormat.Flac,
        "ogg" or "vorbis" => FileFormat.Ogg,
        "mp3" => FileFormat.Mp3,
        _ => null,
    };

    private static FileFormat? FromExtension(string extension) => extension.ToLowerInvariant() switch
    {
        ".wav" or ".wave" => FileFormat.Wav,
        ".flac" => FileFormat.Flac,
        ".ogg" or ".oga" => FileFormat.Ogg,
        ".mp3" => FileFormat.Mp3,
        _ => null,
    };
}
