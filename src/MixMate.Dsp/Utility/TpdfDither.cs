using System.Runtime.CompilerServices;

namespace MixMate.Dsp.Utility;

/// <summary>
/// Requantizes float audio to <see cref="Bits"/>-bit PCM steps with triangular-PDF dither of
/// ±1 LSB peak (the sum of two independent uniform ±½ LSB variables). With rounding this makes
/// the first and second moments of the total error independent of the signal (Lipshitz,
/// Wannamaker &amp; Vanderkooy, "Quantization and Dither: A Theoretical Survey", JAES 40(5), 1992):
/// error mean 0, variance Δ²/4 (Δ²/12 quantization + 2·Δ²/12 dither), white spectrum.
/// The output is exactly representable as N-bit integers divided by 2^(N−1), so the file writer
/// converts it without further rounding. Used only when writing 16-bit (or other integer) output.
/// </summary>
public sealed class TpdfDither : IAudioProcessor
{
    private readonly ulong _seed;
    private XorShiftRandom[] _random = [];
    private int _bits = 16;
    private double _scale = 32768.0;

    /// <summary>[non-real-time] Creates a dither whose noise is a deterministic function of
    /// <paramref name="seed"/> (each channel gets its own stream, so the output does not depend on
    /// how the signal is cut into blocks).</summary>
    public TpdfDither(int bits = 16, ulong seed = 0x4D69784D617465UL)
    {
        Bits = bits;
        _seed = seed;
    }

    /// <summary>[non-real-time or between blocks] Target word length, 2…24 bits.</summary>
    public int Bits
    {
        get => _bits;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 2);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 24);
            _bits = value;
            _scale = Math.ScaleB(1.0, value - 1);
        }
    }

    /// <inheritdoc />
    public int LatencySamples => 0;

    /// <inheritdoc />
    public void Configure(double sampleRate, int channels, int maxBlockFrames)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(channels);
        _random = new XorShiftRandom[channels];
        Reset();
    }

    /// <inheritdoc />
    public void Reset()
    {
        for (int c = 0; c < _random.Length; c++)
        {
            _random[c] = new XorShiftRandom(_seed + (ulong)c * 0x9E3779B97F4A7C15UL);
        }
    }

    /// <inheritdoc />
    public void Process(AudioBlock block)
    {
        int channels = Math.Min(block.Channels, _random.Length);
        for (int c = 0; c < channels; c++)
        {
            Requantize(block[c], ref _random[c], _scale);
        }
    }

    /// <summary>[audio thread, configured] Same as setting <see cref="Bits"/> (clamped to 2…24
    /// here instead of throwing) then <see cref="Process(AudioBlock)"/>.</summary>
    public void Process(AudioBlock block, int bits)
    {
        bits = Math.Clamp(bits, 2, 24);
        if (bits != _bits)
        {
            Bits = bits;
        }

        Process(block);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Requantize(Span<float> samples, ref XorShiftRandom random, double scale)
    {
        // Codes are clamped to the two's-complement range [−2^(N−1), 2^(N−1) − 1].
        double lowest = -scale;
        double highest = scale - 1.0;
        double inverse = 1.0 / scale;
        for (int i = 0; i < samples.Length; i++)
        {
            // Two independent uniforms in [−½, ½) sum to a triangle on (−1, 1) LSB.
            double tpdf = 0.5 * (random.NextSigned() + random.NextSigned());
            double code = Math.Round(samples[i] * scale + tpdf, MidpointRounding.ToEven);
            code = code >= lowest ? (code <= highest ? code : highest) : (code < lowest ? lowest : 0.0); // NaN → 0
            samples[i] = (float)(code * inverse);
        }
    }
}
