using MixMate.Assistant.Features;
using MixMate.Dsp;
using Xunit;

namespace MixMate.Assistant.Tests.Models;

public sealed class RoleFeaturesTests
{
    private static float[] Compute(float[] signal, int channels = 1, double sampleRate = 44100)
    {
        float[] features = new float[RoleFeatures.Count];
        Assert.True(RoleFeatures.Compute(new AudioBlock(signal, channels), sampleRate, features));
        return features;
    }

    [Fact]
    public void Agree_with_the_Python_features_used_for_training()
    {
        float[] expected = RepoFiles.Floats(RepoFiles.Json("role/features_golden.json").GetProperty("features"));
        float[] actual = Compute(RepoFiles.TestSignal());
        Assert.Equal(RoleFeatures.Count, expected.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) < 2e-3, $"feature {i}: C# {actual[i]} vs Python {expected[i]}");
        }
    }

    [Fact]
    public void Do_not_depend_on_level()
    {
        // 12 dB quieter; far enough above the 1e-12 power floor that it plays no part. (The part
        // of the test signal that sits exactly at the −60 dB activity threshold is left out.)
        float[] x = RepoFiles.TestSignal()[..33000];
        float[] quiet = x.Select(v => v * 0.25f).ToArray();
        float[] a = Compute(x);
        float[] b = Compute(quiet);
        for (int i = 0; i < a.Length; i++)
        {
            Assert.True(Math.Abs(a[i] - b[i]) < 1e-2, $"feature {i}: {a[i]} vs {b[i]}");
        }
    }

    [Fact]
    public void Stereo_with_identical_channels_equals_mono()
    {
        float[] x = RepoFiles.TestSignal(seconds: 1.0);
        float[] stereo = [.. x, .. x];
        float[] a = Compute(x);
        float[] b = Compute(stereo, channels: 2);
        for (int i = 0; i < a.Length; i++)
        {
            Assert.Equal(a[i], b[i], 5);
        }
    }

    [Fact]
    public void Silence_has_no_features()
    {
        float[] features = new float[RoleFeatures.Count];
        features[0] = 42;
        Assert.False(RoleFeatures.Compute(new AudioBlock(new float[44100], 1), 44100, features));
        Assert.Equal(42, features[0]);
    }

    [Fact]
    public void A_low_tone_and_a_high_tone_land_in_the_right_mel_bands()
    {
        float[] low = Enumerable.Range(0, 44100).Select(i => (float)Math.Sin(2 * Math.PI * 100 * i / 44100.0)).ToArray();
        float[] high = Enumerable.Range(0, 44100).Select(i => (float)Math.Sin(2 * Math.PI * 5000 * i / 44100.0)).ToArray();
        float[] a = Compute(low);
        float[] b = Compute(high);
        int peakLow = Array.IndexOf(a, a[..40].Max());
        int peakHigh = Array.IndexOf(b, b[..40].Max());
        Assert.InRange(peakLow, 0, 1);
        Assert.InRange(peakHigh, 25, 27);

        // A pure tone's spectral centroid is its frequency: log2(f / 1 kHz).
        Assert.Equal(Math.Log2(0.1), a[80], 0.02);
        Assert.Equal(Math.Log2(5.0), b[80], 0.02);
    }

    [Fact]
    public void Shorter_than_one_frame_is_zero_padded()
    {
        float[] x = RepoFiles.TestSignal(seconds: 0.02);
        float[] features = Compute(x);
        Assert.Equal(1.0f, features[85]);
        Assert.All(features, v => Assert.True(float.IsFinite(v)));
    }
}
