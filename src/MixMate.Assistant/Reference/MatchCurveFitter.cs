using MathNet.Numerics.LinearAlgebra;
using MixMate.Assistant.Eq;
using MixMate.Dsp.Filters;
using MixMate.Dsp.Spectrum;

namespace MixMate.Assistant.Reference;

/// <summary>
/// Fits a reference match: one RBJ peak at every ISO third-octave centre from 20 Hz to 16 kHz
/// plus a high shelf for the 20 kHz band, gains solved so that the programme's band levels —
/// predicted from its own 1/24-octave power grid through the filters' exact magnitude — move by
/// the wanted correction.
/// </summary>
/// <remarks>
/// A match is an explicit request to sound like something, so unlike the tonal balance's few
/// conservative moves it is allowed to be complete: every band may move, within
/// <see cref="MaxBandGainDb"/> per filter and <see cref="MaxCurveDb"/> for the wanted curve. The
/// solve is Gauss–Newton on the band levels: the Jacobian (each filter's 1 dB response averaged
/// over each band with the programme's own power as weight, so a band's level moves as its
/// content does, not as its centre does) is fixed, and a few ridge-regularised least-squares steps
/// absorb the filters' non-linearity and overlap. Bands with no programme weigh nothing, and the
/// ridge keeps their filters near 0 dB.
/// </remarks>
public static class MatchCurveFitter
{
    /// <summary>Q of each peak: a little wider than a third-octave (4.3), so neighbours overlap
    /// into a smooth curve instead of a comb.</summary>
    public const double PeakQ = 3.0;

    /// <summary>Weights of the smoothing applied to the wanted correction across neighbouring
    /// bands (a light [0.15 0.7 0.15]): a single band that stands out, as a sparse arrangement's
    /// bass notes make it, is followed most of the way but does not pull its neighbours into a
    /// comb of alternating boosts and cuts.</summary>
    public const double SmoothingSide = 0.15;

    /// <summary>Largest gain of any one filter, dB.</summary>
    public const double MaxBandGainDb = 15;

    /// <summary>Largest wanted correction in any band, dB (the "sane total cap").</summary>
    public const double MaxCurveDb = 12;

    /// <summary>Largest boost below 40 Hz, dB: more sub-bass mostly feeds the limiter.</summary>
    public const double MaxSubBoostDb = 9;

    // Regularisation (chosen on dev-set pairs, scripts/reference-bench.py): a ridge on every gain
    // and a penalty on the difference of neighbouring gains, which keep the filters from
    // alternating to chase band-to-band jumps.
    private const double Ridge = 0.1;
    private const double Roughness = 0.1;
    private const int Iterations = 10;

    /// <summary>One filter of the match.</summary>
    public readonly record struct MatchBand(FilterType Type, double FrequencyHz, double GainDb, double Q, int BandIndex);

    /// <summary>
    /// [any-thread] Solves the filter gains for <paramref name="correctionDb"/> (31 values, dB; NaN
    /// where a band is not to be matched) on a programme whose power is <paramref name="grid"/>.
    /// Returns every filter (gains may be 0) and the predicted change per band.
    /// </summary>
    public static (MatchBand[] Bands, double[] PredictedDb) Fit(ReadOnlySpan<double> correctionDb, SpectrumGrid grid, double sampleRate)
    {
        ArgumentNullException.ThrowIfNull(grid);
        int n = ThirdOctaveBands.Count;
        if (correctionDb.Length != n)
        {
            throw new ArgumentException("Need 31 band values.", nameof(correctionDb));
        }

        MatchBand[] bands = Layout(sampleRate);
        int m = bands.Length;
        var w = new double[n];
        var target = new double[n];
        double[] smoothed = Smooth(correctionDb);
        for (int b = 0; b < n; b++)
        {
            double c = smoothed[b];
            if (double.IsFinite(c) && ThirdOctaveBands.UpperEdge(b) <= sampleRate / 2 && BandPower(grid, b) > 0)
            {
                w[b] = 1;
                double maxBoost = ThirdOctaveBands.Centre(b) < 40 ? MaxSubBoostDb : MaxCurveDb;
                target[b] = Math.Clamp(c, -MaxCurveDb, maxBoost);
            }
        }

        // Jacobian: band-level change per dB of each filter, programme-weighted.
        Matrix<double> a = Matrix<double>.Build.Dense(n, m);
        var unit = new double[grid.Power.Length];
        for (int j = 0; j < m; j++)
        {
            Response(bands[j] with { GainDb = 1 }, grid, sampleRate, unit);
            double[] delta = BandChange(grid, unit);
            for (int b = 0; b < n; b++)
            {
                a[b, j] = delta[b];
            }
        }

        Matrix<double> aw = a.Clone();
        for (int b = 0; b < n; b++)
        {
            aw.SetRow(b, a.Row(b) * w[b]);
        }

        Matrix<double> difference = Matrix<double>.Build.Dense(m - 1, m, (i, j) => j == i ? -1 : j == i + 1 ? 1 : 0);
        Matrix<double> normal = a.TransposeThisAndMultiply(aw) + (Ridge * Matrix<double>.Build.DenseIdentity(m))
            + (Roughness * difference.TransposeThisAndMultiply(difference));
        var solver = normal.Cholesky();
        var gains = Vector<double>.Build.Dense(m);
        double[] predicted = new double[n];
        var total = new double[grid.Power.Length];
        for (int iteration = 0; iteration < Iterations; iteration++)
        {
            Curve(bands, gains, grid, sampleRate, total);
            predicted = BandChange(grid, total);
            var residual = Vector<double>.Build.Dense(n, b => w[b] * (target[b] - predicted[b]));
            Vector<double> step = solver.Solve(a.TransposeThisAndMultiply(residual));
            gains += step;
            gains.MapInplace(g => Math.Clamp(g, -MaxBandGainDb, MaxBandGainDb));
            if (step.AbsoluteMaximum() < 0.01)
            {
                break;
            }
        }

        Curve(bands, gains, grid, sampleRate, total);
        predicted = BandChange(grid, total);
        for (int j = 0; j < m; j++)
        {
            bands[j] = bands[j] with { GainDb = Math.Round(gains[j], 2) };
        }

        return (bands, predicted);
    }

    /// <summary>[any-thread] The filters of a match at <paramref name="sampleRate"/>, all at 0 dB:
    /// peaks at the third-octave centres that the rate can design, and a high shelf for the top band.</summary>
    public static MatchBand[] Layout(double sampleRate)
    {
        var list = new List<MatchBand>();
        int n = ThirdOctaveBands.Count;
        for (int b = 0; b < n - 1; b++)
        {
            if (ThirdOctaveBands.Centre(b) < EqLimits.MaxDesignFraction * sampleRate)
            {
                list.Add(new MatchBand(FilterType.Peak, ThirdOctaveBands.Nominal[b], 0, PeakQ, b));
            }
        }

        double shelf = ThirdOctaveBands.LowerEdge(n - 1);
        if (shelf < EqLimits.MaxDesignFraction * sampleRate)
        {
            list.Add(new MatchBand(FilterType.HighShelf, Math.Round(shelf), 0, BiquadCoefficients.ButterworthQ, n - 1));
        }

        return [.. list];
    }

    /// <summary>[any-thread] The moves as EQ moves (filters of |gain| under 0.1 dB dropped).</summary>
    public static IReadOnlyList<EqMove> ToMoves(IEnumerable<MatchBand> bands, ReadOnlySpan<double> correctionDb, string reference)
    {
        ArgumentNullException.ThrowIfNull(bands);
        var moves = new List<EqMove>();
        foreach (MatchBand band in bands)
        {
            if (Math.Abs(band.GainDb) >= 0.1)
            {
                moves.Add(new EqMove(band.Type, band.FrequencyHz, band.GainDb, band.Q, MatchReasons.For(band, correctionDb, reference)));
            }
        }

        return moves;
    }

    // The light smoothing across neighbouring bands (bands without a value are skipped).
    private static double[] Smooth(ReadOnlySpan<double> values)
    {
        var smoothed = new double[values.Length];
        for (int b = 0; b < values.Length; b++)
        {
            if (!double.IsFinite(values[b]))
            {
                smoothed[b] = double.NaN;
                continue;
            }

            double sum = (1 - (2 * SmoothingSide)) * values[b], weight = 1 - (2 * SmoothingSide);
            foreach (int j in (ReadOnlySpan<int>)[b - 1, b + 1])
            {
                if (j >= 0 && j < values.Length && double.IsFinite(values[j]))
                {
                    sum += SmoothingSide * values[j];
                    weight += SmoothingSide;
                }
            }

            smoothed[b] = sum / weight;
        }

        return smoothed;
    }

    private static double BandPower(SpectrumGrid grid, int band)
    {
        double sum = 0;
        for (int c = 0; c < grid.Power.Length; c++)
        {
            if (grid.Band[c] == band)
            {
                sum += grid.Power[c];
            }
        }

        return sum;
    }

    private static void Curve(MatchBand[] bands, Vector<double> gains, SpectrumGrid grid, double sampleRate, double[] total)
    {
        Array.Clear(total);
        var one = new double[total.Length];
        for (int j = 0; j < bands.Length; j++)
        {
            if (Math.Abs(gains[j]) < 1e-6)
            {
                continue;
            }

            Response(bands[j] with { GainDb = gains[j] }, grid, sampleRate, one);
            for (int c = 0; c < total.Length; c++)
            {
                total[c] += one[c];
            }
        }
    }

    private static void Response(MatchBand band, SpectrumGrid grid, double sampleRate, double[] db)
    {
        int sections = BiquadCoefficients.Design(band.Type, sampleRate, EqLimits.DesignFrequency(band.FrequencyHz, sampleRate), band.GainDb, band.Q,
            out BiquadCoefficients first, out BiquadCoefficients second);
        for (int c = 0; c < db.Length; c++)
        {
            double f = grid.FrequenciesHz[c];
            db[c] = first.MagnitudeDb(f, sampleRate) + (sections == 2 ? second.MagnitudeDb(f, sampleRate) : 0);
        }
    }

    // Change of each band's level (dB) when the grid's power is shaped by curveDb.
    private static double[] BandChange(SpectrumGrid grid, double[] curveDb)
    {
        int n = ThirdOctaveBands.Count;
        var before = new double[n];
        var after = new double[n];
        for (int c = 0; c < curveDb.Length; c++)
        {
            int b = grid.Band[c];
            before[b] += grid.Power[c];
            after[b] += grid.Power[c] * Math.Pow(10, curveDb[c] / 10);
        }

        var change = new double[n];
        for (int b = 0; b < n; b++)
        {
            change[b] = before[b] > 0 ? 10 * Math.Log10(after[b] / before[b]) : 0;
        }

        return change;
    }
}
