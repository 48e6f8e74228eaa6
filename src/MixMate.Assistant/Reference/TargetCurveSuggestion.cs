using MixMate.Assistant.Tonal;
using MixMate.Dsp.Spectrum;

namespace MixMate.Assistant.Reference;

/// <summary>
/// A style target's curve as an ordinary tonal reference: what <c>suggest --target-curve</c> and
/// the mastering of <c>mix --target-curve</c>'s sum compare against, through the same bounded
/// tonal balance as the built-in full-mix curve (a match proper, with every band, is
/// <see cref="ReferenceMatcher"/>'s).
/// </summary>
public static class TargetCurveSuggestion
{
    /// <summary>[any-thread] The curve as a <see cref="TonalTarget"/>: bands the references did not
    /// cover take their nearest covered neighbour's level (held flat, as the built-in curve is beyond its ends).</summary>
    public static TonalTarget ToTonalTarget(MatchTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        int n = ThirdOctaveBands.Count;
        var bands = new double[n];
        for (int b = 0; b < n; b++)
        {
            int nearest = -1;
            for (int d = 0; d < n && nearest < 0; d++)
            {
                if (b - d >= 0 && double.IsFinite(target.CurveDb[b - d]))
                {
                    nearest = b - d;
                }
                else if (b + d < n && double.IsFinite(target.CurveDb[b + d]))
                {
                    nearest = b + d;
                }
            }

            bands[b] = nearest >= 0 ? target.CurveDb[nearest] : 0;
        }

        return TonalTarget.FromBands(target.Name, bands);
    }

    /// <summary>[any-thread] Bounded tonal-balance moves for a programme of <paramref name="bandsDb"/> toward the target's curve.</summary>
    public static TonalSuggestion Suggest(ReadOnlySpan<double> bandsDb, MatchTarget target, double sampleRate) =>
        TonalBalance.Suggest(bandsDb, ToTonalTarget(target), sampleRate);
}
