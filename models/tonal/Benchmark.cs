using System.Text.Json.Nodes;
using MixMate.Assistant.Eq;
using MixMate.Assistant.Tonal;
using MixMate.Dsp.Filters;
using MixMate.Dsp.Spectrum;

namespace MixMate.TonalEval;

/// <summary>Fault removed by an engine, over random check-like faults on each track.</summary>
internal sealed record Score(double Median, double Mean, int Worse, double WorseShare, double CleanMoves, double CleanCurveDb, int Trials)
{
    public JsonObject ToJson() => new()
    {
        ["faultRemovedMedian"] = Math.Round(Median, 4),
        ["faultRemovedMean"] = Math.Round(Mean, 4),
        ["madeWorse"] = Worse,
        ["madeWorseShare"] = Math.Round(WorseShare, 4),
        ["movesOnCleanTrack"] = Math.Round(CleanMoves, 3),
        ["largestCleanCurveDb"] = Math.Round(CleanCurveDb, 3),
        ["trials"] = Trials,
    };
}

internal static class Benchmark
{
    /// <summary>Third-octave bands scored: 50 Hz–16 kHz.</summary>
    private const int FirstBand = 4, LastBand = 29;

    public static Action<string, double, double, string>? Diagnose { get; set; }

    /// <summary>The fault the engine is being shown (empty for the clean track): for the oracle rows only.</summary>
    public static IReadOnlyList<EqMove> CurrentFault { get; private set; } = [];

    public static Score Run(List<Item> items, Engine engine, int trials)
    {
        var removed = new List<double>();
        double cleanMoves = 0, cleanCurve = 0;
        foreach (Item item in items)
        {
            TonalProfile clean = TonalProfile.FromPower(item.Power, item.SampleRate, item.FftSize);
            CurrentFault = [];
            IReadOnlyList<EqMove> cleanEq = engine.Moves(clean, item);
            double[] cleanAfter = Apply(item.Power, item, cleanEq);
            cleanMoves += cleanEq.Count;
            cleanCurve += MaxCurve(cleanEq, item.SampleRate);
            var random = new Random(StableHash(item.Name));
            for (int t = 0; t < trials; t++)
            {
                List<EqMove> fault = Faults.Draw(random);
                double[] damaged = Apply(item.Power, item, fault);
                CurrentFault = fault;
                IReadOnlyList<EqMove> eq = engine.Moves(TonalProfile.FromPower(damaged, item.SampleRate, item.FftSize), item);
                CurrentFault = [];
                double[] after = Apply(damaged, item, eq);
                double before = Distance(damaged, item.Power, item);
                if (before < 0.05)
                {
                    continue;
                }

                double r = 1 - (Distance(after, cleanAfter, item) / before);
                removed.Add(r);
                if (Diagnose is not null)
                {
                    string kind = fault[0].Type != FilterType.Peak ? FilterNames.Json(fault[0].Type) : fault.Max(f => f.Q) > 2 ? "narrow peaks" : "wide peaks";
                    Diagnose(kind, r, before, string.Join("; ", fault.Select(f => $"{FilterNames.Json(f.Type)} {f.FrequencyHz:0} {f.GainDb:0.0} Q{f.Q:0.0}")) + " | clean " + string.Join("; ", cleanEq.Select(f => $"{FilterNames.Json(f.Type)} {f.FrequencyHz:0} {f.GainDb:0.0}")) + " | damaged " + string.Join("; ", eq.Select(f => $"{FilterNames.Json(f.Type)} {f.FrequencyHz:0} {f.GainDb:0.0} Q{f.Q:0.0}")));
                }
            }
        }

        removed.Sort();
        int worse = removed.Count(r => r < 0);
        double median = removed.Count == 0 ? 0 : removed.Count % 2 == 1 ? removed[removed.Count / 2] : 0.5 * (removed[(removed.Count / 2) - 1] + removed[removed.Count / 2]);
        return new Score(median, removed.Count == 0 ? 0 : removed.Average(), worse, removed.Count == 0 ? 0 : (double)worse / removed.Count,
            cleanMoves / items.Count, cleanCurve / items.Count, removed.Count);
    }

    /// <summary>RMS difference of two spectra's third-octave levels, level removed.</summary>
    public static double Distance(double[] a, double[] b, Item item)
    {
        var la = new double[ThirdOctaveBands.Count];
        var lb = new double[ThirdOctaveBands.Count];
        ThirdOctaveBands.LevelsDb(a, item.SampleRate / item.FftSize, la);
        ThirdOctaveBands.LevelsDb(b, item.SampleRate / item.FftSize, lb);
        var d = new List<double>();
        for (int i = FirstBand; i <= LastBand; i++)
        {
            if (double.IsFinite(la[i]) && double.IsFinite(lb[i]) && ThirdOctaveBands.UpperEdge(i) < item.SampleRate / 2)
            {
                d.Add(la[i] - lb[i]);
            }
        }

        if (d.Count == 0)
        {
            return 0;
        }

        double mean = d.Average();
        return Math.Sqrt(d.Sum(x => (x - mean) * (x - mean)) / d.Count);
    }

    public static double[] Apply(double[] power, Item item, IReadOnlyList<EqMove> moves)
    {
        var result = (double[])power.Clone();
        if (moves.Count == 0)
        {
            return result;
        }

        double binHz = item.SampleRate / item.FftSize;
        for (int k = 1; k < result.Length; k++)
        {
            double db = 0;
            foreach (EqMove m in moves)
            {
                db += BiquadCoefficients.MagnitudeDb(m.Type, item.SampleRate, EqLimits.DesignFrequency(m.FrequencyHz, item.SampleRate), m.GainDb, m.Q, k * binHz);
            }

            result[k] *= Math.Pow(10, db / 10);
        }

        return result;
    }

    private static double MaxCurve(IReadOnlyList<EqMove> moves, double rate)
    {
        double peak = 0;
        for (int b = 0; b < TwelfthOctaveBands.Count; b++)
        {
            double f = TwelfthOctaveBands.Centre(b);
            if (f >= rate / 2 * 0.9)
            {
                break;
            }

            peak = Math.Max(peak, Math.Abs(moves.Sum(m => BiquadCoefficients.MagnitudeDb(m.Type, rate, m.FrequencyHz, m.GainDb, m.Q, f))));
        }

        return peak;
    }

    private static int StableHash(string s)
    {
        unchecked
        {
            int h = 17;
            foreach (char c in s)
            {
                h = (h * 31) + c;
            }

            return h;
        }
    }
}

/// <summary>Faults like the outside check: 1–3 RBJ peaks (60 Hz–12 kHz, Q 0.5–8) or one
/// shelf (low 80–400 Hz or high 2–10 kHz), each ±3–6 dB.</summary>
internal static class Faults
{
    public static List<EqMove> Draw(Random random)
    {
        static double LogUniform(Random r, double a, double b) => Math.Exp(Math.Log(a) + (r.NextDouble() * (Math.Log(b) - Math.Log(a))));
        double Gain() => (random.NextDouble() < 0.5 ? -1 : 1) * (3 + (3 * random.NextDouble()));
        var moves = new List<EqMove>();
        if (random.NextDouble() < 2.0 / 3.0)
        {
            int count = 1 + random.Next(3);
            for (int i = 0; i < count; i++)
            {
                moves.Add(new EqMove(FilterType.Peak, LogUniform(random, 60, 12000), Gain(), LogUniform(random, 0.5, 8), "fault"));
            }
        }
        else if (random.NextDouble() < 0.5)
        {
            moves.Add(new EqMove(FilterType.LowShelf, LogUniform(random, 80, 400), Gain(), BiquadCoefficients.ButterworthQ, "fault"));
        }
        else
        {
            moves.Add(new EqMove(FilterType.HighShelf, LogUniform(random, 2000, 10000), Gain(), BiquadCoefficients.ButterworthQ, "fault"));
        }

        return moves;
    }
}
