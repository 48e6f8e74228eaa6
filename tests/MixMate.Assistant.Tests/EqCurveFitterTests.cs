using MixMate.Assistant.Eq;
using MixMate.Dsp.Filters;
using MixMate.Dsp.Spectrum;
using Xunit;

namespace MixMate.Assistant.Tests;

public sealed class EqCurveFitterTests
{
    private static double[] Ones() => Enumerable.Repeat(1.0, ThirdOctaveBands.Count).ToArray();

    private static double Rms(ReadOnlySpan<double> a, ReadOnlySpan<double> b, int from = 3, int to = 29)
    {
        double sum = 0;
        for (int i = from; i <= to; i++)
        {
            sum += (a[i] - b[i]) * (a[i] - b[i]);
        }

        return Math.Sqrt(sum / (to - from + 1));
    }

    [Fact]
    public void RecoversACurveMadeOfTwoMoves()
    {
        var truth = new[]
        {
            new EqCurveFitter.FittedBand(FilterType.LowShelf, 125, 3, BiquadCoefficients.ButterworthQ, 10),
            new EqCurveFitter.FittedBand(FilterType.Peak, 2500, -2.5, 1.0, 21),
        };
        double[] curve = EqCurveFitter.Response(truth);

        IReadOnlyList<EqCurveFitter.FittedBand> fit = EqCurveFitter.Fit(curve, Ones());

        Assert.InRange(fit.Count, 1, 6);
        double[] response = EqCurveFitter.Response(fit);
        Assert.True(Rms(curve, response) < 0.3, $"residual {Rms(curve, response):0.00} dB");
        Assert.Contains(fit, f => f.FrequencyHz is >= 1600 and <= 4000 && f.GainDb < -1.5);
    }

    [Fact]
    public void EveryMoveIsBoundedAndAtMostSixAreMade()
    {
        // A jagged ±12 dB curve asks for far more than a first-pass EQ should do.
        double[] curve = Enumerable.Range(0, ThirdOctaveBands.Count).Select(i => i % 2 == 0 ? 12.0 : -12.0).ToArray();

        IReadOnlyList<EqCurveFitter.FittedBand> fit = EqCurveFitter.Fit(curve, Ones(), maxBands: 6, maxGainDb: 4);

        Assert.True(fit.Count <= 6);
        Assert.All(fit, f => Assert.InRange(f.GainDb, -4.0, 4.0));
    }

    [Fact]
    public void AFlatCurveNeedsNoMove()
    {
        double[] curve = Enumerable.Repeat(0.2, ThirdOctaveBands.Count).ToArray();

        Assert.Empty(EqCurveFitter.Fit(curve, Ones()));
    }

    [Fact]
    public void BandsWithZeroWeightAreIgnored()
    {
        double[] curve = new double[ThirdOctaveBands.Count];
        double[] weights = Ones();
        curve[5] = 10;
        weights[5] = 0;

        Assert.Empty(EqCurveFitter.Fit(curve, weights));
    }
}
