using System.Runtime.CompilerServices;

namespace MixMate.Benchmarks;

/// <summary>Where benchmark material and reports live: <c>artifacts/bench/</c> under the repository
/// (gitignored), or <c>MIXMATE_BENCH_DIR</c>.</summary>
internal static class BenchPaths
{
    /// <summary>[any thread] The repository root (the folder holding MixMate.sln).</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>[any thread] The cache and report folder; created on first use.</summary>
    public static string BenchFolder
    {
        get
        {
            string? explicitFolder = Environment.GetEnvironmentVariable("MIXMATE_BENCH_DIR");
            string folder = string.IsNullOrEmpty(explicitFolder)
                ? Path.Combine(RepoRoot, "artifacts", "bench")
                : Path.GetFullPath(explicitFolder);
            Directory.CreateDirectory(folder);
            return folder;
        }
    }

    private static string FindRepoRoot([CallerFilePath] string source = "")
    {
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory, Path.GetDirectoryName(source) ?? string.Empty })
        {
            for (DirectoryInfo? d = new(start); d is not null; d = d.Parent)
            {
                if (File.Exists(Path.Combine(d.FullName, "MixMate.sln")))
                {
                    return d.FullName;
                }
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
