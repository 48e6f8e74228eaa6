using System.Runtime.InteropServices;

namespace MixMate.Dsp.Utility;

/// <summary>
/// Large zeroed buffers straight from the operating system's virtual memory: a page costs
/// nothing until it is written, and freeing returns it at once. For the few big tables a
/// plug-in instance keeps (the loudness meters' fine gating bins): configuring one in a running
/// DAW touches none of it, and destroying it gives the memory back — where malloc would keep
/// freed blocks of this size in its heap (its mmap threshold adapts upward) and zero reused ones
/// by hand.
/// </summary>
/// <remarks>[non-real-time] Linux: anonymous private <c>mmap</c>; elsewhere a zeroed native
/// allocation.</remarks>
public static unsafe partial class ZeroPages
{
    private const int ProtRead = 0x1;
    private const int ProtWrite = 0x2;
    private const int MapPrivate = 0x02;
    private const int MapAnonymous = 0x20;

    /// <summary>Allocates <paramref name="bytes"/> zeroed bytes (throws when out of memory).</summary>
    public static void* Allocate(nuint bytes)
    {
        if (!OperatingSystem.IsLinux())
        {
            return NativeMemory.AllocZeroed(bytes);
        }

        nint p = Mmap(0, bytes, ProtRead | ProtWrite, MapPrivate | MapAnonymous, -1, 0);
        if (p == -1)
        {
            throw new OutOfMemoryException($"mmap of {bytes} bytes failed (errno {Marshal.GetLastPInvokeError()}).");
        }

        return (void*)p;
    }

    /// <summary>Frees what <see cref="Allocate"/> returned (null is ignored).</summary>
    public static void Free(void* pointer, nuint bytes)
    {
        if (pointer == null)
        {
            return;
        }

        if (!OperatingSystem.IsLinux())
        {
            NativeMemory.Free(pointer);
            return;
        }

        _ = Munmap((nint)pointer, bytes);
    }

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    private static partial nint Mmap(nint address, nuint length, int protection, int flags, int fd, nint offset);

    [LibraryImport("libc", EntryPoint = "munmap")]
    private static partial int Munmap(nint address, nuint length);
}
