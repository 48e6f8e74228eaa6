using System.Security.Cryptography;
using MixMate.Assistant.Hosting;

namespace MixMate.Assistant.Models;

/// <summary>
/// Where the shipped models live and whether a file is the one that was shipped. The models folder
/// (<c>models/</c> in the repository, copied next to the application when installed) holds
/// <c>SHA256SUMS</c> in <c>sha256sum</c> format; a model is used only when its hash matches, so a
/// truncated, corrupt or swapped file leads to the rule-based fallback with a reason, not to
/// silently different suggestions.
/// </summary>
public static class ModelFiles
{
    /// <summary>Checksum file name inside the models folder.</summary>
    public const string ChecksumFile = "SHA256SUMS";

    /// <summary>
    /// [any thread] The models folder: env <c>MIXMATE_MODELS_DIR</c>, else <c>models/</c> next to
    /// the application or in any parent of it, else <c>models/</c> in the current directory.
    /// Null when none holds <see cref="ChecksumFile"/>.
    /// </summary>
    public static string? FindDirectory()
    {
        string? env = Environment.GetEnvironmentVariable("MIXMATE_MODELS_DIR");
        if (!string.IsNullOrEmpty(env))
        {
            return env;
        }

        for (DirectoryInfo? d = new(CodeLocation.Directory); d is not null; d = d.Parent)
        {
            string candidate = Path.Combine(d.FullName, "models");
            if (File.Exists(Path.Combine(candidate, ChecksumFile)))
            {
                return candidate;
            }
        }

        string local = Path.Combine(Directory.GetCurrentDirectory(), "models");
        return File.Exists(Path.Combine(local, ChecksumFile)) ? local : null;
    }

    /// <summary>
    /// [any thread] Checks <paramref name="relativePath"/> (e.g. <c>role/role.onnx</c>) in
    /// <paramref name="directory"/> against its line in <see cref="ChecksumFile"/>. Returns null
    /// when it matches, else a sentence saying what is wrong.
    /// </summary>
    public static string? Verify(string directory, string relativePath)
    {
        string sums = Path.Combine(directory, ChecksumFile);
        string file = Path.Combine(directory, relativePath);
        if (!File.Exists(sums))
        {
            return $"checksum list {sums} is missing";
        }

        if (!File.Exists(file))
        {
            return $"model file {file} is missing";
        }

        string? expected = null;
        foreach (string line in File.ReadLines(sums))
        {
            string[] parts = line.Split(' ', 2, StringSplitOptions.TrimEntries);
            if (parts.Length == 2 && parts[1].TrimStart('*') == relativePath)
            {
                expected = parts[0];
            }
        }

        if (expected is null)
        {
            return $"{relativePath} is not listed in {sums}";
        }

        string actual;
        using (FileStream stream = File.OpenRead(file))
        {
            actual = Convert.ToHexStringLower(SHA256.HashData(stream));
        }

        return string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase)
            ? null
            : $"model file {file} does not match its checksum (corrupt or replaced)";
    }
}
