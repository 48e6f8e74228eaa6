namespace MixMate.Cli.Output;

/// <summary>
/// Writes an output file so that nothing half-written is ever left under its final name: the data
/// goes to a temporary file in the same folder, which is renamed over the destination only when
/// complete. Refuses to overwrite an existing file without <c>force</c> and never overwrites an input.
/// </summary>
internal static class AtomicFile
{
    /// <summary>Checks that <paramref name="output"/> may be written before any work starts.</summary>
    /// <exception cref="CommandLine.CliException">The destination is an input, exists without force,
    /// or its folder is missing or not writable.</exception>
    public static void CheckDestination(string output, IEnumerable<string> inputs, bool force)
    {
        string full = Path.GetFullPath(output);
        foreach (string input in inputs)
        {
            if (SameFile(full, Path.GetFullPath(input)))
            {
                throw CommandLine.CliException.ForFile(output, "is also an input; MixMate never overwrites its input");
            }
        }

        if (Directory.Exists(full))
        {
            throw CommandLine.CliException.ForFile(output, "is a directory");
        }

        string? folder = Path.GetDirectoryName(full);
        if (folder is null || !Directory.Exists(folder))
        {
            throw CommandLine.CliException.ForFile(output, $"the folder '{folder}' does not exist");
        }

        if (File.Exists(full) && !force)
        {
            throw CommandLine.CliException.ForFile(output, "already exists (use --force to overwrite)");
        }

        // Probe writability now, so a read-only folder fails before minutes of processing.
        string probe = TemporaryPathFor(full);
        try
        {
            using (File.Create(probe, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CommandLine.CliException.ForFile(output, $"cannot write in '{folder}': {e.Message}");
        }
    }

    /// <summary>A temporary path next to <paramref name="destination"/>, hidden and unique.</summary>
    public static string TemporaryPathFor(string destination)
    {
        string full = Path.GetFullPath(destination);
        string folder = Path.GetDirectoryName(full)!;
        return Path.Combine(folder, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
    }

    /// <summary>Runs <paramref name="write"/> on a temporary path and moves the result to
    /// <paramref name="destination"/>; on any failure the temporary file is removed and the
    /// destination is left as it was.</summary>
    public static void Write(string destination, Action<string> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        string temporary = TemporaryPathFor(destination);
        try
        {
            write(temporary);
            File.Move(temporary, destination, overwrite: true);
        }
        catch (Exception e) when (e is CommandLine.CliException or IOException or UnauthorizedAccessException)
        {
            // The user named the destination, not our temporary file: say what failed in their terms.
            TryDelete(temporary);
            string problem = e.Message.Replace(temporary + ": ", string.Empty, StringComparison.Ordinal)
                .Replace(temporary, destination, StringComparison.Ordinal);
            throw CommandLine.CliException.ForFile(destination, $"could not be written: {problem}");
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>Writes text atomically.</summary>
    public static void WriteText(string destination, string text) =>
        Write(destination, path => File.WriteAllText(path, text));

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static bool SameFile(string a, string b)
    {
        if (string.Equals(a, b, StringComparison.Ordinal))
        {
            return true;
        }

        try
        {
            // Resolve symbolic links so "out.wav -> in.wav" is caught too.
            string ra = new FileInfo(a).ResolveLinkTarget(true)?.FullName ?? a;
            string rb = new FileInfo(b).ResolveLinkTarget(true)?.FullName ?? b;
            return string.Equals(ra, rb, StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }
}
