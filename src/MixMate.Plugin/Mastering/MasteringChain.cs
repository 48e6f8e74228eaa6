using MixMate.Dsp;
using MixMate.Dsp.Dynamics;
using MixMate.Dsp.Filters;
using MixMate.Dsp.Loudness;
using MixMate.Dsp.Utility;

namespace MixMate.Plugin.Mastering;

/// <summary>
/// The effect's signal chain, independent of any host: input gain → parametric EQ → auto gain
/// (learned) → true-peak limiter, with meters on the output and a loudness meter for learning
/// on the signal before the auto gain. Bypass and limiter on/off crossfade against copies
/// delayed by the limiter's look-ahead, so latency never changes while running.
/// </summary>
/// <remarks>
/// State legend: <c>_inputGain</c>/<c>_autoGain</c> one-pole smoothed linear gains;
/// <c>_wet</c> bypass crossfade (1 = processed); <c>_limited</c> limiter crossfade (1 = limited);
/// <c>_dry</c>/<c>_unlimited</c> scratch for the two alternative paths.
/// Threads: setters and <see cref="Process"/> [audio thread, configured]; <see cref="Configure"/>
/// [main thread]; meter properties [audio thread] (the plug-in publishes them).
/// </remarks>
public sealed class MasteringChain : IAudioProcessor
{
    private const double GainSmoothingMs = 10.0;
    private const double SwitchFadeMs = 10.0;
    private const double MinMeterSampleRate = 8000.0;

    private readonly ParametricEq _eq = new(MasteringParameters.EqBands);
    private readonly TruePeakLimiter _limiter = new();
    private readonly LoudnessMeter _outputMeter = new();
    private readonly LoudnessMeter _learnMeter = new();
    private readonly DelayLine _dryDelay = new();
    private readonly DelayLine _unlimitedDelay = new();
    private OnePoleSmoother _inputGain;
    private OnePoleSmoother _autoGain;
    private LinearRamp _wet;
    private LinearRamp _limited;
    private float[] _dry = [];
    private float[] _unlimited = [];
    private int _stride;
    private int _fadeSteps = 1;

    public int Channels { get; private set; }

    public double SampleRate { get; private set; }

    /// <inheritdoc />
    public int LatencySamples { get; private set; }

    /// <summary>Output true peak since the last reset, dBTP (BS.1770-4 Annex 2).</summary>
    public double TruePeakDbtp => MetersAvailable ? _outputMeter.TruePeakDbtp : double.NegativeInfinity;

    /// <summary>Gain reduction the limiter applies now, dB (≥ 0; 0 while the limiter is off).</summary>
    public double GainReductionDb => _limited.Target > 0 ? _limiter.GainReductionDb : 0.0;

    /// <summary>Momentary loudness of the output (LUFS, EBU Tech 3341); −∞ until measured.</summary>
    public double MomentaryLufs => MetersAvailable ? _outputMeter.MomentaryLufs : double.NegativeInfinity;

    /// <summary>Short-term loudness of the output (LUFS).</summary>
    public double ShortTermLufs => MetersAvailable ? _outputMeter.ShortTermLufs : double.NegativeInfinity;

    /// <summary>Integrated loudness of the output (LUFS, BS.1770-4 gating). O(bins) per read.</summary>
    public double IntegratedLufs => MetersAvailable ? _outputMeter.IntegratedLufs : double.NegativeInfinity;

    /// <summary>Loudness range of the output (LU, EBU Tech 3342). O(bins) per read.</summary>
    public double LoudnessRangeLu => MetersAvailable ? _outputMeter.LoudnessRangeLu : 0.0;

    /// <summary>Integrated loudness of the signal entering the auto gain (what learning
    /// measures); −∞ until measured. O(bins) per read.</summary>
    public double LearnIntegratedLufs => MetersAvailable ? _learnMeter.IntegratedLufs : double.NegativeInfinity;

    /// <summary>False below 8 kHz, where BS.1770 loudness is undefined: meters read −∞.</summary>
    public bool MetersAvailable { get; private set; }

    /// <summary>While true, the learn meter measures the signal before the auto gain.</summary>
    public bool Learning { get; private set; }

    /// <inheritdoc />
    public void Configure(double sampleRate, int channels, int maxBlockFrames)
    {
        SampleRate = sampleRate;
        Channels = channels;
        _stride = Math.Max(1, maxBlockFrames);
        _eq.Configure(sampleRate, channels, _stride);
        _limiter.Configure(sampleRate, channels, _stride);
        // BS.1770 is defined from 8 kHz up; below that (hosts do probe odd rates) the meters and
        // learning stay silent instead of refusing the setup.
        MetersAvailable = sampleRate >= MinMeterSampleRate;
        if (MetersAvailable)
        {
            _outputMeter.Configure(sampleRate, channels, _stride);
            _learnMeter.Configure(sampleRate, channels, _stride);
        }

        LatencySamples = _limiter.LatencySamples;
        _dryDelay.Configure(channels, LatencySamples);
        _unlimitedDelay.Configure(channels, LatencySamples);
        _dry = new float[channels * _stride];
        _unlimited = new float[channels * _stride];
        double samplesPerMs = sampleRate / 1000.0;
        _inputGain.SetTimeConstant(GainSmoothingMs * samplesPerMs);
        _inputGain.SnapDistance = 1e-7;
        _autoGain.SetTimeConstant(GainSmoothingMs * samplesPerMs);
        _autoGain.SnapDistance = 1e-7;
        _fadeSteps = Math.Max(1, (int)Math.Round(SwitchFadeMs * samplesPerMs));
        _wet.Snap(1.0);
        _limited.Snap(1.0);
    }

    /// <inheritdoc />
    public void Reset()
    {
        _eq.Reset();
        _limiter.Reset();
        if (MetersAvailable)
        {
            _outputMeter.Reset();
            _learnMeter.Reset();
        }

        _dryDelay.Reset();
        _unlimitedDelay.Reset();
        _inputGain.Snap(_inputGain.Target);
        _autoGain.Snap(_autoGain.Target);
        _wet.Snap(_wet.Target);
        _limited.Snap(_limited.Target);
    }

    /// <summary>Clears the output meters (true peak hold, loudness integration).</summary>
    public void ResetMeters()
    {
        if (MetersAvailable)
        {
            _outputMeter.Reset();
        }
    }

    /// <summary>Starts (with a fresh measurement) or stops learning.</summary>
    public void SetLearning(bool on)
    {
        if (on && !Learning && MetersAvailable)
        {
            _learnMeter.Reset();
        }

        Learning = on && MetersAvailable;
    }

    public void SetInputGainDb(double db, bool snap) => SetGain(ref _inputGain, db, snap);

    public void SetAutoGainDb(double db, bool snap) => SetGain(ref _autoGain, db, snap);

    public void SetBand(int band, EqBand settings) => _eq.SetBand(band, settings);

    public void SetBypass(bool bypass, bool snap) => SetSwitch(ref _wet, bypass ? 0.0 : 1.0, snap);

    public void SetLimiter(bool on, bool snap) => SetSwitch(ref _limited, on ? 1.0 : 0.0, snap);

    /// <summary>True-peak ceiling of the limiter, dBTP.</summary>
    public void SetCeilingDbtp(double dbtp) => _limiter.CeilingDbtp = dbtp;

    /// <inheritdoc />
    public void Process(AudioBlock block)
    {
        for (int start = 0; start < block.Frames; start += _stride)
        {
            ProcessPiece(block.Slice(start, Math.Min(_stride, block.Frames - start)));
        }
    }

    private void ProcessPiece(AudioBlock block)
    {
        int n = block.Frames;
        if (n == 0)
        {
            return;
        }

        var dry = new AudioBlock(_dry, Channels, n, _stride);
        block.CopyTo(dry);
        for (int c = 0; c < Channels; c++)
        {
            _dryDelay.Process(c, dry[c]);
        }

        _dryDelay.Advance(n);
        ApplyGain(block, ref _inputGain);
        _eq.Process(block);
        if (Learning)
        {
            _learnMeter.Process(block);
        }

        ApplyGain(block, ref _autoGain);

        var unlimited = new AudioBlock(_unlimited, Channels, n, _stride);
        block.CopyTo(unlimited);
        for (int c = 0; c < Channels; c++)
        {
            _unlimitedDelay.Process(c, unlimited[c]);
        }

        _unlimitedDelay.Advance(n);
        _limiter.Process(block);
        Crossfade(block, unlimited, ref _limited);
        Crossfade(block, dry, ref _wet);
        Denormals.FlushToZero(block);
        if (MetersAvailable)
        {
            _outputMeter.Process(block);
        }
    }

    private static void ApplyGain(AudioBlock block, ref OnePoleSmoother gain)
    {
        if (gain.IsSettled)
        {
            float g = (float)gain.Current;
            if (g != 1f)
            {
                for (int c = 0; c < block.Channels; c++)
                {
                    Span<float> x = block[c];
                    for (int i = 0; i < x.Length; i++)
                    {
                        x[i] *= g;
                    }
                }
            }

            return;
        }

        for (int i = 0; i < block.Frames; i++)
        {
            float g = (float)gain.Next();
            for (int c = 0; c < block.Channels; c++)
            {
                block[c][i] *= g;
            }
        }
    }

    // block = mix·block + (1 − mix)·other, mix following the ramp per sample.
    private static void Crossfade(AudioBlock block, AudioBlock other, ref LinearRamp mix)
    {
        if (mix.IsSettled)
        {
            if (mix.Current == 0.0)
            {
                other.CopyTo(block);
            }

            return;
        }

        for (int i = 0; i < block.Frames; i++)
        {
            float m = (float)mix.Next();
            for (int c = 0; c < block.Channels; c++)
            {
                Span<float> x = block[c];
                x[i] = m * x[i] + (1f - m) * other[c][i];
            }
        }
    }

    private static void SetGain(ref OnePoleSmoother gain, double db, bool snap)
    {
        double g = Decibels.ToGain(Math.Clamp(double.IsFinite(db) ? db : 0.0, -60.0, 40.0));
        if (snap)
        {
            gain.Snap(g);
        }
        else
        {
            gain.SetTarget(g);
        }
    }

    private void SetSwitch(ref LinearRamp ramp, double target, bool snap)
    {
        if (snap)
        {
            ramp.Snap(target);
        }
        else if (ramp.Target != target)
        {
            ramp.Start(target, _fadeSteps);
        }
    }
}
