using MixMate.Dsp.Loudness;
using MixMate.TestSupport;
using Xunit;

namespace MixMate.Dsp.Tests.Loudness;

public sealed class KWeightingFilterTests
{
    [Fact]
    public void Coefficients_at_48_kHz_equal_the_BS1770_tables()
    {
        // BS.1770-4 Annex 1, Table 1 (shelf) and Table 2 (RLB high-pass).
        var shelf = KWeightingFilter.DesignShelf(48000);
        Tolerance.AssertClose(1.53512485958697, shelf.B0, 1e-12, "shelf b0");
        Tolerance.AssertClose(-2.69169618940638, shelf.B1, 1e-12, "shelf b1");
        Tolerance.AssertClose(1.19839281085285, shelf.B2, 1e-12, "shelf b2");
        Tolerance.AssertClose(-1.69065929318241, shelf.A1, 1e-12, "shelf a1");
        Tolerance.AssertClose(0.73248077421585, shelf.A2, 1e-12, "shelf a2");
        var hp = KWeightingFilter.DesignHighPass(48000);
        Tolerance.AssertClose(1.0, hp.B0, 1e-12, "rlb b0");
        Tolerance.AssertClose(-2.0, hp.B1, 1e-12, "rlb b1");
        Tolerance.AssertClose(1.0, hp.B2, 1e-12, "rlb b2");
        Tolerance.AssertClose(-1.99004745483398, hp.A1, 1e-12, "rlb a1");
        Tolerance.AssertClose(0.99007225036621, hp.A2, 1e-12, "rlb a2");
    }

    [Theory]
    [InlineData(44100.0)]
    [InlineData(88200.0)]
    [InlineData(96000.0)]
    [InlineData(192000.0)]
    public void Response_at_other_rates_matches_the_48_kHz_response_below_20_kHz(double fs)
    {
        Assert.NotEqual(KWeightingFilter.DesignShelf(48000), KWeightingFilter.DesignShelf(fs));
        for (double f = 10; f <= 20000; f *= 1.02)
        {
            double ours = KWeightingFilter.MagnitudeDb(f, fs);
            double reference = KWeightingFilter.MagnitudeDb(f, 48000);
            Tolerance.AssertClose(reference, ours, 0.01, $"{f:F0} Hz at {fs}");
        }
    }

    [Fact]
    public void Response_has_the_K_weighting_shape()
    {
        // +4 dB shelf above a few kHz, high-pass below ~40 Hz, ≈ +0.69 dB at 1 kHz (the origin of
        // the −0.691 in BS.1770 eq. 2).
        Tolerance.AssertClose(0.691, KWeightingFilter.MagnitudeDb(1000, 48000), 0.01, "1 kHz");
        Tolerance.AssertClose(4.0, KWeightingFilter.MagnitudeDb(16000, 48000), 0.05, "16 kHz");
        Assert.True(KWeightingFilter.MagnitudeDb(20, 48000) < -10, "20 Hz attenuated");
    }

    [Theory]
    [InlineData(44100.0, 1000.0)]
    [InlineData(48000.0, 100.0)]
    [InlineData(48000.0, 10000.0)]
    public void Filtering_a_sine_gives_the_designed_gain(double fs, double f)
    {
        var filter = new KWeightingFilter();
        filter.Configure(fs, 1);
        float[] x = Signals.Sine(fs, f, 0.5, (int)fs);
        var y = new float[x.Length];
        filter.Process(0, x, y);
        int settle = (int)(fs / 2);
        double inPower = 0, outPower = 0;
        for (int i = settle; i < x.Length; i++)
        {
            inPower += (double)x[i] * x[i];
            outPower += (double)y[i] * y[i];
        }

        Tolerance.AssertClose(KWeightingFilter.MagnitudeDb(f, fs), 10 * Math.Log10(outPower / inPower), 0.002, $"{f} Hz");
    }

    [Fact]
    public void Sum_of_squares_equals_the_filtered_signal_and_ignores_the_split()
    {
        const double Fs = 48000;
        float[] x = Signals.PinkNoise(30000, 0.8, seed: 3);
        var a = new KWeightingFilter();
        a.Configure(Fs, 2);
        var y = new float[x.Length];
        a.Process(1, x, y);
        double expected = 0;
        foreach (float v in y)
        {
            expected += (double)v * v;
        }

        var b = new KWeightingFilter();
        b.Configure(Fs, 2);
        double sum = 0;
        for (int i = 0; i < x.Length; i += 7)
        {
            sum += b.ProcessSumOfSquares(1, x.AsSpan(i, Math.Min(7, x.Length - i)));
        }

        Tolerance.AssertClose(expected, sum, expected * 1e-6, "Σ y²");
        b.Reset();
        Tolerance.AssertClose(expected, b.ProcessSumOfSquares(1, x), expected * 1e-6, "after reset");
    }

    [Fact]
    public void Pair_overload_equals_two_single_channel_runs()
    {
        const double Fs = 44100;
        float[] a = Signals.PinkNoise(20000, 0.8, seed: 4);
        float[] b = Signals.WhiteNoise(20000, 0.3, seed: 5);
        var single = new KWeightingFilter();
        single.Configure(Fs, 3);
        var pair = new KWeightingFilter();
        pair.Configure(Fs, 3);
        for (int i = 0; i < a.Length; i += 441)
        {
            int n = Math.Min(441, a.Length - i);
            double sa = single.ProcessSumOfSquares(0, a.AsSpan(i, n));
            double sb = single.ProcessSumOfSquares(2, b.AsSpan(i, n));
            (double pa, double pb) = pair.ProcessSumOfSquares(0, a.AsSpan(i, n), 2, b.AsSpan(i, n));
            Assert.Equal(sa, pa);
            Assert.Equal(sb, pb);
        }
    }

    [Fact]
    public void State_decays_to_exact_zero_in_silence_without_subnormals()
    {
        var filter = new KWeightingFilter();
        filter.Configure(48000, 1);
        float[] burst = Signals.Sine(48000, 30, 1.0, 4800);
        filter.Process(0, burst, new float[burst.Length]);
        var silence = new float[48000 * 60];
        var y = new float[silence.Length];
        filter.Process(0, silence, y);
        Tolerance.AssertFiniteNormal(y, "filtered silence");
        Assert.Equal(0f, y[^1]);
        Assert.Equal(0.0, filter.ProcessSumOfSquares(0, silence.AsSpan(0, 1000)));
    }

    [Fact]
    public void Rejects_rates_where_the_shelf_cannot_be_designed()
    {
        var filter = new KWeightingFilter();
        Assert.Throws<ArgumentOutOfRangeException>(() => filter.Configure(4000, 1));
    }
}
