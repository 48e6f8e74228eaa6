namespace MixMate.Cli.Batch;

/// <summary>What <c>mixmate batch</c> does to each input.</summary>
internal enum BatchVerb
{
    /// <summary><c>master</c>: a master and its JSON report per input.</summary>
    Master,

    /// <summary><c>analyze</c>: the loudness analysis per input, as <c>analyze --json</c> writes it.</summary>
    Analyze,

    /// <summary><c>check</c>: the problems per input, as <c>check --json</c> writes them.</summary>
    Check,
}
