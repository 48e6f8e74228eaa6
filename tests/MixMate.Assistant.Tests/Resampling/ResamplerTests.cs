using MixMate.Assistant.Resampling;
using Xunit;
using Xunit.Abstractions;

namespace MixMate.Assistant.Tests.Resampling;

/// <summary>
/// The resampler measured as a converter is judged: passband ripple (tones up to 90 % of the lower
/// Nyquist keep their level), aliasing (a tone above the output's Nyquist must not come back as an
/// alias), timing (a tone keeps its phase: the filter's delay is removed) and length. The measured
/// figures are written to the test output and quoted in the README.
/// </summary>
public sealed class ResamplerTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(44100, 48000)]
    [InlineData(48000, 44100)]
    [InlineData(96000, 44100)]
    [InlineData(22050, 48000)]
    public void Passband_ripple_is_within_a_hundredth_of_a_decibel(int from, int to)
    {
        double edge = 0.9 * Math.Min(from, to) / 2;
        double worst = 0;
        for (double f = 20; f <= edge; f *= 1.25)
        {
            double level = LevelDb(Convert(Tone(f, from, 1.0), from, to), f, to);
            worst = Math.Max(worst, Math.Abs(level));
        }

        double atEdge = LevelDb(Convert(Tone(edge, from, 1.0), from, to), edge, to);
        output.WriteLine($"{from} -> {to}: ripple up to {edge:F0} Hz: ±{Math.Max(worst, Math.Abs(atEdge)):F4} dB");
        Assert.InRange(worst, 0, 0.01);
        Assert.InRange(Math.Abs(atEdge), 0, 0.05);
    }

    [Theory]
    [InlineData(48000, 44100, 23000.0)]
    [InlineData(48000, 44100, 22500.0)]
    [InlineData(96000, 44100, 30000.0)]
    [InlineData(96000, 48000, 40000.0)]
    public void A_tone_above_the_output_Nyquist_does_not_alias(int from, int to, double f)
    {
        float[] converted = Convert(Tone(f, from, 1.0), from, to);
        double alias = to - f; // where it would fold to
        double aliasDb = LevelDb(converted, alias, to);
        double totalDb = 10 * Math.Log10(converted.AsSpan(to / 4, converted.Length - (to / 2)).ToArray().Select(x => (double)x * x).Average() * 2 + 1e-30);
        output.WriteLine($"{from} -> {to}: {f:F0} Hz tone: alias at {alias:F0} Hz {aliasDb:F1} dB, all that is left {totalDb:F1} dB");
        Assert.True(aliasDb < -90, $"alias at {aliasDb:F1} dB");
        Assert.True(totalDb < -90, $"residue at {totalDb:F1} dB");
    }

    [Theory]
    [InlineData(44100, 48000)]
    [InlineData(48000, 44100)]
    public void A_tone_keeps_its_phase_and_the_length_follows_the_ratio(int from, int to)
    {
        float[] input = Tone(1000, from, 0.5);
        float[] converted = Convert(input, from, to);
        Assert.Equal((long)Math.Round(input.Length * (double)to / from), converted.Length);
        Span<float> expected = new float[converted.Length];
        for (int i = 0; i < expected.Length; i++)
        {
            expected[i] = (float)(0.5 * Math.Sin(2 * Math.PI * 1000 * i / to));
        }

        double worst = 0;
        for (int i = to / 4; i < converted.Length - (to / 4); i++)
        {
            worst = Math.Max(worst, Math.Abs(converted[i] - expected[i]));
        }

        // Half an output sample of a 1 kHz tone at 0.5 is at most 0.5·2π·1000·0.5/rate ≈ 0.036.
        Assert.InRange(worst, 0, 0.04);
    }

    [Fact]
    public void Equal_rates_copy()
    {
        float[] input = Tone(440, 44100, 0.1);
        float[] copy = Convert(input, 44100, 44100);
        Assert.Equal(input, copy);
    }

    private static float[] Convert(float[] input, int from, int to)
    {
        float[] result = new float[Resampler.OutputFrames(input.Length, from, to)];
        Resampler.Resample(input, from, result, to);
        return result;
    }

    private static float[] Tone(double f, int rate, double amplitude)
    {
        float[] x = new float[rate * 2];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (float)(amplitude * Math.Sin(2 * Math.PI * f * i / rate));
        }

        return x;
    }

    /// <summary>Level in dB (re 1.0 peak) of the component at <paramref name="f"/>: least-squares fit of a
    /// sine and cosine over the middle second (the ends hold the filter's fade-in and fade-out).</summary>
    private static double LevelDb(float[] x, double f, int rate)
    {
        int start = rate / 2;
        int end = x.Length - (rate / 2);
        double ss = 0, cc = 0, sc = 0, xs = 0, xc = 0;
        for (int i = start; i < end; i++)
        {
            double s = Math.Sin(2 * Math.PI * f * i / rate);
            double c = Math.Cos(2 * Math.PI * f * i / rate);
            ss += s * s;
            cc += c * c;
            sc += s * c;
            xs += x[i] * s;
            xc += x[i] * c;
        }

        double det = (ss * cc) - (sc * sc);
        double a = ((xs * cc) - (xc * sc)) / det;
        double b = ((xc * ss) - (xs * sc)) / det;
        return 20 * Math.Log10(Math.Sqrt((a * a) + (b * b)) + 1e-30);
    }
}
