using MixMate.Dsp.Filters;
using MixMate.Dsp.Spectrum;

namespace MixMate.Assistant.Eq;

/// <summary>
/// Turns a desired correction curve (dB per ISO third-octave band) into a few parametric bands:
/// greedy matching pursuit over a dictionary of RBJ peaks (Q 0.7–2) and shelves, each gain solved
/// by weighted least squares and bounded, followed by joint refinement of the chosen gains. Few,
/// broad, bounded moves are what an engineer would make; the fitter never chases narrow wiggles
/// that a third-octave analysis cannot justify.
/// </summary>
public static class EqCurveFitter
{
    /// <summary>Sample rate used to evaluate filter shapes; the moves are specified in Hz, so the
    /// result does not depend on it below 16 kHz beyond bilinear warping, which is negligible at 96 kHz.</summary>
    private const double DesignRate = 96000;

    private static readonly double[] PeakQs = [0.7, 1.0, 1.4, 2.0];
    private static readonly double[] LowShelfHz = [80, 100, 125, 160, 200, 250];
    private static readonly double[] HighShelfHz = [4000, 5000, 6300, 8000, 10000];
    private static readonly Lazy<Candidate[]> Dictionary = new(BuildDictionary);

    /// <summary>One fitted band.</summary>
    /// <param name="Type">Filter shape (peak, low shelf, high shelf).</param>
    /// <param name="FrequencyHz">Centre or corner frequency.</param>
    /// <param name="GainDb">Gain, within ±maxGainDb.</param>
    /// <param name="Q">RBJ Q.</param>
    /// <param name="BandIndex">The third-octave band where this move acts most.</param>
    public readonly record struct FittedBand(FilterType Type, double FrequencyHz, double GainDb, double Q, int BandIndex);

    /// <summary>
    /// Fits at most <paramref name="maxBands"/> bands to <paramref name="correctionDb"/> (31 values).
    /// <paramref name="weights"/> (31 values, ≥ 0) says how much each band matters; zero ignores it.
    /// Moves smaller than <paramref name="minGainDb"/> are not worth suggesting and are dropped.
    /// </summary>
    public static IReadOnlyList<FittedBand> Fit(ReadOnlySpan<double> correctionDb, ReadOnlySpan<double> weights,
        int maxBands = 6, double maxGainDb = 4, double minGainDb = 0.5)
    {
        int n = ThirdOctaveBands.Count;
        if (correctionDb.Length != n || weights.Length != n)
        {
            throw new ArgumentException("Need 31 band values and 31 weights.", nameof(correctionDb));
        }

        Candidate[] dictionary = Dictionary.Value;
        double[] residual = correctionDb.ToArray();
        double[] w = weights.ToArray();
        var chosen = new List<(Candidate Candidate, double Gain)>();

        for (int iteration = 0; iteration < maxBands; iteration++)
        {
            double bestGain = 0, bestReduction = 0;
            Candidate? best = null;
            foreach (Candidate candidate in dictionary)
            {
                // One move per region: a second filter within half an octave of a chosen one would
                // only stack on a clamped gain, which the bound is there to prevent.
                if (chosen.Exists(c => Math.Abs(Math.Log2(c.Candidate.FrequencyHz / candidate.FrequencyHz)) < 0.5))
                {
                    continue;
                }

                double gain = Math.Clamp(LeastSquaresGain(candidate, residual, w), -maxGainDb, maxGainDb);
                if (Math.Abs(gain) < minGainDb)
                {
                    continue;
                }

                double reduction = ErrorReduction(candidate, gain, residual, w);
                if (reduction > bestReduction)
                {
                    (best, bestGain, bestReduction) = (candidate, gain, reduction);
                }
            }

            // Stop when the next move would explain less than (0.3 dB)² of weighted error per band.
            if (best is null || bestReduction < 0.09 * Sum(w))
            {
                break;
            }

            chosen.Add((best, bestGain));
            Subtract(best, bestGain, residual);
        }

        RefineJointly(chosen, correctionDb, w, maxGainDb);
        return chosen
            .Where(c => Math.Abs(c.Gain) >= minGainDb)
            .OrderBy(c => c.Candidate.FrequencyHz)
            .Select(c => new FittedBand(c.Candidate.Type, c.Candidate.FrequencyHz, Math.Round(c.Gain, 1), c.Candidate.Q, c.Candidate.PeakBand))
            .ToList();
    }

    /// <summary>Response in dB of a set of moves at every third-octave centre (for residuals and plots).</summary>
    public static double[] Response(IEnumerable<FittedBand> bands)
    {
        var total = new double[ThirdOctaveBands.Count];
        foreach (FittedBand band in bands)
        {
            for (int b = 0; b < total.Length; b++)
            {
                total[b] += BiquadCoefficients.MagnitudeDb(band.Type, DesignRate, band.FrequencyHz, band.GainDb, band.Q, ThirdOctaveBands.Centre(b));
            }
        }

        return total;
    }

    // Coordinate descent on the gains of the chosen moves against the original curve: the greedy
    // pass fixes each gain before later moves exist, which over-corrects overlapping regions.
    private static void RefineJointly(List<(Candidate Candidate, double Gain)> chosen, ReadOnlySpan<double> target, double[] w, double maxGainDb)
    {
        double[] residual = new double[target.Length];
        for (int pass = 0; pass < 8; pass++)
        {
            for (int i = 0; i < chosen.Count; i++)
            {
                target.CopyTo(residual);
                for (int j = 0; j < chosen.Count; j++)
                {
                    if (j != i)
                    {
                        Subtract(chosen[j].Candidate, chosen[j].Gain, residual);
                    }
                }

                chosen[i] = (chosen[i].Candidate, Math.Clamp(LeastSquaresGain(chosen[i].Candidate, residual, w), -maxGainDb, maxGainDb));
            }
        }
    }

    private static double LeastSquaresGain(Candidate c, double[] residual, double[] w)
    {
        double num = 0, den = 0;
        for (int b = 0; b < residual.Length; b++)
        {
            num += w[b] * residual[b] * c.UnitShape[b];
            den += w[b] * c.UnitShape[b] * c.UnitShape[b];
        }

        return den > 1e-12 ? num / den : 0;
    }

    private static double ErrorReduction(Candidate c, double gain, double[] residual, double[] w)
    {
        double reduction = 0;
        for (int b = 0; b < residual.Length; b++)
        {
            double after = residual[b] - c.Shape(gain, b);
            reduction += w[b] * ((residual[b] * residual[b]) - (after * after));
        }

        return reduction;
    }

    private static void Subtract(Candidate c, double gain, double[] residual)
    {
        for (int b = 0; b < residual.Length; b++)
        {
            residual[b] -= c.Shape(gain, b);
        }
    }

    private static double Sum(double[] values)
    {
        double s = 0;
        foreach (double v in values)
        {
            s += v;
        }

        return s;
    }

    private static Candidate[] BuildDictionary()
    {
        var list = new List<Candidate>();
        for (int b = 2; b <= 28; b++)
        {
            foreach (double q in PeakQs)
            {
                list.Add(new Candidate(FilterType.Peak, ThirdOctaveBands.Nominal[b], q));
            }
        }

        foreach (double hz in LowShelfHz)
        {
            list.Add(new Candidate(FilterType.LowShelf, hz, BiquadCoefficients.ButterworthQ));
        }

        foreach (double hz in HighShelfHz)
        {
            list.Add(new Candidate(FilterType.HighShelf, hz, BiquadCoefficients.ButterworthQ));
        }

        return [.. list];
    }

    private sealed class Candidate
    {
        // Shapes at ±maxGain are evaluated exactly; the unit shape (response at +1 dB scaled from
        // +4 dB) seeds the least-squares gain. RBJ peaks and shelves are symmetric in dB.
        private readonly double[] _shape4;

        public Candidate(FilterType type, double frequencyHz, double q)
        {
            Type = type;
            FrequencyHz = frequencyHz;
            Q = q;
            _shape4 = new double[ThirdOctaveBands.Count];
            UnitShape = new double[ThirdOctaveBands.Count];
            double peak = 0;
            for (int b = 0; b < _shape4.Length; b++)
            {
                _shape4[b] = BiquadCoefficients.MagnitudeDb(type, DesignRate, frequencyHz, 4, q, ThirdOctaveBands.Centre(b));
                UnitShape[b] = _shape4[b] / 4;
                if (Math.Abs(_shape4[b]) > peak)
                {
                    peak = Math.Abs(_shape4[b]);
                    PeakBand = b;
                }
            }

            if (type == FilterType.LowShelf || type == FilterType.HighShelf)
            {
                PeakBand = ThirdOctaveBands.IndexOf(frequencyHz);
            }
        }

        public FilterType Type { get; }

        public double FrequencyHz { get; }

        public double Q { get; }

        public int PeakBand { get; }

        public double[] UnitShape { get; }

        public double Shape(double gainDb, int band) =>
            Math.Abs(gainDb - 4) < 1e-12 ? _shape4[band] : BiquadCoefficients.MagnitudeDb(Type, DesignRate, FrequencyHz, gainDb, Q, ThirdOctaveBands.Centre(band));
    }
}
