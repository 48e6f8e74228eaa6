using MixMate.Dsp;
using MixMate.Dsp.Filters;
using MixMate.Dsp.Loudness;
using MixMate.Dsp.Mastering;
using MixMate.Plugin.Abi;
using MixMate.Plugin.Mastering;
using MixMate.TestSupport;
using Xunit;
using P = MixMate.Plugin.Mastering.MasteringParameters;

namespace MixMate.Plugin.Tests;

/// <summary>
/// The contract of the effect: its audio is <see cref="MasterChain"/> — the object
/// <c>mixmate master</c> renders — run with the settings its parameters describe, behind the
/// plug-in's input trim. Here a reference chain is built only from the plug-in's parameter
/// values (through their definitions, as the CLI would build it from a report) and rendered
/// offline in one call.
/// </summary>
public sealed class MasterChainContractTests
{
    private const double Rate = 48000;
    private const int Channels = 2;
    private const int LearnFrames = 2 * 48000;
    private const int Frames = 3 * 48000;
    private const int LimiterOffAt = 96000;   // multiples of the 32-frame parameter grid
    private const int LimiterOnAt = 120000;

    // Master mode, custom target −8 LUFS / −10 dBTP, +6 dB input, a low-shelf boost and a
    // presence cut: loud enough that the limiter works hard.
    private static readonly MmParamPoint[] s_settings =
    [
        new(P.Mode, 0, 1.0),
        new(P.Target, 0, 1.0),
        new(P.TargetLufs, 0, (-8.0 + 36) / 30),
        new(P.CeilingDbtp, 0, 1 / 6.0),
        new(P.InputGainDb, 0, 0.625),
        new(P.EqId(0, P.EqEnable), 0, 1.0),
        new(P.EqId(0, P.EqGain), 0, 0.625),
        new(P.EqId(3, P.EqEnable), 0, 1.0),
        new(P.EqId(3, P.EqGain), 0, 0.375),
        new(P.EqId(3, P.EqQ), 0, 0.7),
    ];

    [Theory]
    [InlineData(512)]
    [InlineData(37)]
    public void Plugin_audio_is_MasterChain_rendered_offline_with_the_same_settings(int hostBlock)
    {
        float[] input = Input();

        // Learn on the first two seconds, keep the state (the learned loudness travels in it).
        var learner = new MasteringPlugin();
        Render(learner, input, LearnFrames, hostBlock, [.. s_settings, new MmParamPoint(P.Learn, 0, 1.0)], learnOffAtEnd: true);
        double learned = learner.LearnedLufs;
        Assert.True(double.IsFinite(learned));
        byte[] state = learner.SaveState();

        // A fresh instance from that state, with the limiter switched off and on again.
        var plugin = new MasteringPlugin();
        Assert.True(plugin.LoadState(state));
        float[] output = Render(plugin, input, Frames, hostBlock,
            [new MmParamPoint(P.Limiter, LimiterOffAt, 0.0), new MmParamPoint(P.Limiter, LimiterOnAt, 1.0)]);

        // The auto gain is the learned distance to the goal (master mode: no headroom).
        double targetLufs = Plain(plugin, P.TargetLufs);
        Assert.Equal(-8.0, targetLufs, 9);
        double autoGain = Math.Clamp(targetLufs - learned, -24, 24);
        Assert.Equal(autoGain, plugin.AutoGainDb, 12);
        Assert.True(autoGain > 3, $"auto gain {autoGain:0.00} dB should drive the limiter");

        // The reference: input trim, then a MasterChain configured from the parameter values.
        var chain = new MasterChain(P.EqBands) { DcBlockerEnabled = PluginRunsDcBlocker };
        chain.Limiter.CeilingDbtp = LoudnessTargets.CeilingDbtp((int)Plain(plugin, P.Target), Plain(plugin, P.CeilingDbtp));
        Assert.Equal(-10.0, chain.Limiter.CeilingDbtp, 9);
        chain.Configure(Rate, Channels, Frames);
        for (int b = 0; b < P.EqBands; b++)
        {
            chain.Eq.SetBand(b, new EqBand(
                Plain(plugin, P.EqId(b, P.EqEnable)) >= 0.5,
                P.EqTypeOf((int)Plain(plugin, P.EqId(b, P.EqType))),
                Plain(plugin, P.EqId(b, P.EqFrequency)),
                Plain(plugin, P.EqId(b, P.EqGain)),
                Plain(plugin, P.EqId(b, P.EqQ))));
        }

        chain.GainDb = autoGain;
        chain.Reset();
        float trim = (float)Decibels.ToGain(Plain(plugin, P.InputGainDb));
        var reference = new float[Channels * Frames];
        for (int i = 0; i < reference.Length; i++)
        {
            reference[i] = input[i] * trim;
        }

        var all = new AudioBlock(reference, Channels, Frames, Frames);
        chain.Process(all.Slice(0, LimiterOffAt));
        Assert.True(chain.Limiter.MaxGainReductionDb > 1, $"limiter reduced {chain.Limiter.MaxGainReductionDb:0.00} dB");
        chain.LimiterEnabled = false;
        chain.Process(all.Slice(LimiterOffAt, LimiterOnAt - LimiterOffAt));
        chain.LimiterEnabled = true;
        chain.Process(all.Slice(LimiterOnAt, Frames - LimiterOnAt));

        // Kernels may take vector or scalar paths for different piece lengths (a few ulp).
        Tolerance.AssertAllClose(reference, output, 1e-6, $"host block {hostBlock}");
        Tolerance.AssertFiniteNormal(output);

        // The switch really happened: with the limiter always on, the middle second differs
        // (it was limited), the first does not.
        float[] alwaysLimited = new float[reference.Length];
        for (int i = 0; i < alwaysLimited.Length; i++)
        {
            alwaysLimited[i] = input[i] * trim;
        }

        chain.Reset();
        chain.Process(new AudioBlock(alwaysLimited, Channels));
        double before = MaxAbsDifference(alwaysLimited.AsSpan(0, LimiterOffAt), output.AsSpan(0, LimiterOffAt));
        double during = MaxAbsDifference(alwaysLimited.AsSpan(LimiterOffAt + 960, 9600), output.AsSpan(LimiterOffAt + 960, 9600));
        Assert.True(before < 1e-5, $"limited part differs by {before}");
        Assert.True(during > 0.03, $"limiter-off part differs by only {during}");
    }

    [Fact]
    public void Learned_loudness_is_what_MasterChain_feeds_its_gain_stage()
    {
        float[] input = Input();
        var plugin = new MasteringPlugin();
        Render(plugin, input, LearnFrames, 480, [.. s_settings, new MmParamPoint(P.Learn, 0, 1.0)], learnOffAtEnd: true);

        var chain = new MasterChain(P.EqBands) { DcBlockerEnabled = PluginRunsDcBlocker };
        chain.Configure(Rate, Channels, 480);
        for (int b = 0; b < P.EqBands; b++)
        {
            chain.Eq.SetBand(b, new EqBand(
                Plain(plugin, P.EqId(b, P.EqEnable)) >= 0.5,
                P.EqTypeOf((int)Plain(plugin, P.EqId(b, P.EqType))),
                Plain(plugin, P.EqId(b, P.EqFrequency)),
                Plain(plugin, P.EqId(b, P.EqGain)),
                Plain(plugin, P.EqId(b, P.EqQ))));
        }

        chain.GainDb = 17; // does not matter: the meter sits before the gain stage
        chain.Reset();
        var meter = new LoudnessMeter();
        meter.Configure(Rate, Channels, 480);
        chain.PreGainMeter = meter;
        float trim = (float)Decibels.ToGain(Plain(plugin, P.InputGainDb));
        var signal = new float[Channels * LearnFrames];
        for (int c = 0; c < Channels; c++)
        {
            for (int i = 0; i < LearnFrames; i++)
            {
                signal[c * LearnFrames + i] = input[c * Frames + i] * trim;
            }
        }

        chain.Process(new AudioBlock(signal, Channels));
        Tolerance.AssertClose(meter.IntegratedLufs, plugin.LearnedLufs, 1e-4, "learned loudness");

        // Input trim (+6 dB) and the EQ are in the measurement: it is not the raw input's loudness.
        var raw = new LoudnessMeter();
        raw.Configure(Rate, Channels, LearnFrames);
        var rawBlock = new float[Channels * LearnFrames];
        for (int c = 0; c < Channels; c++)
        {
            input.AsSpan(c * Frames, LearnFrames).CopyTo(rawBlock.AsSpan(c * LearnFrames));
        }

        raw.Process(new AudioBlock(rawBlock, Channels));
        Assert.True(plugin.LearnedLufs - raw.IntegratedLufs > 3);
    }

    // Planar stereo: different noise per channel with a DC offset.
    [Fact]
    public void Defaults_are_transparent_for_a_switched_on_sine()
    {
        // A −12 dBFS 440 Hz sine starting at full slope (as in the Ardour render check): at the
        // defaults the output is the input delayed by the latency — no limiting, no high-pass
        // settling transient.
        var plugin = new MasteringPlugin();
        var input = new float[Channels * Frames];
        Signals.FillSine(input.AsSpan(0, Frames), Rate, 440, Decibels.ToGain(-12));
        Signals.FillSine(input.AsSpan(Frames), Rate, 440, Decibels.ToGain(-12));
        float[] output = Render(plugin, input, Frames, 512, []);
        int latency = plugin.LatencySamples;
        Assert.InRange(latency, 1, 4800);
        for (int c = 0; c < Channels; c++)
        {
            double worst = MaxAbsDifference(input.AsSpan(c * Frames, Frames - latency), output.AsSpan(c * Frames + latency, Frames - latency));
            Assert.True(worst < 1e-6, $"channel {c} differs by {worst}");
        }
    }

    // The plug-in keeps the chain's DC blocker off (transparent at defaults); the DC offset in the
    // input proves it is off in both, as any difference would be 0.05 for seconds.
    private const bool PluginRunsDcBlocker = false;

    private static float[] Input()
    {
        var x = new float[Channels * Frames];
        Signals.FillNoise(x.AsSpan(0, Frames), 7, 0.05);
        Signals.FillNoise(x.AsSpan(Frames), 8, 0.05);
        for (int i = 0; i < x.Length; i++)
        {
            x[i] += 0.05f;
        }

        return x;
    }

    private static double Plain(MasteringPlugin plugin, uint id)
    {
        int index = plugin.Parameters.IndexOf(id);
        return plugin.Parameters[index].ToPlain(plugin.GetProcessorValue(index));
    }

    private static double MaxAbsDifference(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double max = 0;
        for (int i = 0; i < a.Length; i++)
        {
            max = Math.Max(max, Math.Abs(a[i] - b[i]));
        }

        return max;
    }

    // Renders the first `frames` frames of planar `input` in host blocks; `points` at absolute
    // frames, those at frame 0 taken before activation (so they start settled, as a loaded
    // session does). Returns planar output of `frames` frames.
    private static float[] Render(MasteringPlugin plugin, float[] input, int frames, int hostBlock,
        MmParamPoint[] points, bool learnOffAtEnd = false)
    {
        int stride = input.Length / Channels;
        using var h = new PluginHarness(plugin, Channels, frames);
        plugin.Setup(Rate, hostBlock, Channels, Channels);
        for (int c = 0; c < Channels; c++)
        {
            input.AsSpan(c * stride, frames).CopyTo(h.Input(c));
        }

        Assert.Equal(Status.Ok, h.Process(0, 0, [.. points.Where(p => p.Offset == 0)]));
        plugin.SetActive(true);
        MmParamPoint[] later = [.. points.Where(p => p.Offset > 0)];
        for (int at = 0; at < frames; at += hostBlock)
        {
            int n = Math.Min(hostBlock, frames - at);
            MmParamPoint[] inBlock = [.. later.Where(p => p.Offset >= at && p.Offset < at + n)
                .Select(p => new MmParamPoint(p.Id, p.Offset - at, p.Value))];
            Assert.Equal(Status.Ok, h.Process(at, n, inBlock));
        }

        if (learnOffAtEnd)
        {
            Assert.Equal(Status.Ok, h.Process(0, 0, [new MmParamPoint(P.Learn, 0, 0.0)]));
        }

        var output = new float[Channels * frames];
        for (int c = 0; c < Channels; c++)
        {
            h.Output(c).AsSpan(0, frames).CopyTo(output.AsSpan(c * frames));
        }

        return output;
    }
}
