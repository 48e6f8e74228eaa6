using MixMate.Assistant.Balance;
using MixMate.Assistant.Roles;
using Xunit;

namespace MixMate.Assistant.Tests.Balance;

public sealed class RoleBalanceTableTests
{
    public static TheoryData<string> Tables => ["Default", "CommonPractice"];

    private static RoleBalanceTable Table(string name) => name == "Default" ? RoleBalanceTable.Default : RoleBalanceTable.CommonPractice;

    [Theory]
    [MemberData(nameof(Tables))]
    public void Every_role_the_model_can_name_has_a_target_relative_to_the_kick(string name)
    {
        RoleBalanceTable table = Table(name);
        Assert.Equal(TrackRoles.All.Order(StringComparer.Ordinal), table.TargetsLu.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(0.0, table.TargetOf("kick"));
        Assert.All(table.TargetsLu.Values, lu => Assert.InRange(lu, -15, 6));
    }

    [Theory]
    [MemberData(nameof(Tables))]
    public void Targets_keep_the_relations_of_common_mixing_practice(string name)
    {
        RoleBalanceTable table = Table(name);

        // Cymbals and pads sit well under the kick; the bass sits close to it.
        Assert.True(table.TargetOf("hihat_cymbals") <= -6, "cymbals");
        Assert.True(table.TargetOf("pad") <= -4, "pads");
        Assert.InRange(table.TargetOf("bass"), -3, 1);

        // A lead voice sits above the harmony beds.
        Assert.True(table.TargetOf("vocal") > table.TargetOf("keys"), "vocal over keys");
        Assert.True(table.TargetOf("vocal") > table.TargetOf("pad"), "vocal over pad");
    }

    [Fact]
    public void The_tuned_table_is_rounded_to_half_an_lu_as_the_fit_prints_it()
    {
        Assert.All(RoleBalanceTable.Default.TargetsLu.Values, lu => Assert.Equal(lu, Math.Round(lu * 2) / 2));
        Assert.Equal(RoleBalanceTable.CommonPractice.UnknownLu, RoleBalanceTable.Default.UnknownLu);
    }

    [Fact]
    public void An_unknown_or_missing_role_gets_the_unknown_target()
    {
        RoleBalanceTable table = RoleBalanceTable.Default;
        Assert.Equal(table.UnknownLu, table.TargetOf(null));
        Assert.Equal(table.UnknownLu, table.TargetOf("theremin"));
    }
}
