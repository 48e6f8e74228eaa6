using MixMate.Assistant.Balance;
using MixMate.Assistant.Masking;
using Xunit;
using static MixMate.Assistant.Tests.Balance.BalanceTestSignals;

namespace MixMate.Assistant.Tests.Masking;

public sealed class MaskingAnalyzerTests
{
    private static TrackSummary Analyze(string name, string role, float[] audio) =>
        TrackAnalyzer.Analyze(name, Block(audio, 2), Rate, roles: null) with { Role = Role(role) };

    [Fact]
    public void Bass_makes_room_for_the_kick_below_120_Hz_within_bounds()
    {
        int frames = (int)(6 * Rate);
        TrackSummary kick = Analyze("kick.wav", "kick", Tones(2, frames, [(55, 0.6), (110, 0.15)], decayPerBeatSeconds: 0.12));
        TrackSummary bass = Analyze("bass.wav", "bass", Tones(2, frames, [(55, 0.25), (110, 0.2), (220, 0.1)]));

        // Either order: the bass (lower priority) yields.
        foreach (TrackSummary[] tracks in new[] { new[] { kick, bass }, new[] { bass, kick } })
        {
            IReadOnlyList<MaskingCut> cuts = MaskingAnalyzer.Find(tracks);
            int bassIndex = Array.IndexOf(tracks, bass);
            MaskingCut low = Assert.Single(cuts, c => c.Region == "low end");
            Assert.Equal(bassIndex, low.Track);
            Assert.Equal(1 - bassIndex, low.Other);
            Assert.Equal(MixMate.Dsp.Filters.FilterType.Peak, low.Move.Type);
            Assert.InRange(low.Move.FrequencyHz, 40, 125);
            Assert.InRange(low.Move.GainDb, -MaskingAnalyzer.MaxCutDb, -MaskingAnalyzer.MinCutDb);
            Assert.Contains("kick.wav", low.Move.Reason);
            Assert.Contains("low end", low.Move.Reason);
            Assert.All(cuts, c => Assert.Equal(bassIndex, c.Track));
        }
    }

    [Fact]
    public void Tracks_in_different_bands_do_not_compete()
    {
        int frames = (int)(3 * Rate);
        TrackSummary low = Analyze("sub.wav", "bass", Tones(2, frames, [(50, 0.5)]));
        TrackSummary high = Analyze("bell.wav", "keys", Tones(2, frames, [(5000, 0.5)]));
        Assert.Empty(MaskingAnalyzer.Find([low, high]));
    }

    [Fact]
    public void Many_competing_tracks_get_bounded_cuts_an_octave_apart()
    {
        int frames = (int)(2 * Rate);
        string[] roles = ["vocal", "guitar", "keys", "pad", "strings", "brass_winds", "guitar", "synth_lead"];
        TrackSummary[] tracks = [.. roles.Select((r, i) => Analyze($"n{i}.wav", r, Noise(2, frames, 0.05, seed: 10 + i)))];
        IReadOnlyList<MaskingCut> cuts = MaskingAnalyzer.Find(tracks);
        Assert.NotEmpty(cuts);
        Assert.DoesNotContain(cuts, c => c.Track == 0); // nothing outranks the vocal
        foreach (IGrouping<int, MaskingCut> perTrack in cuts.GroupBy(c => c.Track))
        {
            Assert.True(perTrack.Count() <= MaskingAnalyzer.MaxCutsPerTrack);
            double[] f = [.. perTrack.Select(c => c.Move.FrequencyHz).Order()];
            for (int i = 1; i < f.Length; i++)
            {
                Assert.True(f[i] / f[i - 1] >= Math.Pow(2, 0.99), $"cuts at {f[i - 1]:0} and {f[i]:0} Hz are closer than an octave");
            }
        }

        Assert.All(cuts, c => Assert.InRange(c.Move.GainDb, -MaskingAnalyzer.MaxCutDb, -MaskingAnalyzer.MinCutDb));
        Assert.All(cuts, c => Assert.Contains(tracks[c.Other].Name, c.Move.Reason));
    }

    [Fact]
    public void Silent_tracks_take_no_part()
    {
        int frames = (int)(2 * Rate);
        TrackSummary a = Analyze("a.wav", "vocal", Noise(2, frames, 0.05, 1));
        TrackSummary silent = Analyze("s.wav", "guitar", new float[2 * frames]);
        Assert.Empty(MaskingAnalyzer.Find([a, silent]));
    }
}
