using MixMate.Assistant.Balance;
using MixMate.Assistant.Eq;
using MixMate.Dsp.Filters;
using MixMate.Dsp.Spectrum;

namespace MixMate.Assistant.Masking;

/// <summary>
/// How much of one track a second track covers in a frequency region: the measure that decides
/// whether an unmasking cut helps, and that the mix report gives for each competing pair before
/// and after the cuts.
/// </summary>
/// <remarks>
/// <para>In each third-octave band b of the region, with P the band powers of the two tracks at
/// their balanced levels (after any cuts), the masker's share of the pair's energy is
/// m_b = P_masker / (P_masker + P_target). The measure is the mean of m_b weighted by the target's
/// own power P_target(b): 0 when the target has the region to itself, 0.5 when the two are equally
/// loud in every band the target plays, towards 1 when the masker buries it. Weighting by the
/// target means a cut on the masker only counts where the target actually has something to be
/// heard; a cut where the target is absent changes nothing.</para>
/// <para>A cut's effect on a band is the magnitude response of its filter at the band's centre
/// frequency (the filter as <see cref="BiquadCoefficients"/> designs it at <see cref="DesignRate"/>).</para>
/// </remarks>
public static class MaskingMeasure
{
    /// <summary>Rate at which cut responses are evaluated (high enough that bands up to 20 kHz sit
    /// well below Nyquist and the response is the analogue prototype's).</summary>
    public const double DesignRate = 96000;

    /// <summary>[any thread] The share (0..1) of <paramref name="target"/>'s energy in
    /// [<paramref name="lowHz"/>, <paramref name="highHz"/>) covered by <paramref name="masker"/>,
    /// each with its own cuts applied; 0 where the target has no energy there.</summary>
    public static double Covered(TrackSummary target, IReadOnlyList<EqMove> targetCuts, TrackSummary masker, IReadOnlyList<EqMove> maskerCuts, double lowHz, double highHz)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(masker);
        double weighted = 0, total = 0;
        int bands = Math.Min(ThirdOctaveBands.Count, Math.Min(target.BandsDb.Count, masker.BandsDb.Count));
        for (int b = 0; b < bands; b++)
        {
            double fc = ThirdOctaveBands.Centre(b);
            if (fc < lowHz || fc >= highHz || !double.IsFinite(target.BandsDb[b]))
            {
                continue;
            }

            double t = Power(target.BandsDb[b] + Response(targetCuts, fc));
            double m = double.IsFinite(masker.BandsDb[b]) ? Power(masker.BandsDb[b] + Response(maskerCuts, fc)) : 0;
            weighted += t * (m / (m + t));
            total += t;
        }

        return total > 0 ? weighted / total : 0;
    }

    /// <summary>[any thread] Summed response of <paramref name="cuts"/> at <paramref name="frequency"/>, dB.</summary>
    public static double Response(IReadOnlyList<EqMove> cuts, double frequency)
    {
        ArgumentNullException.ThrowIfNull(cuts);
        double db = 0;
        foreach (EqMove cut in cuts)
        {
            db += BiquadCoefficients.MagnitudeDb(cut.Type, DesignRate, cut.FrequencyHz, cut.GainDb, cut.Q, frequency);
        }

        return db;
    }

    // Relative to the loudest band (0 dB) so that powers stay in range whatever the levels.
    private static double Power(double db) => Math.Pow(10, Math.Clamp(db, -300, 300) / 10);
}
