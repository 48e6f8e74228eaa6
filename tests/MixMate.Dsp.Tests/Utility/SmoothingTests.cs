using MixMate.Dsp.Dynamics;
using MixMate.Dsp.Utility;
using MixMate.TestSupport;
using Xunit;

namespace MixMate.Dsp.Tests.Utility;

public sealed class SmoothingTests
{
    [Fact]
    public void OnePoleCoversOneMinusOneOverEInOneTimeConstant()
    {
        var s = new OnePoleSmoother { SnapDistance = 1e-9 };
        s.SetTimeConstant(100);
        s.Snap(0);
        s.SetTarget(1);
        for (int i = 0; i < 99; i++)
        {
            s.Next();
        }

        Tolerance.AssertClose(1 - Math.Exp(-1), s.Next(), 1e-12, "after τ steps");
        Assert.False(s.IsSettled);
        for (int i = 0; i < 3000; i++)
        {
            s.Next();
        }

        Assert.True(s.IsSettled);
        Assert.Equal(1.0, s.Current);
    }

    [Fact]
    public void LinearRampLandsExactlyAndIsStraight()
    {
        var r = new LinearRamp();
        r.Snap(0.2);
        r.Start(0.9, 7);
        double previous = 0.2;
        for (int i = 0; i < 7; i++)
        {
            double v = r.Next();
            Tolerance.AssertClose(0.1, v - previous, 1e-12, $"step {i}");
            previous = v;
        }

        Assert.True(r.IsSettled);
        Assert.Equal(0.9, r.Current);
        Assert.Equal(0.9, r.Next());
    }

    [Fact]
    public void SlidingMinimumMatchesBruteForce()
    {
        var random = new XorShiftRandom(11);
        foreach (int window in new[] { 1, 2, 5, 64 })
        {
            var min = new SlidingMinimum(window);
            var history = new List<double>();
            for (int i = 0; i < 5000; i++)
            {
                // Runs of equal values and long descents exercise the queue's edge cases.
                double v = i % 300 < 100 ? 1.0 : i % 300 < 200 ? 1.0 - (i % 100) * 0.001 : random.NextDouble();
                history.Add(v);
                double expected = history.Skip(Math.Max(0, history.Count - window)).Min();
                Assert.Equal(expected, min.Push(v));
            }
        }
    }

    [Fact]
    public void MovingAverageMatchesBruteForceAndIsExactOnOnes()
    {
        var random = new XorShiftRandom(12);
        var average = new MovingAverage(37, 1.0);
        var history = Enumerable.Repeat(1.0, 37).ToList();
        for (int i = 0; i < 3000; i++)
        {
            double v = random.NextDouble();
            history.Add(v);
            Tolerance.AssertClose(history.Skip(history.Count - 37).Average(), average.Push(v), 1e-12, $"mean at {i}");
        }

        var ones = new MovingAverage(49, 1.0);
        for (int i = 0; i < 200; i++)
        {
            Assert.Equal(1.0, ones.Push(1.0)); // bit-exact unity keeps the limiter transparent
        }
    }

    [Fact]
    public void FlushToZeroRemovesOnlySubnormals()
    {
        float[] x = new float[37];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (i % 4) switch
            {
                0 => 1e-39f * (i + 1),
                1 => -1e-40f,
                2 => 1.2e-38f,
                _ => -0.5f,
            };
        }

        float[] before = (float[])x.Clone();
        Denormals.FlushToZero(x);
        for (int i = 0; i < x.Length; i++)
        {
            Assert.Equal(float.IsSubnormal(before[i]) ? 0f : before[i], x[i]);
        }
    }
}
