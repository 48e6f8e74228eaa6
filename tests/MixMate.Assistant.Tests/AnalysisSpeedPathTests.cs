using MixMate.Assistant.Balance;
using MixMate.Assistant.Models;
using MixMate.Assistant.Roles;
using MixMate.Assistant.Tests.Models;
using MixMate.Assistant.Tonal;
using MixMate.Dsp;
using MixMate.Dsp.Spectrum;
using Xunit;

namespace MixMate.Assistant.Tests;

/// <summary>
/// The analysis shortcuts the mix takes for speed give what the general paths give: the FFT's
/// paired stages and vector lanes equal a plain radix-2 transform bit for bit (and a DFT to
/// rounding), the long-term spectrum's mean formed on reading equals the running mean, and the
/// role alone equals the role of a full suggestion.
/// </summary>
public sealed class AnalysisSpeedPathTests
{
    private static (double[] Real, double[] Imaginary) Random(int n, int seed)
    {
        var random = new Random(seed);
        var re = new double[n];
        var im = new double[n];
        for (int i = 0; i < n; i++)
        {
            re[i] = random.NextDouble() - 0.5;
            im[i] = random.NextDouble() - 0.5;
        }

        return (re, im);
    }

    /// <summary>Textbook iterative radix-2 decimation in time: bit reversal, then one stage after
    /// another with twiddles e^(−iπk/half), t = w·b, (a, b) ← (a + t, a − t).</summary>
    private static void PlainRadix2(double[] re, double[] im)
    {
        int n = re.Length;
        for (int i = 1, j = 0; i < n; i++)
        {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1)
            {
                j ^= bit;
            }

            j ^= bit;
            if (i < j)
            {
                (re[i], re[j]) = (re[j], re[i]);
                (im[i], im[j]) = (im[j], im[i]);
            }
        }

        for (int half = 1; half < n; half <<= 1)
        {
            for (int start = 0; start < n; start += 2 * half)
            {
                for (int k = 0; k < half; k++)
                {
                    double phase = -Math.PI * k / half;
                    double wr = half == 1 ? 1 : Math.Cos(phase), wi = half == 1 ? 0 : Math.Sin(phase);
                    int a = start + k, b = a + half;
                    double tr = half == 1 ? re[b] : (re[b] * wr) - (im[b] * wi);
                    double ti = half == 1 ? im[b] : (re[b] * wi) + (im[b] * wr);
                    (re[b], im[b]) = (re[a] - tr, im[a] - ti);
                    (re[a], im[a]) = (re[a] + tr, im[a] + ti);
                }
            }
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(16)]
    [InlineData(32)]
    [InlineData(64)]
    [InlineData(512)]
    [InlineData(2048)]
    [InlineData(32768)]
    public void The_fft_equals_a_plain_radix_2_transform_bit_for_bit(int n)
    {
        (double[] re, double[] im) = Random(n, n);
        double[] expectedRe = (double[])re.Clone(), expectedIm = (double[])im.Clone();
        PlainRadix2(expectedRe, expectedIm);

        new Fft(n).Forward(re, im);

        Assert.Equal(expectedRe, re);
        Assert.Equal(expectedIm, im);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(64)]
    [InlineData(1024)]
    public void The_fft_agrees_with_the_dft(int n)
    {
        (double[] re, double[] im) = Random(n, 3 * n);
        double maxError = 0;
        var fftRe = (double[])re.Clone();
        var fftIm = (double[])im.Clone();
        new Fft(n).Forward(fftRe, fftIm);
        for (int k = 0; k < n; k++)
        {
            double sr = 0, si = 0;
            for (int t = 0; t < n; t++)
            {
                double phase = -2 * Math.PI * ((long)k * t % n) / n;
                sr += (re[t] * Math.Cos(phase)) - (im[t] * Math.Sin(phase));
                si += (re[t] * Math.Sin(phase)) + (im[t] * Math.Cos(phase));
            }

            maxError = Math.Max(maxError, Math.Max(Math.Abs(sr - fftRe[k]), Math.Abs(si - fftIm[k])));
        }

        // Random input of amplitude 0.5: bins are O(√n); double rounding stays near 1e-13.
        Assert.InRange(maxError, 0, 1e-11);
    }

    [Fact]
    public void The_long_term_spectrum_reads_the_same_mean_at_any_time()
    {
        const double Rate = 48000;
        float[] noise = new float[3 * 48000];
        var random = new Random(5);
        for (int i = 0; i < noise.Length; i++)
        {
            noise[i] = (float)(random.NextDouble() - 0.5);
        }

        var block = new AudioBlock(noise, 1);
        var interrupted = new LongTermSpectrum();
        interrupted.Configure(Rate, 1, 4096, 4096);
        var straight = new LongTermSpectrum();
        straight.Configure(Rate, 1, 4096, 4096);
        Span<double> early = stackalloc double[ThirdOctaveBands.Count];
        Span<double> late = stackalloc double[ThirdOctaveBands.Count];
        Span<double> expected = stackalloc double[ThirdOctaveBands.Count];

        interrupted.Process(block.Slice(0, 48000));
        double firstBin = interrupted.PowerSpectrum[100];
        interrupted.ThirdOctaveDb(early);
        interrupted.Process(block.Slice(48000, noise.Length - 48000));
        interrupted.ThirdOctaveDb(late);
        straight.Process(block);
        straight.ThirdOctaveDb(expected);

        Assert.True(firstBin > 0);
        Assert.Equal(expected.ToArray(), late.ToArray());
        Assert.Equal(straight.PowerSpectrum.ToArray(), interrupted.PowerSpectrum.ToArray());
        Assert.NotEqual(early.ToArray(), late.ToArray());

        interrupted.Reset();
        Assert.All(interrupted.PowerSpectrum.ToArray(), p => Assert.Equal(0, p));
    }

    [Fact]
    public void The_role_alone_equals_the_role_of_a_full_suggestion()
    {
        using SuggestionEngine engine = SuggestionEngine.Create(RepoFiles.ModelsDirectory);
        foreach (float[] samples in new[] { RepoFiles.TestSignal(), new float[44100], RepoFiles.TestSignal()[..4410] })
        {
            var audio = new AudioBlock(samples, 1);
            RoleEstimate full = engine.Analyze(audio, 44100).Role;
            RoleEstimate alone = engine.EstimateRole(audio, 44100);

            Assert.Equal(full.Role, alone.Role);
            Assert.Equal(full.Confidence, alone.Confidence);
            Assert.Equal(full.Reason, alone.Reason);
            Assert.Equal(full.Probabilities.OrderBy(p => p.Key), alone.Probabilities.OrderBy(p => p.Key));
        }
    }

    [Fact]
    public void The_track_summary_measures_the_spectrum_once_and_keeps_the_role()
    {
        using SuggestionEngine engine = SuggestionEngine.Create(RepoFiles.ModelsDirectory);
        var audio = new AudioBlock(RepoFiles.TestSignal(), 1);
        TrackSummary summary = TrackAnalyzer.Analyze("test", audio, 44100, engine);

        Assert.Equal(TonalBalance.MeasureBands(audio, 44100), summary.BandsDb);
        Assert.Equal(engine.Analyze(audio, 44100).Role.Role, summary.Role.Role);
    }
}
