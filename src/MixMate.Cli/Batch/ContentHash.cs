using System.Security.Cryptography;
using System.Text;

namespace MixMate.Cli.Batch;

/// <summary>SHA-256 of a file's bytes: what <c>--shard</c> partitions on and what <c>--resume</c>
/// compares, so a renamed or moved file is still the same input and an edited one is not.</summary>
/// <remarks>[any-thread]</remarks>
internal static class ContentHash
{
    /// <summary>The hash of the file at <paramref name="path"/>, streamed.</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">No permission to read it.</exception>
    public static byte[] OfFile(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16, FileOptions.SequentialScan);
        return SHA256.HashData(stream);
    }

    /// <summary>The hash of a path's text, for inputs that cannot be read (so that they still fall
    /// in exactly one shard).</summary>
    public static byte[] OfName(string path) => SHA256.HashData(Encoding.UTF8.GetBytes(path));

    /// <summary>Lower-case hex.</summary>
    public static string Hex(byte[] hash) => Convert.ToHexStringLower(hash);
}
