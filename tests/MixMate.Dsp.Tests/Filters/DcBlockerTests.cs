using MixMate.Dsp.Filters;
using MixMate.Dsp.Tests.Utility;
using MixMate.TestSupport;
using Xunit;

namespace MixMate.Dsp.Tests.Filters;

public sealed class DcBlockerTests
{
    [Theory]
    [InlineData(44100.0)]
    [InlineData(48000.0)]
    [InlineData(96000.0)]
    public void RemovesOffsetAndPassesAudio(double sampleRate)
    {
        var blocker = new DcBlocker();
        blocker.Configure(sampleRate, 1, 1024);
        int n = (int)sampleRate * 3;
        float[] x = TestSignals.Sine(n, sampleRate, 1000, 0.25);
        for (int i = 0; i < n; i++)
        {
            x[i] += 0.4f;
        }

        float[] y = ProcessorHarness.Run(blocker, [x], 1024)[0];
        float[] lastSecond = y.AsSpan(n - (int)sampleRate).ToArray();
        Assert.True(Math.Abs(lastSecond.Average()) < 1e-4, $"residual DC {lastSecond.Average():E2}");
        Tolerance.AssertClose(-0, 20 * Math.Log10(TestSignals.Rms(lastSecond) / (0.25 / Math.Sqrt(2))), 0.01, "1 kHz level change (dB)");
    }

    [Theory]
    [InlineData(5.0, 48000.0)]
    [InlineData(10.0, 44100.0)]
    public void CutoffIsMinus3Db(double cutoff, double sampleRate)
    {
        var blocker = new DcBlocker(cutoff);
        blocker.Configure(sampleRate, 1, 4096);
        int n = (int)sampleRate * 8;
        float[] y = ProcessorHarness.Run(blocker, [TestSignals.Sine(n, sampleRate, cutoff, 0.5)], 4096)[0];
        int period = (int)Math.Round(sampleRate / cutoff);
        double db = 20 * Math.Log10(TestSignals.Rms(y.AsSpan(n - 10 * period)) / (0.5 / Math.Sqrt(2)));
        Tolerance.AssertClose(-3.01, db, 0.05, $"gain at {cutoff} Hz");

        // Twenty times the cutoff is already within 0.02 dB of flat.
        blocker.Reset();
        float[] z = ProcessorHarness.Run(blocker, [TestSignals.Sine(n, sampleRate, 20 * cutoff, 0.5)], 4096)[0];
        double at20 = 20 * Math.Log10(TestSignals.Rms(z.AsSpan(n - (int)sampleRate)) / (0.5 / Math.Sqrt(2)));
        Assert.InRange(at20, -0.02, 0.0);
    }

    [Fact]
    public void BlockSizesAllocationAndNormalOutput()
    {
        float[][] x = [TestSignals.Noise(20000, 0.5, 8), TestSignals.Noise(20000, 0.5, 9)];
        ProcessorHarness.AssertBlockSizeInvariant(() => new DcBlocker(), x, 48000);
        var blocker = new DcBlocker();
        blocker.Configure(48000, 2, 256);
        Assert.Equal(0, ProcessorHarness.MeasureProcessAllocations(blocker, 2, 256));
        ProcessorHarness.AssertFiniteNormalOutput(new DcBlocker(), 2, 48000);
    }
}
