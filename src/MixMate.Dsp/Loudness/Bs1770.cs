namespace MixMate.Dsp.Loudness;

/// <summary>
/// The constants of ITU-R BS.1770-4 Annex 1 (and the EBU Tech 3342 loudness-range gate), in one
/// place for every meter and measure in MixMate: the live <see cref="LoudnessMeter"/>, the
/// active-loudness measures of the balance engine and the limiter's loudness model.
/// </summary>
public static class Bs1770
{
    /// <summary>Eq. 2: L = −0.691 + 10·log10(Σ Gᵢ·zᵢ), LUFS.</summary>
    public const double LoudnessOffset = -0.691;

    /// <summary>§5.1: blocks below this are ignored (the absolute gate), LUFS.</summary>
    public const double AbsoluteGateLufs = -70.0;

    /// <summary>§5.2: the relative gate sits this far below the absolute-gated mean, LU.</summary>
    public const double RelativeGateLu = -10.0;

    /// <summary>EBU Tech 3342: the loudness-range relative gate, LU.</summary>
    public const double LraRelativeGateLu = -20.0;

    /// <summary>§5.1: gating block length, s.</summary>
    public const double BlockSeconds = 0.4;

    /// <summary>§5.1: gating blocks overlap by 75 %: one starts every 100 ms.</summary>
    public const double StepSeconds = 0.1;

    /// <summary>The absolute gate as a mean-square energy.</summary>
    public static readonly double AbsoluteGateEnergy = LufsToEnergy(AbsoluteGateLufs);

    /// <summary>The relative gate as an energy ratio (10^(−10/10) = 0.1).</summary>
    public static readonly double RelativeGateRatio = Math.Pow(10, RelativeGateLu / 10);

    /// <summary>[any thread] Eq. 2 on a weighted mean square; −∞ for 0.</summary>
    public static double EnergyToLufs(double energy) => energy > 0 ? LoudnessOffset + (10 * Math.Log10(energy)) : double.NegativeInfinity;

    /// <summary>[any thread] The inverse of <see cref="EnergyToLufs"/>.</summary>
    public static double LufsToEnergy(double lufs) => Math.Pow(10, (lufs - LoudnessOffset) / 10);
}
