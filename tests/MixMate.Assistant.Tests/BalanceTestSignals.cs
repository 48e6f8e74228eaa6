using MixMate.Assistant.Balance;
using MixMate.Assistant.Roles;
using MixMate.Dsp;

namespace MixMate.Assistant.Tests.Balance;

/// <summary>Synthetic tracks for the balance and masking tests.</summary>
internal static class BalanceTestSignals
{
    public const double Rate = 48000;

    /// <summary>White noise at <paramref name="rms"/> per channel, deterministic.</summary>
    public static float[] Noise(int channels, int frames, double rms, int seed)
    {
        var random = new Random(seed);
        var samples = new float[channels * frames];
        double scale = rms * Math.Sqrt(3);
        for (int i = 0; i < samples.Length; i++)
        {
            samples[i] = (float)(((2 * random.NextDouble()) - 1) * scale);
        }

        return samples;
    }

    /// <summary>A sum of sines (frequency, amplitude) on every channel, optionally decaying from each beat.</summary>
    public static float[] Tones(int channels, int frames, (double Hz, double Amplitude)[] partials, double? decayPerBeatSeconds = null, double beatSeconds = 0.5)
    {
        var samples = new float[channels * frames];
        for (int i = 0; i < frames; i++)
        {
            double t = i / Rate;
            double envelope = decayPerBeatSeconds is double tau ? Math.Exp(-(t % beatSeconds) / tau) : 1;
            double x = 0;
            foreach ((double hz, double amplitude) in partials)
            {
                x += amplitude * Math.Sin(2 * Math.PI * hz * t);
            }

            for (int c = 0; c < channels; c++)
            {
                samples[(c * frames) + i] = (float)(envelope * x);
            }
        }

        return samples;
    }

    public static AudioBlock Block(float[] samples, int channels) => new(samples, channels, samples.Length / channels, samples.Length / channels);

    public static RoleEstimate Role(string? role) =>
        new(role, role is null ? 0 : 1, new Dictionary<string, double>(), role is null ? "unknown in this test" : null);

    /// <summary>A summary with a flat spectrum at <paramref name="lufs"/>, for engine-only tests.</summary>
    public static TrackSummary Summary(string name, string? role, double lufs) =>
        new(name, Role(role), new ActiveLoudness(lufs, lufs, lufs + 3, 1, 30), [.. Enumerable.Repeat(lufs - 15.0, 31)]);
}
