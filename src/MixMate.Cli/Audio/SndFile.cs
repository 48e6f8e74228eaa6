using System.Reflection;
using System.Runtime.InteropServices;
using MixMate.Cli.CommandLine;

namespace MixMate.Cli.Audio;

/// <summary>
/// Source-generated P/Invoke binding to libsndfile 1.x (<c>libsndfile.so.1</c>), the decoder and
/// encoder behind every MixMate file. Only the calls MixMate needs are bound; constants are the
/// values of <c>sndfile.h</c> (libsndfile 1.2).
/// </summary>
/// <remarks>[any thread] libsndfile handles may be used from one thread at a time each; distinct
/// handles are independent. The library-wide "last open error" is not per thread, so
/// <see cref="OpenGate"/> serialises opening.</remarks>
internal static partial class SndFile
{
    /// <summary>Name used in the import attributes; <see cref="Resolve"/> maps it to the real file.</summary>
    private const string LibraryName = "libsndfile";

    public const int ModeRead = 0x10;
    public const int ModeWrite = 0x20;

    // Major formats (sndfile.h, SF_FORMAT_*).
    public const int FormatWav = 0x010000;
    public const int FormatAiff = 0x020000;
    public const int FormatW64 = 0x0B0000;
    public const int FormatWavex = 0x130000;
    public const int FormatFlac = 0x170000;
    public const int FormatOgg = 0x200000;
    public const int FormatRf64 = 0x220000;
    public const int FormatMpeg = 0x230000;

    // Subtypes.
    public const int FormatPcm16 = 0x0002;
    public const int FormatPcm24 = 0x0003;
    public const int FormatPcm32 = 0x0004;
    public const int FormatFloat = 0x0006;
    public const int FormatDouble = 0x0007;
    public const int FormatVorbis = 0x0060;
    public const int FormatMpegLayer3 = 0x0082;

    public const int SubtypeMask = 0x0000FFFF;
    public const int TypeMask = 0x0FFF0000;

    // sf_command numbers.
    public const int CommandGetLogInfo = 0x1001;
    public const int CommandSetScaleFloatIntRead = 0x1014;
    public const int CommandGetFormatInfo = 0x1028;
    public const int CommandSetClipping = 0x10C0;

    public const int True = 1;

    /// <summary>Candidates tried, in order, when the runtime asks for <see cref="LibraryName"/>.</summary>
    private static readonly string[] s_candidates =
    [
        "libsndfile.so.1",
        "/usr/lib/x86_64-linux-gnu/libsndfile.so.1",
        "/usr/lib/aarch64-linux-gnu/libsndfile.so.1",
        "libsndfile.so",
        "libsndfile.1.dylib",
        "sndfile.dll",
        "libsndfile-1.dll",
    ];

    private static readonly Lazy<string?> s_loadProblem = new(Probe);

    static SndFile()
    {
        try
        {
            NativeLibrary.SetDllImportResolver(typeof(SndFile).Assembly, Resolve);
        }
        catch (InvalidOperationException)
        {
            // Another part of this assembly installed a resolver first; the import name is then
            // probed by the runtime as is, which still works where "libsndfile" is on the loader path.
        }
    }

    /// <summary>Taken around <c>sf_open</c> and the read of its error text, which libsndfile keeps
    /// in one process-wide variable.</summary>
    public static Lock OpenGate { get; } = new();

    /// <summary>Layout of <c>SF_INFO</c> on LP64 platforms: <c>sf_count_t</c> is int64.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Info
    {
        public long Frames;
        public int SampleRate;
        public int Channels;
        public int Format;
        public int Sections;
        public int Seekable;
    }

    /// <summary>Layout of <c>SF_FORMAT_INFO</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct FormatInfo
    {
        public int Format;
        public nint Name;
        public nint Extension;
    }

    [LibraryImport(LibraryName, EntryPoint = "sf_open", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint Open(string path, int mode, ref Info info);

    [LibraryImport(LibraryName, EntryPoint = "sf_close")]
    public static partial int Close(nint file);

    [LibraryImport(LibraryName, EntryPoint = "sf_readf_float")]
    public static unsafe partial long ReadFrames(nint file, float* interleaved, long frames);

    [LibraryImport(LibraryName, EntryPoint = "sf_writef_float")]
    public static unsafe partial long WriteFrames(nint file, float* interleaved, long frames);

    /// <summary>sf_seek: moves to <paramref name="frames"/> from <paramref name="whence"/> (0: the
    /// start); returns the new position, −1 on failure.</summary>
    [LibraryImport(LibraryName, EntryPoint = "sf_seek")]
    public static partial long Seek(nint file, long frames, int whence);

    [LibraryImport(LibraryName, EntryPoint = "sf_format_check")]
    private static partial int FormatCheckNative(ref Info info);

    [LibraryImport(LibraryName, EntryPoint = "sf_error")]
    public static partial int Error(nint file);

    [LibraryImport(LibraryName, EntryPoint = "sf_strerror")]
    private static partial nint StrError(nint file);

    [LibraryImport(LibraryName, EntryPoint = "sf_command")]
    public static partial int Command(nint file, int command, nint data, int dataSize);

    [LibraryImport(LibraryName, EntryPoint = "sf_version_string")]
    private static partial nint VersionString();

    /// <summary>The error text for <paramref name="file"/>, or for the last failed open when it is 0.</summary>
    public static string ErrorText(nint file) => Marshal.PtrToStringUTF8(StrError(file)) ?? "unknown libsndfile error";

    /// <summary>The library's version string, e.g. "libsndfile-1.2.0".</summary>
    public static string Version()
    {
        EnsureAvailable();
        return Marshal.PtrToStringUTF8(VersionString()) ?? "libsndfile";
    }

    /// <summary>Whether this libsndfile can write <paramref name="format"/> (major | subtype) at the
    /// given rate and channel count (<c>sf_format_check</c>; Debian's build encodes MP3 through LAME).</summary>
    public static bool CanWrite(int format, int sampleRate, int channels)
    {
        EnsureAvailable();
        var info = new Info { Format = format, SampleRate = sampleRate, Channels = channels };
        return FormatCheckNative(ref info) != 0;
    }

    /// <summary>Sets a boolean command (clipping, float→int scaling) on an open handle.</summary>
    public static void SetFlag(nint file, int command, bool value) => _ = Command(file, command, 0, value ? True : 0);

    /// <summary>libsndfile's log for an open handle: the header fields it parsed and what it fixed up.</summary>
    public static unsafe string LogText(nint file)
    {
        const int Size = 16384;
        byte* buffer = stackalloc byte[Size];
        _ = Command(file, CommandGetLogInfo, (nint)buffer, Size);
        return Marshal.PtrToStringUTF8((nint)buffer) ?? string.Empty;
    }

    /// <summary>The name libsndfile gives a major type or subtype (e.g. "WAV (Microsoft)", "Signed 24 bit PCM").</summary>
    public static unsafe string? FormatName(int format)
    {
        var info = new FormatInfo { Format = format };
        if (Command(0, CommandGetFormatInfo, (nint)(&info), sizeof(FormatInfo)) != 0)
        {
            return null;
        }

        return Marshal.PtrToStringUTF8(info.Name);
    }

    /// <summary>Throws a one-line <see cref="CliException"/> when libsndfile cannot be loaded, so a
    /// missing package reads as such instead of as a <see cref="DllNotFoundException"/>.</summary>
    public static void EnsureAvailable()
    {
        if (s_loadProblem.Value is string problem)
        {
            throw new CliException(problem, ExitCodes.InternalError);
        }
    }

    private static string? Probe()
    {
        try
        {
            _ = VersionString();
            return null;
        }
        catch (DllNotFoundException)
        {
            return "libsndfile is not installed (looked for libsndfile.so.1); install it, e.g. 'apt-get install libsndfile1'";
        }
        catch (EntryPointNotFoundException e)
        {
            return $"the installed libsndfile is too old or incomplete ({e.Message}); version 1.1 or newer is needed";
        }
    }

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != LibraryName)
        {
            return 0;
        }

        foreach (string candidate in s_candidates)
        {
            if (NativeLibrary.TryLoad(candidate, assembly, searchPath, out nint handle))
            {
                return handle;
            }
        }

        return 0;
    }
}
