using System.Runtime.InteropServices;

namespace MixMate.TestSupport;

/// <summary>
/// The smallest possible libsndfile reader — whole file, interleaved float — so reference
/// measurements do not depend on the reader under test.
/// </summary>
public static partial class ReferenceAudioFile
{
    private const string LibraryName = "libsndfile.so.1";

    /// <summary>[any thread] Decodes <paramref name="path"/>; throws <see cref="IOException"/> when
    /// libsndfile cannot open it.</summary>
    public static unsafe (float[] Samples, int Channels, int SampleRate) ReadInterleaved(string path)
    {
        var info = default(Info);
        nint file = Open(path, 0x10, ref info);
        if (file == 0)
        {
            throw new IOException($"libsndfile cannot open {path}: {Marshal.PtrToStringUTF8(StrError(0))}");
        }

        try
        {
            var samples = new float[checked((int)(info.Frames * info.Channels))];
            long read;
            fixed (float* pointer = samples)
            {
                read = ReadFrames(file, pointer, info.Frames);
            }

            return (read == info.Frames ? samples : samples[..(int)(read * info.Channels)], info.Channels, info.SampleRate);
        }
        finally
        {
            _ = Close(file);
        }
    }

    // SF_INFO, LP64 layout.
    [StructLayout(LayoutKind.Sequential)]
    private struct Info
    {
        public long Frames;
        public int SampleRate;
        public int Channels;
        public int Format;
        public int Sections;
        public int Seekable;
    }

    [LibraryImport(LibraryName, EntryPoint = "sf_open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint Open(string path, int mode, ref Info info);

    [LibraryImport(LibraryName, EntryPoint = "sf_readf_float")]
    private static unsafe partial long ReadFrames(nint file, float* interleaved, long frames);

    [LibraryImport(LibraryName, EntryPoint = "sf_close")]
    private static partial int Close(nint file);

    [LibraryImport(LibraryName, EntryPoint = "sf_strerror")]
    private static partial nint StrError(nint file);
}
