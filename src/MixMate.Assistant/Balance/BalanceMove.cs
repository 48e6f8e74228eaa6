namespace MixMate.Assistant.Balance;

/// <summary>One track's proposed level change.</summary>
/// <param name="GainDb">Gain to apply, dB (0 for tracks left alone).</param>
/// <param name="TargetLu">The role target used (after sharing with same-role tracks), LU; null when the track was left alone.</param>
/// <param name="Reason">A sentence a person can check: the role, the measured level, the target.</param>
public sealed record BalanceMove(double GainDb, double? TargetLu, string Reason)
{
    /// <summary>[any thread] The move scaled by the user's amount (0..1).</summary>
    public BalanceMove Scaled(double amount) => this with { GainDb = GainDb * Math.Clamp(amount, 0, 1) };
}
