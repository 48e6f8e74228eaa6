using MixMate.Dsp.Utility;

namespace MixMate.Dsp.Dynamics;

/// <summary>
/// Gentle stereo-linked feed-forward bus compressor: level of the loudest channel (peak or RMS),
/// soft-knee static curve, attack/release smoothing of the gain reduction in dB, makeup gain.
/// Structure and knee formula follow Giannoulis, Massberg &amp; Reiss, "Digital Dynamic Range
/// Compressor Design — A Tutorial and Analysis", JAES 60(6), 2012: gain computer eq. (4)
/// (quadratic knee of width W centred on the threshold) and the "smooth decoupled" peak detector
/// (§3.2) placed in the log domain after the gain computer, which the paper recommends: attack
/// and release times do not depend on the amount of compression, and the release hold rides over
/// the dips between waveform peaks instead of letting the gain ripple at twice the frequency.
/// </summary>
public sealed class BusCompressor : IAudioProcessor
{
    private const double MakeupSmoothingMilliseconds = 20.0;

    /// <summary>Reduction (dB) below which a release tail counts as finished.</summary>
    private const double NoReductionDb = 1e-6;

    private float[] _gains = [];
    private int _maxBlock;
    private int _channels;
    private double _sampleRate;
    private double _thresholdDb = -18.0;
    private double _ratio = 2.0;
    private double _kneeDb = 6.0;
    private double _attackMilliseconds = 10.0;
    private double _releaseMilliseconds = 150.0;
    private double _rmsMilliseconds = 10.0;
    private double _attack;
    private double _release;
    private double _rms;
    private double _kneeStartPower;
    private OnePoleSmoother _makeupDb;

    // Detector state: mean square (RMS mode) and smoothed reduction in dB (≥ 0).
    private double _meanSquare;
    private double _reductionDb;
    private double _heldDb;
    private double _gainReductionDb;
    private double _maxGainReductionDb;

    /// <summary>[audio thread or between blocks] Threshold in dBFS (−60…0).</summary>
    public double ThresholdDb
    {
        get => _thresholdDb;
        set
        {
            _thresholdDb = Math.Clamp(double.IsFinite(value) ? value : -18.0, -60.0, 0.0);
            UpdateCurve();
        }
    }

    /// <summary>[audio thread or between blocks] Ratio (1…20); 1 is no compression.</summary>
    public double Ratio
    {
        get => _ratio;
        set => _ratio = Math.Clamp(double.IsFinite(value) ? value : 2.0, 1.0, 20.0);
    }

    /// <summary>[audio thread or between blocks] Knee width in dB (0…24), centred on the threshold.</summary>
    public double KneeDb
    {
        get => _kneeDb;
        set
        {
            _kneeDb = Math.Clamp(double.IsFinite(value) ? value : 6.0, 0.0, 24.0);
            UpdateCurve();
        }
    }

    /// <summary>[audio thread or between blocks] Attack time constant in ms (0.1…200).</summary>
    public double AttackMilliseconds
    {
        get => _attackMilliseconds;
        set
        {
            _attackMilliseconds = Math.Clamp(double.IsFinite(value) ? value : 10.0, 0.1, 200.0);
            UpdateTimeConstants();
        }
    }

    /// <summary>[audio thread or between blocks] Release time constant in ms (5…5000).</summary>
    public double ReleaseMilliseconds
    {
        get => _releaseMilliseconds;
        set
        {
            _releaseMilliseconds = Math.Clamp(double.IsFinite(value) ? value : 150.0, 5.0, 5000.0);
            UpdateTimeConstants();
        }
    }

    /// <summary>[audio thread or between blocks] Averaging time of the RMS detector in ms (1…300).</summary>
    public double RmsMilliseconds
    {
        get => _rmsMilliseconds;
        set
        {
            _rmsMilliseconds = Math.Clamp(double.IsFinite(value) ? value : 10.0, 1.0, 300.0);
            UpdateTimeConstants();
        }
    }

    /// <summary>[audio thread or between blocks] Makeup gain in dB (−24…+24), glided over ~20 ms.</summary>
    public double MakeupDb
    {
        get => _makeupDb.Target;
        set => _makeupDb.SetTarget(Math.Clamp(double.IsFinite(value) ? value : 0.0, -24.0, 24.0));
    }

    /// <summary>[audio thread or between blocks] Level detector.</summary>
    public CompressorDetector Detector { get; set; } = CompressorDetector.Rms;

    /// <summary>[any thread] Current gain reduction in dB (≥ 0, makeup not included).</summary>
    public double GainReductionDb => Volatile.Read(ref _gainReductionDb);

    /// <summary>[any thread] Largest gain reduction in dB since the last reset.</summary>
    public double MaxGainReductionDb => Volatile.Read(ref _maxGainReductionDb);

    /// <inheritdoc />
    public int LatencySamples => 0;

    /// <summary>[any thread] The static curve: output level in dB for a steady input level
    /// <paramref name="inputDb"/> (before makeup), eq. (4) of Giannoulis et al.</summary>
    public double StaticCurveDb(double inputDb)
    {
        double over = inputDb - _thresholdDb;
        double slope = 1.0 / _ratio - 1.0;
        if (2.0 * over <= -_kneeDb)
        {
            return inputDb;
        }

        if (2.0 * over < _kneeDb)
        {
            double k = over + _kneeDb / 2.0;
            return inputDb + slope * k * k / (2.0 * _kneeDb);
        }

        return inputDb + slope * over;
    }

    /// <inheritdoc />
    public void Configure(double sampleRate, int channels, int maxBlockFrames)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        ArgumentOutOfRangeException.ThrowIfNegative(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBlockFrames);
        _sampleRate = sampleRate;
        _channels = channels;
        _maxBlock = maxBlockFrames;
        _gains = new float[maxBlockFrames];
        _makeupDb.SetTimeConstant(MakeupSmoothingMilliseconds * sampleRate / 1000.0);
        _makeupDb.SnapDistance = 1e-6;
        UpdateTimeConstants();
        UpdateCurve();
        Reset();
    }

    /// <inheritdoc />
    public void Reset()
    {
        _meanSquare = 0;
        _reductionDb = 0;
        _heldDb = 0;
        _makeupDb.Snap(_makeupDb.Target);
        Volatile.Write(ref _gainReductionDb, 0.0);
        Volatile.Write(ref _maxGainReductionDb, 0.0);
    }

    /// <inheritdoc />
    public void Process(AudioBlock block)
    {
        if (_maxBlock == 0 || block.Channels == 0)
        {
            return;
        }

        for (int start = 0; start < block.Frames; start += _maxBlock)
        {
            ProcessPiece(block.Slice(start, Math.Min(_maxBlock, block.Frames - start)));
        }
    }

    private void ProcessPiece(AudioBlock block)
    {
        int frames = block.Frames;
        int channels = Math.Min(block.Channels, _channels);
        Span<float> gains = _gains.AsSpan(0, frames);
        ComputeGains(block, channels, gains);
        for (int c = 0; c < channels; c++)
        {
            Span<float> samples = block[c];
            for (int i = 0; i < frames; i++)
            {
                samples[i] *= gains[i];
            }

            Denormals.FlushToZero(samples);
        }

        double reduction = _reductionDb;
        Volatile.Write(ref _gainReductionDb, reduction);
        if (reduction > _maxGainReductionDb)
        {
            Volatile.Write(ref _maxGainReductionDb, reduction);
        }
    }

    /// <summary>
    /// State legend: power = detector level (mean square or peak²) of the loudest channel,
    /// target = static-curve reduction in dB, held = _heldDb (instant attack, release),
    /// y = _reductionDb (held after the attack smoother) — all reductions in dB, ≥ 0.
    /// <paramref name="gains"/> first collects the loudest x² per sample, then receives the gains.
    /// </summary>
    private void ComputeGains(AudioBlock block, int channels, Span<float> gains)
    {
        gains.Clear();
        for (int c = 0; c < channels; c++)
        {
            ReadOnlySpan<float> samples = block[c];
            for (int i = 0; i < gains.Length; i++)
            {
                gains[i] = MathF.Max(gains[i], samples[i] * samples[i]);
            }
        }

        bool rms = Detector == CompressorDetector.Rms;
        double attack = _attack, release = _release, rmsCoefficient = _rms;
        double kneeStart = _kneeStartPower;
        double meanSquare = _meanSquare, y = _reductionDb, held = _heldDb;
        double steadyMakeup = double.NaN;
        float steadyGain = 1f;
        for (int i = 0; i < gains.Length; i++)
        {
            double power = gains[i];
            if (rms)
            {
                meanSquare += (power - meanSquare) * rmsCoefficient;
                power = meanSquare;
            }

            double target = 0;
            if (power > kneeStart)
            {
                double levelDb = 10.0 * Math.Log10(power);
                target = levelDb - StaticCurveDb(levelDb);
            }

            // Smooth decoupled detector: an instant-attack, releasing hold (held) followed by
            // the attack smoother (y). The hold rides over the dips between waveform peaks.
            if (target > 0 || held > 0)
            {
                held = Math.Max(target, release * held + (1.0 - release) * target);
                held = held < NoReductionDb ? 0 : held;
            }

            if (held > 0 || y > 0)
            {
                y = attack * y + (1.0 - attack) * held;
                y = y < NoReductionDb && held == 0 ? 0 : y;
            }

            double makeup = _makeupDb.Next();
            if (y == 0)
            {
                // No reduction: the gain is the makeup alone; recompute only when it moves.
                if (makeup != steadyMakeup)
                {
                    steadyMakeup = makeup;
                    steadyGain = makeup == 0 ? 1f : (float)Math.Pow(10.0, makeup / 20.0);
                }

                gains[i] = steadyGain;
            }
            else
            {
                gains[i] = (float)Math.Pow(10.0, (makeup - y) / 20.0);
            }
        }

        // Mean square decays into subnormals during silence unless flushed.
        _meanSquare = meanSquare < 1e-30 ? 0 : meanSquare;
        _reductionDb = y;
        _heldDb = held;
    }

    private void UpdateCurve()
    {
        // Below threshold − knee/2 the curve is the identity: skip the logarithm there.
        _kneeStartPower = Math.Pow(10.0, (_thresholdDb - _kneeDb / 2.0) / 10.0);
    }

    private void UpdateTimeConstants()
    {
        if (_sampleRate <= 0)
        {
            return;
        }

        _attack = Math.Exp(-1000.0 / (_attackMilliseconds * _sampleRate));
        _release = Math.Exp(-1000.0 / (_releaseMilliseconds * _sampleRate));
        _rms = 1.0 - Math.Exp(-1000.0 / (_rmsMilliseconds * _sampleRate));
    }
}
