using System.Diagnostics;
using Xunit;

namespace MixMate.Cli.Tests.Support;

/// <summary>
/// A small tmpfs mounted on a fresh test folder, for the cases that permission bits cannot make
/// (root ignores them): a read-only folder (<c>ro</c>) or a full disk (<c>size=1m</c>). Needs mount
/// rights (root, as CI runs); where <c>mount</c> fails the calling test is reported skipped, never
/// passed. Unmounted on dispose.
/// </summary>
internal sealed class TmpfsMount : IDisposable
{
    private TmpfsMount(string path) => Path = path;

    /// <summary>The mounted folder.</summary>
    public string Path { get; }

    /// <summary>Mounts a tmpfs with <paramref name="options"/> on a new folder, or skips the
    /// calling <c>[SkippableFact]</c> with mount's own reason.</summary>
    public static TmpfsMount MountOrSkip(string name, string options)
    {
        string folder = TestFolder.NewFolder(name);
        (int code, string error) = Run("mount", "-t", "tmpfs", "-o", options, "tmpfs", folder);
        Skip.If(code != 0, $"cannot mount a tmpfs ({options}) on {folder}: {error.Trim()} (needs root with mount rights)");
        return new TmpfsMount(folder);
    }

    public void Dispose() => Run("umount", Path);

    private static (int Code, string Error) Run(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        try
        {
            using Process process = Process.Start(start)!;
            string error = process.StandardError.ReadToEnd();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, error);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, $"{program}: {e.Message}");
        }
    }
}
