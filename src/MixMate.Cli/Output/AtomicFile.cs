using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace MixMate.Cli.Output;

/// <summary>
/// Writes an output file so that nothing half-written is ever left under its final name and nothing
/// is lost: the data goes to a hidden temporary file in the destination's folder, which is moved to
/// the destination only when complete — without replacing anything unless <c>--force</c> allowed it
/// (a file that appears there while MixMate works is left alone). Inputs, outputs and reports are
/// compared as the files they are (device and inode after every link), not as text; FIFOs and
/// device nodes are never replaced. Interrupted runs remove their temporary files; temporary files
/// of runs that were killed are swept by the next run writing to the same folder.
/// </summary>
/// <remarks>[main-thread] for checks and batches; temporary-file bookkeeping is [any-thread].</remarks>
internal static partial class AtomicFile
{
    private static readonly object s_gate = new();
    private static readonly HashSet<string> s_temporaries = new(StringComparer.Ordinal);
    private static readonly Dictionary<string, bool> s_forced = new(StringComparer.Ordinal);
    // Per logical flow of control, so concurrent commands in one process (tests) keep their own.
    private static readonly AsyncLocal<Batch?> s_batch = new();
    private static bool s_interrupted;
    private static Action? s_windDown;
    private static PosixSignalRegistration[]? s_signals;

    /// <summary>[main-thread] Whether <see cref="CheckDestination"/> sweeps the temporary files of
    /// dead processes from the destination's folder (default true). A sharded batch turns it off:
    /// its folder may be shared with processes on other machines, whose process ids mean nothing
    /// here.</summary>
    public static bool SweepsStaleTemporaries { get; set; } = true;

    /// <summary>Checks that <paramref name="output"/> may be written before any work starts, and
    /// records whether it may replace an existing file (<paramref name="force"/>).</summary>
    /// <exception cref="CommandLine.CliException">The destination is an input (or the same file as
    /// one under another name), exists without force, is not a regular file, or its folder is
    /// missing or not writable.</exception>
    public static void CheckDestination(string output, IEnumerable<string> inputs, bool force)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        string folder = FolderOf(output);
        (PosixFiles.Kind folderKind, _, _) = PosixFiles.Identify(folder);
        if (folderKind != PosixFiles.Kind.Directory)
        {
            throw CommandLine.CliException.ForFile(output, $"the folder '{folder}' does not exist");
        }

        FileKey key = KeyOf(output);
        foreach (string input in inputs)
        {
            if (key == KeyOf(input))
            {
                throw CommandLine.CliException.ForFile(output, $"is the same file as '{input}' (an input or another output of this run); MixMate never overwrites its input, nothing was written");
            }
        }

        (PosixFiles.Kind kind, _, _) = PosixFiles.Identify(output);
        switch (kind)
        {
            case PosixFiles.Kind.Directory:
                throw CommandLine.CliException.ForFile(output, "is a directory");
            case PosixFiles.Kind.Fifo or PosixFiles.Kind.CharacterDevice or PosixFiles.Kind.BlockDevice
                or PosixFiles.Kind.Socket or PosixFiles.Kind.Other:
                throw CommandLine.CliException.ForFile(output, $"is {Describe(kind)}, not a regular file; MixMate writes only regular files (even with --force)");
        }

        if (!force && (kind != PosixFiles.Kind.Missing || PosixFiles.EntryExists(output)))
        {
            throw CommandLine.CliException.ForFile(output, "already exists (use --force to overwrite)");
        }

        string canonical = Canonical(output);
        if (SweepsStaleTemporaries)
        {
            SweepStale(Path.GetDirectoryName(canonical)!);
        }

        // Probe writability now, so a read-only folder fails before minutes of processing.
        string probe = TemporaryPathFor(canonical);
        try
        {
            using (File.Create(probe, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CommandLine.CliException.ForFile(output, $"cannot write in '{folder}': {e.Message.Replace(probe, folder, StringComparison.Ordinal)}");
        }
        finally
        {
            Forget(probe);
        }

        lock (s_gate)
        {
            s_forced[canonical] = force;
        }
    }

    /// <summary>A temporary path next to <paramref name="destination"/>, hidden, unique and of
    /// MixMate's own naming (<c>.NAME.PID.GUID.tmp</c>); it is removed if the process is
    /// interrupted, and swept by a later run if the process was killed.</summary>
    public static string TemporaryPathFor(string destination)
    {
        string canonical = Canonical(destination);
        string folder = Path.GetDirectoryName(canonical)!;
        string path = Path.Combine(folder, $".{Path.GetFileName(canonical)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        lock (s_gate)
        {
            if (s_interrupted)
            {
                throw new OperationCanceledException("Interrupted.");
            }

            s_temporaries.Add(path);
        }

        return path;
    }

    /// <summary>Runs <paramref name="write"/> on a temporary path and moves the result to
    /// <paramref name="destination"/> (at the end of the open <see cref="BeginBatch"/>, if any); on
    /// any failure the temporary file is removed and the destination is left as it was.</summary>
    public static void Write(string destination, Action<string> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        string temporary = TemporaryPathFor(destination);
        try
        {
            write(temporary);
            HoldForTests();
        }
        catch (Exception e) when (e is CommandLine.CliException or IOException or UnauthorizedAccessException)
        {
            Delete(temporary);
            throw CommandLine.CliException.ForFile(destination, $"could not be written: {InUserTerms(e.Message, temporary, destination)}");
        }
        catch
        {
            Delete(temporary);
            throw;
        }

        var staged = new Staged(destination, temporary);
        Batch? batch;
        lock (s_gate)
        {
            batch = s_batch.Value;
            batch?.Files.Add(staged);
        }

        if (batch is null)
        {
            Commit([staged]);
        }
    }

    /// <summary>Writes text atomically.</summary>
    public static void WriteText(string destination, string text) =>
        Write(destination, path => File.WriteAllText(path, text));

    /// <summary>Opens a batch: every <see cref="Write"/> until <see cref="Batch.Commit"/> is staged,
    /// and all files are moved into place together — or, if the batch is disposed first (a later
    /// output failed), none are, and their temporary files are removed.</summary>
    public static Batch BeginBatch()
    {
        lock (s_gate)
        {
            if (s_batch.Value is not null)
            {
                throw new InvalidOperationException("A batch is already open.");
            }

            var batch = new Batch();
            s_batch.Value = batch;
            return batch;
        }
    }

    /// <summary>[main-thread] Removes this process's temporary files on SIGINT or SIGTERM and exits
    /// with one line (exit 130 or 143); call once at start-up.</summary>
    public static void RemoveTemporariesOnInterrupt()
    {
        if (s_signals is not null || OperatingSystem.IsWindows() || OperatingSystem.IsBrowser())
        {
            return;
        }

        s_signals =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
        ];
    }

    /// <summary>[any-thread] Whether SIGINT or SIGTERM is ending the process (the signal thread is
    /// removing the temporary files and will exit with 130 or 143).</summary>
    public static bool Interrupted
    {
        get
        {
            lock (s_gate)
            {
                return s_interrupted;
            }
        }
    }

    /// <summary>[main-thread] Until the returned scope is disposed, the first SIGINT calls
    /// <paramref name="windDown"/> (on the signal thread) instead of ending the process, so a batch
    /// can finish the files in flight; a second SIGINT, or SIGTERM, removes the temporary files and
    /// exits as always.</summary>
    public static IDisposable WindDownOnFirstInterrupt(Action windDown)
    {
        ArgumentNullException.ThrowIfNull(windDown);
        Volatile.Write(ref s_windDown, windDown);
        return new WindDownScope();
    }

    /// <summary>Removes temporary files of MixMate's naming in <paramref name="folder"/> left by
    /// processes that no longer run; returns how many.</summary>
    internal static int SweepStale(string folder)
    {
        int removed = 0;
        try
        {
            foreach (string path in Directory.EnumerateFiles(folder, ".*.tmp"))
            {
                Match match = OwnTemporaryName().Match(Path.GetFileName(path));
                if (match.Success
                    && int.TryParse(match.Groups["pid"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
                    && pid != Environment.ProcessId
                    && !IsRunning(pid)
                    && TryDelete(path))
                {
                    removed++;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }

        return removed;
    }

    private static void OnSignal(PosixSignalContext context)
    {
        if (context.Signal == PosixSignal.SIGINT && Interlocked.Exchange(ref s_windDown, null) is Action windDown)
        {
            context.Cancel = true;
            windDown();
            return;
        }

        int removed = 0;
        lock (s_gate)
        {
            s_interrupted = true;
            foreach (string path in s_temporaries)
            {
                if (File.Exists(path) && TryDelete(path))
                {
                    removed++;
                }
            }

            s_temporaries.Clear();
        }

        string name = context.Signal == PosixSignal.SIGINT ? "interrupted (SIGINT)" : "terminated (SIGTERM)";
        string files = removed == 1 ? "file" : "files";
        // On a terminal the progress bar may own the current line: end it first.
        string lead = Console.IsErrorRedirected ? string.Empty : "\n";
        Console.Error.WriteLine($"{lead}mixmate: {name}; removed {removed} unfinished temporary {files}, nothing half-written is left");
        context.Cancel = true;
        Environment.Exit(context.Signal == PosixSignal.SIGINT ? 130 : 143);
    }

    /// <summary>Moves staged files into place, all or none: a destination that appeared meanwhile
    /// (without force) stops the commit, and files this commit already created are removed again.</summary>
    private static void Commit(IReadOnlyList<Staged> files)
    {
        var created = new List<string>();
        lock (s_gate)
        {
            if (s_interrupted)
            {
                throw new OperationCanceledException("Interrupted.");
            }

            for (int i = 0; i < files.Count; i++)
            {
                Staged file = files[i];
                try
                {
                    MoveIntoPlace(file, created);
                }
                catch
                {
                    foreach (string path in created)
                    {
                        _ = TryDelete(path);
                    }

                    for (int k = i; k < files.Count; k++)
                    {
                        DeleteLocked(files[k].Temporary);
                    }

                    throw;
                }
            }
        }
    }

    private static void MoveIntoPlace(Staged file, List<string> created)
    {
        string canonical = Canonical(file.Destination);
        // Files no check recorded (caches a command rewrites itself) are replaced as before.
        bool force = !s_forced.TryGetValue(canonical, out bool f) || f;
        (PosixFiles.Kind kind, _, _) = PosixFiles.Identify(canonical);
        if (kind is not (PosixFiles.Kind.Missing or PosixFiles.Kind.Regular))
        {
            throw CommandLine.CliException.ForFile(file.Destination, $"became {Describe(kind)} while MixMate was working; left as it is, nothing written");
        }

        try
        {
            if (force)
            {
                File.Move(file.Temporary, canonical, overwrite: true);
            }
            else if (PosixFiles.MoveNoReplace(file.Temporary, canonical))
            {
                created.Add(canonical);
            }
            else
            {
                throw CommandLine.CliException.ForFile(file.Destination,
                    "was created by another program while MixMate was working; it is left as it is and nothing was written (use --force to replace it)");
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CommandLine.CliException.ForFile(file.Destination, $"could not be written: {InUserTerms(e.Message, file.Temporary, file.Destination)}");
        }

        s_temporaries.Remove(file.Temporary);
    }

    /// <summary>Test hook: MIXMATE_TEST_HOLD_TEMPORARY_MS keeps a finished temporary file in place
    /// that long before it is moved, so the interruption tests can signal a run while it exists.</summary>
    private static void HoldForTests()
    {
        if (int.TryParse(Environment.GetEnvironmentVariable("MIXMATE_TEST_HOLD_TEMPORARY_MS"), NumberStyles.None, CultureInfo.InvariantCulture, out int ms) && ms > 0)
        {
            Thread.Sleep(Math.Min(ms, 60_000));
        }
    }

    private static string InUserTerms(string message, string temporary, string destination) =>
        message.Replace(temporary + ": ", string.Empty, StringComparison.Ordinal)
            .Replace(temporary, destination, StringComparison.Ordinal);

    /// <summary>Deletes one of our temporary files (from <see cref="TemporaryPathFor"/>) and forgets it.</summary>
    internal static void Delete(string path)
    {
        lock (s_gate)
        {
            DeleteLocked(path);
        }
    }

    private static void DeleteLocked(string path)
    {
        _ = TryDelete(path);
        s_temporaries.Remove(path);
    }

    private static void Forget(string path)
    {
        lock (s_gate)
        {
            s_temporaries.Remove(path);
        }
    }

    private static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static bool IsRunning(int pid)
    {
        if (OperatingSystem.IsLinux())
        {
            return Directory.Exists($"/proc/{pid}");
        }

        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>The folder a path is in, as given ("." for a bare name).</summary>
    private static string FolderOf(string path)
    {
        string? folder = Path.GetDirectoryName(path);
        return string.IsNullOrEmpty(folder) ? "." : folder;
    }

    /// <summary>The destination as the kernel resolves it: its folder with every link and ".."
    /// resolved (so "link/../x" is the file the system would write, not a textual guess), then its
    /// name.</summary>
    private static string Canonical(string path)
    {
        string folder = FolderOf(path);
        string resolved = RealPath(folder) ?? Path.GetFullPath(folder);
        return Path.Combine(resolved, Path.GetFileName(path));
    }

    /// <summary>Identity of a path: device and inode of the file it names, or — for a name not yet
    /// there — of its folder plus the name.</summary>
    private static FileKey KeyOf(string path)
    {
        (PosixFiles.Kind kind, ulong device, ulong inode) = PosixFiles.Identify(path);
        if (kind != PosixFiles.Kind.Missing)
        {
            return PosixFiles.Supported ? new FileKey(device, inode, null) : new FileKey(0, 0, Path.GetFullPath(path));
        }

        (_, ulong folderDevice, ulong folderInode) = PosixFiles.Identify(FolderOf(path));
        return PosixFiles.Supported ? new FileKey(folderDevice, folderInode, Path.GetFileName(path)) : new FileKey(0, 0, Path.GetFullPath(path));
    }

    private static string Describe(PosixFiles.Kind kind) => kind switch
    {
        PosixFiles.Kind.Fifo => "a FIFO (named pipe)",
        PosixFiles.Kind.CharacterDevice => "a character device",
        PosixFiles.Kind.BlockDevice => "a block device",
        PosixFiles.Kind.Socket => "a socket",
        PosixFiles.Kind.Directory => "a directory",
        _ => "a special file",
    };

    private static string? RealPath(string path)
    {
        if (!PosixFiles.Supported)
        {
            return null;
        }

        nint resolved = RealPathNative(path, 0);
        if (resolved == 0)
        {
            return null;
        }

        try
        {
            return Marshal.PtrToStringUTF8(resolved);
        }
        finally
        {
            Free(resolved);
        }
    }

    [LibraryImport("libc", EntryPoint = "realpath", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint RealPathNative(string path, nint resolved);

    [LibraryImport("libc", EntryPoint = "free")]
    private static partial void Free(nint pointer);

    [GeneratedRegex(@"^\..+\.(?<pid>\d+)\.[0-9a-f]{32}\.tmp$", RegexOptions.CultureInvariant)]
    private static partial Regex OwnTemporaryName();

    private sealed class WindDownScope : IDisposable
    {
        public void Dispose() => Volatile.Write(ref s_windDown, null);
    }

    private readonly record struct FileKey(ulong Device, ulong Inode, string? Name);

    internal readonly record struct Staged(string Destination, string Temporary);

    /// <summary>Outputs of one run that appear together or not at all.</summary>
    internal sealed class Batch : IDisposable
    {
        internal List<Staged> Files { get; } = [];

        /// <summary>Moves every staged file into place (all or none).</summary>
        public void Commit()
        {
            Staged[] files;
            lock (s_gate)
            {
                files = [.. Files];
                Files.Clear();
                s_batch.Value = null;
            }

            AtomicFile.Commit(files);
        }

        /// <summary>Removes what was staged but not committed.</summary>
        public void Dispose()
        {
            lock (s_gate)
            {
                foreach (Staged file in Files)
                {
                    DeleteLocked(file.Temporary);
                }

                Files.Clear();
                if (ReferenceEquals(s_batch.Value, this))
                {
                    s_batch.Value = null;
                }
            }
        }
    }
}
