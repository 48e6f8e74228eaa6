using System.Globalization;
using System.Text.RegularExpressions;
using MixMate.Cli.CommandLine;
using MixMate.Dsp;

namespace MixMate.Cli.Audio;

/// <summary>
/// Streams an audio file (WAV incl. WAVE_FORMAT_EXTENSIBLE, RF64, AIFF, FLAC, Ogg Vorbis/Opus,
/// MP3, … — whatever libsndfile decodes) as 32-bit float, deinterleaved into planar
/// <see cref="AudioBlock"/>s. Integer PCM is normalised to ±1.0; float files are passed through.
/// Every problem — unreadable, truncated, malformed, non-finite samples — is a
/// <see cref="CliException"/> naming the file.
/// </summary>
/// <remarks>[any thread, one at a time] Memory is constant: one interleaved chunk of
/// <see cref="ChunkFrames"/> frames.</remarks>
internal sealed partial class AudioFileReader : IDisposable
{
    /// <summary>Frames decoded per libsndfile call.</summary>
    public const int ChunkFrames = 4096;

    /// <summary>The WAV/AIFF size field value that writers use for "length unknown (streamed)".</summary>
    private const long UnknownLengthMarker = 0xFFFFFFFF;

    /// <summary>The largest magnitude accepted in a float file: ±8 (+18 dBFS), which keeps every
    /// loudness inside the meter's range (+30 LUFS) for any common layout. Float files may
    /// legitimately run a little over full scale; anything this far above it is corrupt or
    /// mis-scaled, and is refused rather than silently brought down, so every figure MixMate
    /// prints (loudness, peaks, gains) stays meaningful and finite.</summary>
    public const float MaxMagnitude = 8f;

    private const double MaxMagnitudeDbfs = 18.06;

    private readonly float[] _interleaved;

    // Integer PCM (WAV, AIFF, FLAC, ... with 8- to 32-bit integer samples) converts to finite floats
    // by construction; only float and decoded lossy data need the NaN/Inf scan.
    private readonly bool _mayHoldNonFinite;
    private nint _handle;

    private AudioFileReader(string path, nint handle, SndFile.Info info)
    {
        Path = path;
        _handle = handle;
        SampleRate = info.SampleRate;
        Channels = info.Channels;
        Frames = info.Frames;
        Format = info.Format;
        _interleaved = new float[ChunkFrames * info.Channels];
        _mayHoldNonFinite = !IsIntegerPcm(info.Format);
    }

    /// <summary>The path as given to <see cref="Open"/> (used in every message).</summary>
    public string Path { get; }

    public int SampleRate { get; }

    public int Channels { get; }

    /// <summary>Frames in the file, as established when opening (after libsndfile has checked the
    /// header against the file's length).</summary>
    public long Frames { get; }

    /// <summary>Whether <see cref="Frames"/> may only be an estimate until the file is decoded (MP3, Ogg).</summary>
    public bool LengthIsEstimate => IsEstimatedLength(Format);

    /// <summary>The libsndfile format word (major type | subtype).</summary>
    public int Format { get; }

    /// <summary>Frames returned by <see cref="Read"/> so far.</summary>
    public long Position { get; private set; }

    /// <summary>Human-readable container and encoding, e.g. "WAV (Microsoft), Signed 24 bit PCM".</summary>
    public string FormatName
    {
        get
        {
            string major = SndFile.FormatName(Format & SndFile.TypeMask) ?? $"format 0x{Format & SndFile.TypeMask:X}";
            string? subtype = SndFile.FormatName(Format & SndFile.SubtypeMask);
            return subtype is null ? major : $"{major}, {subtype}";
        }
    }

    /// <summary>[any thread] Opens <paramref name="path"/> for reading.</summary>
    /// <exception cref="CliException">Missing, a directory, empty, not audio, unsupported,
    /// truncated, or with a header that makes no sense.</exception>
    public static AudioFileReader Open(string path)
    {
        SndFile.EnsureAvailable();
        if (Directory.Exists(path))
        {
            throw CliException.ForFile(path, "is a directory, not an audio file");
        }

        var file = new FileInfo(path);
        if (!file.Exists)
        {
            throw CliException.ForFile(path, "no such file");
        }

        if (file.Length == 0)
        {
            throw CliException.ForFile(path, "is empty (0 bytes)");
        }

        var info = default(SndFile.Info);
        nint handle;
        string openError = string.Empty;
        lock (SndFile.OpenGate)
        {
            handle = SndFile.Open(path, SndFile.ModeRead, ref info);
            if (handle == 0)
            {
                openError = SndFile.ErrorText(0);
            }
        }

        if (handle == 0)
        {
            throw CliException.ForFile(path, DescribeOpenError(openError, file.Extension));
        }

        try
        {
            CheckHeader(path, handle, info);
        }
        catch
        {
            _ = SndFile.Close(handle);
            throw;
        }

        return new AudioFileReader(path, handle, info);
    }

    /// <summary>[owning thread] Reads up to <c>destination.Frames</c> frames into the planar
    /// <paramref name="destination"/> (which must have <see cref="Channels"/> channels) and returns
    /// how many were read; fewer only at the end of the file, 0 at the end.</summary>
    /// <exception cref="CliException">A decoding error, a file shorter than its header declared,
    /// or a NaN/infinite sample (the message names the first bad frame).</exception>
    public unsafe int Read(AudioBlock destination)
    {
        ObjectDisposedException.ThrowIf(_handle == 0, this);
        if (destination.Channels != Channels)
        {
            throw new ArgumentException($"The block has {destination.Channels} channels; the file has {Channels}.", nameof(destination));
        }

        int total = 0;
        while (total < destination.Frames)
        {
            int wanted = Math.Min(ChunkFrames, destination.Frames - total);
            long got;
            fixed (float* chunk = _interleaved)
            {
                got = SndFile.ReadFrames(_handle, chunk, wanted);
            }

            if (got <= 0)
            {
                CheckEndOfData();
                break;
            }

            Deinterleave(destination, total, (int)got);
            total += (int)got;
            Position += got;
            if (got < wanted)
            {
                CheckEndOfData();
                break;
            }
        }

        return total;
    }

    /// <summary>[owning thread] Goes back to the first frame, so that the next <see cref="Read"/>
    /// returns what the first one did. False when the decoder cannot seek (the caller reopens the
    /// file instead).</summary>
    public bool TryRewind()
    {
        ObjectDisposedException.ThrowIf(_handle == 0, this);

        // Lossy decoders are reopened rather than trusted to restart sample-exactly.
        if (IsEstimatedLength(Format) || SndFile.Seek(_handle, 0, 0) != 0)
        {
            return false;
        }

        Position = 0;
        return true;
    }

    public void Dispose()
    {
        if (_handle != 0)
        {
            _ = SndFile.Close(_handle);
            _handle = 0;
        }
    }

    private void Deinterleave(AudioBlock destination, int offset, int frames)
    {
        int channels = Channels;
        ReadOnlySpan<float> source = _interleaved.AsSpan(0, frames * channels);
        if (channels == 2)
        {
            // The common case in one pass over the chunk instead of one per channel.
            Span<float> left = destination[0].Slice(offset, frames);
            Span<float> right = destination[1].Slice(offset, frames);
            for (int i = 0; i < left.Length; i++)
            {
                left[i] = source[2 * i];
                right[i] = source[(2 * i) + 1];
            }
        }
        else
        {
            for (int c = 0; c < channels; c++)
            {
                Span<float> target = destination[c].Slice(offset, frames);
                for (int i = 0, k = c; i < frames; i++, k += channels)
                {
                    target[i] = source[k];
                }
            }
        }

        if (!_mayHoldNonFinite)
        {
            return;
        }

        // One pass over the interleaved data finds the first non-finite or out-of-range sample in
        // frame order (a NaN fails the comparison too).
        for (int k = 0; k < source.Length; k++)
        {
            if (!(MathF.Abs(source[k]) <= MaxMagnitude))
            {
                long frame = Position + (k / channels);
                string where = string.Create(CultureInfo.InvariantCulture,
                    $"at frame {frame} (channel {(k % channels) + 1}, {frame / (double)SampleRate:0.000} s)");
                throw CliException.ForFile(Path, float.IsFinite(source[k])
                    ? string.Create(CultureInfo.InvariantCulture,
                        $"sample {source[k]:G4} {where} is outside the valid range ±{MaxMagnitude:0} ({MaxMagnitudeDbfs:+0} dBFS) for float samples; the file is corrupt or mis-scaled (scale it down and try again)")
                    : $"sample is {(float.IsNaN(source[k]) ? "NaN" : "infinite")} {where}; the file is corrupt");
            }
        }
    }

    private void CheckEndOfData()
    {
        int error = SndFile.Error(_handle);
        if (error != 0)
        {
            string text = SndFile.ErrorText(_handle).Replace("Error : ", string.Empty, StringComparison.Ordinal).TrimEnd('.', ' ');
            throw CliException.ForFile(Path, $"truncated or corrupt: decoding stopped at frame {Position} ({text})");
        }

        // The frame count comes from the header (FLAC STREAMINFO, MP3 Xing/Info) or, for PCM, from
        // the data size; decoding fewer frames means the file was cut off. Lossy streams may end a
        // few codec frames early, and an MP3 without a Xing header only has an estimate from its
        // size and first bitrate, so they get a margin.
        long missing = Frames - Position;
        long allowed = IsEstimatedLength(Format) ? Frames / 10 : 0;
        if (missing > allowed)
        {
            throw CliException.ForFile(Path, $"truncated: the file declares {Frames} frames but only {Position} could be decoded");
        }
    }

    /// <summary>libsndfile's integer PCM subtypes: signed 8, 16, 24, 32 bit and unsigned 8 bit
    /// (SF_FORMAT_PCM_S8 … SF_FORMAT_PCM_U8, 0x0001–0x0005).</summary>
    private static bool IsIntegerPcm(int format) => (format & SndFile.SubtypeMask) is >= 0x0001 and <= 0x0005;

    /// <summary>Containers whose frame count may be an estimate until decoded.</summary>
    private static bool IsEstimatedLength(int format) =>
        (format & SndFile.TypeMask) is SndFile.FormatMpeg or SndFile.FormatOgg;

    private static void CheckHeader(string path, nint handle, SndFile.Info info)
    {
        if (info.Channels <= 0)
        {
            throw CliException.ForFile(path, "the header declares 0 channels");
        }

        if (info.Channels > 64)
        {
            throw CliException.ForFile(path, $"the header declares {info.Channels} channels (at most 64 are supported)");
        }

        if (info.SampleRate <= 0)
        {
            throw CliException.ForFile(path, "the header declares a sample rate of 0 Hz");
        }

        if (info.SampleRate is < 1000 or > 1_536_000)
        {
            throw CliException.ForFile(path, $"the header declares an implausible sample rate of {info.SampleRate} Hz");
        }

        // SF_COUNT_MAX: libsndfile found no end of stream (an Ogg file cut before its last page).
        if (info.Frames is < 0 or long.MaxValue)
        {
            throw CliException.ForFile(path, "truncated or corrupt: the end of the audio stream is missing, so its length is unknown");
        }

        // libsndfile trusts FLAC's STREAMINFO total: a file declaring fewer samples than its frames
        // hold would be read short without a word, one declaring more would end "early".
        if ((info.Format & SndFile.TypeMask) == SndFile.FormatFlac
            && FlacLength.Measure(path) is { Frames: long held, Declared: long declaredSamples }
            && declaredSamples != 0 && declaredSamples != held)
        {
            throw CliException.ForFile(path, string.Create(CultureInfo.InvariantCulture,
                $"corrupt FLAC: STREAMINFO declares {declaredSamples} samples per channel but the audio frames hold {held}"));
        }

        CheckDeclaredLength(path, info, SndFile.LogText(handle));

        // libsndfile clamps a data chunk that runs past the end of the file to what is there and
        // notes "data : DECLARED (should be ACTUAL)" in its log. A declared size larger than the file
        // is a truncated file, or a header with an absurd size; 0xFFFFFFFF is the streaming
        // writers' "unknown length" and is accepted.
        Match match = DataChunkMismatch().Match(SndFile.LogText(handle));
        if (match.Success
            && long.TryParse(match.Groups["declared"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out long declared)
            && long.TryParse(match.Groups["actual"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out long actual)
            && declared > actual
            && declared != UnknownLengthMarker)
        {
            throw CliException.ForFile(path, string.Create(CultureInfo.InvariantCulture,
                $"truncated or corrupt: the header declares {declared} bytes of audio but the file holds {actual}"));
        }
    }

    /// <summary>W64 and RF64 declare their length in 64-bit fields (the data chunk's size, the
    /// ds64 chunk's data size and frame count) that libsndfile notes in its log but then clamps to
    /// what the file holds; a file cut short, or a header claiming terabytes in a few bytes, is
    /// refused instead of being read as a shorter programme.</summary>
    private static void CheckDeclaredLength(string path, SndFile.Info info, string log)
    {
        int major = info.Format & SndFile.TypeMask;
        if (major is not (SndFile.FormatW64 or SndFile.FormatRf64))
        {
            return;
        }

        static long? Number(Regex pattern, string text, string group = "n") =>
            pattern.Match(text) is { Success: true } m
                && long.TryParse(m.Groups[group].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out long value) ? value : null;

        long? fileLength = Number(LogFileLength(), log);
        if (major == SndFile.FormatRf64)
        {
            Match frames = Rf64FrameMismatch().Match(log);
            if (frames.Success
                && long.TryParse(frames.Groups["actual"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out long calculated)
                && long.TryParse(frames.Groups["declared"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out long declaredFrames)
                && calculated < declaredFrames)
            {
                throw CliException.ForFile(path, string.Create(CultureInfo.InvariantCulture,
                    $"truncated or corrupt: the RF64 header declares {declaredFrames} frames but the file holds {calculated}"));
            }

            if (Number(Rf64DataSize(), log) is long dataSize && fileLength is long length && dataSize > length)
            {
                throw CliException.ForFile(path, string.Create(CultureInfo.InvariantCulture,
                    $"truncated or corrupt: the RF64 header declares {dataSize} bytes of audio but the file is {length} bytes long"));
            }

            return;
        }

        // W64: the data chunk's size includes its 24-byte header (GUID and size).
        if (Number(W64DataSize(), log) is long chunk && Number(LogBlockAlign(), log) is long align && align > 0)
        {
            long declared = Math.Max(chunk - 24, 0) / align;
            if (declared > info.Frames)
            {
                throw CliException.ForFile(path, string.Create(CultureInfo.InvariantCulture,
                    $"truncated or corrupt: the W64 header declares {declared} frames ({chunk - 24} bytes) but the file holds {info.Frames}"));
            }
        }
    }

    private static string DescribeOpenError(string libraryError, string extension)
    {
        string text = libraryError.TrimEnd('.', ' ');
        if (text.StartsWith("System error : ", StringComparison.Ordinal))
        {
            return $"cannot open: {text["System error : ".Length..]}";
        }

        if (text.Contains("not recognised", StringComparison.OrdinalIgnoreCase)
            || text.Contains("not recognized", StringComparison.OrdinalIgnoreCase))
        {
            string kind = extension.Length > 0 ? $"'{extension}' " : string.Empty;
            return $"not a supported audio file ({kind}format not recognised; use WAV, FLAC, AIFF, Ogg or MP3)";
        }

        if (text.Contains("Channel count is zero", StringComparison.OrdinalIgnoreCase))
        {
            return "the header declares 0 channels";
        }

        if (text.Contains("SF_INFO struct incomplete", StringComparison.OrdinalIgnoreCase))
        {
            // libsndfile's check after parsing the header: rate, channels or encoding is zero.
            return "invalid header: the sample rate, channel count or encoding is zero or missing";
        }

        return $"unreadable or corrupt audio file ({text})";
    }

    [GeneratedRegex(@"^Length\s*:\s*(?<n>\d+)", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex LogFileLength();

    [GeneratedRegex(@"^\s*Block Align\s*:\s*(?<n>\d+)", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex LogBlockAlign();

    [GeneratedRegex(@"^\s*Data size\s*:\s*(?<n>\d+)", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex Rf64DataSize();

    [GeneratedRegex(@"Calculated frame count (?<actual>\d+) does not match value from 'ds64' chunk of (?<declared>\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex Rf64FrameMismatch();

    [GeneratedRegex(@"^data\s*:\s*(?<n>\d+)", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex W64DataSize();

    // WAV "data", AIFF "SSND", W64 "data", CAF "data" lines of libsndfile's parse log.
    [GeneratedRegex(@"^\s*(?:data|SSND)\s*:\s*(?<declared>\d+)\s*\(should be (?<actual>\d+)\)", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex DataChunkMismatch();
}
