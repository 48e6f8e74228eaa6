using MixMate.Assistant.Reference;
using MixMate.Dsp;
using MixMate.Dsp.Loudness;
using MixMate.TestSupport;
using Xunit;

namespace MixMate.Assistant.Tests.Reference;

/// <summary>The 16× re-search around the peaks a 4×/8× pre-scan flags.</summary>
public sealed class InterSamplePeakGuardTests
{
    [Theory]
    [InlineData(44100)]
    [InlineData(48000)]
    public void An_over_between_samples_is_found_though_every_sample_is_3_dB_under_it(double rate)
    {
        // fs/4 at 45°: the samples sit at ±0.707 of the peak. Peak at −0.5 dBFS over a −1 dBTP
        // ceiling, so the samples are 2.5 dB under the ceiling: no rule on sample values alone
        // short of 3 dB would look here.
        int frames = 9000;
        double amplitude = Decibels.ToGain(-0.5);
        float[] x = Signals.Sine(rate, rate / 4, amplitude, frames, Math.PI / 4);
        Assert.Equal(-3.51, Decibels.FromGain(x.Max(v => Math.Abs(v))), 1);

        double peak = InterSamplePeakGuard.PeakDbtp(new AudioBlock(x, 1, frames, frames), -1, rate);
        Assert.InRange(peak, -0.5 - 0.05, -0.5 + 0.15);
    }

    [Fact]
    public void A_peak_off_the_pre_scan_grid_is_read_at_16x_and_across_block_edges()
    {
        // 0.37·fs at 44.1 kHz (the pre-scan's grid is 8×): short bursts with phases that put the
        // crest between grid points, one burst straddling a block edge.
        const double Rate = 44100;
        int frames = 20000;
        var x = new float[2 * frames];
        double amplitude = Decibels.ToGain(-0.3), f = 0.37 * Rate;
        foreach ((int centre, double phase) in new[] { (3000, 0.11), (8192, 0.73), (15000, 1.9) })
        {
            for (int i = centre - 400; i < centre + 400; i++)
            {
                double window = 0.5 - (0.5 * Math.Cos(2 * Math.PI * (i - centre + 400) / 800.0));
                x[frames + i] = x[i] = (float)(amplitude * window * Math.Sin((2 * Math.PI * f * i / Rate) + phase));
            }
        }

        var whole = new AudioBlock(x, 2, frames, frames);
        double once = InterSamplePeakGuard.PeakDbtp(whole, -1, Rate);

        var guard = new InterSamplePeakGuard(Rate, 2, -1);
        for (int start = 0; start < frames; start += 4096)
        {
            guard.Process(whole.Slice(start, Math.Min(4096, frames - start)));
        }

        double streamed = guard.Finish();
        Assert.Equal(once, streamed, 9);

        // The pre-scan alone (BS.1770's interpolator) reads no higher than the 16× search, and
        // the analytic crest (the window is flat to 0.01 dB over a cycle there) is met within 0.1 dB.
        var detector = new TruePeakDetector();
        detector.Configure(Rate, 2, frames);
        detector.Process(whole);
        detector.Flush();
        Assert.True(once >= detector.TruePeakDbtp - 0.01, $"16× {once:0.000} dBTP under the pre-scan's {detector.TruePeakDbtp:0.000}");
        Assert.InRange(once, -0.3 - 0.1, -0.3 + 0.15);
        Assert.True(guard.SearchedIntervals < frames / 10, $"{guard.SearchedIntervals} intervals searched at 16× of {frames}");
    }

    [Fact]
    public void Quiet_programme_is_not_searched()
    {
        int frames = 48000;
        float[] x = Signals.Sine(48000, 12000, 0.25, frames, 0.3);
        var guard = new InterSamplePeakGuard(48000, 1, -1);
        guard.Process(new AudioBlock(x, 1, frames, frames));
        Assert.Equal(double.NegativeInfinity, guard.Finish());
        Assert.Equal(0, guard.SearchedIntervals);
    }
}
