namespace MixMate.Dsp;

/// <summary>Level conversions used across the kernels.</summary>
public static class Decibels
{
    /// <summary>dB → linear amplitude.</summary>
    public static double ToGain(double db) => Math.Pow(10.0, db / 20.0);

    /// <summary>Linear amplitude → dB; −∞ for 0.</summary>
    public static double FromGain(double gain) => gain > 0 ? 20.0 * Math.Log10(gain) : double.NegativeInfinity;

    /// <summary>Power (mean square) → dB; −∞ for 0.</summary>
    public static double FromPower(double power) => power > 0 ? 10.0 * Math.Log10(power) : double.NegativeInfinity;
}
