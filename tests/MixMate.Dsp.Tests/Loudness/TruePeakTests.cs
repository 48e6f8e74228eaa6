using MixMate.Dsp.Loudness;
using MixMate.TestSupport;
using Xunit;

namespace MixMate.Dsp.Tests.Loudness;

public sealed class TruePeakTests
{
    [Theory]
    [InlineData(16000.0, 16, 16)]
    [InlineData(22050.0, 8, 16)]
    [InlineData(24000.0, 8, 16)]
    [InlineData(32000.0, 8, 16)]
    [InlineData(44100.0, 4, 12)]
    [InlineData(48000.0, 4, 12)]
    [InlineData(88200.0, 4, 12)]
    [InlineData(96000.0, 2, 8)]
    [InlineData(176400.0, 2, 8)]
    [InlineData(192000.0, 1, 0)]
    public void Factor_and_latency_follow_the_sample_rate(double fs, int factor, int latency)
    {
        var os = new TruePeakOversampler();
        os.Configure(fs, 2);
        Assert.Equal(factor, os.Factor);
        Assert.Equal(latency, os.LatencySamples);
    }

    [Theory]
    [InlineData(4, 24)]
    [InlineData(2, 16)]
    [InlineData(3, 16)]
    public void Design_is_an_interpolator_phase_zero_passes_the_input(int factor, int taps)
    {
        float[] h = TruePeakOversampler.Design(factor, taps, 7.0);
        // Phase 0: a single 1 at the centre, so interpolated samples on the input grid are the
        // input itself.
        for (int j = 0; j < taps; j++)
        {
            Assert.Equal(j == taps - 1 - taps / 2 ? 1f : 0f, h[j], 6);
        }

        for (int p = 0; p < factor; p++)
        {
            double sum = 0;
            for (int j = 0; j < taps; j++)
            {
                sum += h[p * taps + j];
            }

            Tolerance.AssertClose(1.0, sum, 1e-6, $"DC gain of phase {p}");
        }

        // Symmetry of the prototype: phase p mirrors phase factor − p.
        for (int p = 1; p < factor; p++)
        {
            for (int j = 0; j < taps; j++)
            {
                Assert.Equal(h[p * taps + j], h[(factor - p) * taps + (taps - 1 - j)], 6);
            }
        }
    }

    [Theory]
    [InlineData(44100.0)]
    [InlineData(48000.0)]
    public void Quarter_rate_sine_at_45_degrees_shows_its_inter_sample_peak(double fs)
    {
        // sin(π n / 2 + π / 4): every sample is ±√½, the waveform peaks at 1 between samples.
        float[] x = Signals.Sine(fs, fs / 4, 1.0, 4096, Math.PI / 4);
        var detector = new TruePeakDetector();
        detector.Configure(fs, 1, 4096);
        MeasureSteadyState(detector, x);
        double samplePeak = 0;
        foreach (float v in x)
        {
            samplePeak = Math.Max(samplePeak, Math.Abs(v));
        }

        Tolerance.AssertClose(-3.0103, Decibels.FromGain(samplePeak), 0.001, "sample peak dBFS");
        Tolerance.AssertClose(0.0, detector.TruePeakDbtp, 0.01, "true peak dBTP");
        Tolerance.AssertClose(3.0103, detector.TruePeakDbtp - Decibels.FromGain(samplePeak), 0.01, "TP − SP");
    }

    [Theory]
    [InlineData(44100.0, 997.0)]
    [InlineData(44100.0, 5000.0)]
    [InlineData(44100.0, 11025.0)]
    [InlineData(44100.0, 15000.0)]
    [InlineData(48000.0, 3000.0)]
    [InlineData(48000.0, 9000.0)]
    [InlineData(48000.0, 17000.0)]
    [InlineData(96000.0, 19000.0)]
    [InlineData(16000.0, 7000.0)]
    [InlineData(22050.0, 9900.0)]
    [InlineData(24000.0, 10500.0)]
    [InlineData(32000.0, 14000.0)]
    public void Detector_reads_sine_amplitude_within_0_2_dB(double fs, double f)
    {
        for (int k = 0; k < 8; k++)
        {
            double phase = k * Math.PI / 8 + 0.1;
            float[] x = Signals.Sine(fs, f, 0.5, 8192, phase);
            var detector = new TruePeakDetector();
            detector.Configure(fs, 1, 1024);
            MeasureSteadyState(detector, x);
            Tolerance.AssertClose(Decibels.FromGain(0.5), detector.TruePeakDbtp, 0.2, $"{f} Hz phase {phase:F2}");
            Assert.True(detector.TruePeak <= 0.5 * 1.005, "no overshoot above the sine amplitude");
        }
    }

    /// <summary>An abruptly started sine really does overshoot (the onset is a step), so skip
    /// the first 1024 samples: feed them, restart the peak hold, then measure the rest.</summary>
    private static void MeasureSteadyState(TruePeakDetector detector, float[] x)
    {
        detector.Process(new AudioBlock(x.AsSpan(0, 1024), 1));
        detector.ResetPeak();
        detector.Process(new AudioBlock(x.AsSpan(1024), 1));
    }

    [Theory]
    [InlineData(15, 44100.0)]
    [InlineData(16, 44100.0)]
    [InlineData(17, 44100.0)]
    [InlineData(18, 44100.0)]
    [InlineData(19, 44100.0)]
    [InlineData(15, 48000.0)]
    [InlineData(16, 48000.0)]
    [InlineData(17, 48000.0)]
    [InlineData(18, 48000.0)]
    [InlineData(19, 48000.0)]
    public void Tech3341_true_peak_cases(int testCase, double fs)
    {
        float[][] signal = Signals.Tech3341(testCase, fs);
        var detector = new TruePeakDetector();
        detector.Configure(fs, 2, 512);
        var buffer = Signals.ToPlanarBuffer(signal);
        detector.Process(new AudioBlock(buffer, 2));
        detector.Flush();
        double expected = testCase == 19 ? 3.0 : -6.0;
        double tp = detector.TruePeakDbtp;
        // Tech 3341 Table 1: expected +0.2 / −0.4 dBTP.
        Assert.InRange(tp, expected - 0.4, expected + 0.2);
        // Our own reading: the amplitude itself (20·log10 of 0.5 or 1.41), to ±0.005 dB.
        double amplitude = testCase == 19 ? 1.41 : 0.5;
        Tolerance.AssertClose(Decibels.FromGain(amplitude), tp, 0.005, $"case {testCase} at {fs}");
        Tolerance.AssertClose(detector.ChannelTruePeakDbtp(0), detector.ChannelTruePeakDbtp(1), 1e-9, "channels equal");
    }

    [Fact]
    public void ProcessPeaks_is_independent_of_the_call_split_and_never_below_the_delayed_input()
    {
        const double Fs = 44100;
        float[] x = Signals.PinkNoise(20000, 0.9, seed: 7);
        var whole = new TruePeakOversampler();
        whole.Configure(Fs, 1);
        var expected = new float[x.Length];
        whole.ProcessPeaks(0, x, expected);

        foreach (int size in new[] { 1, 7, 64, 1000, 4096 })
        {
            var split = new TruePeakOversampler();
            split.Configure(Fs, 1);
            var actual = new float[x.Length];
            for (int i = 0; i < x.Length; i += size)
            {
                int n = Math.Min(size, x.Length - i);
                split.ProcessPeaks(0, x.AsSpan(i, n), actual.AsSpan(i, n));
            }

            Tolerance.AssertAllClose(expected, actual, 1e-6, $"block size {size}");
        }

        int latency = whole.LatencySamples;
        for (int i = latency; i < x.Length; i++)
        {
            Assert.True(expected[i] >= Math.Abs(x[i - latency]) - 1e-6, $"peak[{i}] below |x[{i - latency}]|");
        }
    }

    /// <summary>The floor overload skips the filter for spans too quiet to pass the floor. It
    /// must be exact: whenever it reports a value above the floor that value is the true
    /// maximum, whenever it does not the true maximum is at or below the floor, and the history
    /// it keeps while skipping leaves every later reading unchanged — at every factor, for spans
    /// shorter and longer than the filter, under a peak hold as the detector uses it.</summary>
    [Theory]
    [InlineData(32000.0)]
    [InlineData(44100.0)]
    [InlineData(96000.0)]
    public void The_floor_overload_skips_quiet_spans_exactly(double fs)
    {
        int n = 60000;
        float[] x = Signals.PinkNoise(n, 0.9, seed: 21);
        for (int i = 0; i < n; i++)
        {
            // quiet, loud, quiet, a fs/4 burst whose inter-sample peaks exceed its samples
            double g = i < 15000 ? 0.05 : i < 25000 ? 0.9 : i < 45000 ? 0.1 : 0;
            x[i] *= (float)g;
            if (i >= 45000 && i < 46000)
            {
                x[i] = (float)(0.6 * Math.Sin(Math.PI / 2 * i + Math.PI / 4));
            }
        }

        var plain = new TruePeakOversampler();
        plain.Configure(fs, 1);
        var floored = new TruePeakOversampler();
        floored.Configure(fs, 1);
        var rng = new Random(5);
        float hold = 0;
        int skipped = 0, spans = 0;
        for (int i = 0; i < n;)
        {
            int len = Math.Min(n - i, rng.Next(1, 300));
            float expected = plain.ProcessMaxPeak(0, x.AsSpan(i, len));
            // the hold is reset now and then, as the checks do every 100 ms
            float floor = spans % 50 == 0 ? 0 : hold;
            float actual = floored.ProcessMaxPeak(0, x.AsSpan(i, len), floor);
            if (actual > floor)
            {
                Assert.Equal(expected, actual);
            }
            else
            {
                Assert.True(expected <= floor, $"span at {i}: true max {expected} above the floor {floor}");
                skipped += expected == actual ? 0 : 1;
            }

            hold = floor == 0 ? expected : Math.Max(hold, expected);
            i += len;
            spans++;
        }

        // (a skipped span reads its sample peak, below its true peak; a hold reset makes the
        // next spans compute again)
        Assert.True(skipped > spans / 20, $"the quiet spans were skipped ({skipped} of {spans})");
        // and the history after all that is the same
        float[] tail = Signals.PinkNoise(500, 0.9, seed: 3);
        Assert.Equal(plain.ProcessMaxPeak(0, tail), floored.ProcessMaxPeak(0, tail, 0f));
    }

    [Fact]
    public void Process_does_not_change_the_audio_and_reset_clears()
    {
        float[] x = Signals.Sine(48000, 1000, 0.25, 4800);
        float[] copy = (float[])x.Clone();
        var detector = new TruePeakDetector();
        detector.Configure(48000, 1, 4800);
        detector.Process(new AudioBlock(x, 1));
        Assert.Equal(copy, x);
        Assert.True(detector.TruePeak > 0.24);
        Assert.Equal(0, detector.LatencySamples);
        detector.ResetPeak();
        Assert.Equal(double.NegativeInfinity, detector.TruePeakDbtp);
        detector.Process(new AudioBlock(x, 1));
        Assert.True(detector.TruePeak > 0.24);
        detector.Reset();
        Assert.Equal(0.0, detector.TruePeak);
    }

    [Theory]
    [InlineData(44100)]
    [InlineData(22050)]
    [InlineData(16000)]
    public void Detector_process_allocates_nothing_including_empty_blocks(int sampleRate)
    {
        var detector = new TruePeakDetector();
        detector.Configure(sampleRate, 2, 512);
        var buffer = Signals.ToPlanarBuffer(Signals.InPhase(Signals.WhiteNoise(700, 0.5)));
        void Blocks()
        {
            detector.Process(new AudioBlock(buffer, 2));
            detector.Process(new AudioBlock(buffer, 2, 0, 700));
            detector.Process(new AudioBlock(buffer.AsSpan(0, 2 * 33), 2));
        }

        // Warm-up through tiered compilation's promotions (30 calls, a 100 ms delay, a background
        // re-JIT; later under load): a promotion can allocate on the calling thread, which is the
        // runtime's cost, not the detector's.
        long bytes = Allocations.Measure(
            () =>
            {
                for (int round = 0; round < 3; round++)
                {
                    for (int i = 0; i < 100; i++)
                    {
                        Blocks();
                    }

                    Thread.Sleep(150);
                }
            },
            Blocks);
        Assert.Equal(0, bytes);
    }

    /// <summary>
    /// BS.1770 true peak at every supported rate, against an independent reference built here: a
    /// 16× interpolation of each signal (±256-tap Kaiser-windowed sinc in double precision, every
    /// one of the 16 phases). Signals are sums of high-frequency tones with random phases (content
    /// up to 0.45·fs, at most 20 kHz), faded in and out, so their peaks fall between samples. Our
    /// reading must never exceed the reference, and the grid (rate × factor) must be at least
    /// 176.4 kHz with our reading within that grid's worst-case error below the reference.
    /// </summary>
    [Theory]
    [InlineData(22050.0)]
    [InlineData(24000.0)]
    [InlineData(32000.0)]
    [InlineData(44100.0)]
    [InlineData(48000.0)]
    [InlineData(88200.0)]
    [InlineData(96000.0)]
    [InlineData(176400.0)]
    [InlineData(192000.0)]
    [InlineData(352800.0)]
    [InlineData(384000.0)]
    public void True_peak_at_every_rate_matches_a_16x_reference(double fs)
    {
        var random = new Random((int)fs);
        double worst = 0;
        for (int trial = 0; trial < 4; trial++)
        {
            float[] x = HighTones(fs, 2000, random);
            double reference = ReferenceTruePeak(x, 16);
            var detector = new TruePeakDetector();
            detector.Configure(fs, 1, x.Length);
            detector.Process(new AudioBlock(x, 1));
            detector.Flush();
            double ours = detector.TruePeakDbtp;
            double refDb = Decibels.FromGain(reference);
            Assert.True(ours <= refDb + 0.02, $"{fs} Hz trial {trial}: ours {ours:0.000} above the 16× reference {refDb:0.000}");
            worst = Math.Max(worst, refDb - ours);
        }

        // A grid of G points per second reads a tone of frequency f at worst cos(π f / G) of its
        // peak; with G ≥ 176.4 kHz that bounds the error for all content the test holds.
        var probe = new TruePeakOversampler();
        probe.Configure(fs, 1);
        double grid = fs * probe.Factor;
        Assert.True(grid >= 176400, $"{fs} Hz: grid {grid} Hz below 176.4 kHz");
        double bound = -Decibels.FromGain(Math.Cos(Math.PI * Math.Min(0.45 * fs, 20000) / grid)) + 0.01;
        Assert.True(worst <= bound, $"{fs} Hz: up to {worst:0.000} dB under the 16× reference (bound {bound:0.000} dB)");
    }

    private static float[] HighTones(double fs, int frames, Random random)
    {
        double top = Math.Min(0.45 * fs, 20000);
        var x = new double[frames];
        for (int k = 0; k < 5; k++)
        {
            double f = top * (0.6 + (0.4 * random.NextDouble()));
            double phase = random.NextDouble() * 2 * Math.PI;
            for (int i = 0; i < frames; i++)
            {
                x[i] += 0.15 * Math.Sin((2 * Math.PI * f * i / fs) + phase);
            }
        }

        int fade = frames / 6;
        var y = new float[frames];
        for (int i = 0; i < frames; i++)
        {
            double w = Math.Min(1.0, Math.Min(i, frames - 1 - i) / (double)fade);
            y[i] = (float)(x[i] * (0.5 - (0.5 * Math.Cos(Math.PI * w))));
        }

        return y;
    }

    /// <summary>max |x(t)| on a grid of <paramref name="factor"/> points per sample, by direct
    /// windowed-sinc interpolation (independent of the polyphase code under test).</summary>
    private static double ReferenceTruePeak(float[] x, int factor)
    {
        const int Half = 256;
        const double Beta = 12;
        double i0 = BesselI0(Beta);

        // kernel[p, j]: the weight of x[k] at t = n + p / factor, where j = n − k + Half − 1.
        var kernel = new double[factor, 2 * Half];
        for (int p = 0; p < factor; p++)
        {
            for (int j = 0; j < 2 * Half; j++)
            {
                double d = (j - Half + 1) + ((double)p / factor);
                double sinc = Math.Abs(d) < 1e-12 ? 1 : Math.Sin(Math.PI * d) / (Math.PI * d);
                double r = d / Half;
                kernel[p, j] = Math.Abs(r) >= 1 ? 0 : sinc * BesselI0(Beta * Math.Sqrt(1 - (r * r))) / i0;
            }
        }

        double peak = 0;
        for (int n = 0; n < x.Length; n++)
        {
            for (int p = 0; p < factor; p++)
            {
                double sum = 0;
                for (int j = 0; j < 2 * Half; j++)
                {
                    int k = n - (j - Half + 1);
                    if ((uint)k < (uint)x.Length)
                    {
                        sum += x[k] * kernel[p, j];
                    }
                }

                peak = Math.Max(peak, Math.Abs(sum));
            }
        }

        return peak;
    }

    private static double BesselI0(double x)
    {
        double sum = 1, term = 1, q = x * x / 4;
        for (int k = 1; k < 64 && term > 1e-17 * sum; k++)
        {
            term *= q / ((double)k * k);
            sum += term;
        }

        return sum;
    }

    [Fact]
    public void Silence_reads_minus_infinity_and_output_stays_finite()
    {
        var detector = new TruePeakDetector();
        detector.Configure(48000, 2, 256);
        var buffer = new float[2 * 256];
        detector.Process(new AudioBlock(buffer, 2));
        Assert.Equal(double.NegativeInfinity, detector.TruePeakDbtp);
    }
}
