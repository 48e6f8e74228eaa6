using MixMate.Assistant.Balance;
using MixMate.Assistant.Masking;
using MixMate.Assistant.Mixing;
using Xunit;
using static MixMate.Assistant.Tests.Balance.BalanceTestSignals;

namespace MixMate.Assistant.Tests.Mixing;

public sealed class MixPlannerTests
{
    private static TrackSummary Analyze(string name, string role, float[] audio) =>
        TrackAnalyzer.Analyze(name, Block(audio, 2), Rate, roles: null) with { Role = Role(role) };

    private static float[] Scaled(float[] audio, float gain) => [.. audio.Select(x => x * gain)];

    [Fact]
    public void Kept_cuts_reduce_the_masking_they_answer_and_every_pair_is_measured()
    {
        int frames = (int)(6 * Rate);
        TrackSummary kick = Analyze("kick.wav", "kick", Tones(2, frames, [(55, 0.6), (110, 0.15)], decayPerBeatSeconds: 0.12));
        TrackSummary bass = Analyze("bass.wav", "bass", Tones(2, frames, [(55, 0.25), (110, 0.2), (220, 0.1)]));
        MixPlan plan = MixPlanner.Plan([kick, bass]);

        MaskingPair low = Assert.Single(plan.Pairs, p => p.Region == "low end");
        Assert.Equal(1, low.Track);
        Assert.Equal(0, low.Other);
        Assert.True(low.CutKept);
        Assert.True(low.CoveredBefore - low.CoveredAfter >= MixPlanner.MinMaskingReduction, $"{low.CoveredBefore} → {low.CoveredAfter}");
        Assert.InRange(low.CoveredBefore, 0.05, 0.95);
        Assert.NotEmpty(plan.Tracks[1].Cuts);
        Assert.Empty(plan.Tracks[0].Cuts);
        Assert.Contains(plan.Tracks[1].Reasons, r => r.Contains("covers", StringComparison.Ordinal) && r.Contains("with the cuts", StringComparison.Ordinal));
        Assert.Equal(plan.Tracks[1].Balance.Reason, plan.Tracks[1].Reasons[0]);
        Assert.Empty(plan.Warnings);
        foreach (MaskingPair pair in plan.Pairs.Where(p => p.CutKept))
        {
            Assert.True(pair.CoveredAfter < pair.CoveredBefore);
        }
    }

    private static TrackSummary Bands(string name, string role, double lufs, params (int Band, double Db)[] bands)
    {
        double[] db = [.. Enumerable.Repeat(double.NegativeInfinity, 31)];
        foreach ((int band, double level) in bands)
        {
            db[band] = level;
        }

        return new TrackSummary(name, Role(role), new ActiveLoudness(lufs, lufs, lufs + 3, 1, 30), db);
    }

    [Fact]
    public void A_cut_that_would_not_reduce_masking_is_not_made()
    {
        // Kick: 50 Hz (band 4) strong, 100 Hz (band 7) 6 dB down. Bass: mostly 200 Hz (band 10),
        // and at 100 Hz 9 dB under the kick once balanced — a main contributor there, so the
        // analyzer suggests a 1 dB cut, but the kick's low end is mostly at 50 Hz where the bass is
        // absent: the cut would uncover well under a percentage point of the kick.
        TrackSummary kick = Bands("kick", "kick", -20, (4, -20), (7, -26));
        TrackSummary bass = Bands("bass", "bass", -20, (7, -34), (10, -25));
        TrackSummary[] tracks = [kick, bass];
        MixPlan plan = MixPlanner.Plan(tracks);
        TrackSummary[] balanced = [.. tracks.Select((t, i) => t.WithGain(plan.Tracks[i].GainDb))];
        MaskingCut candidate = Assert.Single(MaskingAnalyzer.Candidates(balanced), c => c.Region == "low end");
        Assert.Equal(1, candidate.Track);

        MaskingPair pair = Assert.Single(plan.Pairs, p => p.Region == "low end");
        Assert.False(pair.CutKept);
        Assert.Equal(pair.CoveredBefore, pair.CoveredAfter, 9);
        Assert.InRange(pair.CoveredBefore, 0.005, 0.05);
        Assert.Empty(plan.Tracks[1].Cuts);

        // The same pair with the bass at the kick's level at 100 Hz and at 50 Hz too: now the cut helps.
        TrackSummary loud = Bands("bass", "bass", -20, (4, -22), (7, -26), (10, -25));
        MixPlan helped = MixPlanner.Plan([kick, loud]);
        MaskingPair low = Assert.Single(helped.Pairs, p => p.Region == "low end");
        Assert.True(low.CutKept);
        Assert.True(low.CoveredBefore - low.CoveredAfter >= MixPlanner.MinMaskingReduction);

        // A cut placed where the target has no energy changes nothing: the measure is weighted by it.
        var far = new Eq.EqMove(Dsp.Filters.FilterType.Peak, 8000, -3, 1.4, "far");
        Assert.Equal(MaskingMeasure.Covered(kick, [], loud, [], 30, 125), MaskingMeasure.Covered(kick, [], loud, [far], 30, 125), 3);
    }

    [Fact]
    public void A_duplicated_stem_gets_a_warning_instead_of_cuts_against_itself()
    {
        int frames = (int)(4 * Rate);
        float[] keys = Tones(2, frames, [(220, 0.2), (440, 0.1), (880, 0.05), (1760, 0.03)], decayPerBeatSeconds: 0.3);
        TrackSummary original = Analyze("keys.wav", "keys", keys);
        TrackSummary copy = Analyze("keys copy.wav", "keys", Scaled(keys, 0.5f)); // the same audio, 6 dB down
        TrackSummary bass = Analyze("bass.wav", "bass", Tones(2, frames, [(55, 0.25), (110, 0.2)]));
        MixPlan plan = MixPlanner.Plan([original, copy, bass]);

        string warning = Assert.Single(plan.Warnings);
        Assert.Contains("keys copy.wav", warning, StringComparison.Ordinal);
        Assert.Contains("keys.wav", warning, StringComparison.Ordinal);
        Assert.DoesNotContain(plan.Pairs, p => (p.Track, p.Other) is (0, 1) or (1, 0));
        Assert.Contains(plan.Tracks[1].Reasons, r => r.StartsWith("warning: ", StringComparison.Ordinal));

        // Two different parts on one instrument family are not taken for a copy.
        TrackSummary other = Analyze("keys2.wav", "keys", Tones(2, frames, [(330, 0.2), (660, 0.08), (1320, 0.06)], decayPerBeatSeconds: 0.2));
        Assert.False(DuplicateDetector.AreDuplicates(original, other));
        Assert.Empty(MixPlanner.Plan([original, other, bass]).Warnings);
    }

    [Fact]
    public void Masking_is_judged_at_the_balanced_levels()
    {
        int frames = (int)(4 * Rate);
        TrackSummary kick = Analyze("kick.wav", "kick", Tones(2, frames, [(55, 0.6), (110, 0.15)], decayPerBeatSeconds: 0.12));

        // The bass comes in 30 dB low: as it came in it covers nothing, but the balance raises it
        // to its role's level, where it competes with the kick.
        TrackSummary bass = Analyze("bass.wav", "bass", Scaled(Tones(2, frames, [(55, 0.25), (110, 0.2), (220, 0.1)]), 0.03f));
        MixPlan plan = MixPlanner.Plan([kick, bass]);
        Assert.True(plan.Tracks[1].GainDb > 10);
        Assert.Contains(plan.Pairs, p => p.Region == "low end" && p.CutKept);
        Assert.Empty(MaskingAnalyzer.Find([kick, bass]));
    }
}
