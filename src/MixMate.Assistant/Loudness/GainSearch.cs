namespace MixMate.Assistant.Loudness;

/// <summary>
/// Finds the pre-limiter gain that brings a rendered programme to a loudness target. Loudness after
/// a limiter is a monotonic, slightly concave function of input gain (every added dB above the
/// ceiling is partly eaten by gain reduction), so a secant iteration started from the linear guess
/// converges in two or three renders.
/// </summary>
public static class GainSearch
{
    /// <summary>One render-and-measure step.</summary>
    public readonly record struct Step(double GainDb, double Lufs);

    /// <summary>
    /// Calls <paramref name="renderAndMeasure"/> (gain dB → integrated LUFS of the rendered output)
    /// at most <paramref name="maxRenders"/> times, starting at <paramref name="initialGainDb"/>, and
    /// returns every step; the last one is the closest to <paramref name="targetLufs"/>.
    /// Stops as soon as a step is within <paramref name="toleranceLu"/>.
    /// </summary>
    public static IReadOnlyList<Step> Run(Func<double, double> renderAndMeasure, double targetLufs, double initialGainDb,
        int maxRenders = 3, double toleranceLu = 0.02, double maxGainDb = 60)
    {
        ArgumentNullException.ThrowIfNull(renderAndMeasure);
        var steps = new List<Step>();
        double gain = Math.Clamp(initialGainDb, -maxGainDb, maxGainDb);
        for (int i = 0; i < maxRenders; i++)
        {
            steps.Add(new Step(gain, renderAndMeasure(gain)));
            if (IsDone(steps, targetLufs, toleranceLu) || i == maxRenders - 1)
            {
                break;
            }

            gain = NextGain(steps, targetLufs, maxGainDb);
        }

        return OrderBestLast(steps, targetLufs);
    }

    /// <summary>True when the last step is within tolerance, or not finite (nothing more to learn).</summary>
    public static bool IsDone(IReadOnlyList<Step> steps, double targetLufs, double toleranceLu)
    {
        ArgumentNullException.ThrowIfNull(steps);
        double lufs = steps[^1].Lufs;
        return !double.IsFinite(lufs) || Math.Abs(targetLufs - lufs) <= toleranceLu;
    }

    /// <summary>The gain to try after <paramref name="steps"/>: a secant step on the last two, or a
    /// unit-slope step after the first.</summary>
    public static double NextGain(IReadOnlyList<Step> steps, double targetLufs, double maxGainDb = 60)
    {
        ArgumentNullException.ThrowIfNull(steps);
        Step last = steps[^1];
        double slope = 1.0;
        if (steps.Count >= 2)
        {
            Step previous = steps[^2];
            double dg = last.GainDb - previous.GainDb;
            if (Math.Abs(dg) > 1e-9)
            {
                // dLUFS/dGain lies in (0, 1]: 1 when nothing is limited, towards 0 when heavily limited.
                slope = Math.Clamp((last.Lufs - previous.Lufs) / dg, 0.05, 1.0);
            }
        }

        return Math.Clamp(last.GainDb + ((targetLufs - last.Lufs) / slope), -maxGainDb, maxGainDb);
    }

    /// <summary>The steps with the one closest to the target moved to the end.</summary>
    public static IReadOnlyList<Step> OrderBestLast(IReadOnlyList<Step> steps, double targetLufs)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var ordered = steps.ToList();
        Step best = ordered.MinBy(s => Math.Abs(targetLufs - s.Lufs));
        ordered.Remove(best);
        ordered.Add(best);
        return ordered;
    }
}
