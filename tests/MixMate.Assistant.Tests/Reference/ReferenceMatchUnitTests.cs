using MixMate.Assistant.Loudness;
using MixMate.Assistant.Reference;
using MixMate.Dsp;
using MixMate.Dsp.Spectrum;
using MixMate.Dsp.Utility;
using MixMate.TestSupport;
using Xunit;

namespace MixMate.Assistant.Tests.Reference;

/// <summary>The reference-matching pieces on their own: the match fitter, the planner's
/// decisions, style targets as files, the width stage and the inter-sample peak check.</summary>
public sealed class ReferenceMatchUnitTests
{
    private const double Rate = 48000;

    // A programme with pink-like power: equal power per 1/24-octave cell falls 3 dB per octave per Hz.
    private static SpectrumGrid PinkGrid()
    {
        var power = new double[(32768 / 2) + 1];
        for (int k = 1; k < power.Length; k++)
        {
            power[k] = 1.0 / (k * Rate / 32768);
        }

        return SpectrumGrid.FromPowerSpectrum(power, Rate, 32768);
    }

    private static ProgrammeProfile Profile(string name, double[] bands, double lufs, double lra, double? width) =>
        new(name, Rate, 2, 60, bands, PinkGrid(), lufs, lra, -1, width);

    private static double[] PinkBands() => [.. Enumerable.Range(0, ThirdOctaveBands.Count).Select(_ => -20.0)];

    [Fact]
    public void TheFitterFollowsASmoothCorrectionClosely()
    {
        int n = ThirdOctaveBands.Count;
        var wanted = new double[n];
        for (int b = 0; b < n; b++)
        {
            double f = ThirdOctaveBands.Centre(b);
            wanted[b] = (3 * Math.Log2(f / 1000) * -1) + (4 * Math.Exp(-Math.Pow(Math.Log2(f / 250), 2) * 4));
        }

        (MatchCurveFitter.MatchBand[] bands, double[] predicted) = MatchCurveFitter.Fit(wanted, PinkGrid(), Rate);
        double sum = 0;
        for (int b = 0; b < n; b++)
        {
            double target = Math.Clamp(wanted[b], -MatchCurveFitter.MaxCurveDb, ThirdOctaveBands.Centre(b) < 40 ? MatchCurveFitter.MaxSubBoostDb : MatchCurveFitter.MaxCurveDb);
            sum += (predicted[b] - target) * (predicted[b] - target);
        }

        double rms = Math.Sqrt(sum / n);
        Assert.True(rms < 0.8, $"the fitted curve misses the wanted one by {rms:0.00} dB RMS");
        Assert.All(bands, m => Assert.InRange(m.GainDb, -MatchCurveFitter.MaxBandGainDb, MatchCurveFitter.MaxBandGainDb));
        Assert.True(bands.Length >= 30, "one filter per third-octave band");
    }

    [Fact]
    public void PlanningMatchesLoudnessUnlessATargetIsGivenAndScalesByAmount()
    {
        double[] input = PinkBands();
        double[] reference = [.. input.Select((v, b) => v + (ThirdOctaveBands.Centre(b) < 200 ? 6 : 0))];
        MatchTarget target = MatchTarget.FromReference(Profile("ref.wav", reference, -9, 4, -12));
        ProgrammeProfile programme = Profile("in.wav", input, -17, 8, -6);

        ReferenceMatchPlan full = ReferenceMatcher.Plan(programme, new MatchRequest(target, MatchAspects.Default | MatchAspects.Width | MatchAspects.Dynamics, 1, null));
        Assert.Equal(-9, full.Loudness.Lufs, 2);
        Assert.Equal(-1, full.Loudness.TruePeakDbtp);
        Assert.Equal(-6, full.SideGainDb, 3);
        Assert.Equal(0.5, full.RangeRatio, 3);
        Assert.Equal(["tone", "loudness", "width", "dynamics"], full.Matched.Select(m => m.Aspect));
        Assert.Contains(full.Moves, m => m.FrequencyHz < 200 && m.GainDb > 1);
        Assert.All(full.Moves, m => Assert.False(string.IsNullOrWhiteSpace(m.Reason)));

        ReferenceMatchPlan half = ReferenceMatcher.Plan(programme, new MatchRequest(target, MatchAspects.Default | MatchAspects.Width, 0.5, null));
        Assert.Equal(-13, half.Loudness.Lufs, 2);
        Assert.Equal(-3, half.SideGainDb, 3);

        LoudnessTarget given = LoudnessTarget.FindPreset("apple")!;
        ReferenceMatchPlan overridden = ReferenceMatcher.Plan(programme, new MatchRequest(target, MatchAspects.Default, 1, given));
        Assert.Same(given, overridden.Loudness);

        ReferenceMatchPlan toneOnly = ReferenceMatcher.Plan(programme, new MatchRequest(target, MatchAspects.Tone, 1, null));
        Assert.Equal(-17, toneOnly.Loudness.Lufs, 2);
        Assert.Equal(0, toneOnly.SideGainDb);
    }

    [Fact]
    public void AStyleTargetAveragesShapesAndSurvivesItsFile()
    {
        double[] a = PinkBands();
        double[] b = [.. a.Select((v, i) => v + 10 + (i == 10 ? 4 : 0))]; // louder, and a bump at 200 Hz
        StyleTarget built = StyleTarget.Build("mine", [Profile("a.wav", a, -10, 5, -10), Profile("b.wav", b, -14, 7, null)]);
        Assert.Equal(-12, built.Target.IntegratedLufs, 6);
        Assert.Equal(6, built.Target.LoudnessRangeLu, 6);
        Assert.Equal(-10, built.Target.WidthDb!.Value, 6);
        Assert.Equal(2, built.Target.CurveDb[10], 6); // shapes averaged: the bump counts half
        Assert.Equal(2, built.Target.SpreadDb[10], 6);

        StyleTarget read = StyleTarget.Parse(built.ToJson());
        Assert.Equal("mine", read.Name);
        Assert.Equal(2, read.Sources.Count);
        for (int i = 0; i < ThirdOctaveBands.Count; i++)
        {
            Assert.Equal(built.Target.CurveDb[i], read.Target.CurveDb[i], 2);
        }

        Assert.Throws<FormatException>(() => StyleTarget.Parse("{\"format\":\"mixmate-target\",\"version\":99}"));
        Assert.Throws<FormatException>(() => StyleTarget.Parse("[1,2,3]"));
        Assert.Throws<FormatException>(() => StyleTarget.Parse("not json"));
    }

    [Fact]
    public void MatchNamesParse()
    {
        Assert.Equal(MatchAspects.Tone | MatchAspects.Width, MatchAspectNames.Parse("tone, width"));
        Assert.Equal(MatchAspects.Default, MatchAspectNames.Parse("loudness,tone"));
        FormatException e = Assert.Throws<FormatException>(() => MatchAspectNames.Parse("tone,sparkle"));
        Assert.Contains("sparkle", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheWidthStageMovesTheSideByItsGainAndKeepsTheMid()
    {
        int frames = 48000;
        float[] l = Signals.Sine(Rate, 440, 0.5, frames), r = Signals.Sine(Rate, 660, 0.3, frames);
        var samples = new float[2 * frames];
        l.CopyTo(samples, 0);
        r.CopyTo(samples, frames);
        var block = new AudioBlock(samples, 2, frames, frames);
        double Ratio(AudioBlock x)
        {
            double m = 0, s = 0;
            for (int i = 4800; i < frames; i++)
            {
                m += Math.Pow(x[0][i] + x[1][i], 2);
                s += Math.Pow(x[0][i] - x[1][i], 2);
            }

            return 10 * Math.Log10(s / m);
        }

        double before = Ratio(block);
        float mid = 0.5f * (samples[10000] + samples[frames + 10000]);
        var width = new StereoWidth { SideGainDb = 6 };
        width.Configure(Rate, 2, 512);
        for (int start = 0; start < frames; start += 512)
        {
            width.Process(block.Slice(start, Math.Min(512, frames - start)));
        }

        Assert.Equal(before + 6, Ratio(block), 2);
        Assert.Equal(mid, 0.5f * (samples[10000] + samples[frames + 10000]), 5);

        float[] buffer = new float[2 * 256];
        long bytes = Allocations.Measure(() => { }, () => width.Process(new AudioBlock(buffer, 2, 256, 256)));
        Assert.Equal(0, bytes);
    }

    [Fact]
    public void ThePeakGuardSeesPeaksBetweenSamples()
    {
        // A sine at a quarter of the rate, 45° off the samples: every sample sits 3 dB under the peak.
        int frames = 4800;
        float[] x = Signals.Sine(Rate, Rate / 4, 1.0, frames, Math.PI / 4);
        var block = new AudioBlock(x, 1, frames, frames);
        double samplePeak = Decibels.FromGain(x.Max(v => Math.Abs(v)));
        Assert.Equal(-3.01, samplePeak, 1);
        Assert.InRange(InterSamplePeakGuard.PeakDbtp(block, -1.5, Rate), -0.1, 0.15); // 16× with a short kernel: within 0.15 dB, erring high
        Assert.Equal(double.NegativeInfinity, InterSamplePeakGuard.PeakDbtp(block, 12, Rate));
    }
}
