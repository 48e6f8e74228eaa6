using MixMate.Dsp;
using MixMate.Dsp.Loudness;
using MixMate.Plugin.Abi;
using MixMate.Plugin.Hosting;
using MixMate.Plugin.Mastering;
using MixMate.Plugin.Tone;
using MixMate.TestSupport;
using Xunit;

namespace MixMate.Plugin.Tests;

public sealed class PluginBehaviourTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(64)]
    [InlineData(1000)]
    public void Output_does_not_depend_on_host_block_size(int block)
    {
        const int frames = 24000;
        var points = new[]
        {
            new MmParamPoint(MasteringParameters.EqId(1, MasteringParameters.EqEnable), 0, 1.0),
            new MmParamPoint(MasteringParameters.EqId(1, MasteringParameters.EqGain), 0, 0.9),
            new MmParamPoint(MasteringParameters.InputGainDb, 5000, 0.8),
            new MmParamPoint(MasteringParameters.Bypass, 9001, 1.0),
            new MmParamPoint(MasteringParameters.Bypass, 15000, 0.0),
            new MmParamPoint(MasteringParameters.Limiter, 20000, 0.0),
        };
        float[] whole = Render(new MasteringPlugin(), frames, frames, points);
        float[] pieces = Render(new MasteringPlugin(), frames, block, points);
        // Equal up to float rounding: kernels may take vector or scalar paths for different
        // piece lengths (a few ulp); a block-size dependence in the logic would be orders larger.
        Tolerance.AssertAllClose(whole, pieces, 1e-6, $"block {block}");
        Tolerance.AssertFiniteNormal(pieces);
    }

    [Fact]
    public void Bypass_is_the_input_delayed_by_the_reported_latency()
    {
        var plugin = new MasteringPlugin();
        const int frames = 4800;
        float[] output = Render(plugin, frames, 480, [new MmParamPoint(MasteringParameters.Bypass, 0, 1.0),
            new MmParamPoint(MasteringParameters.InputGainDb, 0, 1.0)], snapFirst: true);
        int latency = plugin.LatencySamples;
        Assert.InRange(latency, 1, 480);
        float[] input = TestInput(frames);
        for (int i = latency; i < frames; i++)
        {
            Assert.Equal(input[i - latency], output[i]);
        }
    }

    [Fact]
    public void Limiter_holds_the_ceiling_of_the_selected_target()
    {
        // +24 dB into an ATSC A/85 target (−2 dBTP): the output true peak stays at the ceiling.
        var plugin = new MasteringPlugin();
        float[] output = Render(plugin, 48000, 512, [
            new MmParamPoint(MasteringParameters.InputGainDb, 0, 1.0),
            new MmParamPoint(MasteringParameters.Target, 0, 7 / 9.0)]);
        var meter = new TruePeakDetector();
        meter.Configure(48000, 1, 48000);
        meter.Process(new AudioBlock(output.AsSpan(4800), 1));
        Assert.InRange(meter.TruePeakDbtp, -3.0, -1.9);
    }

    [Fact]
    public void Learning_sets_the_gain_that_reaches_the_target_loudness()
    {
        // Master mode, Spotify (−14 LUFS), amount 100 %: learn on a quiet programme, then the
        // output's integrated loudness lands on the target (limiter may shave a little).
        const double rate = 48000;
        const int frames = 12 * 48000;
        var plugin = new MasteringPlugin();
        using var h = new PluginHarness(plugin, 2, frames);
        plugin.Setup(rate, 4800, 2, 2);
        plugin.SetActive(true);
        for (int c = 0; c < 2; c++)
        {
            Signals.FillSine(h.Input(c), rate, 440, 0.05); // ≈ −29 LUFS
        }

        h.Process(0, 0, [new MmParamPoint(MasteringParameters.Learn, 0, 1.0)]);
        for (int at = 0; at < frames / 2; at += 4800)
        {
            h.Process(at, 4800);
        }

        h.Process(0, 0, [new MmParamPoint(MasteringParameters.Learn, 0, 0.0)]);
        double learned = ((MasteringPlugin)plugin).LearnedLufs;
        var reference = new LoudnessMeter();
        reference.Configure(rate, 2, frames);
        var inBlock = new float[2 * 48000];
        h.Input(0).AsSpan(0, 48000).CopyTo(inBlock);
        h.Input(1).AsSpan(0, 48000).CopyTo(inBlock.AsSpan(48000));
        reference.Process(new AudioBlock(inBlock, 2));
        Tolerance.AssertClose(reference.IntegratedLufs, learned, 0.1, "learned loudness");

        for (int at = frames / 2; at < frames; at += 4800)
        {
            h.Process(at, 4800);
        }

        var outMeter = new LoudnessMeter();
        outMeter.Configure(rate, 2, frames / 4);
        var outBlock = new float[2 * (frames / 4)];
        h.Output(0).AsSpan(frames - frames / 4).CopyTo(outBlock);
        h.Output(1).AsSpan(frames - frames / 4).CopyTo(outBlock.AsSpan(frames / 4));
        outMeter.Process(new AudioBlock(outBlock, 2));
        Tolerance.AssertClose(-14.0, outMeter.IntegratedLufs, 0.05, "output loudness after learning");
        byte[] state = plugin.SaveState();
        var restored = new MasteringPlugin();
        restored.LoadState(state);
        Assert.Equal(learned, restored.LearnedLufs);
    }

    /// <summary>A/B at equal loudness: with +12 dB of input gain, an EQ boost and the limiter,
    /// Compare plays the input delayed by the latency times one gain, and that gain brings it to
    /// the processed output's loudness; switching back plays the processed output again.</summary>
    [Fact]
    public void Compare_plays_the_input_at_the_processed_loudness()
    {
        const double rate = 48000;
        const int second = 48000;
        const int frames = 14 * second;
        var plugin = new MasteringPlugin();
        using var h = new PluginHarness(plugin, 2, frames);
        plugin.Setup(rate, 480, 2, 2);
        plugin.SetActive(true);
        Signals.FillNoise(h.Input(0), 3, 0.05);
        Signals.FillNoise(h.Input(1), 4, 0.05);
        h.Process(0, 0, [
            new MmParamPoint(MasteringParameters.InputGainDb, 0, (12 + 24) / 48.0),
            new MmParamPoint(MasteringParameters.EqId(3, MasteringParameters.EqEnable), 0, 1.0),
            new MmParamPoint(MasteringParameters.EqId(3, MasteringParameters.EqGain), 0, (6 + 24) / 48.0)]);
        for (int at = 0; at < 6 * second; at += 480)
        {
            h.Process(at, 480);
        }

        h.Process(6 * second, 480, [new MmParamPoint(MasteringParameters.Compare, 0, 1.0)]);
        for (int at = 6 * second + 480; at < 10 * second; at += 480)
        {
            h.Process(at, 480);
        }

        int meter = plugin.Parameters.IndexOf(MasteringParameters.CompareGainDb);
        double matchDb = plugin.Parameters[meter].ToPlain(plugin.GetControllerValue(meter));
        h.Process(10 * second, 480, [new MmParamPoint(MasteringParameters.Compare, 0, 0.0)]);
        for (int at = 10 * second + 480; at < frames; at += 480)
        {
            h.Process(at, 480);
        }

        double Lufs(int from, int to)
        {
            var m = new LoudnessMeter();
            m.Configure(rate, 2, to - from);
            var buffer = new float[2 * (to - from)];
            h.Output(0).AsSpan(from, to - from).CopyTo(buffer);
            h.Output(1).AsSpan(from, to - from).CopyTo(buffer.AsSpan(to - from));
            m.Process(new AudioBlock(buffer, 2));
            return m.IntegratedLufs;
        }

        double processed = Lufs(3 * second, 6 * second);
        double compared = Lufs(7 * second, 10 * second);
        double back = Lufs(11 * second, 14 * second);
        Assert.InRange(matchDb, 12, 20); // +12 dB of gain and a boost, less what the limiter took
        Tolerance.AssertClose(processed, compared, 0.5, "the original at the processed loudness");
        Tolerance.AssertClose(processed, back, 0.2, "processed again after the compare");

        // While comparing, the output is the input delayed by the latency times the match gain.
        int latency = plugin.LatencySamples;
        double g = Math.Pow(10, matchDb / 20);
        for (int c = 0; c < 2; c++)
        {
            double err = 0, sig = 0;
            for (int i = 7 * second; i < 10 * second; i++)
            {
                double expected = g * h.Input(c)[i - latency];
                err += (h.Output(c)[i] - expected) * (h.Output(c)[i] - expected);
                sig += expected * expected;
            }

            Assert.True(err < 0.03 * 0.03 * sig, $"channel {c}: the compare is not the matched input (error {Math.Sqrt(err / sig):P1})");
        }
    }

    [Fact]
    public void Meters_publish_output_loudness()
    {
        var plugin = new MasteringPlugin();
        using var h = new PluginHarness(plugin, 2, 48000);
        plugin.Setup(48000, 4800, 2, 2);
        plugin.SetActive(true);
        Signals.FillSine(h.Input(0), 48000, 1000, 0.1);
        Signals.FillSine(h.Input(1), 48000, 1000, 0.1);
        for (int at = 0; at < 48000; at += 4800)
        {
            h.Process(at, 4800);
        }

        // 1 kHz sine at −20 dBFS peak on both channels: −20 − 3.01 + 3.01 (two channels) − 0.691
        // + K-weighting at 1 kHz (+0.69) ≈ −20 LUFS momentary (BS.1770-4).
        int momentary = plugin.Parameters.IndexOf(MasteringParameters.MomentaryLufs);
        double lufs = plugin.Parameters[momentary].ToPlain(plugin.GetControllerValue(momentary));
        Tolerance.AssertClose(-20.0, lufs, 0.2, "momentary loudness");
        Assert.Equal(15, h.LastOutPointCount); // six meters, the session's three read-outs, the five problem readings, the compare gain
    }

    [Fact]
    public void Odd_low_sample_rates_process_with_meters_off()
    {
        var plugin = new MasteringPlugin();
        float[] output = Render(plugin, 2000, 7, [], rate: 1234.5678);
        Tolerance.AssertFiniteNormal(output);
        Assert.True(Signals.RmsDb(output.AsSpan(500)) > -30);
    }

    [Theory]
    [InlineData(ToneSignal.Sine, 100, -20.0, 0.01)]
    [InlineData(ToneSignal.Sine, 127, -17.924, 0.01)]
    [InlineData(ToneSignal.WhiteNoise, 100, -20.0, 0.1)]
    [InlineData(ToneSignal.PinkNoise, 100, -20.0, 0.4)]
    [InlineData(ToneSignal.LogSweep, 64, -23.876, 0.05)]
    public void Tone_level_follows_the_calibration(ToneSignal signal, int velocity, double expectedDb, double tolerance)
    {
        Assert.Equal(expectedDb, TonePlugin.LevelDbfs(velocity), 2);
        const int frames = 4 * 48000;
        var plugin = new TonePlugin();
        float[] output = Render(plugin, frames, 512,
            [new MmParamPoint(ToneParameters.Signal, 0, (int)signal / 3.0), new MmParamPoint(ToneParameters.SweepSeconds, 0, 1.0)],
            notes: [new MmNote { Offset = 0, Type = MmNote.On, Pitch = 69, Velocity = velocity / 127f, NoteId = -1 }]);
        Tolerance.AssertClose(expectedDb, Signals.RmsDb(output.AsSpan(4800)), tolerance, $"{signal} RMS");
    }

    [Fact]
    public void Tone_plays_the_note_pitch()
    {
        float[] output = Render(new TonePlugin(), 48000, 256, [],
            notes: [new MmNote { Offset = 0, Type = MmNote.On, Pitch = 81, Velocity = 0.8f, NoteId = -1 }]);
        int crossings = 0;
        for (int i = 1; i < output.Length; i++)
        {
            crossings += output[i - 1] < 0 && output[i] >= 0 ? 1 : 0;
        }

        Assert.InRange(crossings, 879, 881); // A5 = 880 Hz
    }

    private static float[] TestInput(int frames)
    {
        var x = new float[frames];
        Signals.FillNoise(x, 42, 0.25);
        return x;
    }

    // Renders channel 0 of a mono-configured instance in host blocks of `block` frames, with
    // points and notes at absolute frames.
    private static float[] Render(PluginInstance plugin, int frames, int block, MmParamPoint[] points,
        MmNote[]? notes = null, double rate = 48000, bool snapFirst = false)
    {
        notes ??= [];
        bool instrument = plugin.Kind == PluginKind.Tone;
        using var h = new PluginHarness(plugin, 1, frames);
        plugin.Setup(rate, block, instrument ? 0 : 1, 1);
        TestInput(frames).CopyTo(h.Input(0), 0);
        if (snapFirst)
        {
            h.Process(0, 0, points);
            plugin.SetActive(true);
            points = [];
        }
        else
        {
            plugin.SetActive(true);
        }

        var blockPoints = new List<MmParamPoint>();
        var blockNotes = new List<MmNote>();
        for (int at = 0; at < frames; at += block)
        {
            int n = Math.Min(block, frames - at);
            blockPoints.Clear();
            blockNotes.Clear();
            foreach (MmParamPoint p in points)
            {
                if (p.Offset >= at && p.Offset < at + n)
                {
                    blockPoints.Add(new MmParamPoint(p.Id, p.Offset - at, p.Value));
                }
            }

            foreach (MmNote note in notes)
            {
                if (note.Offset >= at && note.Offset < at + n)
                {
                    MmNote shifted = note;
                    shifted.Offset -= at;
                    blockNotes.Add(shifted);
                }
            }

            Assert.Equal(Status.Ok, h.Process(at, n, blockPoints.ToArray(), blockNotes.ToArray()));
        }

        return h.Output(0);
    }
}
