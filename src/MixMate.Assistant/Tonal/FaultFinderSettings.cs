namespace MixMate.Assistant.Tonal;

/// <summary>
/// The fault finder's thresholds and the bounds on what it may suggest. The defaults are the
/// values chosen on the validation split of <c>models/tonal</c> (see its model card).
/// </summary>
public sealed record FaultFinderSettings
{
    /// <summary>A narrow deviation counts beyond this many narrow spreads of clean material.</summary>
    public double NarrowThreshold { get; init; } = 1.5;

    /// <summary>A broad deviation counts beyond this many broad spreads of clean material.</summary>
    public double BroadThreshold { get; init; } = 1.0;

    /// <summary>Never act on a narrow deviation smaller than this, dB.</summary>
    public double MinNarrowDb { get; init; } = 1.0;

    /// <summary>Never act on a broad deviation smaller than this, dB.</summary>
    public double MinBroadDb { get; init; } = 1.0;

    /// <summary>At most this many moves.</summary>
    public int MaxMoves { get; init; } = 6;

    /// <summary>Each move is bounded to ±this, dB.</summary>
    public double MaxMoveDb { get; init; } = 4;

    /// <summary>The combined curve of all moves is bounded to ±this at every frequency, dB.</summary>
    public double MaxCurveDb { get; init; } = 6;

    /// <summary>Moves smaller than this are not worth suggesting, dB.</summary>
    public double MinMoveDb { get; init; } = 0.5;

    /// <summary>A move must explain at least this much squared error (dB² summed over twelfth-octave bands).</summary>
    public double MinReduction { get; init; } = 3;

    /// <summary>Broad deviations are realised by the fixed <see cref="Eq.BroadEqBank"/> (a linear
    /// projection) rather than fitted region by region.</summary>
    public bool BroadBank { get; init; } = true;

    /// <summary>Typical size of a broad fault, dB: the broad estimate is the deviation shrunk by
    /// τ² / (σ² + τ²), σ the clean spread there (the mean of the fault given the deviation when both
    /// are Gaussian); 0 uses the soft threshold <see cref="BroadThreshold"/> instead.</summary>
    public double BroadFaultScaleDb { get; init; } = 5;

    /// <summary>Bands in the broad bank (4 or 6); the rest of <see cref="MaxMoves"/> goes to narrow moves.</summary>
    public int BankSize { get; init; } = 6;

    /// <summary>The defaults.</summary>
    public static FaultFinderSettings Default { get; } = new();
}
