namespace MixMate.Dsp.Metering;

/// <summary>What counts as digital clipping at full scale, in one place for <c>mixmate check</c>
/// (MixMate.Assistant's clipping detector) and the plug-in's live reading
/// (<see cref="LiveProblemMeter"/>).</summary>
public static class ClippingRules
{
    /// <summary>Level from which a run counts as full-scale clipping (−0.1 dBFS).</summary>
    public const float FullScale = 0.98855f;

    /// <summary>Shortest run of equal samples at full scale.</summary>
    public const int FullScaleRun = 3;
}
