using MixMate.Assistant.Eq;
using MixMate.Assistant.Tonal;
using MixMate.Dsp;
using MixMate.Dsp.Filters;
using MixMate.Dsp.Spectrum;
using Xunit;

namespace MixMate.Assistant.Tests;

public sealed class TonalBalanceTests
{
    private const double Rate = 48000;

    // One sine per third-octave band at the band's centre: its long-term third-octave spectrum is
    // exactly the chosen levels, so the expected deviation is known.
    private static float[] BandSines(Func<int, double> levelDb, int frames)
    {
        var signal = new double[frames];
        for (int b = 0; b < ThirdOctaveBands.Count - 1; b++)
        {
            double amplitude = Math.Sqrt(2) * Math.Pow(10, levelDb(b) / 20);
            double f = ThirdOctaveBands.Centre(b);
            for (int n = 0; n < frames; n++)
            {
                signal[n] += amplitude * Math.Sin((2 * Math.PI * f * n / Rate) + b);
            }
        }

        return signal.Select(x => (float)x).ToArray();
    }

    [Fact]
    public void MeasuredBandsEqualTheSineLevels()
    {
        float[] x = BandSines(b => -30 - (0.3 * b), (int)Rate * 4);

        double[] bands = TonalBalance.MeasureBands(new AudioBlock(x, 1), Rate);

        for (int b = 3; b < 29; b++)
        {
            Assert.InRange(bands[b], -30 - (0.3 * b) - 0.3, -30 - (0.3 * b) + 0.3);
        }
    }

    [Fact]
    public void AMixOnTargetGetsNoSuggestion()
    {
        TonalTarget target = TonalTarget.FullMix;
        float[] x = BandSines(b => -32 + target.BandsDb[b], (int)Rate * 4);

        TonalSuggestion s = TonalBalance.Suggest(TonalBalance.MeasureBands(new AudioBlock(x, 1), Rate), target, Rate);

        Assert.Empty(s.Moves);
        Assert.All(s.DeviationDb, d => Assert.InRange(d, -0.5, 0.5));
    }

    [Fact]
    public void AMuddyMixGetsACutInTheLowMidsWithItsReason()
    {
        TonalTarget target = TonalTarget.FullMix;
        // +4 dB over 250–500 Hz (bands 11–14).
        float[] x = BandSines(b => -32 + target.BandsDb[b] + (b is >= 11 and <= 14 ? 4 : 0), (int)Rate * 4);

        TonalSuggestion s = TonalBalance.Suggest(TonalBalance.MeasureBands(new AudioBlock(x, 1), Rate), target, Rate);

        // Every real move is a cut in the low mids, and together they undo the bump.
        Assert.NotEmpty(s.Moves);
        Assert.All(s.Moves.Where(m => Math.Abs(m.GainDb) >= 1), m => Assert.InRange(m.FrequencyHz, 200, 630));
        Assert.All(s.Moves.Where(m => Math.Abs(m.GainDb) >= 1), m => Assert.True(m.GainDb < 0));
        EqMove main = s.Moves.MinBy(m => m.GainDb)!;
        Assert.Contains("muddy", main.Reason, StringComparison.Ordinal);
        Assert.Contains("above the full-mix reference", main.Reason, StringComparison.Ordinal);
        double[] response = EqCurveFitter.Response(s.Moves.Select(m => new EqCurveFitter.FittedBand(
            m.Type, m.FrequencyHz, m.GainDb, m.Q, ThirdOctaveBands.IndexOf(m.FrequencyHz))));
        for (int b = 12; b <= 13; b++)
        {
            Assert.InRange(response[b], -5.0, -2.5);
        }

        Assert.True(s.Moves.Count <= 6);
    }

    [Fact]
    public void ADullMixGetsATopBoost()
    {
        TonalTarget target = TonalTarget.FullMix;
        float[] x = BandSines(b => -32 + target.BandsDb[b] - (b >= 25 ? 5 : 0), (int)Rate * 4);

        TonalSuggestion s = TonalBalance.Suggest(TonalBalance.MeasureBands(new AudioBlock(x, 1), Rate), target, Rate);

        Assert.Contains(s.Moves, m => m.FrequencyHz >= 4000 && m.GainDb > 1.5 && m.Reason.Contains("dull", StringComparison.Ordinal));
        Assert.All(s.Moves, m => Assert.InRange(m.GainDb, -4.0, 4.0));
    }

    [Fact]
    public void ScaledMovesFollowTheAmount()
    {
        var move = new EqMove(FilterType.Peak, 300, -3, 1, "why");

        Assert.Equal(-1.5, move.Scaled(0.5).GainDb, 9);
        Assert.Equal(0, move.Scaled(0).GainDb, 9);
        Assert.Equal(-3, move.Scaled(2).GainDb, 9);
    }

    [Fact]
    public void MissingSubBassIsNotBoostedAndNoRegionGetsTwoMoves()
    {
        TonalTarget target = TonalTarget.FullMix;
        // 12 dB short below 50 Hz and 10 dB short around 2 kHz: the first must not be boosted, the
        // second gets one bounded boost, not two stacked ones.
        float[] x = BandSines(b => -32 + target.BandsDb[b] - (b <= 3 ? 12 : 0) - (b is >= 19 and <= 21 ? 10 : 0), (int)Rate * 4);

        TonalSuggestion s = TonalBalance.Suggest(TonalBalance.MeasureBands(new AudioBlock(x, 1), Rate), target, Rate);

        Assert.DoesNotContain(s.Moves, m => m.FrequencyHz < 45 && m.GainDb > 0);
        for (int i = 0; i < s.Moves.Count; i++)
        {
            for (int j = i + 1; j < s.Moves.Count; j++)
            {
                Assert.True(Math.Abs(Math.Log2(s.Moves[i].FrequencyHz / s.Moves[j].FrequencyHz)) >= 0.5, $"{s.Moves[i]} and {s.Moves[j]} overlap");
            }
        }
    }
}
