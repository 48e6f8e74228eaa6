using MixMate.Cli.Analysis;

namespace MixMate.Cli.Output;

/// <summary>
/// The one rounding of a level shown to a person, used by the terminal tables and the HTML pages
/// alike, so both show the same tenth: the value as the JSON report holds it (0.01 dB) rounded to
/// 0.1 dB, half away from zero (−12.75 → −12.8 everywhere).
/// </summary>
internal static class Figures
{
    /// <summary>[any-thread] <paramref name="value"/> to a tenth of a decibel (never −0).</summary>
    public static double Tenths(double value) =>
        Math.Round(Math.Round(value, LoudnessAnalysis.LevelDecimals, MidpointRounding.AwayFromZero), 1, MidpointRounding.AwayFromZero) + 0.0;
}
