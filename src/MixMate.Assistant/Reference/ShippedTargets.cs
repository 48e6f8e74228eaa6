namespace MixMate.Assistant.Reference;

/// <summary>
/// The style targets that ship with MixMate (<c>targets/NAME.json</c> in the repository and the
/// bundle, rebuilt by <c>scripts/build-targets.sh</c> from allowed material): found by walking up
/// from the program's folder, as the models are, so <c>--target-curve band</c> works from a build
/// tree and from an installed bundle alike.
/// </summary>
public static class ShippedTargets
{
    /// <summary>The folder name.</summary>
    public const string Folder = "targets";

    /// <summary>[any-thread] The shipped targets' folder, or null when there is none.</summary>
    public static string? FindDirectory()
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            string candidate = Path.Combine(d.FullName, Folder);
            if (Directory.Exists(candidate) && Directory.EnumerateFiles(candidate, "*.json").Any())
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>[any-thread] The names of the shipped targets (file names without .json), sorted.</summary>
    public static IReadOnlyList<string> Names()
    {
        string? directory = FindDirectory();
        return directory is null ? [] : [.. Directory.EnumerateFiles(directory, "*.json").Select(Path.GetFileNameWithoutExtension).OfType<string>().Order(StringComparer.Ordinal)];
    }

    /// <summary>[any-thread] The path of the shipped target <paramref name="name"/>, or null.</summary>
    public static string? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0 || name.IndexOfAny(['/', '\\', '.']) >= 0)
        {
            return null;
        }

        string? directory = FindDirectory();
        string? path = directory is null ? null : Path.Combine(directory, name + ".json");
        return path is not null && File.Exists(path) ? path : null;
    }
}
