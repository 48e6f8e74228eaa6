namespace MixMate.Assistant.Tonal;

/// <summary>
/// What the fault finder concluded about a programme, per twelfth-octave band (121 values; 0 where
/// a band is not analysed).
/// </summary>
/// <param name="Analysed">Bands that carry programme inside the analysed range.</param>
/// <param name="SmoothedDb">The programme's own smoothed spectrum (the narrow detector's baseline).</param>
/// <param name="NarrowDb">The spectrum minus its smoothed shape: resonances and notches.</param>
/// <param name="BroadDb">The smoothed spectrum minus the reference, level offset removed.</param>
/// <param name="FaultDb">The fault estimated from both: only what lies beyond the clean spreads.</param>
/// <param name="NarrowFaultDb">The narrow part of <paramref name="FaultDb"/>.</param>
/// <param name="OffsetDb">Level of the programme's smoothed spectrum above the reference mean.</param>
public sealed record FaultEstimate(bool[] Analysed, double[] SmoothedDb, double[] NarrowDb, double[] BroadDb, double[] FaultDb, double[] NarrowFaultDb, double OffsetDb);
