using MixMate.Assistant.Balance;
using MixMate.Assistant.Text;
using Xunit;
using static MixMate.Assistant.Tests.Balance.BalanceTestSignals;

namespace MixMate.Assistant.Tests.Text;

public sealed class SignedTests
{
    [Theory]
    [InlineData(0.0, "0.0")]
    [InlineData(-0.04, "0.0")]
    [InlineData(0.04, "0.0")]
    [InlineData(0.05, "+0.1")]
    [InlineData(-0.05, "-0.1")]
    [InlineData(-12.34, "-12.3")]
    [InlineData(3, "+3.0")]
    public void Signed_figures_never_show_a_signed_zero(double value, string expected) => Assert.Equal(expected, Signed.One(value));

    [Fact]
    public void Balance_reasons_have_no_sign_glitches()
    {
        // Two tracks whose relative target rounds to zero: the reason reads "0.0 LU", never "-0.0" or "+0.0".
        IReadOnlyList<BalanceMove> moves = BalanceEngine.Propose([Summary("a", "kick", -20.02), Summary("b", "kick", -19.98)]);
        Assert.All(moves, m =>
        {
            Assert.DoesNotContain("-0.0 ", m.Reason, StringComparison.Ordinal);
            Assert.DoesNotContain("+0.0 ", m.Reason, StringComparison.Ordinal);
            Assert.DoesNotContain("−+", m.Reason, StringComparison.Ordinal);
            Assert.Contains(" 0.0 LU", m.Reason, StringComparison.Ordinal);
        });
    }
}
