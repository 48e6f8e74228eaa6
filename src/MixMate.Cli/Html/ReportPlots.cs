using System.Globalization;
using MixMate.Assistant.Eq;
using MixMate.Assistant.Tonal;
using MixMate.Dsp.Spectrum;

namespace MixMate.Cli.Html;

/// <summary>
/// The reports' three kinds of plot: loudness over time (EBU Tech 3341 momentary and short-term,
/// integrated and target as lines, the gated-out time shaded), the long-term third-octave
/// spectrum against the tonal reference with each EQ move marked, and the limiter's gain
/// reduction over time with true-peak overs marked.
/// </summary>
internal static class ReportPlots
{
    /// <summary>Bands whose offset aligns the reference: 45 Hz–17 kHz, as the tonal balance does.</summary>
    private const double AlignLowHz = 45, AlignHighHz = 17000;

    /// <summary>[any thread] Loudness over time of <paramref name="profile"/>, with
    /// <paramref name="before"/> (the unprocessed programme's short-term curve) when given.</summary>
    public static SvgPlot Loudness(string id, ProgrammeProfile profile, double? integratedLufs, double? targetLufs, ProgrammeProfile? before = null)
    {
        LoudnessTimeline t = profile.Timeline;
        double top = Max(t.Momentary, double.NegativeInfinity);
        top = Math.Max(top, before is null ? top : Max(before.Timeline.ShortTerm, top));
        double reference = integratedLufs ?? (double.IsFinite(top) ? top - 6 : -23);
        if (targetLufs is double target)
        {
            top = Math.Max(top, target);
            reference = Math.Min(reference, target);
        }

        if (!double.IsFinite(top))
        {
            top = -20;
        }

        PlotAxis y = PlotAxis.Level(reference - 30, top + 1.5, "Loudness (LUFS)");
        var plot = new SvgPlot(id, "Loudness over time: momentary and short-term (EBU R128), integrated and target", PlotAxis.Time(profile.DurationSeconds), y);

        double pixelSeconds = profile.DurationSeconds / SvgPlot.PlotWidth;
        plot.AddShadedRanges("gated out", CurveDecimator.MergeRanges(t.GatedOutRanges(), pixelSeconds), SeriesStyle.GatedOut);
        if (before is not null)
        {
            (double[] bx, double[] by) = CurveDecimator.MinMax(before.Timeline.Time, before.Timeline.ShortTerm, SvgPlot.PlotWidth, y.Min);
            plot.AddLine("before (short-term)", bx, by, SeriesStyle.Before);
        }

        (double[] mx, double[] my) = CurveDecimator.MinMax(t.Time, t.Momentary, SvgPlot.PlotWidth, y.Min);
        plot.AddLine("momentary", mx, my, SeriesStyle.Momentary);
        (double[] sx, double[] sy) = CurveDecimator.MinMax(t.Time, t.ShortTerm, SvgPlot.PlotWidth, y.Min);
        plot.AddLine("short-term", sx, sy, SeriesStyle.ShortTerm);
        if (integratedLufs is double i)
        {
            plot.AddHorizontalLine("integrated", i, SeriesStyle.Integrated, "I " + Markup.Level(i) + " LUFS", annotateLeft: true);
        }

        if (targetLufs is double tl)
        {
            plot.AddHorizontalLine("target", tl, SeriesStyle.Target, "target " + Markup.Level(tl) + " LUFS");
        }

        return plot;
    }

    /// <summary>[any thread] A reference match's spectra: the reference (or target curve), the input
    /// and the master, each at its own median over 45 Hz–17 kHz (the offset the match removes).</summary>
    public static SvgPlot MatchSpectra(string id, double[] reference, double[] input, double[] result, string kind)
    {
        static double[] Shape(double[] bands)
        {
            var values = new List<double>();
            for (int b = 0; b < bands.Length; b++)
            {
                double fc = ThirdOctaveBands.Centre(b);
                if (double.IsFinite(bands[b]) && fc is >= AlignLowHz and <= AlignHighHz)
                {
                    values.Add(bands[b]);
                }
            }

            values.Sort();
            double median = values.Count == 0 ? 0 : values.Count % 2 == 1 ? values[values.Count / 2] : 0.5 * (values[(values.Count / 2) - 1] + values[values.Count / 2]);
            return [.. bands.Select(v => v - median)];
        }

        double[] r = Shape(reference), i = Shape(input), o = Shape(result);
        double top = r.Concat(i).Concat(o).Where(double.IsFinite).DefaultIfEmpty(0).Max();
        var plot = new SvgPlot(id, "Long-term spectra of the reference, the input and the master", PlotAxis.Frequency(), PlotAxis.Level(top - 48, top + 4, "Level re median (dB)"));
        (double[] rx, double[] ry) = Finite(r, 0);
        plot.AddLine(kind, rx, ry, SeriesStyle.Target);
        (double[] ix, double[] iy) = Finite(i, 0);
        plot.AddLine("input", ix, iy, SeriesStyle.Before);
        (double[] ox, double[] oy) = Finite(o, 0);
        plot.AddLine("master", ox, oy, SeriesStyle.After);
        return plot;
    }

    /// <summary>[any thread] Long-term spectrum: <paramref name="before"/>, <paramref name="after"/>
    /// when given, the reference aligned to the programme's level (the median offset over
    /// 45 Hz–17 kHz) — the one the moves were judged against when <paramref name="reference"/> names
    /// it (name, 31 band levels), else the full-mix curve — and each move at its frequency with its gain.</summary>
    public static SvgPlot Spectrum(string id, double[] before, double[]? after, IReadOnlyList<(EqMove Move, double GainDb)> moves,
        string beforeLabel = "before", string afterLabel = "after", (string Name, double[] BandsDb)? reference = null)
    {
        double[] aligned = after ?? before;
        double[] referenceBands = reference is { BandsDb.Length: > 0 } r ? r.BandsDb : TonalTarget.FullMix.BandsDb.ToArray();
        string referenceName = reference is { BandsDb.Length: > 0 } named ? named.Name : "full mix";
        double offset = ReferenceOffset(aligned, referenceBands);
        double top = double.NegativeInfinity;
        foreach (double v in before)
        {
            top = Math.Max(top, v);
        }

        if (after is not null)
        {
            foreach (double v in after)
            {
                top = Math.Max(top, v);
            }
        }

        if (!double.IsFinite(top))
        {
            top = 0;
        }

        PlotAxis y = PlotAxis.Level(top - 48, top + 4, "Level (dB)");
        var plot = new SvgPlot(id, "Long-term spectrum in third-octave bands against the tonal reference, with EQ moves", PlotAxis.Frequency(), y);
        if (double.IsFinite(offset))
        {
            (double[] rx, double[] ry) = Finite(referenceBands, offset);
            plot.AddLine($"reference ({referenceName})", rx, ry, SeriesStyle.Target);
        }

        (double[] bx, double[] by) = Finite(before, 0);
        plot.AddLine(beforeLabel, bx, by, after is null ? SeriesStyle.After : SeriesStyle.Before);
        if (after is not null)
        {
            (double[] ax, double[] ay) = Finite(after, 0);
            plot.AddLine(afterLabel, ax, ay, SeriesStyle.After);
        }

        foreach ((EqMove move, double gain) in moves)
        {
            double level = Interpolate(aligned, move.FrequencyHz);
            if (!double.IsFinite(level))
            {
                level = y.Min + 6;
            }

            bool boost = gain >= 0;
            string label = string.Create(CultureInfo.InvariantCulture, $"{Markup.Level(gain, signed: true)} dB");
            plot.AddMarker(move.FrequencyHz, level + (boost ? -2 : 2), boost, label, boost ? SeriesStyle.Boost : SeriesStyle.Cut, boost ? "EQ boost" : "EQ cut");
        }

        return plot;
    }

    /// <summary>[any thread] Limiter gain reduction per 100 ms step (largest in the step) as a filled
    /// curve downward from 0 dB, and each step whose true peak exceeds <paramref name="ceilingDbtp"/>.</summary>
    public static SvgPlot GainReduction(string id, float[] reductionDb, double stepSeconds, double durationSeconds,
        ReadOnlySpan<double> outputTruePeakDbtp, ReadOnlySpan<double> stepEnds, double ceilingDbtp, out int overs)
    {
        double max = 0;
        foreach (float r in reductionDb)
        {
            max = Math.Max(max, r);
        }

        PlotAxis y = PlotAxis.Level(-Math.Max(3, max + 0.5), 0, "Gain reduction (dB)", maxTicks: 7);
        var plot = new SvgPlot(id, "Limiter gain reduction over time, with true-peak overs of the master marked", PlotAxis.Time(durationSeconds), y);
        var xs = new double[reductionDb.Length];
        var ys = new double[reductionDb.Length];
        for (int k = 0; k < xs.Length; k++)
        {
            xs[k] = (k + 0.5) * stepSeconds;
            ys[k] = -reductionDb[k];
        }

        (double[] dx, double[] dy) = CurveDecimator.MinMax(xs, ys, SvgPlot.PlotWidth, y.Min);
        plot.AddArea("gain reduction (max per 100 ms)", dx, dy, 0, SeriesStyle.Reduction);
        if (max > 0)
        {
            plot.AddHorizontalLine("largest", -max, new SeriesStyle(SeriesStyle.Vermillion, 1, "3 3"),
                "max " + Markup.Level(max) + " dB");
        }

        // Overs: steps of the delivered file above the ceiling (rounded as reported, 0.01 dB).
        overs = 0;
        double lastMarked = double.NegativeInfinity;
        double minimumSpacing = durationSeconds / 60;
        for (int k = 0; k < outputTruePeakDbtp.Length && k < stepEnds.Length; k++)
        {
            double over = Math.Round(outputTruePeakDbtp[k] - ceilingDbtp, 2);
            if (over > 0)
            {
                overs++;
                if (stepEnds[k] - lastMarked >= minimumSpacing)
                {
                    plot.AddMarker(stepEnds[k], y.Max, pointsUp: false, string.Create(CultureInfo.InvariantCulture, $"+{over:0.00}"), SeriesStyle.Problem, "true-peak over");
                    lastMarked = stepEnds[k];
                }
            }
        }

        return plot;
    }

    /// <summary>Offset that aligns the reference to <paramref name="bands"/>: median difference over
    /// the bands that carry programme between 45 Hz and 17 kHz; NaN when none does.</summary>
    public static double ReferenceOffset(ReadOnlySpan<double> bands) => ReferenceOffset(bands, TonalTarget.FullMix.BandsDb);

    /// <summary>Offset that aligns <paramref name="reference"/> to <paramref name="bands"/> (as above).</summary>
    public static double ReferenceOffset(ReadOnlySpan<double> bands, ReadOnlySpan<double> reference)
    {
        var differences = new List<double>();
        for (int b = 0; b < bands.Length && b < reference.Length; b++)
        {
            double fc = ThirdOctaveBands.Centre(b);
            if (double.IsFinite(bands[b]) && fc is >= AlignLowHz and <= AlignHighHz)
            {
                differences.Add(bands[b] - reference[b]);
            }
        }

        if (differences.Count == 0)
        {
            return double.NaN;
        }

        differences.Sort();
        int m = differences.Count / 2;
        return differences.Count % 2 == 1 ? differences[m] : 0.5 * (differences[m - 1] + differences[m]);
    }

    private static (double[] X, double[] Y) Finite(double[] bands, double offset)
    {
        var xs = new List<double>(bands.Length);
        var ys = new List<double>(bands.Length);
        for (int b = 0; b < bands.Length; b++)
        {
            if (double.IsFinite(bands[b]))
            {
                xs.Add(ThirdOctaveBands.Centre(b));
                ys.Add(bands[b] + offset);
            }
        }

        return ([.. xs], [.. ys]);
    }

    // Level of the band curve at hz, linear in log frequency between band centres.
    private static double Interpolate(double[] bands, double hz)
    {
        double position = 17 + (3 * Math.Log2(hz / 1000));
        int lo = Math.Clamp((int)Math.Floor(position), 0, bands.Length - 1);
        int hi = Math.Min(lo + 1, bands.Length - 1);
        double t = Math.Clamp(position - lo, 0, 1);
        return double.IsFinite(bands[lo]) && double.IsFinite(bands[hi]) ? bands[lo] + (t * (bands[hi] - bands[lo])) : bands[lo];
    }

    private static double Max(ReadOnlySpan<double> values, double start)
    {
        double max = start;
        foreach (double v in values)
        {
            if (double.IsFinite(v))
            {
                max = Math.Max(max, v);
            }
        }

        return max;
    }
}
