using MixMate.Dsp.Utility;

namespace MixMate.Dsp.Filters;

/// <summary>
/// First-order DC-blocking high-pass, H(z) = g·(1 − z⁻¹) / (1 − R·z⁻¹), cutoff 5 Hz by default.
/// R = exp(−2π·fc/fs) puts the pole where an analog RC high-pass at fc would map under the
/// impulse-invariant transform, so fc is the −3 dB point to within 0.01 Hz for fc ≪ fs; the
/// zero at DC removes offset completely; g = (1 + R)/2 makes the Nyquist gain exactly 1 (0 dB),
/// so nothing above a few tens of Hz changes by more than 0.01 dB. Single pole: no overshoot,
/// phase shift at 20 Hz ≈ 14°, which is why the default stays at 5 Hz.
/// </summary>
public sealed class DcBlocker : IAudioProcessor
{
    private double[] _x1 = [];
    private double[] _y1 = [];
    private double _pole;
    private double _gain = 1.0;

    /// <summary>[non-real-time] Creates a blocker with its −3 dB point at <paramref name="cutoffHz"/> (1…20 Hz).</summary>
    public DcBlocker(double cutoffHz = 5.0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cutoffHz, 1.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(cutoffHz, 20.0);
        CutoffHz = cutoffHz;
    }

    /// <summary>[any thread] The −3 dB frequency.</summary>
    public double CutoffHz { get; }

    /// <inheritdoc />
    public int LatencySamples => 0;

    /// <inheritdoc />
    public void Configure(double sampleRate, int channels, int maxBlockFrames)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        ArgumentOutOfRangeException.ThrowIfNegative(channels);
        _pole = Math.Exp(-2.0 * Math.PI * CutoffHz / sampleRate);
        _gain = (1.0 + _pole) / 2.0;
        _x1 = new double[channels];
        _y1 = new double[channels];
    }

    /// <inheritdoc />
    public void Reset()
    {
        Array.Clear(_x1);
        Array.Clear(_y1);
    }

    /// <inheritdoc />
    public void Process(AudioBlock block)
    {
        int channels = Math.Min(block.Channels, _x1.Length);
        double pole = _pole, gain = _gain;
        for (int c = 0; c < channels; c++)
        {
            Span<float> samples = block[c];
            double x1 = _x1[c], y1 = _y1[c];
            for (int i = 0; i < samples.Length; i++)
            {
                double x = samples[i];
                double y = gain * (x - x1) + pole * y1;
                x1 = x;
                y1 = y;
                samples[i] = (float)y;
            }

            _x1[c] = x1;
            _y1[c] = Denormals.Flush(y1);
            Denormals.FlushToZero(samples);
        }
    }
}
