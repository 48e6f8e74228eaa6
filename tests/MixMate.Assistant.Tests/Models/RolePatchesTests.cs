using MixMate.Assistant.Features;
using MixMate.Dsp;
using Xunit;

namespace MixMate.Assistant.Tests.Models;

public sealed class RolePatchesTests
{
    private static float[] Compute(float[] signal, int channels = 1, double sampleRate = 44100)
    {
        float[] patches = new float[RolePatches.Count];
        Assert.True(RolePatches.Compute(new AudioBlock(signal, channels), sampleRate, patches));
        return patches;
    }

    /// <summary>A pluck every half second (220, 1760 and 6100 Hz partials, decaying) over a floor
    /// about 50 dB down of 64 steady partials spread over 40 Hz-10 kHz, at
    /// <paramref name="sampleRate"/>: the same sound at every rate (nothing above 11 kHz).</summary>
    private static float[] Plucks(double sampleRate, double seconds = 8.0, double gain = 1.0)
    {
        var random = new Random(5);
        (double Hz, double Phase)[] floor = [.. Enumerable.Range(0, 64).Select(_ => (40 * Math.Pow(250, random.NextDouble()), 2 * Math.PI * random.NextDouble()))];
        int n = (int)(sampleRate * seconds);
        float[] x = new float[n];
        for (int i = 0; i < n; i++)
        {
            double t = i / sampleRate;
            double env = Math.Exp(-(t % 0.5) * 9.0);
            double v = env * ((0.3 * Math.Sin(2 * Math.PI * 220 * t)) + (0.1 * Math.Sin(2 * Math.PI * 1760 * t)) + (0.02 * Math.Sin(2 * Math.PI * 6100 * t)));
            foreach ((double hz, double phase) in floor)
            {
                v += 0.0001 * Math.Sin((2 * Math.PI * hz * t) + phase);
            }

            x[i] = (float)(gain * v);
        }

        return x;
    }

    [Fact]
    public void Agree_with_the_Python_front_end_used_for_training()
    {
        var golden = RepoFiles.Json("role/patches_golden.json");
        float[] actual = Compute(RepoFiles.TestSignal(seconds: 6.0));
        Assert.Equal(RolePatches.Count, golden.GetProperty("count").GetInt32());
        int every = golden.GetProperty("every").GetInt32();
        float[] expected = RepoFiles.Floats(golden.GetProperty("values"));
        for (int k = 0; k < expected.Length; k++)
        {
            Assert.True(Math.Abs(expected[k] - actual[k * every]) < 1e-4, $"value {k * every}: C# {actual[k * every]} vs Python {expected[k]}");
        }

        Assert.Equal(golden.GetProperty("sum").GetDouble(), actual.Sum(v => (double)v), 0.5);
        Assert.Equal(golden.GetProperty("sum_squares").GetDouble(), actual.Sum(v => (double)v * v), 0.5);
    }

    [Theory]
    [InlineData(0.01)]
    [InlineData(0.0001)]
    public void Do_not_depend_on_level(double gain)
    {
        float[] a = Compute(Plucks(44100));
        float[] b = Compute(Plucks(44100, gain: gain));
        for (int i = 0; i < a.Length; i++)
        {
            Assert.True(Math.Abs(a[i] - b[i]) < 1e-3, $"value {i}: {a[i]} vs {b[i]}");
        }
    }

    [Theory]
    [InlineData(22050)]
    [InlineData(48000)]
    [InlineData(96000)]
    public void Give_the_same_picture_at_every_sample_rate(double sampleRate)
    {
        // The same signal made at another rate: the grid is in seconds and hertz, so the patches
        // agree to within a fraction of a dB (the hop rounds to whole samples).
        float[] a = Compute(Plucks(44100));
        float[] b = Compute(Plucks(sampleRate), sampleRate: sampleRate);
        double meanDb = a.Zip(b, (x, y) => Math.Abs(x - y) * 20.0).Average();
        Assert.True(meanDb < 0.75, $"mean difference {meanDb:0.000} dB at {sampleRate} Hz");
    }

    [Fact]
    public void Stereo_with_identical_channels_equals_mono()
    {
        float[] x = Plucks(44100, seconds: 4);
        float[] a = Compute(x);
        float[] b = Compute([.. x, .. x], channels: 2);
        for (int i = 0; i < a.Length; i++)
        {
            Assert.Equal(a[i], b[i], 5);
        }
    }

    [Fact]
    public void Silence_has_no_patches()
    {
        float[] patches = new float[RolePatches.Count];
        patches[0] = 42;
        Assert.False(RolePatches.Compute(new AudioBlock(new float[44100], 1), 44100, patches));
        Assert.Equal(42, patches[0]);
    }

    [Fact]
    public void A_low_tone_and_a_high_tone_land_in_the_right_mel_bands()
    {
        static int LoudestBand(float[] p)
        {
            double[] mean = new double[RolePatches.Bands];
            for (int b = 0; b < RolePatches.Bands; b++)
            {
                for (int t = 0; t < RolePatches.Frames; t++)
                {
                    mean[b] += p[(b * RolePatches.Frames) + t];
                }
            }

            return Array.IndexOf(mean, mean.Max());
        }

        float[] low = Enumerable.Range(0, 4 * 44100).Select(i => (float)Math.Sin(2 * Math.PI * 100 * i / 44100.0)).ToArray();
        float[] high = Enumerable.Range(0, 4 * 44100).Select(i => (float)Math.Sin(2 * Math.PI * 5000 * i / 44100.0)).ToArray();

        // HTK mel, 64 bands between 30 Hz and 11 kHz (centres 48.3 mel apart from 47.6 mel): 100 Hz
        // (150.5 mel) peaks in band 1, 5 kHz (2363 mel) in band 47.
        Assert.Equal(1, LoudestBand(Compute(low)));
        Assert.Equal(47, LoudestBand(Compute(high)));
    }

    [Fact]
    public void Patches_are_taken_where_the_track_plays()
    {
        // 20 s of silence, then 4 s of plucks, then silence: every patch must come from the plucks.
        float[] plucks = Plucks(44100, seconds: 4);
        float[] x = new float[44100 * 30];
        plucks.CopyTo(x, 44100 * 20);
        float[] p = Compute(x);
        for (int k = 0; k < RolePatches.Patches; k++)
        {
            double mean = p.AsSpan(k * RolePatches.Bands * RolePatches.Frames, RolePatches.Bands * RolePatches.Frames).ToArray().Average(v => (double)v);
            Assert.True(mean > -3.5, $"patch {k} looks silent (mean {mean * 20:0.0} dB)");
        }
    }

    [Fact]
    public void A_plan_streamed_in_blocks_and_segments_read_back_give_the_same_patches()
    {
        // What a long-file reader does: plan on a first pass of blocks, read the eight segments.
        float[] x = Plucks(48000, seconds: 30);
        float[] whole = Compute(x, sampleRate: 48000);
        var plan = new RolePatchPlan(48000);
        for (int start = 0; start < x.Length; start += 4097)
        {
            int n = Math.Min(4097, x.Length - start);
            plan.Add(new AudioBlock(x.AsSpan(start, n), 1));
        }

        int[] starts = plan.Starts()!;
        Assert.Equal(RolePatches.Patches, starts.Length);
        float[] streamed = new float[RolePatches.Count];
        for (int p = 0; p < starts.Length; p++)
        {
            long first = plan.SegmentStart(starts[p]);
            int length = (int)Math.Min(x.Length - first, plan.SegmentLength);
            float[] segment = x.AsSpan((int)first, length).ToArray();
            RolePatches.ComputePatch(new AudioBlock(segment, 1), 48000, streamed.AsSpan(p * RolePatches.Bands * RolePatches.Frames, RolePatches.Bands * RolePatches.Frames));
        }

        Assert.Equal(whole, streamed);
    }

    [Theory]
    [InlineData(1, 30.0)]
    [InlineData(2, 30.0)]
    [InlineData(2, 0.7)]
    public void A_track_streamed_in_two_passes_gives_the_patches_of_the_whole_track(int channels, double seconds)
    {
        // What suggest does on a long file: plan on a first pass, read the patches' segments on a second.
        float[] mono = Plucks(48000, seconds);
        float[] planar = new float[mono.Length * channels];
        for (int c = 0; c < channels; c++)
        {
            for (int i = 0; i < mono.Length; i++)
            {
                planar[(c * mono.Length) + i] = mono[i] * (c == 0 ? 1f : 0.5f);
            }
        }

        float[] whole = Compute(planar, channels, sampleRate: 48000);
        var source = new Streaming.ChunkedSource(planar, channels, 48000, readFrames: 3001);
        var plan = new RolePatchPlan(48000);
        var block = new float[channels * 4096];
        source.Rewind();
        int read;
        while ((read = source.Read(new AudioBlock(block, channels, 4096, 4096))) > 0)
        {
            plan.Add(new AudioBlock(block, channels, read, 4096));
        }

        float[] streamed = new float[RolePatches.Count];
        Assert.True(RolePatches.Compute(plan, source, mono.Length, streamed));
        Assert.Equal(whole, streamed);
        Assert.Equal(2, source.Passes);
    }

    [Fact]
    public void Shorter_than_one_patch_is_zero_padded()
    {
        float[] p = Compute(Plucks(44100, seconds: 0.6));
        Assert.All(p, v => Assert.True(float.IsFinite(v) && v is >= -4f and <= 1f));
    }
}
