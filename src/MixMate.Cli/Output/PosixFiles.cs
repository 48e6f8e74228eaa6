using System.Runtime.InteropServices;

namespace MixMate.Cli.Output;

/// <summary>
/// The few POSIX file calls .NET does not expose: a file's identity (device and inode, through
/// <c>statx</c>, whose structure has one layout on every Linux architecture), its type, and renames
/// that never replace (<c>renameat2(RENAME_NOREPLACE)</c>, with <c>link</c> + <c>unlink</c> where a
/// file system lacks it), and an exclusive lock between processes (<c>flock</c>).
/// </summary>
/// <remarks>[any-thread]</remarks>
internal static partial class PosixFiles
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxBasicStats = 0x7FF;
    private const uint RenameNoReplace = 1;
    private const int StatxSize = 256;

    private const int EExist = 17;
    private const int EXDev = 18;
    private const int EInval = 22;
    private const int ENoSys = 38;
    private const int EOpNotSupp = 95;
    private const int EPerm = 1;
    private const int EIntr = 4;
    private const int LockEx = 2;
    private const int LockUn = 8;
    private const int ORdWr = 2;
    private const int OCreat = 0x40;
    private const int OCloExec = 0x80000;

    /// <summary>What kind of file a path names (after following links).</summary>
    public enum Kind
    {
        Missing,
        Regular,
        Directory,
        Fifo,
        CharacterDevice,
        BlockDevice,
        Socket,
        Other,
    }

    /// <summary>True where the calls are available (Linux).</summary>
    public static bool Supported => OperatingSystem.IsLinux();

    /// <summary>Device and inode of the file <paramref name="path"/> names after following every
    /// link, and its kind; <c>(Missing, 0, 0)</c> when nothing is there.</summary>
    public static (Kind Kind, ulong Device, ulong Inode) Identify(string path)
    {
        if (!Supported)
        {
            return (File.Exists(path) ? Kind.Regular : Directory.Exists(path) ? Kind.Directory : Kind.Missing, 0, 0);
        }

        Span<byte> buffer = stackalloc byte[StatxSize];
        if (Statx(AtFdCwd, path, 0, StatxBasicStats, ref MemoryMarshal.GetReference(buffer)) != 0)
        {
            return (Kind.Missing, 0, 0);
        }

        ushort mode = MemoryMarshal.Read<ushort>(buffer[28..]);
        ulong inode = MemoryMarshal.Read<ulong>(buffer[32..]);
        ulong device = ((ulong)MemoryMarshal.Read<uint>(buffer[136..]) << 32) | MemoryMarshal.Read<uint>(buffer[140..]);
        Kind kind = (mode & 0xF000) switch
        {
            0x8000 => Kind.Regular,
            0x4000 => Kind.Directory,
            0x1000 => Kind.Fifo,
            0x2000 => Kind.CharacterDevice,
            0x6000 => Kind.BlockDevice,
            0xC000 => Kind.Socket,
            _ => Kind.Other,
        };
        return (kind, device, inode);
    }

    /// <summary>Whether <paramref name="path"/> itself (not what it points to) exists, so a
    /// dangling symbolic link counts as present.</summary>
    public static bool EntryExists(string path)
    {
        if (!Supported)
        {
            return File.Exists(path) || Directory.Exists(path);
        }

        Span<byte> buffer = stackalloc byte[StatxSize];
        return Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxBasicStats, ref MemoryMarshal.GetReference(buffer)) == 0;
    }

    /// <summary>Moves <paramref name="source"/> to <paramref name="destination"/> only if nothing is
    /// there: false (and nothing moved) when the destination exists.</summary>
    /// <exception cref="IOException">The move failed for another reason.</exception>
    public static bool MoveNoReplace(string source, string destination)
    {
        if (!Supported)
        {
            if (File.Exists(destination))
            {
                return false;
            }

            File.Move(source, destination, overwrite: false);
            return true;
        }

        if (RenameAt2(AtFdCwd, source, AtFdCwd, destination, RenameNoReplace) == 0)
        {
            return true;
        }

        int error = Marshal.GetLastPInvokeError();
        if (error == EExist)
        {
            return false;
        }

        if (error is not (EInval or ENoSys or EOpNotSupp))
        {
            throw Failure(error, destination);
        }

        // The file system cannot rename without replacing: a hard link fails if the name exists.
        if (Link(source, destination) == 0)
        {
            _ = Unlink(source);
            return true;
        }

        error = Marshal.GetLastPInvokeError();
        if (error == EExist)
        {
            return false;
        }

        if (error is EPerm or EOpNotSupp or EXDev)
        {
            // No hard links either (FAT, some FUSE file systems): the narrow check-then-move.
            if (EntryExists(destination))
            {
                return false;
            }

            File.Move(source, destination, overwrite: false);
            return true;
        }

        throw Failure(error, destination);
    }

    /// <summary>Opens (creating it, mode 0644) a file that serves only as a lock. Opened here rather
    /// than through <see cref="FileStream"/>, whose own advisory locks would clash with
    /// <see cref="LockExclusive"/> across processes.</summary>
    /// <exception cref="IOException">It cannot be opened.</exception>
    public static Microsoft.Win32.SafeHandles.SafeFileHandle OpenLockFile(string path)
    {
        if (!Supported)
        {
            return File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite);
        }

        int fd = Open(path, ORdWr | OCreat | OCloExec, 0x1A4);
        if (fd < 0)
        {
            throw Failure(Marshal.GetLastPInvokeError(), path);
        }

        return new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>Blocks until this process holds the exclusive advisory lock (<c>flock</c>) on the
    /// open file <paramref name="handle"/>; released by <see cref="Unlock"/> or when the file is
    /// closed. Processes that share a folder (shards of one batch) serialise on it; on NFS, Linux
    /// maps it to a POSIX byte-range lock, which the server arbitrates.</summary>
    /// <exception cref="IOException">The lock cannot be taken.</exception>
    public static void LockExclusive(Microsoft.Win32.SafeHandles.SafeFileHandle handle, string path)
    {
        ArgumentNullException.ThrowIfNull(handle);
        if (!Supported)
        {
            return;
        }

        while (Flock((int)handle.DangerousGetHandle(), LockEx) != 0)
        {
            int error = Marshal.GetLastPInvokeError();
            if (error != EIntr)
            {
                throw Failure(error, path);
            }
        }
    }

    /// <summary>Releases the lock <see cref="LockExclusive"/> took.</summary>
    public static void Unlock(Microsoft.Win32.SafeHandles.SafeFileHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        if (Supported)
        {
            _ = Flock((int)handle.DangerousGetHandle(), LockUn);
        }
    }

    private static IOException Failure(int error, string path) =>
        new($"{Marshal.GetPInvokeErrorMessage(error)} ({path})");

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int dirFd, string path, int flags, uint mask, ref byte buffer);

    [LibraryImport("libc", EntryPoint = "renameat2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int RenameAt2(int oldDirFd, string oldPath, int newDirFd, string newPath, uint flags);

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Link(string oldPath, string newPath);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int Flock(int fd, int operation);

    [LibraryImport("libc", EntryPoint = "unlink", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Unlink(string path);
}
