using MixMate.Dsp.Filters;
using MixMate.Dsp.Spectrum;

namespace MixMate.Assistant.Eq;

/// <summary>
/// Realises a correction curve on the twelfth-octave grid with a few bounded parametric bands,
/// one per region (a run of bands whose correction has one sign): the RBJ peak (Q 0.5–8, narrow
/// enough for a resonance) or shelf (for a region that reaches an end of the analysed range) that
/// best fits the region, never larger than the region asks for and never of the other sign; the
/// strongest regions when there are more than the moves allowed; the combined response bounded at
/// every frequency. Regions are fitted apart, so a fault changes only its own region's move.
/// </summary>
public static class BoundedEqFitter
{
    /// <summary>Sample rate used to evaluate filter shapes (moves are specified in Hz).</summary>
    private const double DesignRate = 96000;

    private static readonly double[] PeakQs = [0.5, 0.7, 1.0, 1.4, 2.0, 2.8, 4.0, 5.6, 8.0];
    private static readonly Lazy<Candidate[]> Dictionary = new(BuildDictionary);

    /// <summary>One fitted band.</summary>
    /// <param name="Type">Peak, low shelf or high shelf.</param>
    /// <param name="FrequencyHz">Centre or corner frequency.</param>
    /// <param name="GainDb">Gain (rounded to 0.1 dB).</param>
    /// <param name="Q">RBJ Q.</param>
    /// <param name="Footprint">Twelfth-octave bands where the move acts with at least half its strongest effect.</param>
    public sealed record FittedMove(FilterType Type, double FrequencyHz, double GainDb, double Q, IReadOnlyList<int> Footprint);

    /// <summary>
    /// [any thread] Fits at most <paramref name="maxMoves"/> moves to <paramref name="correctionDb"/>
    /// (121 twelfth-octave values; <paramref name="weights"/> ≥ 0, zero ignores a band).
    /// </summary>
    public static IReadOnlyList<FittedMove> Fit(ReadOnlySpan<double> correctionDb, ReadOnlySpan<double> weights,
        int maxMoves, double maxMoveDb, double maxCurveDb, double minMoveDb, double minReduction)
    {
        int n = TwelfthOctaveBands.Count;
        if (correctionDb.Length != n || weights.Length != n)
        {
            throw new ArgumentException($"Need {n} values and {n} weights.", nameof(correctionDb));
        }

        double[] target = correctionDb.ToArray();
        double[] w = weights.ToArray();
        if (target.All(t => Math.Abs(t) < 1e-9))
        {
            return [];
        }

        // One move per region: a run of bands whose correction has one sign. Regions are fitted
        // apart, so a fault changes only the move of its own region, and a clean track's own
        // features get the same moves with or without it.
        var chosen = new List<(Candidate C, double Gain, double Reduction)>();
        int first = Array.FindIndex(w, x => x > 0), last = Array.FindLastIndex(w, x => x > 0);
        for (int a = 0; a < n;)
        {
            if (w[a] <= 0 || Math.Abs(target[a]) < 1e-9)
            {
                a++;
                continue;
            }

            int b = a;
            while (b + 1 < n && w[b + 1] > 0 && Math.Sign(target[b + 1]) == Math.Sign(target[a]))
            {
                b++;
            }

            if (FitRegion(a, b, target, w, first, last, maxMoveDb, minMoveDb) is { } fit && fit.Reduction >= minReduction)
            {
                chosen.Add(fit);
            }

            a = b + 1;
        }

        // The strongest regions when there are more than the moves allowed.
        chosen = [.. chosen.OrderByDescending(c => c.Reduction).Take(maxMoves)];

        // The combined curve is bounded everywhere: scale every move down together if needed.
        for (int pass = 0; pass < 3; pass++)
        {
            double peak = 0;
            for (int b = 0; b < n; b++)
            {
                if (w[b] <= 0)
                {
                    continue;
                }

                double sum = 0;
                foreach ((Candidate c, double g, _) in chosen)
                {
                    sum += c.Exact(g, b);
                }

                peak = Math.Max(peak, Math.Abs(sum));
            }

            if (peak <= maxCurveDb + 1e-6)
            {
                break;
            }

            double scale = maxCurveDb / peak;
            for (int i = 0; i < chosen.Count; i++)
            {
                chosen[i] = (chosen[i].C, chosen[i].Gain * scale, chosen[i].Reduction);
            }
        }

        return [.. chosen
            .Where(x => Math.Abs(Math.Round(x.Gain, 1)) >= minMoveDb)
            .OrderBy(x => x.C.FrequencyHz)
            .Select(x => new FittedMove(x.C.Type, x.C.FrequencyHz, Math.Round(x.Gain, 1), x.C.Q, x.C.Footprint))];
    }

    /// <summary>[any thread] Response of <paramref name="moves"/> in dB at every twelfth-octave centre.</summary>
    public static double[] Response(IEnumerable<(FilterType Type, double FrequencyHz, double GainDb, double Q)> moves)
    {
        var total = new double[TwelfthOctaveBands.Count];
        foreach ((FilterType type, double f, double g, double q) in moves)
        {
            for (int b = 0; b < total.Length; b++)
            {
                total[b] += BandAveragedDb(type, f, g, q, b);
            }
        }

        return total;
    }

    /// <summary>[any thread] The footprint of a move (bands with at least half its strongest effect).</summary>
    public static IReadOnlyList<int> FootprintOf(FilterType type, double frequencyHz, double q)
    {
        var unit = new double[TwelfthOctaveBands.Count];
        double peak = 0;
        for (int b = 0; b < unit.Length; b++)
        {
            unit[b] = Math.Abs(BandAveragedDb(type, frequencyHz, 4, q, b));
            peak = Math.Max(peak, unit[b]);
        }

        return [.. Enumerable.Range(0, unit.Length).Where(b => unit[b] >= 0.5 * peak)];
    }

    // The best single move for region [a, b] of one sign: peaks centred inside it (every Q), a low
    // shelf when it reaches the lowest analysed band, a high shelf when it reaches the highest; the
    // error counts over the region and half an octave either side, where the move should do nothing.
    private static (Candidate C, double Gain, double Reduction)? FitRegion(int a, int b, double[] target, double[] w, int first, int last,
        double maxMoveDb, double minMoveDb)
    {
        const int Margin = 6;
        int lo = Math.Max(0, a - Margin), hi = Math.Min(target.Length - 1, b + Margin);
        double peak = 0;
        for (int i = a; i <= b; i++)
        {
            peak = Math.Abs(target[i]) > Math.Abs(peak) ? target[i] : peak;
        }

        double energy = 0;
        for (int i = a; i <= b; i++)
        {
            energy += w[i] * target[i] * target[i];
        }

        (Candidate C, double Gain, double Reduction)? best = null;
        foreach (Candidate c in Dictionary.Value)
        {
            bool fits = c.Type switch
            {
                FilterType.LowShelf => a <= first + 1 && c.Band >= a - 1 && c.Band <= b + 2,
                FilterType.HighShelf => b >= last - 1 && c.Band >= a - 2 && c.Band <= b + 1,
                _ => c.Band >= a && c.Band <= b,
            };
            if (!fits)
            {
                continue;
            }

            // Least squares against the region's target (zero outside it), bounded by the move cap
            // and by the largest correction the region asks for.
            double num = 0, den = 0;
            for (int i = lo; i <= hi; i++)
            {
                double t = i >= a && i <= b ? target[i] : 0;
                num += w[i] * t * c.Unit[i];
                den += w[i] * c.Unit[i] * c.Unit[i];
            }

            // Outside the window a shelf keeps acting: count its whole side.
            if (c.Type != FilterType.Peak)
            {
                for (int i = 0; i < target.Length; i++)
                {
                    if (i < lo || i > hi)
                    {
                        den += w[i] * c.Unit[i] * c.Unit[i];
                    }
                }
            }

            double gain = den > 1e-12 ? num / den : 0;
            gain = Math.Sign(gain) != Math.Sign(peak) ? 0 : Math.Sign(gain) * Math.Min(Math.Min(Math.Abs(gain), maxMoveDb), Math.Abs(peak));
            if (Math.Abs(gain) < minMoveDb)
            {
                continue;
            }

            double error = 0;
            for (int i = 0; i < target.Length; i++)
            {
                if (w[i] <= 0 || (c.Type == FilterType.Peak && (i < lo || i > hi)))
                {
                    continue;
                }

                double t = i >= a && i <= b ? target[i] : 0;
                double e = t - (gain * c.Unit[i]);
                error += w[i] * e * e;
            }

            double reduction = energy - error;
            if (best is null || reduction > best.Value.Reduction)
            {
                best = (c, gain, reduction);
            }
        }

        return best;
    }

    // The level change of one twelfth-octave band (the power gain averaged over the band), the way
    // a band level sees a filter narrower than the band.
    private static double BandAveragedDb(FilterType type, double frequency, double gainDb, double q, int band)
    {
        const int Points = 5;
        double low = TwelfthOctaveBands.LowerEdge(band), high = TwelfthOctaveBands.UpperEdge(band);
        double sum = 0;
        for (int k = 0; k < Points; k++)
        {
            double f = low * Math.Pow(high / low, (k + 0.5) / Points);
            sum += Math.Pow(10, BiquadCoefficients.MagnitudeDb(type, DesignRate, frequency, gainDb, q, f) / 10);
        }

        return 10 * Math.Log10(sum / Points);
    }

    private static Candidate[] BuildDictionary()
    {
        var list = new List<Candidate>();
        for (int b = 0; b < TwelfthOctaveBands.Count; b++)
        {
            double f = TwelfthOctaveBands.Centre(b);
            if (f is >= 40 and <= 16000)
            {
                foreach (double q in PeakQs)
                {
                    list.Add(new Candidate(FilterType.Peak, f, q));
                }
            }

            if (f is >= 50 and <= 630 && b % 2 == 0)
            {
                list.Add(new Candidate(FilterType.LowShelf, f, BiquadCoefficients.ButterworthQ));
            }

            if (f is >= 1000 and <= 12500 && b % 2 == 0)
            {
                list.Add(new Candidate(FilterType.HighShelf, f, BiquadCoefficients.ButterworthQ));
            }
        }

        return [.. list];
    }

    private sealed class Candidate
    {
        private readonly double[] _shape4;

        public Candidate(FilterType type, double frequencyHz, double q)
        {
            Type = type;
            FrequencyHz = frequencyHz;
            Q = q;
            int n = TwelfthOctaveBands.Count;
            _shape4 = new double[n];
            Unit = new double[n];
            for (int b = 0; b < n; b++)
            {
                _shape4[b] = BandAveragedDb(type, frequencyHz, 4, q, b);
                Unit[b] = _shape4[b] / 4;
            }

            Band = (int)Math.Round(TwelfthOctaveBands.ReferenceIndex + (12 * Math.Log2(frequencyHz / 1000)));
            double peak = Unit.Max(Math.Abs);
            Footprint = [.. Enumerable.Range(0, n).Where(b => Math.Abs(Unit[b]) >= 0.5 * peak)];
        }

        public FilterType Type { get; }

        public double FrequencyHz { get; }

        public double Q { get; }

        public double[] Unit { get; }

        /// <summary>The twelfth-octave band of the centre or corner frequency.</summary>
        public int Band { get; }

        public IReadOnlyList<int> Footprint { get; }

        // RBJ peaks and shelves are symmetric in dB between boost and cut; the shape at ±4 dB is
        // exact, other gains scale it (within a few percent up to ±6 dB).
        public double Exact(double gainDb, int band) => _shape4[band] * gainDb / 4;
    }
}
