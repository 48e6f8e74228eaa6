namespace MixMate.Dsp.Utility;

/// <summary>
/// A gain in dB applied with a linear ramp whenever it changes, so automation and the assistant's
/// moves never click.
/// </summary>
public sealed class GainStage : IAudioProcessor
{
    private LinearRamp _gain;
    private double _gainDb;
    private int _rampFrames = 1;

    /// <param name="rampMilliseconds">Length of the ramp to a new gain.</param>
    public GainStage(double rampMilliseconds = 20)
    {
        RampMilliseconds = rampMilliseconds;
        _gain.Snap(1.0);
    }

    public double RampMilliseconds { get; }

    public int LatencySamples => 0;

    /// <summary>[audio thread, or between blocks] Target gain; reached after <see cref="RampMilliseconds"/>.</summary>
    public double GainDb
    {
        get => _gainDb;
        set
        {
            if (value != _gainDb)
            {
                _gainDb = value;
                _gain.Start(Decibels.ToGain(value), _rampFrames);
            }
        }
    }

    /// <summary>[non-real-time] Configures the ramp length for the rate.</summary>
    public void Configure(double sampleRate, int channels, int maxBlockFrames)
    {
        _rampFrames = Math.Max(1, (int)(sampleRate * RampMilliseconds / 1000));
        Reset();
    }

    /// <summary>[audio thread, configured] Jumps to the target gain (no ramp), e.g. before offline rendering.</summary>
    public void Reset() => _gain.Snap(Decibels.ToGain(_gainDb));

    /// <summary>[audio thread, configured] Applies the gain in place.</summary>
    public void Process(AudioBlock block)
    {
        if (_gain.IsSettled)
        {
            float g = (float)_gain.Current;
            if (g == 1f)
            {
                return;
            }

            for (int c = 0; c < block.Channels; c++)
            {
                Span<float> x = block[c];
                for (int i = 0; i < x.Length; i++)
                {
                    x[i] *= g;
                }
            }

            return;
        }

        // Every channel follows the same ramp: run a copy per channel, keep the last.
        LinearRamp start = _gain;
        for (int c = 0; c < block.Channels; c++)
        {
            LinearRamp ramp = start;
            Span<float> x = block[c];
            for (int i = 0; i < x.Length; i++)
            {
                x[i] *= (float)ramp.Next();
            }

            _gain = ramp;
        }
    }
}
