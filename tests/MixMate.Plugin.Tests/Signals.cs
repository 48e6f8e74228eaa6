using MixMate.Dsp.Utility;

namespace MixMate.Plugin.Tests;

/// <summary>Synthetic test signals.</summary>
internal static class Signals
{
    /// <summary>Uniform white noise with peak <paramref name="amplitude"/>.</summary>
    public static void FillNoise(Span<float> x, ulong seed, double amplitude)
    {
        var rng = new XorShiftRandom(seed);
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (float)(amplitude * rng.NextSigned());
        }
    }

    /// <summary>A sine of <paramref name="frequency"/> Hz.</summary>
    public static void FillSine(Span<float> x, double sampleRate, double frequency, double amplitude)
    {
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (float)(amplitude * Math.Sin(2 * Math.PI * frequency * i / sampleRate));
        }
    }

    public static double RmsDb(ReadOnlySpan<float> x)
    {
        double sum = 0;
        foreach (float v in x)
        {
            sum += (double)v * v;
        }

        return 10 * Math.Log10(sum / x.Length);
    }
}
