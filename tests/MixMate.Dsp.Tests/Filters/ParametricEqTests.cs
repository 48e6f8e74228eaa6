using MixMate.Dsp.Filters;
using MixMate.Dsp.Tests.Utility;
using MixMate.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace MixMate.Dsp.Tests.Filters;

public sealed class ParametricEqTests(ITestOutputHelper output)
{
    private const double SampleRate = 48000;

    /// <summary>
    /// Click measure: a steady sine runs through the EQ while a band jumps. Any click is a spike
    /// in the second difference y[n+1] − 2y[n] + y[n−1]; for a clean sine of amplitude a that is at
    /// most a·(2 − 2cos ω). The glide must keep the whole transition within 1.25× of the settled
    /// output's own second difference, while the same jump applied instantly must exceed it by far.
    /// </summary>
    [Theory]
    [InlineData(FilterType.HighShelf, 1000.0, 200.0, 12.0, 1000.0)] // shelf gain +12 dB: b0 jumps ×4 under a low tone
    [InlineData(FilterType.Peak, 3000.0, 300.0, 12.0, 3000.0)] // peak gain +12 dB above the tone
    [InlineData(FilterType.LowPass12, 12000.0, 500.0, 0.0, 1500.0)] // cutoff sweep 12 kHz → 1.5 kHz
    [InlineData(FilterType.LowPass24, 16000.0, 700.0, 0.0, 2000.0)] // 24 dB/oct cutoff sweep 16 kHz → 2 kHz
    public void ParameterJumpIsClickFreeWhileInstantSwitchClicks(FilterType type, double bandHz, double toneHz, double newGainDb, double newBandHz)
    {
        (double transition, double settled) smooth = MeasureJump(type, bandHz, toneHz, newGainDb, newBandHz, smoothingMs: 20);
        (double transition, double settled) instant = MeasureJump(type, bandHz, toneHz, newGainDb, newBandHz, smoothingMs: 0);
        output.WriteLine($"smoothed: transition {smooth.transition:E3}, settled {smooth.settled:E3}; instant: transition {instant.transition:E3}");
        Assert.True(smooth.transition <= 1.25 * smooth.settled,
            $"glide: second difference {smooth.transition:E3} vs settled {smooth.settled:E3}");
        Assert.True(instant.transition > 3 * instant.settled,
            $"the test must be able to fail: an instant switch gave only {instant.transition:E3} vs {instant.settled:E3}");
    }

    /// <summary>Stereo runs both channels of a band in one loop; that must be exactly two mono
    /// EQs — through fixed bands, glides, two-section types and fades in and out.</summary>
    [Fact]
    public void A_stereo_eq_is_bit_identical_to_two_mono_eqs()
    {
        float[] left = TestSignals.Sine(48000, SampleRate, 220, 0.3);
        float[] right = TestSignals.Sine(48000, SampleRate, 1700, 0.2);
        for (int i = 0; i < left.Length; i++)
        {
            left[i] += 0.05f * MathF.Sin(i * 0.37f);
            right[i] -= 0.04f * MathF.Sin(i * 1.91f);
        }

        var stereo = new ParametricEq(3) { SmoothingMilliseconds = 20 };
        var monoL = new ParametricEq(3) { SmoothingMilliseconds = 20 };
        var monoR = new ParametricEq(3) { SmoothingMilliseconds = 20 };
        void SetAll(int band, EqBand b)
        {
            stereo.SetBand(band, b);
            monoL.SetBand(band, b);
            monoR.SetBand(band, b);
        }

        SetAll(0, new EqBand(true, FilterType.Peak, 400, 5, 1.2));
        SetAll(1, new EqBand(true, FilterType.HighPass24, 60, 0, BiquadCoefficients.ButterworthQ));
        SetAll(2, new EqBand(false, FilterType.HighShelf, 6000, -4, 0.7));
        stereo.Configure(SampleRate, 2, 256);
        monoL.Configure(SampleRate, 1, 256);
        monoR.Configure(SampleRate, 1, 256);
        var outStereo = new List<float[]>();
        var outL = new List<float>();
        var outR = new List<float>();
        for (int part = 0; part < 4; part++)
        {
            // glide, switch a band in, retype one, switch one out
            if (part == 1)
            {
                SetAll(0, new EqBand(true, FilterType.Peak, 2500, -7, 3));
                SetAll(2, new EqBand(true, FilterType.HighShelf, 6000, -4, 0.7));
            }
            else if (part == 2)
            {
                SetAll(1, new EqBand(true, FilterType.LowShelf, 120, 3, 0.7));
            }
            else if (part == 3)
            {
                SetAll(0, new EqBand(false, FilterType.Peak, 2500, -7, 3));
            }

            int from = part * 12000;
            float[][] s = ProcessorHarness.Run(stereo, [left[from..(from + 12000)], right[from..(from + 12000)]], 333);
            outStereo.Add([.. s[0], .. s[1]]);
            outL.AddRange(ProcessorHarness.Run(monoL, [left[from..(from + 12000)]], 333)[0]);
            outR.AddRange(ProcessorHarness.Run(monoR, [right[from..(from + 12000)]], 333)[0]);
        }

        for (int part = 0; part < 4; part++)
        {
            Assert.Equal(outL.GetRange(part * 12000, 12000), outStereo[part][..12000]);
            Assert.Equal(outR.GetRange(part * 12000, 12000), outStereo[part][12000..]);
        }

        Assert.NotEqual(left[..12000], outL.GetRange(0, 12000)); // the EQ did something
    }

    private static (double Transition, double Settled) MeasureJump(FilterType type, double bandHz, double toneHz,
        double newGainDb, double newBandHz, double smoothingMs)
    {
        var eq = new ParametricEq(2) { SmoothingMilliseconds = smoothingMs };
        eq.SetBand(0, new EqBand(true, type, bandHz, 0, BiquadCoefficients.ButterworthQ));
        eq.Configure(SampleRate, 1, 256);
        int n = (int)SampleRate;
        float[] tone = TestSignals.Sine(2 * n, SampleRate, toneHz, 0.2);
        float[][] first = ProcessorHarness.Run(eq, [tone[..n]], 256);
        eq.SetBand(0, new EqBand(true, type, newBandHz, newGainDb, BiquadCoefficients.ButterworthQ));
        float[][] second = ProcessorHarness.Run(eq, [tone[n..]], 256);
        float[] y = [.. first[0].AsSpan(n - 1000), .. second[0]];
        double transition = TestSignals.MaxSecondDifference(y.AsSpan(0, 1000 + n / 2));
        double settled = Math.Max(TestSignals.MaxSecondDifference(y.AsSpan(1000 + 3 * n / 4)), TestSignals.MaxSecondDifference(y.AsSpan(0, 1000)));
        return (transition, settled);
    }

    [Theory]
    [InlineData(FilterType.HighPass24)]
    [InlineData(FilterType.LowPass12)]
    [InlineData(FilterType.Peak)]
    public void EnablingAndRetypingABandFades(FilterType type)
    {
        var eq = new ParametricEq(1);
        eq.SetBand(0, new EqBand(false, type, 700, -12, 2.0));
        eq.Configure(SampleRate, 1, 128);
        int n = (int)SampleRate / 2;
        float[] tone = TestSignals.Sine(4 * n, SampleRate, 500, 0.3);
        var pieces = new List<float>();
        pieces.AddRange(ProcessorHarness.Run(eq, [tone[..n]], 128)[0]);
        eq.SetEnabled(0, true);
        pieces.AddRange(ProcessorHarness.Run(eq, [tone[n..(2 * n)]], 128)[0]);
        eq.SetType(0, type == FilterType.Peak ? FilterType.LowShelf : FilterType.Peak);
        pieces.AddRange(ProcessorHarness.Run(eq, [tone[(2 * n)..(3 * n)]], 128)[0]);
        eq.SetEnabled(0, false);
        pieces.AddRange(ProcessorHarness.Run(eq, [tone[(3 * n)..]], 128)[0]);

        // Bound: the second difference of the loudest steady state (dry, first type, second type).
        // A crossfade between two steady states never exceeds the louder: |1 + m·(H − 1)| ≤ max(1, |H|).
        FilterType second = type == FilterType.Peak ? FilterType.LowShelf : FilterType.Peak;
        double loudest = Math.Max(1, Math.Pow(10, Math.Max(
            BiquadCoefficients.MagnitudeDb(type, SampleRate, 700, -12, 2.0, 500),
            BiquadCoefficients.MagnitudeDb(second, SampleRate, 700, -12, 2.0, 500)) / 20));
        double bound = loudest * 0.3 * (2 - 2 * Math.Cos(2 * Math.PI * 500 / SampleRate));
        double worst = TestSignals.MaxSecondDifference(pieces.ToArray());
        output.WriteLine($"{type}: worst {worst:E3}, bound {bound:E3}");
        Assert.True(worst <= 1.25 * bound, $"{worst:E3} > 1.25 × {bound:E3}");

        // After disabling the band the output is the input again.
        Tolerance.AssertAllClose(tone.AsSpan(tone.Length - 1000), pieces.ToArray().AsSpan(pieces.Count - 1000), 0, "disabled band");
    }

    [Fact]
    public void DisabledEqIsBitTransparent()
    {
        var eq = new ParametricEq();
        eq.Configure(SampleRate, 2, 512);
        float[][] x = [TestSignals.Noise(5000, 0.8, 1), TestSignals.Noise(5000, 0.8, 2)];
        float[][] y = ProcessorHarness.Run(eq, x, 512);
        ProcessorHarness.AssertSame(x, y, 0, "all bands off");
    }

    [Fact]
    public void GlideLandsOnTheTargetResponse()
    {
        var eq = new ParametricEq(3);
        eq.SetBand(0, new EqBand(true, FilterType.Peak, 1000, 0, 1));
        eq.SetBand(1, new EqBand(true, FilterType.HighPass12, 30, 0, BiquadCoefficients.ButterworthQ));
        eq.Configure(SampleRate, 1, 512);
        ProcessorHarness.Run(eq, [new float[4800]], 512);
        eq.SetBand(0, new EqBand(true, FilterType.Peak, 3000, 9, 2));
        eq.SetFrequency(1, 90);
        ProcessorHarness.Run(eq, [new float[(int)SampleRate]], 512); // glide (20 ms time constant) ends well within 1 s

        // Now measure: the response must equal the designed target curve.
        float[] h = ProcessorHarness.Run(eq, [TestSignals.Impulse(1 << 16, 0, 1f)], 512)[0];
        foreach (double f in new[] { 40.0, 90.0, 500.0, 2000.0, 3000.0, 6000.0 })
        {
            double measured = 20 * Math.Log10(TestSignals.Dft(h, SampleRate, f).Magnitude);
            Tolerance.AssertClose(eq.ResponseDb(f), measured, 0.05, $"response at {f} Hz");
        }

        Tolerance.AssertClose(9 + BiquadCoefficients.HighPass(SampleRate, 90, BiquadCoefficients.ButterworthQ).MagnitudeDb(3000, SampleRate),
            eq.ResponseDb(3000), 1e-9, "ResponseDb sums the bands");
    }

    [Fact]
    public void OutputDoesNotDependOnBlockSizeEvenWhileGliding()
    {
        float[][] x = [TestSignals.Noise(20000, 0.5, 3), TestSignals.Sine(20000, SampleRate, 440, 0.5)];
        ProcessorHarness.AssertBlockSizeInvariant(() =>
        {
            var eq = new ParametricEq(4);
            eq.SetBand(0, new EqBand(true, FilterType.Peak, 800, 6, 1.5));
            eq.SetBand(1, new EqBand(true, FilterType.LowPass24, 9000, 0, 1));
            eq.SetBand(2, new EqBand(true, FilterType.HighShelf, 4000, -3, 0.7));
            return eq;
        }, x, SampleRate, atMiddle: p =>
        {
            var eq = (ParametricEq)p;
            eq.SetGainDb(0, -8);
            eq.SetFrequency(1, 3000);
            eq.SetType(2, FilterType.LowShelf);
            eq.SetBand(3, new EqBand(true, FilterType.HighPass12, 100, 0, 0.7));
        });
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void A_settled_eq_gives_the_same_samples_on_its_fast_path_bit_for_bit(int channels)
    {
        // Blocks of 4096 take the steady path (whole sub-blocks, sections two at a time, channels
        // two at a time); blocks of 17 never do. A decay into denormal range checks the flushes.
        int frames = 12000;
        float[][] x = new float[channels][];
        for (int c = 0; c < channels; c++)
        {
            x[c] = TestSignals.Noise(frames, 0.5, (ulong)(7 + c));
            for (int i = frames / 2; i < frames; i++)
            {
                x[c][i] = (float)(x[c][i] * Math.Exp(-(i - (frames / 2)) / 40.0));
            }
        }

        float[][] Run(int block)
        {
            var eq = new ParametricEq(8);
            eq.SetBand(0, new EqBand(true, FilterType.Peak, 120, 4, 3));
            eq.SetBand(1, new EqBand(true, FilterType.LowPass24, 15000, 0, 1)); // two sections
            eq.SetBand(2, new EqBand(false, FilterType.Peak, 1000, 6, 3)); // off: skipped
            eq.SetBand(3, new EqBand(true, FilterType.Peak, 2500, -5, 3));
            eq.SetBand(4, new EqBand(true, FilterType.HighShelf, 9000, 2, 0.7));
            eq.SetBand(5, new EqBand(true, FilterType.Peak, 400, 1.5, 1)); // five sections in all
            return RunInBlocks(eq, x, block);
        }

        float[][] fast = Run(4096), slow = Run(17);
        for (int c = 0; c < channels; c++)
        {
            Assert.Equal(slow[c], fast[c]);
        }
    }

    [Theory]
    [InlineData(2, 4, 25, 4.3)]
    [InlineData(2, 9, 25, 4.3)]
    [InlineData(3, 16, 25, 4.3)]
    [InlineData(2, 31, 25, 4.3)]
    public void A_many_band_eq_gives_the_same_samples_on_its_eight_section_path_bit_for_bit(int channels, int bands, double lowestHz, double q)
    {
        // A reference match's third-octave EQ: from four sounding sections a steady stereo run
        // goes eight sections at a time (AVX); blocks of 17 never take a steady path. (Below
        // 1e−30 the paths differ by where they flush state; BiquadOctetTests holds that part.)
        int frames = 9000;
        float[][] x = new float[channels][];
        for (int c = 0; c < channels; c++)
        {
            x[c] = TestSignals.Noise(frames, 0.5, (ulong)(11 + c));
            for (int i = frames / 2; i < frames; i++)
            {
                x[c][i] = (float)(x[c][i] * Math.Exp(-(i - (frames / 2)) / 30.0));
            }
        }

        float[][] Run(int block)
        {
            var eq = new ParametricEq(bands);
            for (int b = 0; b < bands; b++)
            {
                double hz = Math.Min(20000, lowestHz * Math.Pow(2, b / 3.0));
                eq.SetBand(b, new EqBand(b % 7 != 3, FilterType.Peak, hz, ((b * 37) % 13) - 6.0, q));
            }

            return RunInBlocks(eq, x, block);
        }

        float[][] fast = Run(4096), slow = Run(17);
        for (int c = 0; c < channels; c++)
        {
            for (int i = 0; i < frames; i++)
            {
                Assert.True(BitConverter.SingleToInt32Bits(slow[c][i]) == BitConverter.SingleToInt32Bits(fast[c][i]),
                    $"channel {c} sample {i}: {slow[c][i]:R} vs {fast[c][i]:R}");
            }
        }
    }

    [Fact]
    public void ProcessDoesNotAllocateEvenWhileGliding()
    {
        var eq = new ParametricEq();
        for (int b = 0; b < eq.BandCount; b++)
        {
            eq.SetBand(b, new EqBand(true, (FilterType)(b % 7), 100 * (b + 1), 3, 1));
        }

        eq.Configure(SampleRate, 2, 256);
        long bytes = ProcessorHarness.MeasureProcessAllocations(eq, 2, 256, i =>
        {
            eq.SetGainDb(i % eq.BandCount, i % 2 == 0 ? 6 : -6);
            eq.SetFrequency((i + 3) % eq.BandCount, 200 + i % 500);
            if (i % 50 == 0)
            {
                eq.SetType(1, (FilterType)(i / 50 % 7));
                eq.SetEnabled(2, i % 100 == 0);
            }
        });
        Assert.Equal(0, bytes);
    }

    [Fact]
    public void OutputIsFiniteAndNormal()
    {
        var eq = new ParametricEq();
        eq.SetBand(0, new EqBand(true, FilterType.LowShelf, 40, 12, 0.7));
        eq.SetBand(1, new EqBand(true, FilterType.Peak, 60, 15, 8));
        eq.SetBand(2, new EqBand(true, FilterType.HighPass24, 15, 0, 1));
        ProcessorHarness.AssertFiniteNormalOutput(eq, 2, SampleRate);
    }

    // The EQ over copies of the channels, block frames at a time.
    private static float[][] RunInBlocks(ParametricEq eq, float[][] x, int block)
    {
        int channels = x.Length, frames = x[0].Length;
        eq.Configure(SampleRate, channels, block);
        float[][] y = [.. x.Select(c => (float[])c.Clone())];
        var planar = new float[channels * block];
        for (int start = 0; start < frames; start += block)
        {
            int n = Math.Min(block, frames - start);
            var audio = new AudioBlock(planar, channels, n, block);
            for (int c = 0; c < channels; c++)
            {
                y[c].AsSpan(start, n).CopyTo(audio[c]);
            }

            eq.Process(audio);
            for (int c = 0; c < channels; c++)
            {
                audio[c].CopyTo(y[c].AsSpan(start, n));
            }
        }

        return y;
    }
}
