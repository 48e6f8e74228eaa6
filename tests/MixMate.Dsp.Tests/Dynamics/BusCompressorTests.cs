using MixMate.Dsp.Dynamics;
using MixMate.Dsp.Tests.Utility;
using MixMate.TestSupport;
using Xunit;

namespace MixMate.Dsp.Tests.Dynamics;

public sealed class BusCompressorTests
{
    private const double Fs = 48000;

    [Theory]
    [InlineData(CompressorDetector.Peak, -6.0)]
    [InlineData(CompressorDetector.Peak, -20.0)]
    [InlineData(CompressorDetector.Peak, -16.0)] // deep in the knee (−21 to −15 dB)
    [InlineData(CompressorDetector.Rms, -3.0)]
    [InlineData(CompressorDetector.Rms, -12.0)]
    [InlineData(CompressorDetector.Rms, -30.0)]
    public void SteadyToneFollowsTheStaticCurve(CompressorDetector detector, double levelDb)
    {
        var comp = new BusCompressor { ThresholdDb = -18, Ratio = 4, KneeDb = 6, Detector = detector, AttackMilliseconds = 5, ReleaseMilliseconds = 50 };
        comp.Configure(Fs, 2, 512);
        double amplitude = Decibels.ToGain(levelDb);
        float[] tone = TestSignals.Sine((int)Fs, Fs, 1000, amplitude);
        float[][] y = ProcessorHarness.Run(comp, [tone, tone], 512);

        // Detector level: the peak for Peak, the RMS (−3.01 dB) for Rms.
        double detected = detector == CompressorDetector.Peak ? levelDb : levelDb - 3.0103;
        // Independent form of the expected gain: above the knee T + (L − T)/R − L; below it 0; in
        // the quadratic knee of width W (1/R − 1)·(L − T + W/2)² / 2W.
        double expectedGainDb = detected >= -18 + 3 ? (-18 + (detected + 18) / 4) - detected
            : detected <= -18 - 3 ? 0 : (1.0 / 4 - 1) * Math.Pow(detected + 18 + 3, 2) / (2 * 6);
        double measuredGainDb = 20 * Math.Log10(TestSignals.Rms(y[0].AsSpan((int)Fs / 2)) / (amplitude / Math.Sqrt(2)));
        Tolerance.AssertClose(expectedGainDb, measuredGainDb, 0.1, "gain (dB)");
        Tolerance.AssertClose(-expectedGainDb, comp.GainReductionDb, 0.15, "meter (dB)");
    }

    [Fact]
    public void KneeIsContinuousAndHasTheRightEnds()
    {
        var comp = new BusCompressor { ThresholdDb = -20, Ratio = 3, KneeDb = 10 };
        Assert.Equal(-30.0, comp.StaticCurveDb(-30));
        Tolerance.AssertClose(-20 + 5.0 / 3, comp.StaticCurveDb(-15), 1e-12, "knee top");
        // At the threshold the quadratic knee sits (1/R − 1)·W/8 below the input.
        Tolerance.AssertClose(-20 + (1.0 / 3 - 1) * 10 / 8, comp.StaticCurveDb(-20), 1e-12, "threshold");
        double previous = comp.StaticCurveDb(-40);
        for (double x = -39.9; x < 0; x += 0.1)
        {
            double yx = comp.StaticCurveDb(x);
            Assert.InRange(yx - previous, 0.1 / 3 - 1e-9, 0.1 + 1e-9); // slope between 1/R and 1: continuous, monotone
            previous = yx;
        }
    }

    [Fact]
    public void BelowTheKneeItIsBitTransparent()
    {
        var comp = new BusCompressor { ThresholdDb = -10, KneeDb = 4 };
        comp.Configure(Fs, 2, 256);
        float[][] x = [TestSignals.Noise(20000, Decibels.ToGain(-14), 4), TestSignals.Sine(20000, Fs, 300, Decibels.ToGain(-13))];
        ProcessorHarness.AssertSame(x, ProcessorHarness.Run(comp, x, 256), 0, "below threshold − knee/2");
        Assert.Equal(0.0, comp.MaxGainReductionDb);
    }

    [Fact]
    public void AttackAndReleaseFollowTheirTimeConstants()
    {
        var comp = new BusCompressor { ThresholdDb = -30, Ratio = 10, KneeDb = 0, Detector = CompressorDetector.Peak, AttackMilliseconds = 20, ReleaseMilliseconds = 200 };
        comp.Configure(Fs, 1, 48);
        var reduction = new List<double>();
        float[] loud = new float[(int)Fs];
        Array.Fill(loud, (float)Decibels.ToGain(-10)); // DC: the peak detector sees a constant level
        float[] quiet = new float[(int)Fs];
        Array.Fill(quiet, (float)Decibels.ToGain(-40));
        foreach (float[] part in new[] { loud, quiet })
        {
            for (int i = 0; i < part.Length; i += 48)
            {
                comp.Process(new AudioBlock(part.AsSpan(i, 48), 1));
                reduction.Add(comp.GainReductionDb);
            }
        }

        double full = 20 * 0.9; // 20 dB over threshold at ratio 10
        int perMs = 1; // one reading per 48 samples = per ms
        Tolerance.AssertClose(full * (1 - Math.Exp(-1)), reduction[(20 * perMs) - 1], 0.1, "after one attack time constant");
        Tolerance.AssertClose(full, reduction[999], 0.01, "settled");
        // Release: the release hold decays with τR and the attack smoother (τA) follows it, so the
        // reduction is the step response of two cascaded one-poles: F·(τR·e^(−t/τR) − τA·e^(−t/τA)) / (τR − τA).
        static double Released(double full, double t) => full * (200 * Math.Exp(-t / 200) - 20 * Math.Exp(-t / 20)) / 180;
        Tolerance.AssertClose(Released(full, 200), reduction[1000 + (200 * perMs) - 1], 0.1, "200 ms into the release");
        Tolerance.AssertClose(Released(full, 600), reduction[1000 + (600 * perMs) - 1], 0.1, "600 ms into the release");
    }

    [Fact]
    public void StereoLinkAppliesOneGainToBothChannels()
    {
        var comp = new BusCompressor { ThresholdDb = -20, Ratio = 4, KneeDb = 0 };
        comp.Configure(Fs, 2, 256);
        float[] left = TestSignals.Sine((int)Fs, Fs, 200, Decibels.ToGain(-2));
        float[] right = TestSignals.Sine((int)Fs, Fs, 3000, Decibels.ToGain(-40));
        float[][] y = ProcessorHarness.Run(comp, [left, right], 256);
        for (int i = 1000; i < left.Length; i += 97)
        {
            if (Math.Abs(right[i]) > 1e-4 && Math.Abs(left[i]) > 1e-2)
            {
                Tolerance.AssertClose(y[0][i] / left[i], y[1][i] / right[i], 1e-4, $"gain ratio at {i}");
            }
        }

        Assert.True(comp.GainReductionDb > 8, "the loud left channel drives the reduction");
    }

    [Fact]
    public void MakeupGainGlides()
    {
        var comp = new BusCompressor { ThresholdDb = 0, MakeupDb = 0 };
        comp.Configure(Fs, 1, 256);
        float[] x = new float[(int)Fs / 2];
        Array.Fill(x, 0.25f);
        ProcessorHarness.Run(comp, [x], 256);
        comp.MakeupDb = 12;
        float[] y = ProcessorHarness.Run(comp, [x], 256)[0];
        Tolerance.AssertClose(0.25 * Decibels.ToGain(12), y[^1], 1e-4, "settled makeup");
        double largestStep = 0;
        for (int i = 1; i < y.Length; i++)
        {
            largestStep = Math.Max(largestStep, Math.Abs(y[i] - y[i - 1]));
        }

        Assert.True(largestStep < 0.01 * (y[^1] - 0.25), $"makeup jumped by {largestStep}");
    }

    [Fact]
    public void BlockSizesAllocationAndNormalOutput()
    {
        float[][] x = TruePeakLimiterTests.LoudSignal("sine bursts", Fs, 0.9);
        x = [x[0][..30000], x[1][..30000]];
        foreach (CompressorDetector detector in Enum.GetValues<CompressorDetector>())
        {
            ProcessorHarness.AssertBlockSizeInvariant(() => new BusCompressor { Detector = detector, MakeupDb = 3 }, x, Fs,
                atMiddle: p => ((BusCompressor)p).ThresholdDb = -30);
        }

        var comp = new BusCompressor();
        comp.Configure(Fs, 2, 256);
        Assert.Equal(0, ProcessorHarness.MeasureProcessAllocations(comp, 2, 256, i => comp.MakeupDb = i % 4));
        ProcessorHarness.AssertFiniteNormalOutput(new BusCompressor { MakeupDb = 6 }, 2, Fs);
    }
}
