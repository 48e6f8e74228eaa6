namespace MixMate.Dsp.Utility;

/// <summary>
/// Stereo width as a gain on the side signal: M = (L + R)/2 and S = (L − R)/2 are re-formed as
/// L = M + g·S, R = M − g·S, so the mid (what a mono fold-down hears) is untouched and the
/// side-to-mid energy ratio moves by exactly the gain in dB. The gain ramps when it changes.
/// Blocks that are not stereo pass unchanged.
/// </summary>
public sealed class StereoWidth : IAudioProcessor
{
    private LinearRamp _gain;
    private double _sideGainDb;
    private int _rampFrames = 1;

    public StereoWidth() => _gain.Snap(1.0);

    /// <summary>[audio thread, or between blocks] Gain on the side signal, dB; 0 passes the audio unchanged.</summary>
    public double SideGainDb
    {
        get => _sideGainDb;
        set
        {
            double v = double.IsFinite(value) ? Math.Clamp(value, -60, 24) : 0;
            if (v != _sideGainDb)
            {
                _sideGainDb = v;
                _gain.Start(Decibels.ToGain(v), _rampFrames);
            }
        }
    }

    public int LatencySamples => 0;

    /// <summary>[non-real-time] Sets the ramp length (20 ms) for the rate.</summary>
    public void Configure(double sampleRate, int channels, int maxBlockFrames)
    {
        _rampFrames = Math.Max(1, (int)(sampleRate * 0.02));
        Reset();
    }

    /// <summary>[audio thread, configured] Jumps to the target gain.</summary>
    public void Reset() => _gain.Snap(Decibels.ToGain(_sideGainDb));

    /// <summary>[audio thread, configured] Applies the side gain in place. Allocates nothing.</summary>
    public void Process(AudioBlock block)
    {
        if (block.Channels != 2 || (_gain.IsSettled && _gain.Current == 1.0))
        {
            return;
        }

        Span<float> l = block[0], r = block[1];
        for (int i = 0; i < l.Length; i++)
        {
            float g = (float)_gain.Next();
            float m = 0.5f * (l[i] + r[i]);
            float s = 0.5f * (l[i] - r[i]) * g;
            l[i] = m + s;
            r[i] = m - s;
        }
    }
}
