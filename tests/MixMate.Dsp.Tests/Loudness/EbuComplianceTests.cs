using MixMate.TestSupport;
using Xunit;

namespace MixMate.Dsp.Tests.Loudness;

/// <summary>
/// EBU Tech 3341 (2023) Table 1 synthetic cases and EBU Tech 3342 (2023) Table 1 cases 1–4,
/// generated from their definitions at 44.1 and 48 kHz, asserted at the published tolerance and
/// pinned to our own value (±0.005) so any drift shows.
/// </summary>
public sealed class EbuComplianceTests
{
    private const double Pin = 0.005;

    [Theory]
    // case, fs, published expectation, our integrated value
    [InlineData(1, 44100.0, -23.0, -22.9944)]
    [InlineData(1, 48000.0, -23.0, -22.9933)]
    [InlineData(2, 44100.0, -33.0, -32.9944)]
    [InlineData(2, 48000.0, -33.0, -32.9933)]
    [InlineData(3, 44100.0, -23.0, -23.0149)]
    [InlineData(3, 48000.0, -23.0, -23.0139)]
    [InlineData(4, 44100.0, -23.0, -23.0149)]
    [InlineData(4, 48000.0, -23.0, -23.0139)]
    [InlineData(5, 44100.0, -23.0, -22.9797)]
    [InlineData(5, 48000.0, -23.0, -22.9787)]
    [InlineData(6, 44100.0, -23.0, -23.0173)]
    [InlineData(6, 48000.0, -23.0, -23.0163)]
    public void Tech3341_integrated_cases_1_to_6(int testCase, double fs, double expected, double ours)
    {
        var meter = LoudnessTestRig.Measure(Signals.Tech3341(testCase, fs), fs);
        Tolerance.AssertClose(expected, meter.IntegratedLufs, 0.1, $"3341-{testCase} I (published)");
        Tolerance.AssertClose(ours, meter.IntegratedLufs, Pin, $"3341-{testCase} I (pinned)");
        if (testCase <= 2)
        {
            // Cases 1 and 2 also specify M and S for the steady tone.
            Tolerance.AssertClose(expected, meter.MomentaryLufs, 0.1, "M");
            Tolerance.AssertClose(expected, meter.ShortTermLufs, 0.1, "S");
            Tolerance.AssertClose(ours, meter.MomentaryLufs, Pin, "M (pinned)");
            Tolerance.AssertClose(ours, meter.ShortTermLufs, Pin, "S (pinned)");
        }
    }

    [Fact]
    public void Tech3341_case_6_is_unchanged_by_a_silent_lfe_in_5_1_order()
    {
        float[][] five = Signals.Tech3341(6, 48000);
        float[][] six = [five[0], five[1], five[2], new float[five[0].Length], five[3], five[4]];
        var m5 = LoudnessTestRig.Measure(five, 48000);
        var m6 = LoudnessTestRig.Measure(six, 48000);
        Tolerance.AssertClose(m5.IntegratedLufs, m6.IntegratedLufs, 1e-9, "5.0 vs 5.1");
    }

    [Theory]
    [InlineData(44100.0, -22.9873, -22.9873)]
    [InlineData(48000.0, -22.9863, -22.9863)]
    public void Tech3341_case_9_short_term_constant_after_3_s(double fs, double oursMin, double oursMax)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        LoudnessTestRig.Measure(Signals.Tech3341(9, fs), fs, (int)(fs / 100), (m, fed) =>
        {
            if (fed >= 3 * fs)
            {
                min = Math.Min(min, m.ShortTermLufs);
                max = Math.Max(max, m.ShortTermLufs);
            }
        });
        Assert.InRange(min, -23.1, -22.9);
        Assert.InRange(max, -23.1, -22.9);
        Tolerance.AssertClose(oursMin, min, Pin, "min S (pinned)");
        Tolerance.AssertClose(oursMax, max, Pin, "max S (pinned)");
    }

    [Theory]
    [InlineData(44100.0, -22.9944)]
    [InlineData(48000.0, -22.9933)]
    public void Tech3341_case_10_max_short_term_of_each_file(double fs, double ours)
    {
        for (int i = 0; i < 20; i++)
        {
            var meter = LoudnessTestRig.Measure(Signals.Tech3341Case10(i, fs), fs);
            Tolerance.AssertClose(-23.0, meter.MaxShortTermLufs, 0.1, $"10-{i + 1} max S");
            Tolerance.AssertClose(ours, meter.MaxShortTermLufs, Pin, $"10-{i + 1} max S (pinned)");
        }
    }

    [Theory]
    [InlineData(44100.0, 0.0056)]
    [InlineData(48000.0, 0.0067)]
    public void Tech3341_case_11_successive_max_short_term(double fs, double oursOffset)
    {
        double[] max = LoudnessTestRig.SegmentMaxima(Signals.Tech3341Case11(fs), fs, 20, 6.0, m => m.ShortTermLufs);
        for (int i = 0; i < 20; i++)
        {
            Tolerance.AssertClose(-38.0 + i, max[i], 0.1, $"segment {i} max S");
            Tolerance.AssertClose(-38.0 + i + oursOffset, max[i], Pin, $"segment {i} max S (pinned)");
        }
    }

    [Theory]
    [InlineData(44100.0, -22.9615, -22.9615)]
    [InlineData(48000.0, -22.9604, -22.9604)]
    public void Tech3341_case_12_momentary_constant_after_1_s(double fs, double oursMin, double oursMax)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        LoudnessTestRig.Measure(Signals.Tech3341(12, fs), fs, (int)(fs / 100), (m, fed) =>
        {
            if (fed >= fs)
            {
                min = Math.Min(min, m.MomentaryLufs);
                max = Math.Max(max, m.MomentaryLufs);
            }
        });
        Assert.InRange(min, -23.1, -22.9);
        Assert.InRange(max, -23.1, -22.9);
        Tolerance.AssertClose(oursMin, min, Pin, "min M (pinned)");
        Tolerance.AssertClose(oursMax, max, Pin, "max M (pinned)");
    }

    [Theory]
    [InlineData(44100.0, -22.9947)]
    [InlineData(48000.0, -22.9936)]
    public void Tech3341_case_13_max_momentary_of_each_file(double fs, double ours)
    {
        for (int i = 0; i < 20; i++)
        {
            var meter = LoudnessTestRig.Measure(Signals.Tech3341Case13(i, fs), fs);
            Tolerance.AssertClose(-23.0, meter.MaxMomentaryLufs, 0.1, $"13-{i + 1} max M");
            Tolerance.AssertClose(ours, meter.MaxMomentaryLufs, Pin, $"13-{i + 1} max M (pinned)");
        }
    }

    [Theory]
    [InlineData(44100.0, 0.0053)]
    [InlineData(48000.0, 0.0064)]
    public void Tech3341_case_14_successive_max_momentary(double fs, double oursOffset)
    {
        double[] max = LoudnessTestRig.SegmentMaxima(Signals.Tech3341Case14(fs), fs, 20, 0.8, m => m.MomentaryLufs);
        for (int i = 0; i < 20; i++)
        {
            Tolerance.AssertClose(-38.0 + i, max[i], 0.1, $"segment {i} max M");
            Tolerance.AssertClose(-38.0 + i + oursOffset, max[i], Pin, $"segment {i} max M (pinned)");
        }
    }

    [Theory]
    // Tech 3341 cases 15–19 through the meter (the detector itself is tested in TruePeakTests).
    [InlineData(15, 44100.0, -6.0, -6.0206)]
    [InlineData(16, 44100.0, -6.0, -6.0201)]
    [InlineData(17, 44100.0, -6.0, -6.0205)]
    [InlineData(18, 44100.0, -6.0, -6.0187)]
    [InlineData(19, 44100.0, 3.0, 2.9849)]
    [InlineData(15, 48000.0, -6.0, -6.0206)]
    [InlineData(16, 48000.0, -6.0, -6.0201)]
    [InlineData(17, 48000.0, -6.0, -6.0205)]
    [InlineData(18, 48000.0, -6.0, -6.0187)]
    [InlineData(19, 48000.0, 3.0, 2.9849)]
    public void Tech3341_true_peak_cases_15_to_19(int testCase, double fs, double expected, double ours)
    {
        var meter = LoudnessTestRig.Measure(Signals.Tech3341(testCase, fs), fs);
        meter.Flush();
        Assert.InRange(meter.TruePeakDbtp, expected - 0.4, expected + 0.2);
        Tolerance.AssertClose(ours, meter.TruePeakDbtp, Pin, $"3341-{testCase} TP (pinned)");
        Assert.True(meter.TruePeakDbtp >= meter.SamplePeakDbfs, "true peak ≥ sample peak");
    }

    [Theory]
    [InlineData(1, 44100.0, 10.0, 10.0)]
    [InlineData(1, 48000.0, 10.0, 10.0)]
    [InlineData(2, 44100.0, 5.0, 5.0)]
    [InlineData(2, 48000.0, 5.0, 5.0)]
    [InlineData(3, 44100.0, 20.0, 20.0)]
    [InlineData(3, 48000.0, 20.0, 20.0)]
    [InlineData(4, 44100.0, 15.0, 15.0)]
    [InlineData(4, 48000.0, 15.0, 15.0)]
    public void Tech3342_loudness_range_cases_1_to_4(int testCase, double fs, double expected, double ours)
    {
        var meter = LoudnessTestRig.Measure(Signals.Tech3342(testCase, fs), fs);
        Tolerance.AssertClose(expected, meter.LoudnessRangeLu, 1.0, $"3342-{testCase} LRA (published)");
        Tolerance.AssertClose(ours, meter.LoudnessRangeLu, Pin, $"3342-{testCase} LRA (pinned)");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void Tech3342_result_is_unchanged_when_the_signal_is_repeated(int testCase)
    {
        // Tech 3342 §4: "the expected response is unchanged if the test signal is repeated".
        float[][] once = Signals.Tech3342(testCase, 48000);
        float[][] twice = [[.. once[0], .. once[0]], [.. once[1], .. once[1]]];
        var a = LoudnessTestRig.Measure(once, 48000);
        var b = LoudnessTestRig.Measure(twice, 48000);
        Tolerance.AssertClose(a.LoudnessRangeLu, b.LoudnessRangeLu, 0.05, "LRA once vs twice");
    }
}
