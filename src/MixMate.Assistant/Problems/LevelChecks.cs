using System.Globalization;
using MixMate.Dsp;

namespace MixMate.Assistant.Problems;

/// <summary>
/// Checks on levels over time, run on the per-100 ms summary after the last block: true-peak overs,
/// DC offset, the noise floor in quiet passages, silence at either end and a cut-off tail.
/// </summary>
internal static class LevelChecks
{
    /// <summary>A peak counts as over the profile's ceiling only this far above it (0.1 dB): the
    /// 4× interpolator of BS.1770-4 Annex 2 reads within about that of the true value, and a
    /// limiter set to the ceiling must not be flagged for it.</summary>
    public const double CeilingMarginDb = 0.1;

    /// <summary>DC offset over the whole programme (−50 dBFS).</summary>
    public const double DcWholeFile = 0.00316;

    /// <summary>DC offset over any 2 s (−40 dBFS): sections recorded or edited with an offset.</summary>
    public const double DcSection = 0.01;

    /// <summary>Leading silence reported as info from 0.5 s, as a warning from 2 s.</summary>
    public const double LeadInfo = 0.5, LeadWarning = 2.0;

    /// <summary>Trailing silence reported as info from 2 s, as a warning from 5 s.</summary>
    public const double TailInfo = 2.0, TailWarning = 5.0;

    /// <summary>A last audible 10 ms this loud (−24 dBFS peak) means the tail was cut.</summary>
    public const double CutLevel = 0.063;

    private const int MaxReported = 20;

    public static IEnumerable<Problem> TruePeakOvers(SegmentSeries s, CheckProfile profile)
    {
        int n = s.Count;
        var tp = new double[n];
        for (int i = 0; i < n; i++)
        {
            for (int c = 0; c < s.Channels; c++)
            {
                tp[i] = Math.Max(tp[i], s.TruePeak[c][i]);
            }
        }

        var problems = new List<Problem>();
        var overs = Runs(tp, v => v > 1.0);
        foreach ((int a, int b) in overs.Take(MaxReported))
        {
            double max = Decibels.FromGain(tp[a..b].Max());
            problems.Add(new Problem(
                ProblemKind.TruePeakOver, ProblemSeverity.Error, s.Time(a), s.Time(b), max, 0, "dBTP",
                "ITU-R BS.1770-4 Annex 2 (true peak); above 0 dBTP every converter and codec clips (EBU R128, AES TD1008)",
                string.Create(CultureInfo.InvariantCulture, $"true peak {max:+0.0;-0.0} dBTP: over full scale, it clips on playback"),
                string.Create(CultureInfo.InvariantCulture, $"lower the level or use a true-peak limiter with its ceiling at {profile.CeilingDbtp:0.0} dBTP")));
        }

        double ceiling = Decibels.ToGain(profile.CeilingDbtp + CeilingMarginDb);
        if (profile.CeilingDbtp < 0)
        {
            foreach ((int a, int b) in Runs(tp, v => v > ceiling, 30).Take(MaxReported))
            {
                if (overs.Any(o => o.Start < b && a < o.End))
                {
                    continue;
                }

                double max = Decibels.FromGain(tp[a..b].Max());
                problems.Add(new Problem(
                    ProblemKind.TruePeakOver, ProblemSeverity.Warning, s.Time(a), s.Time(b), max, profile.CeilingDbtp, "dBTP",
                    profile.CeilingSource,
                    string.Create(CultureInfo.InvariantCulture, $"true peak {max:+0.0;-0.0} dBTP is above the {profile.Name} ceiling of {profile.CeilingDbtp:0.0} dBTP"),
                    string.Create(CultureInfo.InvariantCulture, $"set the limiter's true-peak ceiling to {profile.CeilingDbtp:0.0} dBTP (mixmate master does)")));
            }
        }

        return problems;
    }

    public static IEnumerable<Problem> DcOffset(SegmentSeries s)
    {
        var problems = new List<Problem>();
        int n = s.Count;
        double[] frames = [.. s.Frames2.Select(f => (double)f)];
        double[] framesW = SegmentRuns.CentredSum(frames, 10);
        var level = new double[n];
        double whole = 0;
        for (int c = 0; c < s.Channels; c++)
        {
            double[] sumW = SegmentRuns.CentredSum([.. s.Sum[c]], 10);
            for (int i = 0; i < n; i++)
            {
                level[i] = Math.Max(level[i], Math.Abs(sumW[i] / framesW[i]));
            }

            whole = Math.Max(whole, Math.Abs(s.Sum[c].Sum() / s.Frames));
        }

        bool reportedWhole = false;
        foreach ((int a0, int b0) in SegmentRuns.Find([.. level.Select(v => v >= DcSection)], 5, 10).Take(MaxReported))
        {
            double typical = Median(level[a0..b0]);
            (int a, int b) = SegmentRuns.Extend(a0, b0, n, i => level[i] >= 0.5 * typical);
            double t0 = s.Time(a), t1 = Math.Min(s.Duration, s.Time(b));
            bool all = SegmentRuns.IsWholeFile(t0, t1, s.Duration);
            reportedWhole |= all;
            problems.Add(Dc(all ? null : t0, all ? null : t1, typical, DcSection));
        }

        if (!reportedWhole && problems.Count == 0 && whole >= DcWholeFile)
        {
            problems.Add(Dc(null, null, whole, DcWholeFile));
        }

        return problems;
    }

    public static IEnumerable<Problem> Noise(SegmentSeries s)
    {
        double integrated = s.IntegratedLufs;
        if (!double.IsFinite(integrated))
        {
            yield break;
        }

        var quiet = new List<double>();
        for (int i = 4; i < s.Count; i++)
        {
            double m = s.Momentary[i];
            if (m < integrated - 20 && m > -70)
            {
                // Variance, not mean square: a DC offset is reported on its own.
                double squares = 0;
                for (int c = 0; c < s.Channels; c++)
                {
                    squares += s.SumSquares[c][i] - (s.Sum[c][i] * s.Sum[c][i] / s.Frames2[i]);
                }

                quiet.Add(10 * Math.Log10(Math.Max(squares / (s.Frames2[i] * s.Channels), 1e-20)));
            }
        }

        if (quiet.Count < 20)
        {
            yield break;
        }

        quiet.Sort();
        double floor = quiet[quiet.Count / 10];
        int steady = quiet.Count(v => v >= floor && v <= floor + 3);
        if (steady < 20 || floor <= -60)
        {
            yield break;
        }

        ProblemSeverity severity = floor > -50 ? ProblemSeverity.Warning : ProblemSeverity.Info;
        yield return new Problem(
            ProblemKind.Noise, severity, null, null, floor, -60, "dBFS",
            "MixMate: a steady floor (2 s within 3 dB) in passages 20 LU below the integrated loudness; −60 dBFS is well above the noise of any 16-bit chain",
            string.Create(CultureInfo.InvariantCulture, $"noise floor at {floor:0} dBFS RMS in the quiet passages (hiss or hum that the music covers elsewhere)"),
            "de-noise the quiet passages (a spectral noise reduction learnt from a noise-only stretch) or gate the track that hisses");
    }

    public static IEnumerable<Problem> Silence(SegmentSeries s)
    {
        double duration = s.Duration;
        if (s.FirstAudible < 0)
        {
            yield return new Problem(
                ProblemKind.SilenceStart, ProblemSeverity.Error, 0, duration, duration, LeadWarning, "s",
                "MixMate: every sample below −60 dBFS",
                "the file is silent (every sample below −60 dBFS)",
                "check the export: the wrong track, a muted bus or a render range outside the music");
            yield break;
        }

        double lead = s.FirstAudible / s.SampleRate;
        if (lead >= LeadInfo)
        {
            yield return new Problem(
                ProblemKind.SilenceStart, lead >= LeadWarning ? ProblemSeverity.Warning : ProblemSeverity.Info, 0, lead, lead, LeadWarning, "s",
                "distributor practice (e.g. Apple Music and Spotify delivery guides): no more than about 2 s before the music starts",
                string.Create(CultureInfo.InvariantCulture, $"{lead:0.0} s of silence before the music starts"),
                string.Create(CultureInfo.InvariantCulture, $"trim the start to just before {lead:0.0} s (keep a few milliseconds)"));
        }

        double end = (s.LastAudible + 1) / s.SampleRate;
        double tail = duration - end;
        if (tail >= TailInfo)
        {
            yield return new Problem(
                ProblemKind.SilenceEnd, tail >= TailWarning ? ProblemSeverity.Warning : ProblemSeverity.Info, end, duration, tail, TailWarning, "s",
                "distributor practice: a few seconds after the last sound at most",
                string.Create(CultureInfo.InvariantCulture, $"{tail:0.0} s of silence after the last sound"),
                string.Create(CultureInfo.InvariantCulture, $"trim the end to about a second after {end:0.0} s"));
        }

        int block = (int)(s.LastAudible / s.BlockFrames);
        if (block < s.BlockPeak.Count && s.BlockPeak[block] >= CutLevel)
        {
            double peak = Decibels.FromGain(s.BlockPeak[block]);
            yield return new Problem(
                ProblemKind.AbruptEnd, ProblemSeverity.Warning, end, end, peak, Decibels.FromGain(CutLevel), "dBFS",
                "MixMate: a natural decay passes −60 dBFS before it stops; here the last 10 ms still peak above −24 dBFS",
                string.Create(CultureInfo.InvariantCulture, $"the sound stops abruptly at {end:0.0} s (last 10 ms at {peak:0} dBFS): the tail is cut off"),
                "render past the end of the reverb tails, or add a short fade-out (50–500 ms)");
        }
    }

    private static Problem Dc(double? start, double? end, double level, double threshold)
    {
        double db = Decibels.FromGain(level);
        return new Problem(
            ProblemKind.DcOffset, ProblemSeverity.Warning, start, end, db, Decibels.FromGain(threshold), "dBFS",
            "MixMate: |mean| of −50 dBFS over the programme or −40 dBFS over 2 s (a DC offset wastes headroom and clicks at edits)",
            string.Create(CultureInfo.InvariantCulture, $"DC offset of {level * 100:0.00} % of full scale ({db:0} dBFS)"),
            "remove it with a DC filter (a 5–20 Hz high-pass; mixmate master does)");
    }

    private static List<(int Start, int End)> Runs(double[] values, Func<double, bool> flagged, int maxGap = 10)
    {
        var flags = new bool[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            flags[i] = flagged(values[i]);
        }

        return SegmentRuns.Find(flags, maxGap, 1);
    }

    internal static double Median(double[] values)
    {
        if (values.Length == 0)
        {
            return 0;
        }

        double[] copy = [.. values];
        Array.Sort(copy);
        return copy[copy.Length / 2];
    }
}
