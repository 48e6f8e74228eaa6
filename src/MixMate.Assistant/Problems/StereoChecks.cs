using System.Globalization;
using MixMate.Dsp.Metering;

namespace MixMate.Assistant.Problems;

/// <summary>
/// Checks between the first two channels, on 2 s (polarity, phase) and 3 s (balance) windows of the
/// per-100 ms sums: an inverted channel, a low end out of phase or losing level in mono, and a
/// channel louder than the other.
/// </summary>
internal static class StereoChecks
{
    /// <summary>Full-band correlation at or below which a channel is inverted where there is no
    /// low end to judge by (levels within 6 dB).</summary>
    public const double PolarityCorrelation = StereoRules.PolarityCorrelation;

    /// <summary>Low-end correlation that says "inverted" whatever the full band does: only an
    /// inverted channel (or bass track) puts the low end this far out of phase.</summary>
    public const double InvertedLowCorrelation = StereoRules.InvertedLowCorrelation;

    /// <summary>Full-band correlation that says "inverted" whatever the low end does.</summary>
    public const double StrongCorrelation = StereoRules.StrongCorrelation;

    /// <summary>Low-end (below 150 Hz, usually mono) correlation that says "inverted" (with the
    /// full band below 0).</summary>
    public const double PolarityLowCorrelation = StereoRules.PolarityLowCorrelation;

    /// <summary>Low-end correlation at or below which the low end is out of phase.</summary>
    public const double PhaseLowCorrelation = StereoRules.PhaseLowCorrelation;

    /// <summary>Mono fold-down loss (mean of L+R over mean of L and R, power) reported as phase.</summary>
    public const double FoldDownLossDb = -4.5;

    /// <summary>Whole-programme channel balance reported from 1.5 dB.</summary>
    public const double ImbalanceDb = 1.5;

    /// <summary>Balance over a section of at least 3 s reported from 3 dB.</summary>
    public const double SectionImbalanceDb = 3.0;


    /// <param name="s">The per-100 ms summary.</param>
    /// <param name="low">Low-band sums per step (<see cref="LowBandAnalyzer.LowBand"/>).</param>
    /// <param name="lowDecimation">Programme frames per low-band sample.</param>
    public static IEnumerable<Problem> All(SegmentSeries s, IReadOnlyList<(double LL, double RR, double LR)> low, double lowDecimation)
    {
        if (s.Channels < 2 || s.Count == 0)
        {
            return [];
        }

        int n = s.Count;
        double[] frames = SegmentRuns.CentredSum([.. s.Frames2.Select(f => (double)f)], 10);
        double[] ll = SegmentRuns.CentredSum([.. s.SumSquares[0]], 10);
        double[] rr = SegmentRuns.CentredSum([.. s.SumSquares[1]], 10);
        double[] lr = SegmentRuns.CentredSum([.. s.Cross], 10);
        int m = Math.Min(n, low.Count);
        double[] lowLL = SegmentRuns.CentredSum([.. low.Take(m).Select(x => x.LL)], 10);
        double[] lowRR = SegmentRuns.CentredSum([.. low.Take(m).Select(x => x.RR)], 10);
        double[] lowLR = SegmentRuns.CentredSum([.. low.Take(m).Select(x => x.LR)], 10);
        var corr = new double[n];
        var lowCorr = new double[n];
        var active = new bool[n];
        var lowActive = new bool[n];
        for (int i = 0; i < n; i++)
        {
            active[i] = IsActive(ll[i], rr[i], frames[i]);
            corr[i] = active[i] ? lr[i] / Math.Sqrt(ll[i] * rr[i]) : 0;
            if (i < m && lowLL[i] > 0 && lowRR[i] > 0)
            {
                lowActive[i] = active[i] && IsLowActive((lowLL[i] + lowRR[i]) * lowDecimation, ll[i] + rr[i]);
                lowCorr[i] = lowLR[i] / Math.Sqrt(lowLL[i] * lowRR[i]);
            }
        }

        var problems = new List<Problem>();
        var polarity = new bool[n];
        for (int i = 0; i < n; i++)
        {
            polarity[i] = active[i] && SoundsInverted(corr[i], lowCorr[i], lowActive[i], ll[i], rr[i]);
        }

        var inPolarity = new bool[n];
        foreach ((int a0, int b0) in SegmentRuns.Find(polarity, 5, 10))
        {
            (int a, int b) = SegmentRuns.Extend(a0, b0, n, i => active[i] && (lowActive[i] ? lowCorr[i] < 0 : corr[i] < 0));
            for (int i = a; i < b; i++)
            {
                inPolarity[i] = true;
            }

            double typical = LevelChecks.Median(corr[a0..b0]);
            double typicalLow = LevelChecks.Median(lowCorr[a0..b0]);
            double t0 = s.Time(a), t1 = Math.Min(s.Duration, s.Time(b));
            bool whole = SegmentRuns.IsWholeFile(t0, t1, s.Duration) || IsWholeProgramme(s, t0, t1);
            problems.Add(new Problem(
                ProblemKind.Polarity, ProblemSeverity.Error, whole ? null : t0, whole ? null : t1, typical, PolarityCorrelation, "correlation",
                "MixMate: over 2 s, L/R correlation below 150 Hz ≤ −0.8, or ≤ −0.6 with the full band < 0, or full band ≤ −0.3 without a low end, or ≤ −0.7 anyway, with levels within 6 dB; a correlation meter reads +1 for mono",
                string.Create(CultureInfo.InvariantCulture, $"one channel is inverted (L/R correlation {typical:0.00}, {typicalLow:0.00} below 150 Hz): in mono the music cancels"),
                "the right channel is inverted: flip its polarity (or the track that was recorded inverted)"));
        }

        // Phase: the low end out of phase where the whole is not inverted.
        var phase = new bool[n];
        for (int i = 0; i < n; i++)
        {
            phase[i] = !inPolarity[i] && LowEndOutOfPhase(lowCorr[i], lowActive[i]);
        }

        foreach ((int a, int b) in SegmentRuns.Find(phase, 5, 20))
        {
            double typical = LevelChecks.Median(lowCorr[a..b]);
            double t0 = s.Time(a), t1 = Math.Min(s.Duration, s.Time(b));
            bool whole = SegmentRuns.IsWholeFile(t0, t1, s.Duration);
            problems.Add(new Problem(
                ProblemKind.Phase, ProblemSeverity.Warning, whole ? null : t0, whole ? null : t1, typical, PhaseLowCorrelation, "correlation",
                "MixMate: correlation below 150 Hz ≤ −0.2 over 2 s; bass is mono in vinyl cutting and club playback practice",
                string.Create(CultureInfo.InvariantCulture, $"the low end is out of phase between the channels (correlation {typical:0.00} below 150 Hz): bass thins out in mono"),
                "make the bass mono below about 120 Hz, or flip or align the low track that is out of phase"));
        }

        if (!problems.Any(p => p.Kind == ProblemKind.Polarity))
        {
            double sLL = s.SumSquares[0].Sum(), sRR = s.SumSquares[1].Sum(), sLR = s.Cross.Sum();
            if (sLL + sRR > 0)
            {
                double loss = 10 * Math.Log10(Math.Max(sLL + sRR + (2 * sLR), 1e-30) / (2 * (sLL + sRR)));
                if (loss <= FoldDownLossDb)
                {
                    problems.Add(new Problem(
                        ProblemKind.Phase, ProblemSeverity.Warning, null, null, loss, FoldDownLossDb, "dB",
                        "MixMate: mono fold-down ((L+R)/2) 4.5 dB below the stereo level; uncorrelated stereo loses 3 dB",
                        string.Create(CultureInfo.InvariantCulture, $"the mix loses {-loss:0.0} dB when played in mono (much of it is out of phase between the channels)"),
                        "narrow the widest elements (stereo wideners, phase-inverted doubles) and check the mix in mono"));
                }
            }
        }

        problems.AddRange(Imbalance(s, active));
        return problems;
    }

    /// <summary>[any thread] See <see cref="StereoRules.IsActive"/>.</summary>
    public static bool IsActive(double ll, double rr, double frames) => StereoRules.IsActive(ll, rr, frames);

    /// <summary>[any thread] See <see cref="StereoRules.IsLowActive"/>.</summary>
    public static bool IsLowActive(double lowEnergy, double fullEnergy) => StereoRules.IsLowActive(lowEnergy, fullEnergy);

    /// <summary>[any thread] See <see cref="StereoRules.SoundsInverted"/>.</summary>
    public static bool SoundsInverted(double corr, double lowCorr, bool lowActive, double ll, double rr) =>
        StereoRules.SoundsInverted(corr, lowCorr, lowActive, ll, rr);

    /// <summary>[any thread] See <see cref="StereoRules.LowEndOutOfPhase"/>.</summary>
    public static bool LowEndOutOfPhase(double lowCorr, bool lowActive) => StereoRules.LowEndOutOfPhase(lowCorr, lowActive);

    /// <summary>True when [t0, t1] covers 90 % of the audible programme (leading and trailing
    /// silence have no polarity).</summary>
    private static bool IsWholeProgramme(SegmentSeries s, double t0, double t1)
    {
        if (s.FirstAudible < 0)
        {
            return false;
        }

        double a = s.FirstAudible / s.SampleRate, b = (s.LastAudible + 1) / s.SampleRate;
        return t1 - t0 >= 0.9 * (b - a) && t0 <= a + 2.5 && t1 >= b - 2.5;
    }

    private static IEnumerable<Problem> Imbalance(SegmentSeries s, bool[] active)
    {
        int n = s.Count;
        double[] ll = SegmentRuns.CentredSum([.. s.SumSquares[0]], 15);
        double[] rr = SegmentRuns.CentredSum([.. s.SumSquares[1]], 15);
        var diff = new double[n];
        double totalL = 0, totalR = 0;
        int activeCount = 0;
        for (int i = 0; i < n; i++)
        {
            diff[i] = active[i] ? 10 * Math.Log10(Math.Max(ll[i], 1e-30) / Math.Max(rr[i], 1e-30)) : 0;
            if (active[i])
            {
                totalL += s.SumSquares[0][i];
                totalR += s.SumSquares[1][i];
                activeCount++;
            }
        }

        if (activeCount == 0 || totalL <= 0 || totalR <= 0)
        {
            yield break;
        }

        double overall = 10 * Math.Log10(totalL / totalR);
        int sameSide = 0;
        for (int i = 0; i < n; i++)
        {
            sameSide += active[i] && Math.Sign(diff[i]) == Math.Sign(overall) && Math.Abs(diff[i]) >= 1 ? 1 : 0;
        }

        if (Math.Abs(overall) >= ImbalanceDb && sameSide >= 0.9 * activeCount)
        {
            yield return Problem(null, null, overall, ImbalanceDb);
            yield break;
        }

        var flags = new bool[n];
        for (int i = 0; i < n; i++)
        {
            flags[i] = active[i] && Math.Abs(diff[i]) >= SectionImbalanceDb;
        }

        int reported = 0;
        foreach ((int a0, int b0) in SegmentRuns.Find(flags, 5, 30))
        {
            double typical = LevelChecks.Median(diff[a0..b0]);
            // A window centred on the section's edge holds half of each level: its ratio is the
            // mean of the two in power, (1 + g²)/2.
            double edge = -10 * Math.Log10((1 + Math.Pow(10, -Math.Abs(typical) / 10)) / 2);
            (int a, int b) = SegmentRuns.Extend(a0, b0, n, i => active[i] && Math.Abs(diff[i]) >= edge && Math.Sign(diff[i]) == Math.Sign(typical));
            double t0 = s.Time(a), t1 = Math.Min(s.Duration, s.Time(b));
            bool whole = SegmentRuns.IsWholeFile(t0, t1, s.Duration);
            yield return Problem(whole ? null : t0, whole ? null : t1, typical, SectionImbalanceDb);
            if (++reported >= 10)
            {
                yield break;
            }
        }
    }

    private static Problem Problem(double? start, double? end, double diffDb, double threshold)
    {
        string louder = diffDb > 0 ? "left" : "right";
        return new Problem(
            ProblemKind.StereoImbalance, ProblemSeverity.Warning, start, end, diffDb, threshold, "dB",
            "MixMate: channel levels (RMS) 1.5 dB apart over the programme or 3 dB over 3 s; mastered stereo is balanced within about 1 dB",
            string.Create(CultureInfo.InvariantCulture, $"the {louder} channel is {Math.Abs(diffDb):0.0} dB louder than the other"),
            string.Create(CultureInfo.InvariantCulture, $"re-balance: lower the {louder} channel by {Math.Abs(diffDb):0.0} dB (or check the pan of the loudest track)"));
    }
}
