using System.Globalization;
using MixMate.Cli.CommandLine;
using MixMate.Dsp;

namespace MixMate.Cli.Audio;

/// <summary>
/// Writes planar float audio to a file through libsndfile: WAV, FLAC, Ogg Vorbis or MP3
/// (<see cref="FileFormat"/>); WAV in one of the <see cref="SampleFormat"/>s (WAVE_FORMAT_EXTENSIBLE for more than two channels, as
/// Microsoft's multichannel WAV specification asks); integer formats clip instead of wrapping
/// around. No dither is applied here — the caller dithers before 16-bit.
/// </summary>
/// <remarks>[any thread, one at a time]</remarks>
internal sealed class AudioFileWriter : IDisposable
{
    private const int ChunkFrames = 4096;

    private readonly float[] _interleaved;
    private nint _handle;

    private AudioFileWriter(string path, nint handle, int sampleRate, int channels)
    {
        Path = path;
        _handle = handle;
        SampleRate = sampleRate;
        Channels = channels;
        _interleaved = new float[ChunkFrames * channels];
    }

    public string Path { get; }

    public int SampleRate { get; }

    public int Channels { get; }

    /// <summary>Frames written so far.</summary>
    public long FramesWritten { get; private set; }

    /// <summary>[any thread] Creates (or replaces) <paramref name="path"/> as a WAV file.</summary>
    /// <exception cref="CliException">The file cannot be created.</exception>
    public static AudioFileWriter Create(string path, int sampleRate, int channels, SampleFormat format) =>
        Create(path, sampleRate, channels, format, FileFormat.Wav);

    /// <summary>[any thread] Creates (or replaces) <paramref name="path"/> in <paramref name="container"/>
    /// (the word length is ignored by the lossy containers). The path's own extension is not looked
    /// at, so a temporary name works.</summary>
    /// <exception cref="CliException">The file cannot be created or the container cannot hold the format.</exception>
    public static AudioFileWriter Create(string path, int sampleRate, int channels, SampleFormat format, FileFormat container) =>
        CreateWithFormat(path, sampleRate, channels, FileFormats.LibsndfileFormat(path, container, format, channels));

    /// <summary>[any thread] Creates <paramref name="path"/> with any libsndfile format word
    /// (major type | subtype, e.g. FLAC | PCM 24, Ogg | Vorbis, MPEG | Layer III); used by tools and
    /// tests that need containers other than WAV.</summary>
    /// <exception cref="CliException">libsndfile rejects the combination or cannot create the file.</exception>
    public static AudioFileWriter CreateWithFormat(string path, int sampleRate, int channels, int libsndfileFormat)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        SndFile.EnsureAvailable();

        var info = new SndFile.Info { SampleRate = sampleRate, Channels = channels, Format = libsndfileFormat };
        nint handle;
        string error = string.Empty;
        lock (SndFile.OpenGate)
        {
            handle = SndFile.Open(path, SndFile.ModeWrite, ref info);
            if (handle == 0)
            {
                error = SndFile.ErrorText(0);
            }
        }

        if (handle == 0)
        {
            throw CliException.ForFile(path, $"cannot create: {error.TrimEnd('.', ' ')}");
        }

        int subtype = libsndfileFormat & SndFile.SubtypeMask;
        if (subtype is SndFile.FormatPcm16 or SndFile.FormatPcm24 or SndFile.FormatPcm32)
        {
            // Without this a float of exactly +1.0 wraps to full negative scale.
            SndFile.SetFlag(handle, SndFile.CommandSetClipping, true);
        }

        return new AudioFileWriter(path, handle, sampleRate, channels);
    }

    /// <summary>[any thread] Writes a whole planar block to a new WAV file.</summary>
    public static void WriteAll(string path, AudioBlock block, int sampleRate, SampleFormat format) =>
        WriteAll(path, block, sampleRate, format, FileFormat.Wav);

    /// <summary>[any thread] Writes a whole planar block to a new file in <paramref name="container"/>.</summary>
    public static void WriteAll(string path, AudioBlock block, int sampleRate, SampleFormat format, FileFormat container)
    {
        using AudioFileWriter writer = Create(path, sampleRate, block.Channels, format, container);
        writer.Write(block);
        writer.Close();
    }

    /// <summary>[owning thread] Appends <paramref name="block"/>, which must have
    /// <see cref="Channels"/> channels and hold finite samples.</summary>
    /// <exception cref="CliException">The disk is full or the device failed.</exception>
    public unsafe void Write(AudioBlock block)
    {
        ObjectDisposedException.ThrowIf(_handle == 0, this);
        if (block.Channels != Channels)
        {
            throw new ArgumentException($"The block has {block.Channels} channels; the file has {Channels}.", nameof(block));
        }

        int channels = Channels;
        for (int start = 0; start < block.Frames; start += ChunkFrames)
        {
            int frames = Math.Min(ChunkFrames, block.Frames - start);
            Span<float> chunk = _interleaved.AsSpan(0, frames * channels);
            for (int c = 0; c < channels; c++)
            {
                ReadOnlySpan<float> source = block[c].Slice(start, frames);
                for (int i = 0, k = c; i < frames; i++, k += channels)
                {
                    float x = source[i];
                    if (!float.IsFinite(x))
                    {
                        // A non-finite sample here is a bug upstream; writing it would make a corrupt file.
                        throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                            $"Refusing to write a non-finite sample ({x}) at frame {FramesWritten + start + i}, channel {c + 1} of {Path}."));
                    }

                    chunk[k] = x;
                }
            }

            long written;
            fixed (float* pointer = chunk)
            {
                written = SndFile.WriteFrames(_handle, pointer, frames);
            }

            if (written != frames)
            {
                throw CliException.ForFile(Path, $"write failed: {SndFile.ErrorText(_handle).TrimEnd('.', ' ')}");
            }
        }

        FramesWritten += block.Frames;
    }

    /// <summary>[owning thread] Finishes the file (header sizes, encoder flush) and reports a failure.</summary>
    /// <exception cref="CliException">The file could not be completed.</exception>
    public void Close()
    {
        if (_handle == 0)
        {
            return;
        }

        nint handle = _handle;
        _handle = 0;
        if (SndFile.Close(handle) != 0)
        {
            throw CliException.ForFile(Path, "could not finish writing the file");
        }
    }

    public void Dispose()
    {
        if (_handle != 0)
        {
            _ = SndFile.Close(_handle);
            _handle = 0;
        }
    }
}
