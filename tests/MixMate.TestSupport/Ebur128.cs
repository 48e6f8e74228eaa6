using System.Runtime.InteropServices;

namespace MixMate.TestSupport;

/// <summary>
/// Source-generated P/Invoke binding to libebur128 1.2 (<c>libebur128.so.1</c>), the independent
/// EBU R128 / ITU-R BS.1770 implementation our loudness meter is checked against. Constants are the
/// values of <c>ebur128.h</c> 1.2.6.
/// </summary>
/// <remarks>[any thread] One state per thread at a time.</remarks>
public static partial class Ebur128
{
    private const string LibraryName = "libebur128.so.1";

    // enum mode (ebur128.h): each mode includes the ones it needs.
    public const int ModeM = 1 << 0;
    public const int ModeS = (1 << 1) | ModeM;
    public const int ModeI = (1 << 2) | ModeM;
    public const int ModeLra = (1 << 3) | ModeS;
    public const int ModeSamplePeak = (1 << 4) | ModeM;
    public const int ModeTruePeak = (1 << 5) | ModeM | ModeSamplePeak;
    public const int ModeHistogram = 1 << 6;

    // enum channel.
    public const int Unused = 0;
    public const int Left = 1;
    public const int Right = 2;
    public const int Center = 3;
    public const int LeftSurround = 4;
    public const int RightSurround = 5;
    public const int DualMono = 6;

    public const int Success = 0;

    [LibraryImport(LibraryName, EntryPoint = "ebur128_init")]
    public static partial nint Init(uint channels, nuint sampleRate, int mode);

    [LibraryImport(LibraryName, EntryPoint = "ebur128_destroy")]
    public static partial void Destroy(ref nint state);

    [LibraryImport(LibraryName, EntryPoint = "ebur128_set_channel")]
    public static partial int SetChannel(nint state, uint channelNumber, int value);

    [LibraryImport(LibraryName, EntryPoint = "ebur128_add_frames_float")]
    public static unsafe partial int AddFramesFloat(nint state, float* interleaved, nuint frames);

    [LibraryImport(LibraryName, EntryPoint = "ebur128_loudness_global")]
    public static partial int LoudnessGlobal(nint state, out double lufs);

    [LibraryImport(LibraryName, EntryPoint = "ebur128_loudness_momentary")]
    public static partial int LoudnessMomentary(nint state, out double lufs);

    [LibraryImport(LibraryName, EntryPoint = "ebur128_loudness_shortterm")]
    public static partial int LoudnessShortTerm(nint state, out double lufs);

    [LibraryImport(LibraryName, EntryPoint = "ebur128_loudness_range")]
    public static partial int LoudnessRange(nint state, out double lu);

    [LibraryImport(LibraryName, EntryPoint = "ebur128_sample_peak")]
    public static partial int SamplePeak(nint state, uint channelNumber, out double linear);

    [LibraryImport(LibraryName, EntryPoint = "ebur128_true_peak")]
    public static partial int TruePeak(nint state, uint channelNumber, out double linear);

    [LibraryImport(LibraryName, EntryPoint = "ebur128_get_version")]
    public static partial void GetVersion(out int major, out int minor, out int patch);
}
