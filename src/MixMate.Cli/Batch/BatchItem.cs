namespace MixMate.Cli.Batch;

/// <summary>One input of a batch and where its results go.</summary>
/// <param name="Input">The input as the user named it (argument, folder walk or manifest).</param>
/// <param name="Output">The master (master) or the JSON (analyze, check), relative to DIR unless absolute.</param>
/// <param name="Report">master: the JSON report next to the master; else null.</param>
/// <param name="Options">What it is processed with.</param>
/// <param name="Problem">Why it cannot be processed at all (missing, output name taken); null when it can.</param>
internal sealed record BatchItem(string Input, string Output, string? Report, BatchOptions Options, string? Problem)
{
    /// <summary>SHA-256 of the input (null until hashed, or when unreadable).</summary>
    public byte[]? Hash { get; set; }

    /// <summary>Size in bytes, for the ETA (0 when unknown).</summary>
    public long Bytes { get; set; }
}
