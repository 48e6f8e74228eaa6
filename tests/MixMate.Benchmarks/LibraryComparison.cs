using System.Diagnostics;
using System.Globalization;
using MathNet.Numerics.IntegralTransforms;
using MathNet.Numerics.Interpolation;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Statistics;
using MixMate.Dsp.Spectrum;
using Complex = System.Numerics.Complex;

namespace MixMate.Benchmarks;

/// <summary>
/// <c>libraries [--rounds N]</c>: MixMate's hand-written numerics side by side with MathNet.Numerics
/// 5.0.0 on the same data in the same process, interleaved round by round so a loaded machine
/// slows both alike; prints the median time per call of each and the ratio (MathNet / MixMate).
/// The jobs are the ones the issue names: the FFT of the long-term spectrum (4096 points), the
/// weighted least-squares gain of one EQ candidate over 31 bands and the joint solve of six, the
/// log-frequency interpolation of a tonal target (31 bands from 12 points), a percentile of
/// short-term loudness values (the meter itself reads LRA from its gating histogram) and the median
/// of the tonal balance's band differences.
/// </summary>
internal static class LibraryComparison
{
    public static int Run(string[] args)
    {
        int rounds = args.Length >= 2 && args[0] == "--rounds" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 15;
        var random = new Random(7);

        // FFT, 4096 points.
        const int N = 4096;
        double[] signal = [.. Enumerable.Range(0, N).Select(_ => random.NextDouble() - 0.5)];
        var fft = new Fft(N);
        double[] re = new double[N], im = new double[N];
        Complex[] complex = new Complex[N];
        Compare("FFT 4096 points (complex, double)", rounds, 2000,
            () =>
            {
                signal.CopyTo(re, 0);
                Array.Clear(im);
                fft.Forward(re, im);
            },
            () =>
            {
                for (int i = 0; i < N; i++)
                {
                    complex[i] = new Complex(signal[i], 0);
                }

                Fourier.Forward(complex, FourierOptions.NoScaling);
            });

        // Weighted least-squares gain of one candidate shape against a residual (31 bands).
        const int Bands = 31;
        double[] shape = [.. Enumerable.Range(0, Bands).Select(b => Math.Exp(-Math.Pow((b - 15) / 3.0, 2)))];
        double[] residual = [.. Enumerable.Range(0, Bands).Select(b => (3 * shape[b]) + (random.NextDouble() - 0.5))];
        double[] weights = [.. Enumerable.Range(0, Bands).Select(b => b is < 3 or > 28 ? 0.3 : 1.0)];
        double sink = 0;
        Compare("least-squares gain of one EQ candidate (31 bands)", rounds, 200_000,
            () =>
            {
                double num = 0, den = 0;
                for (int b = 0; b < Bands; b++)
                {
                    num += weights[b] * residual[b] * shape[b];
                    den += weights[b] * shape[b] * shape[b];
                }

                sink += num / den;
            },
            () =>
            {
                Matrix<double> x = Matrix<double>.Build.DenseOfColumnArrays(shape);
                Vector<double> y = Vector<double>.Build.DenseOfArray(residual);
                Matrix<double> w = Matrix<double>.Build.DenseOfDiagonalArray(weights);
                sink += MathNet.Numerics.LinearRegression.WeightedRegression.Weighted(x, y, w)[0];
            });

        // Joint solve of six overlapping shapes (the fitter's refinement; MixMate: coordinate descent, 8 passes).
        double[][] shapes = [.. Enumerable.Range(0, 6).Select(k => Enumerable.Range(0, Bands).Select(b => Math.Exp(-Math.Pow((b - (4 + (k * 4.5))) / 2.5, 2))).ToArray())];
        double[] gains = new double[6];
        double[] work = new double[Bands];
        Compare("joint weighted least squares of 6 EQ gains (31 bands)", rounds, 20_000,
            () =>
            {
                Array.Clear(gains);
                for (int pass = 0; pass < 8; pass++)
                {
                    for (int i = 0; i < 6; i++)
                    {
                        residual.CopyTo(work, 0);
                        for (int j = 0; j < 6; j++)
                        {
                            if (j != i)
                            {
                                for (int b = 0; b < Bands; b++)
                                {
                                    work[b] -= gains[j] * shapes[j][b];
                                }
                            }
                        }

                        double num = 0, den = 0;
                        for (int b = 0; b < Bands; b++)
                        {
                            num += weights[b] * work[b] * shapes[i][b];
                            den += weights[b] * shapes[i][b] * shapes[i][b];
                        }

                        gains[i] = Math.Clamp(num / den, -4, 4);
                    }
                }

                sink += gains[0];
            },
            () =>
            {
                Matrix<double> x = Matrix<double>.Build.DenseOfColumnArrays(shapes);
                Vector<double> y = Vector<double>.Build.DenseOfArray(residual);
                Matrix<double> w = Matrix<double>.Build.DenseOfDiagonalArray(weights);
                Vector<double> g = MathNet.Numerics.LinearRegression.WeightedRegression.Weighted(x, y, w);
                sink += Math.Clamp(g[0], -4, 4);
            });

        // Log-frequency linear interpolation: 12 (Hz, dB) points to the 31 band centres.
        double[] pointHz = [20, 40, 80, 160, 315, 630, 1250, 2500, 5000, 10000, 16000, 20000];
        double[] pointDb = [.. pointHz.Select(_ => random.NextDouble() * 10)];
        double[] logHz = [.. pointHz.Select(h => Math.Log(h))];
        double[] centres = [.. Enumerable.Range(0, Bands).Select(ThirdOctaveBands.Centre)];
        double[] outBands = new double[Bands];
        Compare("log-frequency interpolation, 12 points to 31 bands", rounds, 100_000,
            () =>
            {
                for (int b = 0; b < Bands; b++)
                {
                    outBands[b] = Interpolate(pointHz, pointDb, centres[b]);
                }
            },
            () =>
            {
                LinearSpline spline = LinearSpline.InterpolateSorted(logHz, pointDb);
                for (int b = 0; b < Bands; b++)
                {
                    outBands[b] = spline.Interpolate(Math.Log(Math.Clamp(centres[b], pointHz[0], pointHz[^1])));
                }
            });

        // 95th percentile of 1200 short-term loudness values (10 minutes at 2 Hz).
        double[] shortTerm = [.. Enumerable.Range(0, 1200).Select(_ => -30 + (random.NextDouble() * 20))];
        double[] sorted = new double[shortTerm.Length];
        Compare("95th percentile of 1200 short-term values", rounds, 2000,
            () =>
            {
                shortTerm.CopyTo(sorted, 0);
                Array.Sort(sorted);
                double rank = 0.95 * (sorted.Length - 1);
                int lo = (int)rank;
                sink += sorted[lo] + ((rank - lo) * (sorted[Math.Min(lo + 1, sorted.Length - 1)] - sorted[lo]));
            },
            () => sink += Statistics.Quantile(shortTerm, 0.95));

        // Median of 25 band differences (TonalBalance removes the level offset with it).
        double[] differences = [.. Enumerable.Range(0, 25).Select(_ => (random.NextDouble() * 12) - 6)];
        var list = new List<double>(25);
        Compare("median of 25 band differences", rounds, 200_000,
            () =>
            {
                list.Clear();
                list.AddRange(differences);
                list.Sort();
                sink += list.Count % 2 == 1 ? list[list.Count / 2] : 0.5 * (list[(list.Count / 2) - 1] + list[list.Count / 2]);
            },
            () =>
            {
                list.Clear();
                list.AddRange(differences);
                sink += list.Median();
            });

        return sink == 12345.678 ? 1 : 0;
    }

    private static double Interpolate(double[] hz, double[] db, double f)
    {
        if (f <= hz[0])
        {
            return db[0];
        }

        for (int i = 1; i < hz.Length; i++)
        {
            if (f <= hz[i])
            {
                double t = Math.Log(f / hz[i - 1]) / Math.Log(hz[i] / hz[i - 1]);
                return db[i - 1] + (t * (db[i] - db[i - 1]));
            }
        }

        return db[^1];
    }

    private static void Compare(string job, int rounds, int calls, Action own, Action mathNet)
    {
        for (int i = 0; i < calls / 10; i++)
        {
            own();
            mathNet();
        }

        var ownTimes = new List<double>();
        var mathNetTimes = new List<double>();
        for (int r = 0; r < rounds; r++)
        {
            ownTimes.Add(Time(own, calls));
            mathNetTimes.Add(Time(mathNet, calls));
        }

        double a = Median(ownTimes), b = Median(mathNetTimes);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{job,-58} MixMate {a * 1e6,10:0.000} µs   MathNet {b * 1e6,10:0.000} µs   MathNet/MixMate {b / a,6:0.00}x"));
    }

    private static double Time(Action action, int calls)
    {
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < calls; i++)
        {
            action();
        }

        return Stopwatch.GetElapsedTime(start).TotalSeconds / calls;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
