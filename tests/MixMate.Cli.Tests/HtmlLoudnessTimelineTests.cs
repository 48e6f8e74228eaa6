using MixMate.Cli.Audio;
using MixMate.Cli.Html;
using MixMate.Cli.Tests.Support;
using MixMate.Dsp.Loudness;
using MixMate.TestSupport;
using Xunit;

namespace MixMate.Cli.Tests;

/// <summary>The loudness timeline behind the plots: it agrees with the meter's integrated loudness,
/// shades exactly the gated-out time, holds per-step true peaks, and records without allocating.</summary>
public sealed class HtmlLoudnessTimelineTests
{
    // 10 s at −20 dBFS, 5 s at −45 dBFS (more than 10 LU below: relatively gated), 10 s at −20 dBFS.
    private static readonly Lazy<PlanarBuffer> s_signal = new(() =>
        TestSignals.Bursts(997, 48000, 2, (-20, 10), (-45, 5), (-20, 10)));

    [Fact]
    public void Gates_reproduce_the_meters_integrated_loudness()
    {
        PlanarBuffer audio = s_signal.Value;
        ProgrammeProfile profile = ProgrammeProfile.Measure(audio.Block, audio.SampleRate);
        var meter = new LoudnessMeter();
        meter.Configure(audio.SampleRate, audio.Channels, 4096);
        meter.Process(audio.Block);

        (double threshold, double integrated) = profile.Timeline.Gates();
        Assert.Equal(meter.IntegratedLufs, integrated, 0.01);
        // The relative gate sits 10 LU below the mean of all blocks above −70 LUFS, which the quiet
        // passage pulls below the integrated value: 20 s at L and 5 s at L − 25 give L − 0.96.
        Assert.InRange(threshold, integrated - 11.5, integrated - 10.5);
        Assert.Equal(250, profile.Timeline.Count);
        Assert.Equal(25.0, profile.Timeline.Time[^1], 9);
    }

    [Fact]
    public void Gated_out_ranges_cover_the_quiet_passage_only()
    {
        PlanarBuffer audio = s_signal.Value;
        ProgrammeProfile profile = ProgrammeProfile.Measure(audio.Block, audio.SampleRate);
        List<(double From, double To)> ranges = profile.Timeline.GatedOutRanges();

        // A 400 ms block is gated once the quiet passage dominates it: from about 10.3 s, until the
        // first block that reaches into the loud part again (15.0 s).
        (double from, double to) = Assert.Single(ranges);
        Assert.InRange(from, 10.0, 10.4);
        Assert.InRange(to, 14.9, 15.1);
    }

    [Fact]
    public void Each_step_holds_its_own_true_peak()
    {
        PlanarBuffer audio = s_signal.Value;
        LoudnessTimeline t = ProgrammeProfile.Measure(audio.Block, audio.SampleRate).Timeline;
        Assert.Equal(-20, t.TruePeakDbtp[50], 0.1);
        Assert.Equal(-45, t.TruePeakDbtp[125], 0.1);
        Assert.Equal(-20, t.TruePeakDbtp[200], 0.1);
    }

    [Fact]
    public void Recording_a_step_allocates_nothing()
    {
        var timeline = new LoudnessTimeline(10_000);
        double time = 0;
        long bytes = Allocations.Measure(
            () => timeline.OnStep(time += 0.1, -14, -15),
            () => { timeline.OnStep(time += 0.1, -14, -15); timeline.SetTruePeak(timeline.Count - 1, -1); },
            iterations: 5000);
        Assert.Equal(0, bytes);

        // Beyond the capacity, steps are dropped rather than grown into.
        Assert.Equal(5002, timeline.Count);
        var full = new LoudnessTimeline(2);
        full.OnStep(0.1, -1, -1);
        full.OnStep(0.2, -1, -1);
        full.OnStep(0.3, -1, -1);
        Assert.Equal(2, full.Count);
    }
}
