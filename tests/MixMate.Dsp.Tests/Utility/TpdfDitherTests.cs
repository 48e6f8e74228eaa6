using MixMate.Dsp.Utility;
using MixMate.TestSupport;
using Xunit;

namespace MixMate.Dsp.Tests.Utility;

/// <summary>
/// TPDF theory (Lipshitz, Wannamaker &amp; Vanderkooy 1992): with ±1 LSB triangular dither and
/// rounding, the total error e = Q(x + d) − x has mean 0 and variance Δ²/4 for every input, and
/// successive errors are uncorrelated (white). Tolerances are statistical: a few standard errors.
/// </summary>
public sealed class TpdfDitherTests
{
    private const int N = 1 << 20;
    private const double Lsb = 1.0 / 32768;

    [Theory]
    [InlineData(0.0)] // digital silence
    [InlineData(0.3)] // a constant 0.3 LSB: undithered rounding would output 0 (error −0.3 LSB)
    [InlineData(0.5)] // exactly between two codes
    [InlineData(-7.81)]
    public void ErrorMomentsMatchTheoryForConstantInputs(double lsbOffset)
    {
        float[] x = new float[N];
        Array.Fill(x, (float)(lsbOffset * Lsb));
        double[] e = Error(x, 16);
        (double mean, double variance) = Moments(e);

        // Mean: σ = 0.5 LSB, standard error 0.5/√N ≈ 0.0005 LSB.
        Tolerance.AssertClose(0, mean, 5 * 0.5 / Math.Sqrt(N), "error mean (LSB)");
        // Variance Δ²/4; the standard error of a sample variance is ≈ σ²·√(2/N)·(kurtosis factor) < 0.001.
        Tolerance.AssertClose(0.25, variance, 0.004, "error variance (LSB²)");
    }

    [Fact]
    public void ErrorIsWhiteAndSignalIndependentForASine()
    {
        float[] x = TestSignals.Sine(N, 44100, 997, 0.1);
        double[] e = Error(x, 16);
        (double mean, double variance) = Moments(e);
        Tolerance.AssertClose(0, mean, 5 * 0.5 / Math.Sqrt(N), "error mean (LSB)");
        Tolerance.AssertClose(0.25, variance, 0.004, "error variance (LSB²)");

        // White: normalized autocorrelation at lags 1…64 is zero within 5 standard errors (1/√N).
        for (int lag = 1; lag <= 64; lag++)
        {
            double r = 0;
            for (int i = lag; i < N; i++)
            {
                r += (e[i] - mean) * (e[i - lag] - mean);
            }

            r /= (N - lag) * variance;
            Assert.True(Math.Abs(r) < 5 / Math.Sqrt(N), $"autocorrelation at lag {lag} = {r:E2}");
        }

        // Flat spectrum: error power in 8 equal bands (DFT of 256-sample frames, averaged over 512
        // frames) agrees within ±10 %; each band averages 16 bins × 512 frames ≈ 8192 chi-square samples.
        const int Frame = 256;
        double[] band = new double[8];
        double[] cos = new double[Frame], sin = new double[Frame];
        for (int i = 0; i < Frame; i++)
        {
            cos[i] = Math.Cos(2 * Math.PI * i / Frame);
            sin[i] = Math.Sin(2 * Math.PI * i / Frame);
        }

        for (int f = 0; f < 512; f++)
        {
            for (int k = 1; k < Frame / 2; k++)
            {
                double re = 0, im = 0;
                for (int i = 0; i < Frame; i++)
                {
                    double v = e[f * Frame + i];
                    re += v * cos[k * i % Frame];
                    im -= v * sin[k * i % Frame];
                }

                band[k * 8 / (Frame / 2)] += re * re + im * im;
            }
        }

        double average = band.Sum() / band.Length;
        band[0] *= 16.0 / 15.0; // bin 0 (DC) is excluded from the first band
        foreach (double p in band)
        {
            Assert.InRange(p / average, 0.9, 1.1);
        }
    }

    [Fact]
    public void OutputIsOnTheCodeGridAndClamped()
    {
        float[] x = [.. TestSignals.Noise(10000, 1.5, 4)];
        var dither = new TpdfDither(bits: 16);
        dither.Configure(48000, 1, 1024);
        dither.Process(new AudioBlock(x, 1));
        foreach (float y in x)
        {
            double code = y * 32768.0;
            Assert.Equal(Math.Round(code), code);
            Assert.InRange(code, -32768, 32767);
        }

        Assert.Contains(x, y => y == 32767f / 32768);
        Assert.Contains(x, y => y == -1f);
    }

    [Fact]
    public void TwentyFourBitAndEightBitSteps()
    {
        foreach (int bits in new[] { 8, 24 })
        {
            float[] x = TestSignals.Sine(1 << 16, 48000, 1000, 0.5);
            float[] original = (float[])x.Clone();
            var dither = new TpdfDither(bits);
            dither.Configure(48000, 1, 4096);
            dither.Process(new AudioBlock(x, 1));
            double step = Math.ScaleB(1.0, 1 - bits);
            double sum = 0, sum2 = 0;
            for (int i = 0; i < x.Length; i++)
            {
                Assert.Equal(Math.Round(x[i] / step), x[i] / step);
                double err = (x[i] - (double)original[i]) / step;
                sum += err;
                sum2 += err * err;
            }

            // 24-bit: the float input itself only carries 24 bits, so the error variance is still Δ²/4.
            Tolerance.AssertClose(0.25, sum2 / x.Length - Math.Pow(sum / x.Length, 2), 0.02, $"{bits}-bit variance");
        }
    }

    [Fact]
    public void DeterministicBlockIndependentAndAllocationFree()
    {
        float[][] x = [TestSignals.Sine(30000, 48000, 440, 0.5), TestSignals.Noise(30000, 0.5, 3)];
        ProcessorHarness.AssertBlockSizeInvariant(() => new TpdfDither(16, seed: 42), x, 48000);

        float[][] a = ProcessorHarness.Run(Configured(new TpdfDither(16, 42)), x, 333);
        float[][] b = ProcessorHarness.Run(Configured(new TpdfDither(16, 43)), x, 333);
        Assert.NotEqual(a[0], b[0]);

        // Channels get independent noise: the same signal on both, and their requantisation
        // errors are uncorrelated (|r| well under 0.05 over 30 000 samples; equal seeds give 1).
        float[] sine = TestSignals.Sine(30000, 48000, 440, 0.5);
        float[][] same = ProcessorHarness.Run(Configured(new TpdfDither(16, 42)), [sine, sine], 333);
        double[] e0 = [.. same[0].Select((v, i) => (double)v - sine[i])];
        double[] e1 = [.. same[1].Select((v, i) => (double)v - sine[i])];
        Assert.InRange(Correlation(e0, e1), -0.05, 0.05);

        var dither = Configured(new TpdfDither());
        Assert.Equal(0, ProcessorHarness.MeasureProcessAllocations(dither, 2, 512));
    }

    private static TpdfDither Configured(TpdfDither dither)
    {
        dither.Configure(48000, 2, 512);
        return dither;
    }

    /// <summary>Requantization error of a fresh seeded dither, in LSB.</summary>
    private static double[] Error(float[] x, int bits)
    {
        var dither = new TpdfDither(bits, seed: 7);
        dither.Configure(44100, 1, 4096);
        float[] output = ProcessorHarness.Run(dither, [x], 4096)[0];
        double scale = Math.ScaleB(1.0, bits - 1);
        var e = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            e[i] = (output[i] - (double)x[i]) * scale;
        }

        return e;
    }

    private static double Correlation(double[] a, double[] b)
    {
        double ma = a.Average();
        double mb = b.Average();
        double ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            ab += (a[i] - ma) * (b[i] - mb);
            aa += (a[i] - ma) * (a[i] - ma);
            bb += (b[i] - mb) * (b[i] - mb);
        }

        return ab / Math.Sqrt(aa * bb);
    }

    private static (double Mean, double Variance) Moments(double[] e)
    {
        double mean = e.Average();
        double variance = e.Sum(v => (v - mean) * (v - mean)) / e.Length;
        return (mean, variance);
    }
}
