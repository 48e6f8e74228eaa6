using MixMate.Assistant.Balance;
using MixMate.Dsp;
using MixMate.TestSupport;
using Xunit;
using static MixMate.Assistant.Tests.Balance.BalanceTestSignals;

namespace MixMate.Assistant.Tests.Balance;

public sealed class BalanceEngineTests
{
    [Fact]
    public void Gains_bring_tracks_to_the_role_tables_relations()
    {
        RoleBalanceTable table = RoleBalanceTable.Default;
        TrackSummary[] tracks = [Summary("k", "kick", -20), Summary("h", "hihat_cymbals", -20), Summary("v", "vocal", -30), Summary("p", "pad", -12)];
        IReadOnlyList<BalanceMove> moves = BalanceEngine.Propose(tracks);

        // After the moves, level differences equal the table's differences.
        double[] after = [.. tracks.Select((t, i) => t.Loudness.Lufs + moves[i].GainDb)];
        string[] roles = ["kick", "hihat_cymbals", "vocal", "pad"];
        for (int i = 1; i < tracks.Length; i++)
        {
            Tolerance.AssertClose(table.TargetOf(roles[i]) - table.TargetOf(roles[0]), after[i] - after[0], 1e-9, roles[i]);
        }

        // Relations change, not the overall level: the moves average to zero.
        Tolerance.AssertClose(0, moves.Average(m => m.GainDb), 1e-9, "mean move");
        Assert.True(table.TargetOf("kick") - table.TargetOf("hihat_cymbals") >= 6, "hats sit well below the kick");
        Assert.Contains("vocal", moves[2].Reason);
        Assert.Contains("-30.0 LUFS", moves[2].Reason);
    }

    [Fact]
    public void Silent_and_nearly_silent_tracks_are_left_alone_with_a_reason()
    {
        var silent = Summary("s", null, double.NegativeInfinity) with { Loudness = new ActiveLoudness(double.NegativeInfinity, double.NegativeInfinity, double.NegativeInfinity, 0, 10) };
        IReadOnlyList<BalanceMove> moves = BalanceEngine.Propose([Summary("a", "bass", -20), silent, Summary("q", "keys", -66), Summary("b", "kick", -25)]);
        Assert.Equal(0, moves[1].GainDb);
        Assert.Contains("silent", moves[1].Reason);
        Assert.Null(moves[1].TargetLu);
        Assert.Equal(0, moves[2].GainDb);
        Assert.Contains("nearly silent", moves[2].Reason);

        // The others are balanced among themselves only.
        Tolerance.AssertClose(0, moves[0].GainDb + moves[3].GainDb, 1e-9, "mean of the balanced moves");
        Assert.NotEqual(0, moves[0].GainDb);
    }

    [Fact]
    public void One_track_gets_no_move_and_no_tracks_give_no_moves()
    {
        IReadOnlyList<BalanceMove> one = BalanceEngine.Propose([Summary("solo", "vocal", -18)]);
        Assert.Single(one);
        Assert.Equal(0, one[0].GainDb);
        Assert.Contains("only track", one[0].Reason);
        Assert.Empty(BalanceEngine.Propose([]));
    }

    [Fact]
    public void Sixty_four_tracks_are_balanced_within_bounds()
    {
        var random = new Random(5);
        string[] roles = [.. Roles.TrackRoles.All];
        TrackSummary[] tracks = [.. Enumerable.Range(0, 64).Select(i => Summary($"t{i}", roles[i % roles.Length], -40 + (random.NextDouble() * 50)))];
        tracks[7] = Summary("t7", "pad", -59.5);
        tracks[8] = Summary("t8", "pad", 20); // absurdly hot: the move must be bounded
        IReadOnlyList<BalanceMove> moves = BalanceEngine.Propose(tracks);
        Assert.Equal(64, moves.Count);
        Assert.All(moves, m => Assert.InRange(m.GainDb, -BalanceEngine.MaxGainDb, BalanceEngine.MaxGainDb));
        Assert.All(moves, m => Assert.False(string.IsNullOrWhiteSpace(m.Reason)));
        Assert.Equal(-BalanceEngine.MaxGainDb, moves[8].GainDb);
        Assert.Contains("bounded", moves[8].Reason);

        // Five pads share the pad level: each sits 10·log10(5) below a single pad's target.
        int pads = tracks.Count(t => t.Role.Role == "pad");
        Tolerance.AssertClose(RoleBalanceTable.Default.TargetOf("pad") - (10 * Math.Log10(pads)), moves[7].TargetLu!.Value, 1e-9, "shared pad target");
        Assert.Contains($"{pads - 1} other pad tracks", moves[7].Reason);
    }

    [Fact]
    public void Role_probabilities_blend_the_targets()
    {
        var unsure = Summary("u", "bass", -20) with
        {
            Role = new Roles.RoleEstimate("bass", 0.5, new Dictionary<string, double> { ["bass"] = 0.5, ["keys"] = 0.5 }, null),
        };
        RoleBalanceTable table = RoleBalanceTable.Default;
        Tolerance.AssertClose((table.TargetOf("bass") + table.TargetOf("keys")) / 2, BalanceEngine.TargetOf(unsure, table, 1), 1e-9, "blended target");
        Tolerance.AssertClose(table.UnknownLu, BalanceEngine.TargetOf(Summary("x", null, -20), table, 1), 1e-9, "unknown role");
    }

    [Fact]
    public void Active_loudness_judges_a_sparse_track_by_its_hits()
    {
        // 30 s: one 1.5 s noise burst over a bleed floor 21 dB down. BS.1770 integrated loudness
        // counts the bleed (it passes the −10 LU relative gate); active loudness does not.
        int frames = (int)(30 * Rate);
        int burstFrames = (int)(1.5 * Rate);
        float[] track = Noise(2, frames, 0.04 * Math.Pow(10, -21.0 / 20), seed: 1);
        float[] burst = Noise(2, burstFrames, 0.04, seed: 2);
        int start = (int)(12 * Rate);
        for (int c = 0; c < 2; c++)
        {
            burst.AsSpan(c * burstFrames, burstFrames).CopyTo(track.AsSpan((c * frames) + start));
        }

        ActiveLoudness sparse = ActiveLoudnessMeasure.Measure(Block(track, 2), Rate);
        ActiveLoudness alone = ActiveLoudnessMeasure.Measure(Block(burst, 2), Rate);
        Tolerance.AssertClose(alone.Lufs, sparse.Lufs, 1.0, "active loudness equals the bursts' loudness");
        Assert.True(sparse.IntegratedLufs < sparse.Lufs - 6, $"integrated {sparse.IntegratedLufs:0.0} vs active {sparse.Lufs:0.0}");
        Assert.InRange(sparse.ActiveFraction, 0.04, 0.08);

        // A gain moves the measurement by the gain.
        float[] louder = [.. track.Select(x => x * 2f)];
        Tolerance.AssertClose(sparse.Lufs + Decibels.FromGain(2), ActiveLoudnessMeasure.Measure(Block(louder, 2), Rate).Lufs, 1e-6, "gain");
    }

    [Fact]
    public void A_mono_track_measures_as_it_sounds_centred_with_a_minus_3_dB_pan_law()
    {
        int frames = (int)(3 * Rate);
        float[] mono = Tones(1, frames, [(440, 0.3)]);
        float[] stereo = new float[2 * frames];
        for (int i = 0; i < frames; i++)
        {
            stereo[i] = stereo[frames + i] = (float)(mono[i] * Math.Sqrt(0.5));
        }

        ActiveLoudness m = ActiveLoudnessMeasure.Measure(Block(mono, 1), Rate);
        ActiveLoudness s = ActiveLoudnessMeasure.Measure(Block(stereo, 2), Rate);
        Tolerance.AssertClose(s.Lufs, m.Lufs, 0.01, "mono vs centred stereo");

        // A 440 Hz sine at peak 0.3 on one channel: −0.691 + 10·log10(0.045) plus K-weighting's ≈ +0.0 dB at 440 Hz.
        Tolerance.AssertClose(-0.691 + (10 * Math.Log10(0.045)), m.Lufs, 0.2, "absolute level");
    }

    [Fact]
    public void Silence_and_empty_audio_measure_as_silent()
    {
        Assert.True(ActiveLoudnessMeasure.Measure(Block(new float[2 * 48000], 2), Rate).IsSilent);
        Assert.True(ActiveLoudnessMeasure.Measure(Block([], 2), Rate).IsSilent);

        // Shorter than one 400 ms block: the partial block is measured.
        ActiveLoudness shortTone = ActiveLoudnessMeasure.Measure(Block(Tones(1, 4800, [(1000, 0.5)]), 1), Rate);
        Assert.False(shortTone.IsSilent);
        Assert.True(double.IsFinite(shortTone.Lufs));
    }
}
