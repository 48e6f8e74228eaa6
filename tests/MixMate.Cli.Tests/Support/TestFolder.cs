namespace MixMate.Cli.Tests.Support;

/// <summary>
/// One temporary folder per test run (shared by all test classes, so rendered material is made
/// once). The test host may be stopped without running exit handlers, so each run removes the
/// folders of earlier runs whose process is gone.
/// </summary>
internal static class TestFolder
{
    private static readonly Lazy<string> s_root = new(Create);

    public static string Root => s_root.Value;

    /// <summary>A path inside the run's folder; <paramref name="name"/> should be unique per test.</summary>
    public static string PathFor(string name) => Path.Combine(Root, name);

    /// <summary>A fresh sub-folder for one test.</summary>
    public static string NewFolder(string name)
    {
        string folder = Path.Combine(Root, $"{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        return folder;
    }

    private static string Create()
    {
        string parent = Path.GetTempPath();
        foreach (string stale in Directory.EnumerateDirectories(parent, "mixmate-cli-tests-*"))
        {
            if (IsAbandoned(stale))
            {
                Remove(stale);
            }
        }

        string root = Path.Combine(parent, $"mixmate-cli-tests-{Environment.ProcessId}-{DateTime.UtcNow:yyyyMMddHHmmss}");
        Directory.CreateDirectory(root);
        if (Environment.GetEnvironmentVariable("MIXMATE_KEEP_TEST_FILES") is null)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) => Remove(root);
        }

        return root;
    }

    /// <summary>True when the run that made <paramref name="folder"/> ("mixmate-cli-tests-PID-TIME")
    /// has ended, or the folder is more than a day old.</summary>
    private static bool IsAbandoned(string folder)
    {
        try
        {
            if (Directory.GetLastWriteTimeUtc(folder) < DateTime.UtcNow.AddDays(-1))
            {
                return true;
            }
        }
        catch (IOException)
        {
            return false;
        }

        string[] parts = Path.GetFileName(folder).Split('-');
        if (parts.Length < 5 || !int.TryParse(parts[3], out int pid))
        {
            return false;
        }

        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }

    private static void Remove(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
