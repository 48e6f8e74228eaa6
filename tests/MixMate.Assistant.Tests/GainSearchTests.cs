using MixMate.Assistant.Loudness;
using Xunit;

namespace MixMate.Assistant.Tests;

public sealed class GainSearchTests
{
    // A model of loudness after a limiter: linear below the knee, compressed above it.
    private static double LimitedLoudness(double gainDb, double inputLufs = -20, double kneeLufs = -12) =>
        inputLufs + gainDb <= kneeLufs ? inputLufs + gainDb : kneeLufs + (0.45 * (inputLufs + gainDb - kneeLufs));

    [Theory]
    [InlineData(-14.0)]
    [InlineData(-9.0)]
    [InlineData(-23.0)]
    public void ReachesTheTargetWithinThreeRenders(double target)
    {
        int renders = 0;
        IReadOnlyList<GainSearch.Step> steps = GainSearch.Run(g => { renders++; return LimitedLoudness(g); }, target, target + 20, maxRenders: 3);

        Assert.InRange(renders, 1, 3);
        Assert.InRange(steps[^1].Lufs, target - 0.05, target + 0.05);
    }

    [Fact]
    public void TheBestStepIsLast()
    {
        IReadOnlyList<GainSearch.Step> steps = GainSearch.Run(g => LimitedLoudness(g), -10, 0, maxRenders: 2);

        Assert.All(steps, s => Assert.True(Math.Abs(-10 - steps[^1].Lufs) <= Math.Abs(-10 - s.Lufs)));
    }

    [Fact]
    public void PresetsAreThePublishedOnes()
    {
        Assert.Equal((-14.0, -1.0), (LoudnessTarget.FindPreset("spotify")!.Lufs, LoudnessTarget.FindPreset("spotify")!.TruePeakDbtp));
        Assert.Equal((-16.0, -1.0), (LoudnessTarget.FindPreset("apple")!.Lufs, LoudnessTarget.FindPreset("apple")!.TruePeakDbtp));
        Assert.Equal((-14.0, -2.0), (LoudnessTarget.FindPreset("amazon")!.Lufs, LoudnessTarget.FindPreset("amazon")!.TruePeakDbtp));
        Assert.Equal((-23.0, -1.0), (LoudnessTarget.FindPreset("ebu-r128")!.Lufs, LoudnessTarget.FindPreset("ebu-r128")!.TruePeakDbtp));
        Assert.Equal((-24.0, -2.0), (LoudnessTarget.FindPreset("atsc-a85")!.Lufs, LoudnessTarget.FindPreset("atsc-a85")!.TruePeakDbtp));
        Assert.Equal(9, LoudnessTarget.Presets.Count);
        Assert.Null(LoudnessTarget.FindPreset("loud"));
    }

    [Theory]
    [InlineData(5.0, -1.0)]
    [InlineData(-14.0, 3.0)]
    [InlineData(-60.0, -1.0)]
    [InlineData(double.NaN, -1.0)]
    public void NonsenseTargetsAreRefused(double lufs, double tp) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => LoudnessTarget.Custom(lufs, tp));

    [Fact]
    public void PlaybackGainTurnsLoudMastersDown()
    {
        LoudnessTarget spotify = LoudnessTarget.FindPreset("spotify")!;

        Assert.Equal(-3.2, spotify.PlaybackGainDb(-10.8, -0.5), 9);
        Assert.Equal(1.0, spotify.PlaybackGainDb(-18, -2), 9);
    }
}
