using MixMate.Dsp.Utility;

namespace MixMate.Dsp.Tests.Utility;

/// <summary>Synthetic test signals (the only kind these tests use).</summary>
internal static class TestSignals
{
    public static float[] Sine(int frames, double sampleRate, double frequency, double amplitude, double phase = 0)
    {
        var x = new float[frames];
        double w = 2.0 * Math.PI * frequency / sampleRate;
        for (int i = 0; i < frames; i++)
        {
            x[i] = (float)(amplitude * Math.Sin(w * i + phase));
        }

        return x;
    }

    /// <summary>Uniform white noise in [−amplitude, amplitude).</summary>
    public static float[] Noise(int frames, double amplitude, ulong seed)
    {
        var random = new XorShiftRandom(seed);
        var x = new float[frames];
        for (int i = 0; i < frames; i++)
        {
            x[i] = (float)(amplitude * random.NextSigned());
        }

        return x;
    }

    public static float[] Impulse(int frames, int at, float amplitude)
    {
        var x = new float[frames];
        x[at] = amplitude;
        return x;
    }

    public static float[] Scale(float[] x, double gain)
    {
        var y = new float[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = (float)(x[i] * gain);
        }

        return y;
    }

    public static float[] Concat(params float[][] parts)
    {
        var y = new float[parts.Sum(p => p.Length)];
        int at = 0;
        foreach (float[] p in parts)
        {
            p.CopyTo(y, at);
            at += p.Length;
        }

        return y;
    }

    public static float MaxAbs(ReadOnlySpan<float> x)
    {
        float m = 0;
        foreach (float v in x)
        {
            m = MathF.Max(m, MathF.Abs(v));
        }

        return m;
    }

    public static double Rms(ReadOnlySpan<float> x)
    {
        double sum = 0;
        foreach (float v in x)
        {
            sum += (double)v * v;
        }

        return Math.Sqrt(sum / Math.Max(1, x.Length));
    }

    /// <summary>Max |y[n+1] − 2y[n] + y[n−1]|: a click shows up as a spike in the second difference.</summary>
    public static double MaxSecondDifference(ReadOnlySpan<float> y)
    {
        double max = 0;
        for (int i = 1; i + 1 < y.Length; i++)
        {
            max = Math.Max(max, Math.Abs((double)y[i + 1] - 2.0 * y[i] + y[i - 1]));
        }

        return max;
    }

    /// <summary>Complex DFT of <paramref name="x"/> at one frequency (double accumulation).</summary>
    public static System.Numerics.Complex Dft(ReadOnlySpan<float> x, double sampleRate, double frequency)
    {
        double w = 2.0 * Math.PI * frequency / sampleRate;
        double re = 0, im = 0;
        for (int i = 0; i < x.Length; i++)
        {
            re += x[i] * Math.Cos(w * i);
            im -= x[i] * Math.Sin(w * i);
        }

        return new System.Numerics.Complex(re, im);
    }
}
