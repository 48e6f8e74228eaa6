using MixMate.Cli.Audio;
using MixMate.Dsp;

namespace MixMate.Cli.Demo;

/// <summary>Sums equal-length stems into a stereo mix with headroom: the sum is formed in float and,
/// only if its sample peak exceeds the ceiling, scaled down so that it meets it.</summary>
internal static class StemMixer
{
    /// <summary>Peak ceiling of the summed mix, leaving room for the mastering chain.</summary>
    public const double CeilingDbfs = -3.0;

    /// <summary>File name of the mix, in the cache and in the output folder.</summary>
    public const string MixFileName = "mix.wav";

    /// <summary>[any thread] Sums <paramref name="stems"/> (same channels, frames and rate) into a new
    /// buffer; returns it with the gain applied in dB (0 when the sum already met the ceiling).</summary>
    public static (PlanarBuffer Mix, double GainDb) Sum(IReadOnlyList<PlanarBuffer> stems, double ceilingDbfs = CeilingDbfs)
    {
        ArgumentOutOfRangeException.ThrowIfZero(stems.Count);
        PlanarBuffer first = stems[0];
        var mix = new PlanarBuffer(first.Channels, first.Frames, first.SampleRate);
        foreach (PlanarBuffer stem in stems)
        {
            if (stem.Channels != first.Channels || stem.Frames != first.Frames || stem.SampleRate != first.SampleRate)
            {
                throw new ArgumentException("Stems must share channels, length and sample rate.", nameof(stems));
            }

            for (int c = 0; c < mix.Channels; c++)
            {
                Span<float> sum = mix[c];
                ReadOnlySpan<float> source = stem[c];
                for (int i = 0; i < sum.Length; i++)
                {
                    sum[i] += source[i];
                }
            }
        }

        float peak = 0;
        foreach (float x in mix.Samples)
        {
            peak = Math.Max(peak, Math.Abs(x));
        }

        double ceiling = Decibels.ToGain(ceilingDbfs);
        if (peak <= ceiling)
        {
            return (mix, 0);
        }

        // Scale in double and round once, then re-check: float rounding may land a hair above.
        double gain = ceiling / peak;
        float scale = (float)gain;
        while (scale * peak > ceiling)
        {
            scale = MathF.BitDecrement(scale);
        }

        Span<float> all = mix.Samples;
        for (int i = 0; i < all.Length; i++)
        {
            all[i] *= scale;
        }

        return (mix, Decibels.FromGain(scale));
    }
}
