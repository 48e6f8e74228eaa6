using MixMate.Cli.Audio;
using MixMate.Dsp;

namespace MixMate.Cli.Tests.Support;

/// <summary>Deterministic synthetic test signals, planar, generated from their definitions.</summary>
internal static class TestSignals
{
    /// <summary>A sine of <paramref name="frequency"/> Hz at <paramref name="peakDbfs"/> on every channel.</summary>
    public static PlanarBuffer Sine(double frequency, double peakDbfs, double seconds, double sampleRate, int channels = 2, double phase = 0)
    {
        var buffer = new PlanarBuffer(channels, (int)Math.Round(seconds * sampleRate), sampleRate);
        double amplitude = Decibels.ToGain(peakDbfs);
        for (int c = 0; c < channels; c++)
        {
            Span<float> channel = buffer[c];
            for (int i = 0; i < channel.Length; i++)
            {
                channel[i] = (float)(amplitude * Math.Sin((2 * Math.PI * frequency * i / sampleRate) + phase));
            }
        }

        return buffer;
    }

    /// <summary>Exponential sine sweep from <paramref name="from"/> to <paramref name="to"/> Hz
    /// (Farina's definition: phase = 2π f1 T / ln(f2/f1) · (e^{t ln(f2/f1)/T} − 1)).</summary>
    public static PlanarBuffer Sweep(double from, double to, double peakDbfs, double seconds, double sampleRate, int channels = 1)
    {
        var buffer = new PlanarBuffer(channels, (int)Math.Round(seconds * sampleRate), sampleRate);
        double amplitude = Decibels.ToGain(peakDbfs);
        double rate = Math.Log(to / from);
        for (int i = 0; i < buffer.Frames; i++)
        {
            double t = i / sampleRate;
            float x = (float)(amplitude * Math.Sin(2 * Math.PI * from * seconds / rate * (Math.Exp(t * rate / seconds) - 1)));
            for (int c = 0; c < channels; c++)
            {
                buffer[c][i] = x;
            }
        }

        return buffer;
    }

    /// <summary>Independent pink-like noise per channel with RMS <paramref name="rmsDbfs"/>: white
    /// Gaussian noise through a sum of first-order low-passes spread over the band, which falls at
    /// roughly 3 dB per octave — broadband material with a music-like tilt.</summary>
    public static PlanarBuffer PinkNoise(double rmsDbfs, double seconds, double sampleRate, int channels, int seed)
    {
        var buffer = new PlanarBuffer(channels, (int)Math.Round(seconds * sampleRate), sampleRate);
        var random = new Random(seed);
        double[] poles = [15, 45, 130, 400, 1200, 3500, 10000];
        int stages = poles.Length;
        double[] a = new double[stages];
        double[] g = new double[stages];
        for (int k = 0; k < stages; k++)
        {
            a[k] = Math.Exp(-2 * Math.PI * poles[k] / sampleRate);
            g[k] = Math.Sqrt(poles[k] / poles[0]) * (1 - a[k]);
        }

        for (int c = 0; c < channels; c++)
        {
            Span<float> channel = buffer[c];
            double[] state = new double[stages];
            double sumSquares = 0;
            double[] raw = new double[channel.Length];
            for (int i = 0; i < raw.Length; i++)
            {
                double white = Gaussian(random);
                double y = 0;
                for (int k = 0; k < stages; k++)
                {
                    state[k] = (a[k] * state[k]) + (g[k] * white);
                    y += state[k];
                }

                raw[i] = y;
                sumSquares += y * y;
            }

            double scale = Decibels.ToGain(rmsDbfs) / Math.Sqrt(sumSquares / raw.Length);
            for (int i = 0; i < raw.Length; i++)
            {
                channel[i] = (float)(raw[i] * scale);
            }
        }

        return buffer;
    }

    /// <summary>Tone bursts at alternating levels, the shape of the EBU Tech 3342 LRA test cases:
    /// <paramref name="segments"/> are (level dBFS, seconds) played one after the other.</summary>
    public static PlanarBuffer Bursts(double frequency, double sampleRate, int channels, params (double LevelDbfs, double Seconds)[] segments)
    {
        int total = 0;
        foreach ((_, double seconds) in segments)
        {
            total += (int)Math.Round(seconds * sampleRate);
        }

        var buffer = new PlanarBuffer(channels, total, sampleRate);
        int start = 0;
        foreach ((double level, double seconds) in segments)
        {
            int frames = (int)Math.Round(seconds * sampleRate);
            double amplitude = Decibels.ToGain(level);
            for (int i = 0; i < frames; i++)
            {
                int n = start + i;
                float x = (float)(amplitude * Math.Sin(2 * Math.PI * frequency * n / sampleRate));
                for (int c = 0; c < channels; c++)
                {
                    buffer[c][n] = x;
                }
            }

            start += frames;
        }

        return buffer;
    }

    /// <summary>Multiplies every sample by the gain for <paramref name="db"/>.</summary>
    public static PlanarBuffer Gain(this PlanarBuffer buffer, double db)
    {
        float gain = (float)Decibels.ToGain(db);
        foreach (ref float x in buffer.Samples.AsSpan())
        {
            x *= gain;
        }

        return buffer;
    }

    /// <summary>The samples interleaved, for libebur128.</summary>
    public static float[] Interleaved(this PlanarBuffer buffer)
    {
        float[] result = new float[buffer.Samples.Length];
        for (int c = 0; c < buffer.Channels; c++)
        {
            Span<float> channel = buffer[c];
            for (int i = 0; i < buffer.Frames; i++)
            {
                result[(i * buffer.Channels) + c] = channel[i];
            }
        }

        return result;
    }

    private static double Gaussian(Random random)
    {
        // Box–Muller.
        double u = 1.0 - random.NextDouble();
        double v = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
    }
}
