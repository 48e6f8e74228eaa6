namespace MixMate.Cli.Html;

/// <summary>
/// One plot axis: range, scale (linear or logarithmic), labelled ticks and a title with the unit.
/// Ticks are values people read off a mastering meter: Hz on the 1-2-5 series of a log axis,
/// dB on steps of 1, 2, 3, 5, 6, 10…, time as m:ss on whole seconds or minutes.
/// </summary>
/// <param name="Min">Lowest value shown.</param>
/// <param name="Max">Highest value shown.</param>
/// <param name="Logarithmic">Log scale (frequency).</param>
/// <param name="Ticks">Labelled tick positions.</param>
/// <param name="MinorTicks">Unlabelled grid lines.</param>
/// <param name="Title">Axis title with its unit.</param>
internal sealed record PlotAxis(double Min, double Max, bool Logarithmic, IReadOnlyList<(double Value, string Label)> Ticks,
    IReadOnlyList<double> MinorTicks, string Title)
{
    private static readonly double[] s_levelSteps = [0.5, 1, 2, 3, 5, 6, 10, 12, 20, 30, 50, 100];
    private static readonly double[] s_timeSteps = [1, 2, 5, 10, 15, 20, 30, 60, 120, 180, 300, 600, 900, 1200, 1800, 3600, 7200];

    /// <summary>[any thread] Position of <paramref name="value"/> between 0 (Min) and 1 (Max), clamped.</summary>
    public double Fraction(double value)
    {
        if (double.IsNaN(value))
        {
            return 0;
        }

        double f = Logarithmic
            ? Math.Log(Math.Max(value, 1e-12) / Min) / Math.Log(Max / Min)
            : (value - Min) / (Max - Min);
        return Math.Clamp(f, 0, 1);
    }

    /// <summary>[any thread] A log frequency axis from <paramref name="lowHz"/> to <paramref name="highHz"/>
    /// labelled 20, 50, 100, 200, 500, 1k, 2k, 5k, 10k, 20k, with minor lines at the other
    /// multiples of each decade.</summary>
    public static PlotAxis Frequency(double lowHz = 20, double highHz = 20000)
    {
        var ticks = new List<(double, string)>();
        var minor = new List<double>();
        for (double decade = 10; decade <= 100000; decade *= 10)
        {
            for (int m = 1; m <= 9; m++)
            {
                double hz = decade * m;
                if (hz < lowHz * 0.999 || hz > highHz * 1.001)
                {
                    continue;
                }

                if (m is 1 or 2 or 5)
                {
                    ticks.Add((hz, Markup.Hertz(hz)));
                }
                else
                {
                    minor.Add(hz);
                }
            }
        }

        return new PlotAxis(lowHz, highHz, true, ticks, minor, "Frequency (Hz)");
    }

    /// <summary>[any thread] A level axis (dB, LUFS, LU) covering <paramref name="min"/>..<paramref name="max"/>,
    /// widened to whole steps, with at most <paramref name="maxTicks"/> labels.</summary>
    public static PlotAxis Level(double min, double max, string title, int maxTicks = 8, bool signed = false)
    {
        if (!(max > min))
        {
            max = min + 1;
        }

        double step = s_levelSteps[^1];
        foreach (double candidate in s_levelSteps)
        {
            if ((Math.Ceiling(max / candidate) - Math.Floor(min / candidate)) <= maxTicks - 1)
            {
                step = candidate;
                break;
            }
        }

        double low = Math.Floor(min / step) * step;
        double high = Math.Ceiling(max / step) * step;
        var ticks = new List<(double, string)>();
        for (int k = 0; low + (k * step) <= high + (step * 1e-9); k++)
        {
            double v = low + (k * step);
            ticks.Add((v, signed ? Markup.Level(v, signed: true) : Markup.Number(v, 1).Replace('-', '−')));
        }

        return new PlotAxis(low, high, false, ticks, [], title);
    }

    /// <summary>[any thread] A time axis from 0 to <paramref name="durationSeconds"/> with m:ss labels on
    /// whole, readable intervals (at most <paramref name="maxTicks"/> labels).</summary>
    public static PlotAxis Time(double durationSeconds, int maxTicks = 10)
    {
        double duration = Math.Max(durationSeconds, 0.1);
        double step = s_timeSteps[^1];
        foreach (double candidate in s_timeSteps)
        {
            if (duration / candidate <= maxTicks)
            {
                step = candidate;
                break;
            }
        }

        // A programme of an hour or more is labelled h:mm:ss throughout, and the title says so.
        bool hours = duration >= 3600;
        var ticks = new List<(double, string)>();
        for (int k = 0; k * step <= duration + 1e-9; k++)
        {
            ticks.Add((k * step, Markup.Time(k * step, hours)));
        }

        return new PlotAxis(0, duration, false, ticks, [], hours ? "Time (h:mm:ss)" : "Time (m:ss)");
    }
}
