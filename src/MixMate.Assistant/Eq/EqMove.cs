using MixMate.Dsp.Filters;

namespace MixMate.Assistant.Eq;

/// <summary>
/// One suggested EQ move, as every command's report and the plug-in show it: the filter kind
/// (reports name it through <see cref="FilterNames"/>), where, how much, how wide, and why.
/// </summary>
/// <param name="Type">Filter shape.</param>
/// <param name="FrequencyHz">Centre or corner frequency.</param>
/// <param name="GainDb">Gain as suggested, before the user's amount is applied.</param>
/// <param name="Q">Bandwidth (RBJ Q; shelves use Q as well).</param>
/// <param name="Reason">A sentence a person can check: the band, the measured deviation, the reference.</param>
public sealed record EqMove(FilterType Type, double FrequencyHz, double GainDb, double Q, string Reason)
{
    /// <summary>The deviation the move answers, dB (positive: too much there); null when not recorded.</summary>
    public double? DeviationDb { get; init; }

    /// <summary>Where that deviation is strongest, Hz; null when not recorded.</summary>
    public double? AtHz { get; init; }

    /// <summary>The engineer's word for it ("muddy", "harsh"); null when not recorded.</summary>
    public string? Word { get; init; }

    /// <summary>The move scaled by the user's amount (0..1); frequency and Q stay.</summary>
    public EqMove Scaled(double amount) => this with { GainDb = GainDb * Math.Clamp(amount, 0, 1) };

    /// <summary>The band an EQ runs for this move (enabled).</summary>
    public EqBand ToBand() => new(true, Type, FrequencyHz, GainDb, Q);
}
