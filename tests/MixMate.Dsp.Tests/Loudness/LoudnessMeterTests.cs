using MixMate.Dsp.Loudness;
using MixMate.TestSupport;
using Xunit;

namespace MixMate.Dsp.Tests.Loudness;

public sealed class LoudnessMeterTests
{
    /// <summary>Stereo pink noise (different seeds per channel) under a slow level envelope
    /// swinging between about −45 and −8 dB, with two silent gaps — exercises both gates.</summary>
    private static float[][] VaryingProgramme(double fs, double seconds)
    {
        int n = (int)(fs * seconds);
        float[] left = Signals.PinkNoise(n, 0.9, seed: 11);
        float[] right = Signals.PinkNoise(n, 0.9, seed: 12);
        for (int i = 0; i < n; i++)
        {
            double t = i / fs;
            double db = -26 + 18 * Math.Sin(2 * Math.PI * t / 17.0) + 6 * Math.Sin(2 * Math.PI * t / 3.1);
            bool gap = (t > 9 && t < 12) || (t > 30 && t < 31.5);
            float g = gap ? 0f : (float)Decibels.ToGain(db);
            left[i] *= g;
            right[i] *= g;
        }

        return [left, right];
    }

    private static void AssertSameReadings(LoudnessMeter expected, LoudnessMeter actual, string what)
    {
        Tolerance.AssertClose(expected.IntegratedLufs, actual.IntegratedLufs, 1e-9, $"{what}: I");
        Tolerance.AssertClose(expected.LoudnessRangeLu, actual.LoudnessRangeLu, 1e-9, $"{what}: LRA");
        Tolerance.AssertClose(expected.MomentaryLufs, actual.MomentaryLufs, 1e-9, $"{what}: M");
        Tolerance.AssertClose(expected.ShortTermLufs, actual.ShortTermLufs, 1e-9, $"{what}: S");
        Tolerance.AssertClose(expected.MaxMomentaryLufs, actual.MaxMomentaryLufs, 1e-9, $"{what}: max M");
        Tolerance.AssertClose(expected.MaxShortTermLufs, actual.MaxShortTermLufs, 1e-9, $"{what}: max S");
        Tolerance.AssertClose(expected.SamplePeakDbfs, actual.SamplePeakDbfs, 0, $"{what}: SP");
        Tolerance.AssertClose(expected.TruePeakDbtp, actual.TruePeakDbtp, 1e-5, $"{what}: TP");
        Tolerance.AssertClose(expected.DurationSeconds, actual.DurationSeconds, 0, $"{what}: duration");
    }

    [Fact]
    public void Readings_do_not_depend_on_the_block_size()
    {
        const double Fs = 44100;
        float[][] programme = VaryingProgramme(Fs, 40);
        var reference = LoudnessTestRig.Measure(programme, Fs, 4096);
        Assert.True(reference.LoudnessRangeLu > 5, "the programme has a real loudness range");
        foreach (int block in new[] { 1, 7, 64, 4096, 100_000 })
        {
            AssertSameReadings(reference, LoudnessTestRig.Measure(programme, Fs, block), $"block {block}");
        }
    }

    [Theory]
    [InlineData(44100.0)]
    [InlineData(48000.0)]
    public void Integrated_and_range_match_a_brute_force_evaluation_of_the_standards(double fs)
    {
        float[][] programme = VaryingProgramme(fs, 60);
        var meter = LoudnessTestRig.Measure(programme, fs, 1000);

        // Independent evaluation: K-weight whole channels, then 100 ms step energies, 400 ms
        // blocks and 3 s windows, with every block kept in a list (BS.1770-4 Annex 1 §5;
        // Tech 3342 §5 MATLAB procedure at 10 Hz).
        int step = (int)Math.Round(fs / 10);
        var filter = new KWeightingFilter();
        filter.Configure(fs, 2);
        int steps = programme[0].Length / step;
        var stepEnergy = new double[steps];
        for (int c = 0; c < 2; c++)
        {
            for (int s = 0; s < steps; s++)
            {
                stepEnergy[s] += filter.ProcessSumOfSquares(c, programme[c].AsSpan(s * step, step));
            }
        }

        var blocks = new List<double>();
        var shortTerm = new List<double>();
        for (int s = 3; s < steps; s++)
        {
            blocks.Add((stepEnergy[s - 3] + stepEnergy[s - 2] + stepEnergy[s - 1] + stepEnergy[s]) / (4.0 * step));
        }

        for (int s = 29; s < steps; s++)
        {
            double e = 0;
            for (int k = s - 29; k <= s; k++)
            {
                e += stepEnergy[k];
            }

            shortTerm.Add(e / (30.0 * step));
        }

        static double Lufs(double e) => -0.691 + 10 * Math.Log10(e);
        var absGated = blocks.Where(e => Lufs(e) >= -70).ToList();
        double relative = absGated.Average() * 0.1;
        double integrated = Lufs(absGated.Where(e => e >= relative).Average());

        var stAbs = shortTerm.Where(e => Lufs(e) >= -70).ToList();
        double stRelative = stAbs.Average() * 0.01;
        var sorted = stAbs.Where(e => e >= stRelative).Select(Lufs).OrderBy(v => v).ToList();
        int n = sorted.Count;
        double lra = sorted[(int)Math.Round((n - 1) * 0.95, MidpointRounding.AwayFromZero)]
            - sorted[(int)Math.Round((n - 1) * 0.10, MidpointRounding.AwayFromZero)];

        // Only blocks within 0.001 LU of the relative threshold are decided together.
        Tolerance.AssertClose(integrated, meter.IntegratedLufs, 0.001, "integrated vs list");
        // Each percentile is the centre of its 0.001 LU bin.
        Tolerance.AssertClose(lra, meter.LoudnessRangeLu, 0.002, "LRA vs list");
        Assert.True(lra > 5 && integrated < -15, "a programme that exercises both gates");
    }

    [Fact]
    public void Loudness_range_can_sample_every_second_like_libebur128()
    {
        const double Fs = 48000;
        float[][] programme = VaryingProgramme(Fs, 60);
        var every100 = new LoudnessMeter();
        every100.Configure(Fs, 2, 4096);
        var everySecond = new LoudnessMeter { LraSampling = LoudnessRangeSampling.EverySecond };
        everySecond.Configure(Fs, 2, 4096);
        LoudnessTestRig.Feed(every100, programme, 4096);
        LoudnessTestRig.Feed(everySecond, programme, 4096);
        // Same gating blocks, different LRA population; both plausible and close.
        Tolerance.AssertClose(every100.IntegratedLufs, everySecond.IntegratedLufs, 1e-12, "I unaffected");
        Assert.NotEqual(every100.LoudnessRangeLu, everySecond.LoudnessRangeLu);
        Tolerance.AssertClose(every100.LoudnessRangeLu, everySecond.LoudnessRangeLu, 1.0, "LRA close");
    }

    /// <summary>The gated readings are computed once per histogram change and then reused (a
    /// plug-in reads them after every block): a meter read after every block must give, at every
    /// point, what a meter read only now and then computes afresh — and a reset must not leave a
    /// stale value behind.</summary>
    [Fact]
    public void Integrated_and_range_read_after_every_block_equal_fresh_readings()
    {
        const double Fs = 48000;
        float[][] programme = VaryingProgramme(Fs, 40);
        var everyBlock = new LoudnessMeter();
        everyBlock.Configure(Fs, 2, 512);
        var seldom = new LoudnessMeter();
        seldom.Configure(Fs, 2, 512);
        var integrated = new List<double>();
        var range = new List<double>();
        LoudnessTestRig.Feed(everyBlock, programme, 512, (m, _) =>
        {
            integrated.Add(m.IntegratedLufs);
            range.Add(m.LoudnessRangeLu);
        });
        int block = 0, compared = 0;
        LoudnessTestRig.Feed(seldom, programme, 512, (m, _) =>
        {
            if (block % 37 == 36)
            {
                Assert.Equal(m.IntegratedLufs, integrated[block]);
                Assert.Equal(m.LoudnessRangeLu, range[block]);
                compared++;
            }

            block++;
        });
        Assert.True(compared > 90);
        Assert.True(double.IsFinite(integrated[^1]) && range[^1] > 5, "the programme was measured");

        everyBlock.Reset();
        Assert.Equal(double.NegativeInfinity, everyBlock.IntegratedLufs);
        Assert.Equal(0, everyBlock.LoudnessRangeLu);
        LoudnessTestRig.Feed(everyBlock, programme, 512);
        Assert.Equal(seldom.IntegratedLufs, everyBlock.IntegratedLufs);
        Assert.Equal(seldom.LoudnessRangeLu, everyBlock.LoudnessRangeLu);
    }

    [Fact]
    public void A_meter_without_range_measures_the_same_integrated_loudness_and_resets_cleanly()
    {
        const double Fs = 48000;
        float[][] programme = VaryingProgramme(Fs, 30);
        var full = new LoudnessMeter();
        full.Configure(Fs, 2, 4096);
        var lean = new LoudnessMeter { MeasuresRange = false };
        lean.Configure(Fs, 2, 4096);
        LoudnessTestRig.Feed(full, programme, 4096);
        LoudnessTestRig.Feed(lean, programme, 4096);
        Assert.Equal(full.IntegratedLufs, lean.IntegratedLufs);
        Assert.True(full.LoudnessRangeLu > 1);
        Assert.Equal(0, lean.LoudnessRangeLu);

        // Reset after measuring clears the histograms; a reset of a clean meter skips the work
        // (activation) and must still leave it clean.
        lean.Reset();
        lean.Reset();
        Assert.Equal(double.NegativeInfinity, lean.IntegratedLufs);
        LoudnessTestRig.Feed(lean, programme, 1000);
        Assert.Equal(full.IntegratedLufs, lean.IntegratedLufs, 9);
    }

    [Fact]
    public void Observer_gets_every_100_ms_step_with_the_current_values()
    {
        const double Fs = 48000;
        var observer = new RecordingObserver();
        var meter = new LoudnessMeter { Observer = observer };
        meter.Configure(Fs, 2, 4800);
        float[][] programme = VaryingProgramme(Fs, 5);
        int steps = 0;
        LoudnessTestRig.Feed(meter, programme, 4800, (m, fed) =>
        {
            steps++;
            Assert.Equal(steps, observer.Count);
            Tolerance.AssertClose(fed / Fs, observer.LastTime, 1e-12, "time");
            Tolerance.AssertClose(m.MomentaryLufs, observer.LastMomentary, 0, "M");
            Tolerance.AssertClose(m.ShortTermLufs, observer.LastShortTerm, 0, "S");
        });
        Assert.Equal(50, observer.Count);
    }

    [Fact]
    public void Digital_silence_reports_minus_infinity_and_zero_range()
    {
        var meter = LoudnessTestRig.Measure([new float[48000 * 5], new float[48000 * 5]], 48000);
        Assert.Equal(double.NegativeInfinity, meter.IntegratedLufs);
        Assert.Equal(double.NegativeInfinity, meter.MomentaryLufs);
        Assert.Equal(double.NegativeInfinity, meter.ShortTermLufs);
        Assert.Equal(double.NegativeInfinity, meter.MaxMomentaryLufs);
        Assert.Equal(double.NegativeInfinity, meter.SamplePeakDbfs);
        Assert.Equal(double.NegativeInfinity, meter.TruePeakDbtp);
        Assert.Equal(0.0, meter.LoudnessRangeLu);
        Tolerance.AssertClose(5.0, meter.DurationSeconds, 1e-12, "duration");
    }

    [Fact]
    public void Nothing_is_reported_before_the_first_complete_block()
    {
        var meter = new LoudnessMeter();
        meter.Configure(48000, 1, 512);
        Assert.Equal(double.NegativeInfinity, meter.IntegratedLufs);
        meter.Process(new AudioBlock(Signals.Sine(48000, 1000, 0.5, 19000), 1));
        // 0.396 s: no complete 400 ms gating block yet.
        Assert.Equal(double.NegativeInfinity, meter.IntegratedLufs);
        meter.Process(new AudioBlock(Signals.Sine(48000, 1000, 0.5, 200), 1));
        Assert.True(double.IsFinite(meter.IntegratedLufs));
    }

    [Fact]
    public void Quiet_programme_below_the_absolute_gate_integrates_to_minus_infinity()
    {
        float[] tone = Signals.ToneSequence(48000, (5, -75));
        var meter = LoudnessTestRig.Measure([tone, tone], 48000);
        Assert.Equal(double.NegativeInfinity, meter.IntegratedLufs);
        Tolerance.AssertClose(-75.0, meter.ShortTermLufs, 0.1, "S still reads");
    }

    [Fact]
    public void Non_finite_input_does_not_poison_later_readings()
    {
        float[] tone = Signals.ToneSequence(48000, (10, -20));
        float[] other = (float[])tone.Clone();
        tone[48000] = float.NaN;
        tone[96001] = float.PositiveInfinity;
        other[150000] = float.NegativeInfinity;
        var meter = LoudnessTestRig.Measure([tone, other], 48000);
        var clean = LoudnessTestRig.Measure(Signals.InPhase(Signals.ToneSequence(48000, (10, -20))), 48000);
        Assert.True(double.IsFinite(meter.MomentaryLufs) && double.IsFinite(meter.ShortTermLufs), "windows recover");
        Assert.True(double.IsFinite(meter.MaxMomentaryLufs) && double.IsFinite(meter.IntegratedLufs), "maxima and gating unpoisoned");
        Tolerance.AssertClose(clean.ShortTermLufs, meter.ShortTermLufs, 0.01, "S after recovery");
        Tolerance.AssertClose(clean.IntegratedLufs, meter.IntegratedLufs, 0.5, "I");
        Assert.True(double.IsFinite(meter.TruePeakDbtp) && double.IsFinite(meter.SamplePeakDbfs), "peaks");
    }

    [Fact]
    public void Default_channel_weights_follow_BS1770()
    {
        Assert.Equal([1.0], LoudnessMeter.DefaultChannelWeights(1));
        Assert.Equal([1.0, 1.0], LoudnessMeter.DefaultChannelWeights(2));
        Assert.Equal([1.0, 1.0, 1.0, 1.41, 1.41], LoudnessMeter.DefaultChannelWeights(5));
        Assert.Equal([1.0, 1.0, 1.0, 0.0, 1.41, 1.41], LoudnessMeter.DefaultChannelWeights(6));

        // A tone in the LFE alone is not measured; in a surround it counts 1.41×.
        float[] tone = Signals.ToneSequence(48000, (3, -20));
        var silent = new float[tone.Length];
        var lfe = LoudnessTestRig.Measure([silent, silent, silent, tone, silent, silent], 48000);
        Assert.Equal(double.NegativeInfinity, lfe.IntegratedLufs);
        var front = LoudnessTestRig.Measure([tone, silent, silent, silent, silent, silent], 48000);
        var surround = LoudnessTestRig.Measure([silent, silent, silent, silent, tone, silent], 48000);
        Tolerance.AssertClose(10 * Math.Log10(1.41), surround.IntegratedLufs - front.IntegratedLufs, 1e-9, "surround weight");
    }

    [Fact]
    public void SetChannelWeights_overrides_the_defaults()
    {
        float[] tone = Signals.ToneSequence(48000, (3, -20));
        var plain = LoudnessTestRig.Measure([tone], 48000);
        var meter = new LoudnessMeter();
        meter.Configure(48000, 1, 4096);
        meter.SetChannelWeights([2.0]);
        LoudnessTestRig.Feed(meter, [tone], 4096);
        Tolerance.AssertClose(10 * Math.Log10(2), meter.IntegratedLufs - plain.IntegratedLufs, 1e-9, "×2 weight");
        Assert.Throws<ArgumentException>(() => meter.SetChannelWeights([1.0, 1.0]));
    }

    [Fact]
    public void Process_leaves_the_audio_untouched_and_reset_starts_over()
    {
        float[][] programme = VaryingProgramme(44100, 8);
        float[] buffer = Signals.ToPlanarBuffer(programme);
        float[] copy = (float[])buffer.Clone();
        var meter = new LoudnessMeter();
        meter.Configure(44100, 2, 1024);
        meter.Process(new AudioBlock(buffer, 2));
        Assert.Equal(copy, buffer);
        double first = meter.IntegratedLufs;

        meter.Reset();
        Assert.Equal(double.NegativeInfinity, meter.IntegratedLufs);
        Assert.Equal(double.NegativeInfinity, meter.MaxShortTermLufs);
        Assert.Equal(0.0, meter.DurationSeconds);
        meter.Process(new AudioBlock(buffer, 2));
        Assert.Equal(first, meter.IntegratedLufs);
    }

    [Fact]
    public void Process_allocates_nothing_after_configure_including_empty_blocks_and_reads()
    {
        var meter = new LoudnessMeter { Observer = new RecordingObserver() };
        meter.Configure(44100, 2, 4096);
        float[] buffer = Signals.ToPlanarBuffer(VaryingProgramme(44100, 1));
        int frames = buffer.Length / 2;
        double sink = 0;
        void Action()
        {
            meter.Process(new AudioBlock(buffer, 2, 4096, frames));
            meter.Process(new AudioBlock(buffer, 2, 0, frames));
            meter.Process(new AudioBlock(buffer, 2, 1, frames));
            meter.Process(new AudioBlock(buffer, 2, 333, frames));
            sink += meter.IntegratedLufs + meter.LoudnessRangeLu + meter.MomentaryLufs + meter.TruePeakDbtp;
        }

        long bytes = Allocations.Measure(Allocations.Settled(Action), Action, 500);
        Assert.Equal(0, bytes);
        Assert.False(double.IsNaN(sink));
    }

    [Fact]
    public void Ten_hours_in_4096_frame_blocks_allocate_nothing_and_keep_exact_readings()
    {
        // 8 kHz mono keeps ten hours (288 M frames) quick; gating works in 100 ms steps whatever
        // the rate, so the histograms see the same 360 000 blocks as at 48 kHz.
        const double Fs = 8000;
        const int Block = 4096;
        var meter = new LoudnessMeter();
        meter.Configure(Fs, 1, Block);
        // 4096 frames of a 250 Hz tone = exactly 128 periods, so the stream is a seamless tone.
        float[] tone = Signals.Sine(Fs, 250, 0.25, Block);
        long blocks = (long)(10 * 3600 * Fs / Block);
        var audio = new AudioBlock(tone, 1);

        // Warm-up (part of the ten hours): let tiered JIT promote the hot paths first, so the
        // runtime's own one-off work is not counted.
        const int WarmUpBlocks = 3000;
        for (int i = 0; i < WarmUpBlocks; i++)
        {
            meter.Process(audio);
        }

        Thread.Sleep(300);
        // Measured hour by hour: anything the meter allocated per block would show in every hour.
        // A loaded machine can finish tiered compilation late, and installing that code allocates
        // once on this thread, so one hour may show a few kilobytes of the runtime's own.
        long blocksPerHour = (long)(3600 * Fs / Block);
        var hours = new List<long>();
        for (long i = WarmUpBlocks; i < blocks;)
        {
            long end = Math.Min(blocks, i + blocksPerHour);
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (; i < end; i++)
            {
                meter.Process(audio);
            }

            hours.Add(GC.GetAllocatedBytesForCurrentThread() - before);
        }

        int hoursThatAllocated = hours.Count(b => b > 0);
        Assert.True(
            hoursThatAllocated <= 1 && hours.Max() <= 16 * 1024,
            $"bytes allocated per hour: {string.Join(", ", hours)}");
        Tolerance.AssertClose(blocks * Block / Fs, meter.DurationSeconds, 1e-6, "duration");
        Assert.True(meter.DurationSeconds > 10 * 3600 - 1);
        // A steady tone: integrated = short-term = momentary, range 0.
        Tolerance.AssertClose(meter.ShortTermLufs, meter.IntegratedLufs, 0.001, "I of a steady tone");
        Tolerance.AssertClose(0.0, meter.LoudnessRangeLu, 0.001, "LRA of a steady tone");
    }

    private sealed class RecordingObserver : ILoudnessObserver
    {
        public int Count { get; private set; }

        public double LastTime { get; private set; }

        public double LastMomentary { get; private set; }

        public double LastShortTerm { get; private set; }

        public void OnStep(double timeSeconds, double momentaryLufs, double shortTermLufs)
        {
            Count++;
            LastTime = timeSeconds;
            LastMomentary = momentaryLufs;
            LastShortTerm = shortTermLufs;
        }
    }
}
