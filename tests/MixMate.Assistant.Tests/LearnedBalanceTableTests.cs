using MixMate.Assistant.Balance;
using MixMate.Assistant.Models;
using Xunit;
using static MixMate.Assistant.Tests.Balance.BalanceTestSignals;

namespace MixMate.Assistant.Tests.Balance;

public sealed class LearnedBalanceTableTests
{
    [Fact]
    public void The_shipped_table_loads_from_the_models_folder_and_is_checksummed()
    {
        string? directory = ModelFiles.FindDirectory();
        Assert.NotNull(directory);
        RoleBalanceTable table = LearnedBalanceTable.Load(directory, out string? problem);
        Assert.Null(problem);
        Assert.Equal("learned table", table.Name);
        Assert.NotSame(RoleBalanceTable.Default, table);
        Assert.All(table.TargetsLu.Values, lu => Assert.InRange(lu, -BalanceEngine.MaxGainDb, BalanceEngine.MaxGainDb));
    }

    [Fact]
    public void A_missing_or_broken_table_falls_back_to_the_built_in_one()
    {
        string folder = Path.Combine(Path.GetTempPath(), "mixmate-learned-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(folder, "balance"));
        try
        {
            Assert.Same(RoleBalanceTable.Default, LearnedBalanceTable.Load(folder, out string? missing));
            Assert.NotNull(missing);

            File.WriteAllText(Path.Combine(folder, LearnedBalanceTable.RelativePath), "{\"measure\": \"loud\"}");
            File.WriteAllText(Path.Combine(folder, ModelFiles.ChecksumFile),
                Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(Path.Combine(folder, LearnedBalanceTable.RelativePath))))
                + "  " + LearnedBalanceTable.RelativePath + "\n");
            Assert.Same(RoleBalanceTable.Default, LearnedBalanceTable.Load(folder, out string? broken));
            Assert.Contains("unreadable", broken, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void An_integrated_table_balances_on_integrated_loudness()
    {
        RoleBalanceTable table = LearnedBalanceTable.Parse("""
            {"measure": "integrated", "shareSameRole": false, "unknownLu": 0, "targetsLu": {"bass": 2, "keys": -2}}
            """);
        Assert.Equal(BalanceMeasure.Integrated, table.Measure);

        // Same active loudness, integrated 6 LU apart (one plays a third of the time): the integrated
        // table moves them by the integrated difference and the targets.
        TrackSummary bass = Summary("bass", "bass", -20) with { Loudness = new ActiveLoudness(-20, -20, -17, 1, 30) };
        TrackSummary keys = Summary("keys", "keys", -20) with { Loudness = new ActiveLoudness(-20, -26, -17, 0.3, 30) };
        IReadOnlyList<BalanceMove> moves = BalanceEngine.Propose([bass, keys], table);
        Assert.Equal(4 - 6, moves[0].GainDb - moves[1].GainDb, 6);
        Assert.Contains("integrated", moves[0].Reason, StringComparison.Ordinal);
        Assert.Contains("learned table", moves[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_activity_terms_move_a_part_that_plays_in_bursts()
    {
        RoleBalanceTable table = LearnedBalanceTable.Parse("""
            {"measure": "integrated", "shareSameRole": false, "unknownLu": 0, "targetsLu": {"keys": 0},
             "activeMinusIntegratedPerLu": -0.5, "perActiveFraction": 2}
            """);

        // Two keys parts at the same integrated loudness: one plays all the time (active = integrated),
        // the other a third of the time, 4 LU louder while it plays. The bursty one is placed
        // 0.5·4 + 2·(1 − 0.3) = 3.4 LU lower.
        TrackSummary steady = Summary("steady", "keys", -20) with { Loudness = new ActiveLoudness(-20, -20, -17, 1, 30) };
        TrackSummary bursty = Summary("bursty", "keys", -16) with { Loudness = new ActiveLoudness(-16, -20, -13, 0.3, 30) };
        IReadOnlyList<BalanceMove> moves = BalanceEngine.Propose([steady, bursty], table);
        Assert.Equal(3.4, moves[0].GainDb - moves[1].GainDb, 6);
    }
}
