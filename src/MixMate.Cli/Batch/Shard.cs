using System.Buffers.Binary;
using System.Globalization;
using MixMate.Cli.CommandLine;

namespace MixMate.Cli.Batch;

/// <summary>
/// <c>--shard I/N</c>: this run takes the inputs whose content hash falls in part I of N. The part
/// is the hash's first 8 bytes (big-endian) modulo N, so it depends only on the bytes of the file —
/// not on its name, its folder, the order of the arguments or the machine — and N runs with
/// I = 0…N−1 (a Kubernetes completion index) or I = 1…N (a Slurm array 1-N; I = N is part 0)
/// together take every input exactly once.
/// </summary>
/// <param name="Index">I modulo N.</param>
/// <param name="Count">N.</param>
internal readonly record struct Shard(int Index, int Count)
{
    /// <summary>The whole batch (no --shard).</summary>
    public static Shard All => new(0, 1);

    /// <summary>[any-thread] Parses "I/N" (0 ≤ I ≤ N, 1 ≤ N ≤ 100000).</summary>
    /// <exception cref="CliException">Not of that form.</exception>
    public static Shard Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] parts = text.Split('/');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int index)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int count)
            && count is >= 1 and <= 100_000 && index <= count)
        {
            return new Shard(index % count, count);
        }

        throw new CliException($"batch: --shard must be I/N with 1 ≤ N and 0 ≤ I ≤ N (e.g. 0/3 … 2/3, or 1/3 … 3/3), got '{text}'");
    }

    /// <summary>[any-thread] Whether the input with this SHA-256 belongs to this shard.</summary>
    public bool Takes(ReadOnlySpan<byte> sha256) =>
        Count == 1 || (int)(BinaryPrimitives.ReadUInt64BigEndian(sha256) % (ulong)Count) == Index;
}
