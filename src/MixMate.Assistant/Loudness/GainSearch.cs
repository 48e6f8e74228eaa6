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
            double lufs = renderAndMeasure(gain);
            steps.Add(new Step(gain, lufs));
            double error = targetLufs - lufs;
            if (!double.IsFinite(lufs) || Math.Abs(error) <= toleranceLu || i == maxRenders - 1)
            {
                break;
            }

            double slope = 1.0;
            if (steps.Count >= 2)
            {
                Step a = steps[^2], b = steps[^1];
                double dg = b.GainDb - a.GainDb;
                if (Math.Abs(dg) > 1e-9)
                {
                    // dLUFS/dGain lies in (0, 1]: 1 when nothing is limited, towards 0 when heavily limited.
                    slope = Math.Clamp((b.Lufs - a.Lufs) / dg, 0.05, 1.0);
                }
            }

            gain = Math.Clamp(gain + (error / slope), -maxGainDb, maxGainDb);
        }

        // Return the steps ordered so the best is last.
        Step best = steps.MinBy(s => Math.Abs(targetLufs - s.Lufs));
        steps.Remove(best);
        steps.Add(best);
        return steps;
    }
}
