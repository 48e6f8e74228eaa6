namespace MixMate.Dsp.Loudness;

/// <summary>
/// True-peak meter (ITU-R BS.1770-4 Annex 2) as a read-only processor: <see cref="Process"/>
/// measures the block and leaves the audio untouched. Holds the maximum per channel and overall
/// until <see cref="ResetPeak"/>.
/// </summary>
/// <remarks>
/// The reading lags the audio by <see cref="MeasurementDelaySamples"/> (the interpolator's group
/// delay); the audio itself is not delayed, so <see cref="LatencySamples"/> is 0. At the end of a
/// programme call <see cref="Flush"/> so the last samples' inter-sample peaks are included.
/// Readers on other threads may poll the peak properties: each is a single aligned float store.
/// </remarks>
public sealed class TruePeakDetector : IAudioProcessor
{
    private readonly TruePeakOversampler _oversampler = new();
    private float[] _channelPeaks = [];
    private float[] _zeros = [];

    /// <summary>Configured channel count.</summary>
    /// <remarks>[any thread]</remarks>
    public int Channels { get; private set; }

    /// <summary>Oversampling factor in use (1, 2 or 4; see <see cref="TruePeakOversampler.Factor"/>).</summary>
    /// <remarks>[any thread]</remarks>
    public int Factor => _oversampler.Factor;

    /// <summary>Samples by which the peak reading trails the audio.</summary>
    /// <remarks>[any thread]</remarks>
    public int MeasurementDelaySamples => _oversampler.LatencySamples;

    /// <inheritdoc />
    /// <remarks>[any thread] 0: metering does not delay the audio.</remarks>
    public int LatencySamples => 0;

    /// <summary>Largest true peak over all channels, linear (1.0 = 0 dBTP).</summary>
    /// <remarks>[any thread]</remarks>
    public double TruePeak
    {
        get
        {
            float max = 0f;
            foreach (float p in _channelPeaks)
            {
                max = MathF.Max(max, p);
            }

            return max;
        }
    }

    /// <summary>Largest true peak over all channels in dBTP; −∞ before any non-zero sample.</summary>
    /// <remarks>[any thread]</remarks>
    public double TruePeakDbtp => Decibels.FromGain(TruePeak);

    /// <summary>True peak of one channel, linear.</summary>
    /// <remarks>[any thread]</remarks>
    public double ChannelTruePeak(int channel) => _channelPeaks[channel];

    /// <summary>True peak of one channel in dBTP; −∞ before any non-zero sample.</summary>
    /// <remarks>[any thread]</remarks>
    public double ChannelTruePeakDbtp(int channel) => Decibels.FromGain(_channelPeaks[channel]);

    /// <inheritdoc />
    /// <remarks>[non-real-time] <paramref name="maxBlockFrames"/> is not needed: the interpolator
    /// works in fixed internal chunks.</remarks>
    public void Configure(double sampleRate, int channels, int maxBlockFrames)
    {
        _oversampler.Configure(sampleRate, channels);
        Channels = channels;
        _channelPeaks = new float[channels];
        _zeros = new float[Math.Max(_oversampler.LatencySamples, 1)];
    }

    /// <inheritdoc />
    /// <remarks>[audio thread, configured] Reads the block; never writes it. Channels beyond the
    /// configured count are ignored.</remarks>
    public void Process(AudioBlock block)
    {
        int channels = Math.Min(block.Channels, Channels);
        for (int c = 0; c < channels; c++)
        {
            // Only a value above the hold can change it: the oversampler skips its filter for
            // spans too quiet to reach it (exact, see the floor overload).
            float peak = _oversampler.ProcessMaxPeak(c, block[c], _channelPeaks[c]);
            // A non-finite reading comes from NaN/∞ input, not from the programme; skip it.
            if (peak > _channelPeaks[c] && float.IsFinite(peak))
            {
                _channelPeaks[c] = peak;
            }
        }
    }

    /// <summary>[audio thread or non-real-time, configured] Feeds <see cref="MeasurementDelaySamples"/>
    /// zeros per channel so the last real samples are fully interpolated (end of programme).
    /// Allocates nothing.</summary>
    public void Flush()
    {
        for (int c = 0; c < Channels; c++)
        {
            float peak = _oversampler.ProcessMaxPeak(c, _zeros.AsSpan(0, _oversampler.LatencySamples));
            if (peak > _channelPeaks[c] && float.IsFinite(peak))
            {
                _channelPeaks[c] = peak;
            }
        }
    }

    /// <summary>[audio thread or UI thread, configured] Restarts the peak hold; keeps the
    /// interpolator history so the next reading is not disturbed.</summary>
    public void ResetPeak() => Array.Clear(_channelPeaks);

    /// <inheritdoc />
    /// <remarks>[audio thread or non-real-time, configured] Clears the interpolator history and
    /// the peak hold.</remarks>
    public void Reset()
    {
        _oversampler.Reset();
        Array.Clear(_channelPeaks);
    }
}
