using MixMate.Dsp.Filters;
using MixMate.Dsp.Spectrum;

namespace MixMate.Assistant.Eq;

/// <summary>
/// A fixed bank of broad bands (a low shelf, two wide bells, a high shelf) whose gains are the
/// weighted least-squares fit of a correction curve on the twelfth-octave grid. The fit is a
/// linear projection: the moves for a track with a fault differ from the moves for the same track
/// without it by exactly the projection of the fault, so the bank can only take away from a fault,
/// never add to it (until a gain reaches its bound).
/// </summary>
public static class BroadEqBank
{
    /// <summary>The four-band bank: type, frequency, Q.</summary>
    public static IReadOnlyList<(FilterType Type, double FrequencyHz, double Q)> Four { get; } =
    [
        (FilterType.LowShelf, 160, BiquadCoefficients.ButterworthQ),
        (FilterType.Peak, 550, 0.7),
        (FilterType.Peak, 2200, 0.7),
        (FilterType.HighShelf, 7000, BiquadCoefficients.ButterworthQ),
    ];

    /// <summary>The five-band bank: type, frequency, Q.</summary>
    public static IReadOnlyList<(FilterType Type, double FrequencyHz, double Q)> Five { get; } =
    [
        (FilterType.LowShelf, 120, BiquadCoefficients.ButterworthQ),
        (FilterType.Peak, 350, 0.8),
        (FilterType.Peak, 1100, 0.8),
        (FilterType.Peak, 3500, 0.8),
        (FilterType.HighShelf, 9000, BiquadCoefficients.ButterworthQ),
    ];

    /// <summary>The six-band bank: type, frequency, Q.</summary>
    public static IReadOnlyList<(FilterType Type, double FrequencyHz, double Q)> Six { get; } =
    [
        (FilterType.LowShelf, 120, BiquadCoefficients.ButterworthQ),
        (FilterType.Peak, 300, 0.9),
        (FilterType.Peak, 800, 0.9),
        (FilterType.Peak, 2000, 0.9),
        (FilterType.Peak, 5000, 0.9),
        (FilterType.HighShelf, 10000, BiquadCoefficients.ButterworthQ),
    ];

    private static readonly Lazy<double[][]> FourShapes = new(() => ShapesOf(Four));
    private static readonly Lazy<double[][]> FiveShapes = new(() => ShapesOf(Five));
    private static readonly Lazy<double[][]> SixShapes = new(() => ShapesOf(Six));

    /// <summary>[any thread] The bank of <paramref name="size"/> bands (4, 5 or 6).</summary>
    public static IReadOnlyList<(FilterType Type, double FrequencyHz, double Q)> Bands(int size) => size >= 6 ? Six : size == 5 ? Five : Four;

    /// <summary>[any thread] Gains (dB, each within ±<paramref name="maxMoveDb"/>) that best realise
    /// <paramref name="correctionDb"/> with weights <paramref name="weights"/> (121 values each).</summary>
    public static double[] Fit(ReadOnlySpan<double> correctionDb, ReadOnlySpan<double> weights, double maxMoveDb, int size = 4)
    {
        double[][] u = size >= 6 ? SixShapes.Value : size == 5 ? FiveShapes.Value : FourShapes.Value;
        int k = u.Length, n = TwelfthOctaveBands.Count;
        var a = new double[k, k];
        var rhs = new double[k];
        for (int i = 0; i < k; i++)
        {
            for (int b = 0; b < n; b++)
            {
                rhs[i] += weights[b] * u[i][b] * correctionDb[b];
                for (int j = 0; j < k; j++)
                {
                    a[i, j] += weights[b] * u[i][b] * u[j][b];
                }
            }

            a[i, i] += 1e-6;
        }

        double[] gains = Solve(a, rhs);
        return [.. gains.Select(g => double.IsFinite(g) ? Math.Clamp(g, -maxMoveDb, maxMoveDb) : 0)];
    }

    private static double[][] ShapesOf(IReadOnlyList<(FilterType Type, double FrequencyHz, double Q)> bands) =>
        [.. bands.Select(b => BoundedEqFitter.Response([(b.Type, b.FrequencyHz, 1.0, b.Q)]))];

    // Gaussian elimination with partial pivoting (k ≤ 6).
    private static double[] Solve(double[,] a, double[] b)
    {
        int k = b.Length;
        var m = (double[,])a.Clone();
        var x = (double[])b.Clone();
        for (int c = 0; c < k; c++)
        {
            int p = c;
            for (int r = c + 1; r < k; r++)
            {
                if (Math.Abs(m[r, c]) > Math.Abs(m[p, c]))
                {
                    p = r;
                }
            }

            for (int j = 0; j < k; j++)
            {
                (m[c, j], m[p, j]) = (m[p, j], m[c, j]);
            }

            (x[c], x[p]) = (x[p], x[c]);
            if (Math.Abs(m[c, c]) < 1e-12)
            {
                continue;
            }

            for (int r = c + 1; r < k; r++)
            {
                double f = m[r, c] / m[c, c];
                for (int j = c; j < k; j++)
                {
                    m[r, j] -= f * m[c, j];
                }

                x[r] -= f * x[c];
            }
        }

        for (int c = k - 1; c >= 0; c--)
        {
            double s = x[c];
            for (int j = c + 1; j < k; j++)
            {
                s -= m[c, j] * x[j];
            }

            x[c] = Math.Abs(m[c, c]) < 1e-12 ? 0 : s / m[c, c];
        }

        return x;
    }
}
