using MixMate.Dsp;
using MixMate.Dsp.Loudness;
using MixMate.Dsp.Mastering;
using MixMate.Dsp.Utility;

namespace MixMate.Plugin.Mastering;

/// <summary>
/// The effect's audio path: input trim → <see cref="MasterChain"/> (the very object
/// <c>mixmate master</c> renders: EQ → gain → limiter; its DC blocker off, see the constructor)
/// → loudness-matched compare → host bypass crossfade → output meters. Only what a plug-in needs
/// and an offline render does not lives here.
/// </summary>
/// <remarks>
/// Why the input gain stays in front of the chain instead of joining <see cref="MasterChain.GainDb"/>:
/// the learned loudness (saved in every session) is defined as the loudness after input gain and
/// EQ, so moving the input gain behind the chain's learn tap would change what old sessions
/// mean. <see cref="MasterChain.GainDb"/> carries the learned auto gain — in the CLI it is the gain
/// that reaches the loudness target, the same role. Limiter on/off is the chain's own
/// constant-latency crossfade; host bypass crossfades against the input delayed by the chain's
/// latency, so latency never changes while running.
/// <para>Compare (A/B at equal loudness): the input as it arrives and the chain's output are
/// measured all the time (short-term loudness, BS.1770 / EBU Tech 3341, 3 s; the chain's output
/// by the output meter while that is what goes out, by a meter of its own otherwise); while comparing,
/// the listener hears the input delayed by the latency and raised or lowered by the difference
/// (<see cref="CompareGainDb"/>, ±24 dB, held over silence, followed with a 0.5 s time constant),
/// so what changes is what the processing does to the sound, not how loud it is. Switching
/// crossfades in 10 ms; latency never changes.</para>
/// State legend: <c>_inputGain</c> one-pole smoothed linear trim; <c>_wet</c> bypass crossfade
/// (1 = processed); <c>_processed</c> compare crossfade (1 = processed, 0 = the matched input);
/// <c>_match</c> the smoothed linear match gain; <c>_dry</c> scratch for the delayed input.
/// Threads: setters and <see cref="Process"/> [audio thread, configured]; <see cref="Configure"/>
/// [main thread]; meter properties [audio thread] (the plug-in publishes them).
/// </remarks>
public sealed class MasteringSignalPath : IAudioProcessor, IDisposable
{
    private const double GainSmoothingMs = 10.0;
    private const double SwitchFadeMs = 10.0;
    private const double MinMeterSampleRate = 8000.0;
    private const double MatchSmoothingMs = 500.0;
    private const double MaxMatchDb = 24.0;
    private const double MatchFloorLufs = -70.0;

    private readonly LoudnessMeter _outputMeter = new();
    private readonly LoudnessMeter _learnMeter = new();
    private readonly LoudnessMeter _inputLoudness = new();
    private readonly LoudnessMeter _processedLoudness = new();
    private OnePoleSmoother _match;
    private LinearRamp _processed;
    private double _matchDb;
    private long _processedFrames;
    private long _shortTermFrames = 144000;
    private readonly DelayLine _dryDelay = new();
    private OnePoleSmoother _inputGain;
    private LinearRamp _wet;
    private float[] _dry = [];
    private int _stride;
    private int _fadeSteps = 1;

    /// <summary>[main thread] Unity trim, not bypassed, limiter on, EQ bands off, DC blocker off.</summary>
    public MasteringSignalPath()
    {
        // An insert must be transparent at its defaults (checked in a real Ardour render): the
        // chain's 5 Hz DC blocker is not, for signals that start or stop abruptly (a switched-on
        // sine overshoots by a few tenths of a dB while the high-pass settles). A DAW track has
        // no DC to remove in the common case, and switching the stage in and out would click
        // (MasterChain toggles it without a crossfade), so the plug-in leaves it off.
        Chain.DcBlockerEnabled = false;

        // Learning needs the integrated loudness only: no range histogram (faster instance setup).
        _learnMeter.MeasuresRange = false;
        // … and no true peak: the learn tap reads the integrated loudness only, and the
        // oversampling would be a third of the meter's work on the audio thread.
        _learnMeter.MeasuresTruePeak = false;

        // The compare match reads short-term loudness only.
        foreach (LoudnessMeter m in (ReadOnlySpan<LoudnessMeter>)[_inputLoudness, _processedLoudness])
        {
            m.MeasuresRange = false;
            m.MeasuresTruePeak = false;
        }

        _inputGain.Snap(1.0);
        _wet.Snap(1.0);
        _processed.Snap(1.0);
        _match.Snap(1.0);
    }

    /// <summary>The shared mastering chain; the plug-in sets <see cref="MasterChain.Eq"/>,
    /// <see cref="MasterChain.GainDb"/>, <see cref="MasterChain.LimiterEnabled"/> and the limiter's
    /// ceiling on it. [audio thread, configured]</summary>
    public MasterChain Chain { get; } = new(MasteringParameters.EqBands);

    public int Channels { get; private set; }

    public double SampleRate { get; private set; }

    /// <inheritdoc />
    public int LatencySamples => Chain.LatencySamples;

    /// <summary>Output true peak since the last reset, dBTP (BS.1770-4 Annex 2).</summary>
    public double TruePeakDbtp => MetersAvailable ? _outputMeter.TruePeakDbtp : double.NegativeInfinity;

    /// <summary>Gain reduction the limiter applies now, dB (≥ 0; 0 while the limiter is off).</summary>
    public double GainReductionDb => Chain.LimiterEnabled ? Chain.Limiter.GainReductionDb : 0.0;

    /// <summary>Momentary loudness of the output (LUFS, EBU Tech 3341); −∞ until measured.</summary>
    public double MomentaryLufs => MetersAvailable ? _outputMeter.MomentaryLufs : double.NegativeInfinity;

    /// <summary>Short-term loudness of the output (LUFS).</summary>
    public double ShortTermLufs => MetersAvailable ? _outputMeter.ShortTermLufs : double.NegativeInfinity;

    /// <summary>Integrated loudness of the output (LUFS, BS.1770-4 gating). O(bins) per read.</summary>
    public double IntegratedLufs => MetersAvailable ? _outputMeter.IntegratedLufs : double.NegativeInfinity;

    /// <summary>Loudness range of the output (LU, EBU Tech 3342). O(bins) per read.</summary>
    public double LoudnessRangeLu => MetersAvailable ? _outputMeter.LoudnessRangeLu : 0.0;

    /// <summary>Integrated loudness of the signal entering the chain's gain stage (what learning
    /// measures); −∞ until measured. O(bins) per read.</summary>
    public double LearnIntegratedLufs => MetersAvailable ? _learnMeter.IntegratedLufs : double.NegativeInfinity;

    /// <summary>What the input sounds like as it arrives, before the input trim: clipping,
    /// true-peak overs, correlation, polarity/phase, balance (<c>mixmate check</c>'s rules, live).
    /// Silent below 8 kHz with the other meters. [audio thread]</summary>
    public MixMate.Dsp.Metering.LiveProblemMeter InputProblems { get; } = new();

    /// <summary>While comparing: the gain that brings the input to the processed output's
    /// short-term loudness, dB (0 until both have been heard; held while either is silent).
    /// Measured whether or not comparing, so a switch is matched at once.</summary>
    public double CompareGainDb => _matchDb;

    /// <summary>True while the listener hears the loudness-matched input (or fades to it).</summary>
    public bool Comparing => _processed.Target == 0.0;

    /// <summary>False below 8 kHz, where BS.1770 loudness is undefined: meters read −∞.</summary>
    public bool MetersAvailable { get; private set; }

    /// <summary>While true, the learn meter measures the signal before the chain's gain.</summary>
    public bool Learning { get; private set; }

    /// <summary>Where the mix session listens: the signal after the input trim, before the EQ —
    /// so a suggestion describes the track as it arrives, and applying it (EQ bands, the
    /// balance gain behind the EQ) does not change what the next take hears. Null: nobody
    /// listens. [audio thread]</summary>
    public Session.AnalysisRing? Tap { get; set; }

    /// <inheritdoc />
    public void Configure(double sampleRate, int channels, int maxBlockFrames)
    {
        SampleRate = sampleRate;
        Channels = channels;
        _stride = Math.Max(1, maxBlockFrames);
        Chain.Configure(sampleRate, channels, _stride);

        // BS.1770 is defined from 8 kHz up; below that (hosts do probe odd rates) the meters and
        // learning stay silent instead of refusing the setup.
        MetersAvailable = sampleRate >= MinMeterSampleRate;
        if (MetersAvailable)
        {
            _outputMeter.Configure(sampleRate, channels, _stride);
            _learnMeter.Configure(sampleRate, channels, _stride);
            _inputLoudness.Configure(sampleRate, channels, _stride);
            _processedLoudness.Configure(sampleRate, channels, _stride);
            InputProblems.Configure(sampleRate, channels);
        }

        Learning = Learning && MetersAvailable;
        Chain.PreGainMeter = Learning ? _learnMeter : null;
        _dryDelay.Configure(channels, Chain.LatencySamples);
        _dry = new float[channels * _stride];
        double samplesPerMs = sampleRate / 1000.0;
        _inputGain.SetTimeConstant(GainSmoothingMs * samplesPerMs);
        _inputGain.SnapDistance = 1e-7;
        _fadeSteps = Math.Max(1, (int)Math.Round(SwitchFadeMs * samplesPerMs));
        _match.SetTimeConstant(MatchSmoothingMs * samplesPerMs);
        _shortTermFrames = (long)Math.Ceiling(3.0 * sampleRate) + _stride;
        _match.SnapDistance = 1e-7;
        _wet.Snap(_wet.Target);
        _processed.Snap(_processed.Target);
    }

    /// <summary>Clears signal state; every gain and switch jumps to its target (the chain's
    /// <see cref="MasterChain.Reset"/> does the same for its gain and limiter switch).</summary>
    public void Reset()
    {
        Chain.Reset();
        if (MetersAvailable)
        {
            _outputMeter.Reset();
            _learnMeter.Reset();
            _inputLoudness.Reset();
            _processedLoudness.Reset();
            InputProblems.Reset();
        }

        _dryDelay.Reset();
        _inputGain.Snap(_inputGain.Target);
        _wet.Snap(_wet.Target);
        _processed.Snap(_processed.Target);
        _matchDb = 0;
        _processedFrames = 0;
        _match.Snap(1.0);
    }

    /// <summary>[main thread, no longer processing] Frees the meters' native memory.</summary>
    public void Dispose()
    {
        _outputMeter.Dispose();
        _learnMeter.Dispose();
        _inputLoudness.Dispose();
        _processedLoudness.Dispose();
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
        Chain.PreGainMeter = Learning ? _learnMeter : null;
    }

    /// <summary>Input trim in front of the chain, dB (clamped to −60…+40; NaN → 0).</summary>
    public void SetInputGainDb(double db, bool snap)
    {
        double g = Decibels.ToGain(Math.Clamp(double.IsFinite(db) ? db : 0.0, -60.0, 40.0));
        if (snap)
        {
            _inputGain.Snap(g);
        }
        else
        {
            _inputGain.SetTarget(g);
        }
    }

    /// <summary>Host bypass: a 10 ms crossfade to the input delayed by the latency.</summary>
    public void SetBypass(bool bypass, bool snap)
    {
        double target = bypass ? 0.0 : 1.0;
        if (snap)
        {
            _wet.Snap(target);
        }
        else if (_wet.Target != target)
        {
            _wet.Start(target, _fadeSteps);
        }
    }

    /// <summary>Compare on: the loudness-matched input, crossfaded in 10 ms (snap: at once).</summary>
    public void SetCompare(bool compare, bool snap)
    {
        double target = compare ? 0.0 : 1.0;
        if (snap)
        {
            _processed.Snap(target);
        }
        else if (_processed.Target != target)
        {
            _processed.Start(target, _fadeSteps);
        }
    }

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

        if (MetersAvailable)
        {
            InputProblems.Process(block);
            _inputLoudness.Process(block);
        }

        var dry = new AudioBlock(_dry, Channels, n, _stride);
        block.CopyTo(dry);
        _dryDelay.Process(dry);
        ApplyInputGain(block);
        Tap?.Write(block);
        Chain.Process(block);

        // While the output is the processed signal (the common case) the output meter measures
        // it; only while comparing, bypassed or fading does a meter of its own run.
        bool outputIsProcessed = _processed.IsSettled && _processed.Current == 1.0 && _wet.IsSettled && _wet.Current == 1.0;
        if (MetersAvailable && !outputIsProcessed)
        {
            _processedLoudness.Process(block);
            _processedFrames += n;
        }
        else
        {
            _processedFrames = 0;
        }

        if (!(_processed.IsSettled && _processed.Current == 1.0))
        {
            CompareWithMatchedInput(block, dry);
        }
        else
        {
            _match.Snap(_match.Target);
        }

        Crossfade(block, dry, ref _wet);
        Denormals.FlushToZero(block);
        if (MetersAvailable)
        {
            _outputMeter.Process(block);
            UpdateMatch(outputIsProcessed);
        }
    }

    // The match gain's target: processed minus input short-term loudness (both updated every
    // 10 ms), held while either is silent — and held for the first 3 s of the processed meter's
    // own run, until its window holds only what it measured in this run.
    private void UpdateMatch(bool outputIsProcessed)
    {
        double processed;
        if (outputIsProcessed)
        {
            processed = _outputMeter.ShortTermLufs;
        }
        else if (_processedFrames >= _shortTermFrames)
        {
            processed = _processedLoudness.ShortTermLufs;
        }
        else
        {
            return;
        }

        double input = _inputLoudness.ShortTermLufs;
        if (processed > MatchFloorLufs && input > MatchFloorLufs)
        {
            _matchDb = Math.Clamp(processed - input, -MaxMatchDb, MaxMatchDb);
            _match.SetTarget(Decibels.ToGain(_matchDb));
        }
    }

    // block = k·block + (1 − k)·g·dry, k the compare ramp and g the smoothed match gain per sample.
    private void CompareWithMatchedInput(AudioBlock block, AudioBlock dry)
    {
        for (int i = 0; i < block.Frames; i++)
        {
            float k = (float)_processed.Next();
            float g = (float)_match.Next();
            for (int c = 0; c < block.Channels; c++)
            {
                Span<float> x = block[c];
                x[i] = k * x[i] + (1f - k) * g * dry[c][i];
            }
        }
    }

    private void ApplyInputGain(AudioBlock block)
    {
        if (_inputGain.IsSettled)
        {
            float g = (float)_inputGain.Current;
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
            float g = (float)_inputGain.Next();
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
}
