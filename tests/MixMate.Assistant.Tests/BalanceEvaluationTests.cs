using MixMate.Assistant.Balance;
using MixMate.TestSupport;
using Xunit;
using static MixMate.Assistant.Tests.Balance.BalanceTestSignals;

namespace MixMate.Assistant.Tests.Balance;

public sealed class BalanceEvaluationTests
{
    [Fact]
    public void Scramble_is_uniform_within_the_range_and_fixed_by_its_seed()
    {
        double[] a = BalanceEvaluation.Scramble(1000, seed: 3);
        Assert.Equal(a, BalanceEvaluation.Scramble(1000, seed: 3));
        Assert.NotEqual(a, BalanceEvaluation.Scramble(1000, seed: 4));
        Assert.All(a, x => Assert.InRange(x, -10, 10));
        Assert.InRange(a.Average(), -1, 1);
        Assert.InRange(a.Count(x => x > 5), 200, 300); // a quarter of a uniform ±10 range
    }

    [Fact]
    public void Error_ignores_a_common_offset()
    {
        double[] scramble = [3, -2, 7];
        Tolerance.AssertClose(0, BalanceEvaluation.RmsErrorDb([-3 + 4, 2 + 4, -7 + 4], scramble), 1e-12, "perfect up to an offset");
        Tolerance.AssertClose(Math.Sqrt(2.0 / 9), BalanceEvaluation.RmsErrorDb([-2, 2, -7], scramble), 1e-12, "one track 1 dB off");
        Assert.Equal(new[] { -5.0, 5.0 }, BalanceEvaluation.EqualLoudnessGains([-20, -30]));
    }

    [Fact]
    public void Harness_on_a_tiny_case_recovers_the_intended_balance_and_beats_the_baseline()
    {
        // Three noise "stems" at the levels the role table intends, scrambled, analysed from audio,
        // balanced: the engine recovers the intended relations; equal loudness does not.
        RoleBalanceTable table = RoleBalanceTable.Default;
        string[] roles = ["kick", "hihat_cymbals", "pad"];
        int frames = (int)(4 * Rate);
        double[] scramble = BalanceEvaluation.Scramble(roles.Length, seed: 42);
        var summaries = new TrackSummary[roles.Length];
        for (int i = 0; i < roles.Length; i++)
        {
            float[] audio = Noise(2, frames, 0.02, seed: i);
            double intendedGain = table.TargetOf(roles[i]) + scramble[i];
            for (int k = 0; k < audio.Length; k++)
            {
                audio[k] *= (float)Math.Pow(10, intendedGain / 20);
            }

            summaries[i] = TrackAnalyzer.Analyze(roles[i], Block(audio, 2), Rate, roles: null) with { Role = Role(roles[i]) };
        }

        double[] gains = [.. BalanceEngine.Propose(summaries, table).Select(m => m.GainDb)];
        double assistant = BalanceEvaluation.RmsErrorDb(gains, scramble);
        double baseline = BalanceEvaluation.RmsErrorDb(BalanceEvaluation.EqualLoudnessGains([.. summaries.Select(s => s.Loudness.IntegratedLufs)]), scramble);
        Assert.True(assistant < 0.1, $"assistant {assistant:0.000} dB");
        Assert.True(baseline > 3, $"baseline {baseline:0.000} dB");
    }
}
