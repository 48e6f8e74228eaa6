using MixMate.Dsp.Loudness;
using MixMate.Dsp.Utility;

namespace MixMate.Dsp.Dynamics;

/// <summary>
/// Stereo-linked true-peak look-ahead brickwall limiter for mastering.
/// </summary>
/// <remarks>
/// <para>Gain path, per sample (one gain for all channels):</para>
/// <list type="number">
/// <item>Input gain (smoothed), then true-peak detection with <see cref="TruePeakOversampler"/>
/// (ITU-R BS.1770-4 Annex 2 interpolation): p = max over channels of the oversampled |x|.</item>
/// <item>Needed gain r = min(1, ceiling / p).</item>
/// <item>m = minimum of r over the last S + 2 + H samples (S = look-ahead, H = hold, in samples).</item>
/// <item>Release, in the log domain: e = min(ln m, released e), where the released e rises
/// quickly (<see cref="ReleaseMilliseconds"/>) towards s, a running level of the needed reduction
/// ln m (not of e: a release tail is not limiting) that falls with a 2 s memory and rises with
/// <see cref="SustainedReleaseMilliseconds"/>, and only slowly (<see cref="SustainedReleaseMilliseconds"/>)
/// from there towards 0. A drum hit needs reduction for a few milliseconds and barely moves s, so
/// percussive material recovers fully between hits; sustained limiting drags s down, so the gain
/// then recovers slowly — programme-dependent release without pumping on dense material.</item>
/// <item>Attack: exp(e) through two cascaded moving averages of lengths L1 + L2 − 1 = S, an FIR of
/// S taps with positive weights summing to 1 (a trapezoid: an S-shaped gain ramp).</item>
/// </list>
/// <para>Why nothing overshoots: r[j] enters the minimum for S + 2 consecutive outputs, and every
/// tap of the S-tap smoother at outputs j + S − 1 … j + S + 1 reads one of them, so the applied gain
/// there is ≤ r[j]. Audio is delayed by D + S (D = interpolator delay), which places the audio
/// samples j − D − 1 … j − D + 1 — the samples around the interpolated peak that r[j] was computed
/// from — under those outputs. The same structure as Adriaensen's and Gareus's look-ahead limiters
/// (minimum hold followed by a FIR smoother); the code here is our own.</para>
/// <para>Below the ceiling every stage passes exactly 1.0, so the output is the input delayed by
/// <see cref="LatencySamples"/>, bit for bit.</para>
/// </remarks>
public sealed class TruePeakLimiter : IAudioProcessor
{
    /// <summary>Largest accepted look-ahead.</summary>
    public const double MaxLookaheadMilliseconds = 5.0;

    /// <summary>Floor of the needed gain (−180 dB) so its logarithm stays finite.</summary>
    private const double MinGain = 1e-9;

    /// <summary>|e| below this (nepers, ≈ 9e−6 dB) counts as no reduction, ending release tails.</summary>
    private const double UnityLogGain = 1e-6;

    private const double InputGainSmoothingMilliseconds = 10.0;

    /// <summary>Time constant with which the running level s follows deeper reduction: a few
    /// seconds, so only limiting that lasts that long (not a drum hit) slows the release.</summary>
    private const double ProgrammeMemoryMilliseconds = 2000.0;

    private readonly TruePeakOversampler _oversampler = new();
    private SlidingMinimum _minimum = new(1);
    private MovingAverage _smoothFirst = new(1, 1.0);
    private MovingAverage _smoothSecond = new(1, 1.0);
    private readonly DelayLine _delay = new();
    private float[] _peaks = [];
    private float[] _channelPeaks = [];
    private float[] _gains = [];
    private double[] _smooth = [];
    private int _maxBlock;
    private int _channels;
    private double _sampleRate;

    private double _ceilingDbtp = -1.0;
    private double _ceiling = Decibels.ToGain(-1.0);
    private double _inputGainDb;
    private double _lookaheadMilliseconds = 1.5;
    private double _releaseMilliseconds = 50.0;
    private double _holdMilliseconds = 15.0;
    private double _sustainedReleaseMilliseconds = 800.0;
    private double _fastRelease;
    private double _slowRelease;
    private double _programmeMemory;
    private OnePoleSmoother _inputGain;

    // Release stage state: e (log gain after release) and s (its running mean), both ≤ 0.
    private double _logGain;
    private double _sustained;

    // Meters (audio thread writes at the end of each piece; readers poll).
    private double _gainReductionDb;
    private double _maxGainReductionDb;
    private double _reductionSumDb;
    private long _meteredSamples;

    /// <summary>[any thread] Output ceiling in dBTP (−20…0). Takes effect at the next sample; a
    /// lower ceiling is reached through the attack ramp, a higher one through the release.</summary>
    public double CeilingDbtp
    {
        get => _ceilingDbtp;
        set
        {
            _ceilingDbtp = Math.Clamp(double.IsFinite(value) ? value : -1.0, -20.0, 0.0);
            _ceiling = Decibels.ToGain(_ceilingDbtp);
        }
    }

    /// <summary>[audio thread or between blocks] Gain in dB applied before limiting (−24…+36),
    /// glided over ~10 ms.</summary>
    public double InputGainDb
    {
        get => _inputGainDb;
        set
        {
            _inputGainDb = Math.Clamp(double.IsFinite(value) ? value : 0.0, -24.0, 36.0);
            _inputGain.SetTarget(Decibels.ToGain(_inputGainDb));
        }
    }

    /// <summary>[non-real-time] Look-ahead (0.1…5 ms); takes effect at the next
    /// <see cref="Configure"/>, because it changes <see cref="LatencySamples"/>.</summary>
    public double LookaheadMilliseconds
    {
        get => _lookaheadMilliseconds;
        set => _lookaheadMilliseconds = Math.Clamp(double.IsFinite(value) ? value : 1.5, 0.1, MaxLookaheadMilliseconds);
    }

    /// <summary>[non-real-time] How long the needed gain is held after a peak before the release
    /// starts (0…50 ms, applied at <c>Configure</c>). Without a hold the gain recovers between the
    /// waveform peaks of a bass note and modulates it (audible as distortion below ~150 Hz); 15 ms
    /// bridges the half-period of anything above 33 Hz. The hold extends the sliding minimum into
    /// the past only, so it adds no latency and can only lower the gain (the no-overshoot argument
    /// is unchanged).</summary>
    public double HoldMilliseconds
    {
        get => _holdMilliseconds;
        set => _holdMilliseconds = Math.Clamp(double.IsFinite(value) ? value : 15.0, 0.0, 50.0);
    }

    /// <summary>[audio thread or between blocks] Time constant of the fast release towards the
    /// programme's running gain-reduction level (5…1000 ms).</summary>
    public double ReleaseMilliseconds
    {
        get => _releaseMilliseconds;
        set
        {
            _releaseMilliseconds = Math.Clamp(double.IsFinite(value) ? value : 50.0, 5.0, 1000.0);
            UpdateTimeConstants();
        }
    }

    /// <summary>[audio thread or between blocks] Time constant of the slow release back to 0 dB
    /// after sustained limiting (50…5000 ms).</summary>
    public double SustainedReleaseMilliseconds
    {
        get => _sustainedReleaseMilliseconds;
        set
        {
            _sustainedReleaseMilliseconds = Math.Clamp(double.IsFinite(value) ? value : 800.0, 50.0, 5000.0);
            UpdateTimeConstants();
        }
    }

    /// <summary>[non-real-time] Sets release, hold and sustained release to those of
    /// <paramref name="character"/> (the hold takes effect at the next <see cref="Configure"/>).</summary>
    public void SetCharacter(LimiterCharacter character)
    {
        (double release, double hold, double sustained) = character switch
        {
            LimiterCharacter.Dense => (20.0, 5.0, 50.0),
            _ => (50.0, 15.0, 800.0),
        };
        ReleaseMilliseconds = release;
        HoldMilliseconds = hold;
        SustainedReleaseMilliseconds = sustained;
    }

    /// <summary>[any thread] Optional per-piece callback with the applied gains (for plots).</summary>
    public LimiterGainObserver? GainObserver { get; set; }

    /// <summary>[any thread] Gain reduction in dB (≥ 0) applied to the last processed sample.</summary>
    public double GainReductionDb => Volatile.Read(ref _gainReductionDb);

    /// <summary>[any thread] Largest gain reduction in dB since the last meter reset.</summary>
    public double MaxGainReductionDb => Volatile.Read(ref _maxGainReductionDb);

    /// <summary>[any thread, quiescent] Mean gain reduction in dB over all samples since the last
    /// meter reset (samples without reduction count as 0 dB), for reports.</summary>
    public double MeanGainReductionDb => _meteredSamples == 0 ? 0.0 : _reductionSumDb / _meteredSamples;

    /// <summary>[any thread] Input-to-output delay: interpolator delay plus look-ahead.</summary>
    public int LatencySamples { get; private set; }

    /// <summary>[any thread, configured] Look-ahead in samples (S), excluding the interpolator delay.</summary>
    public int LookaheadSamples { get; private set; }

    /// <summary>[any thread, configured] Oversampling factor used for true-peak detection.</summary>
    public int OversamplingFactor => _oversampler.Factor;

    /// <inheritdoc />
    public void Configure(double sampleRate, int channels, int maxBlockFrames)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        ArgumentOutOfRangeException.ThrowIfNegative(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBlockFrames);
        _sampleRate = sampleRate;
        _channels = channels;
        _maxBlock = maxBlockFrames;
        _oversampler.Configure(sampleRate, channels);

        int lookahead = Math.Max(2, (int)Math.Round(_lookaheadMilliseconds * sampleRate / 1000.0));
        LookaheadSamples = lookahead;
        int first = (lookahead + 1) / 2;
        int second = lookahead + 1 - first;
        int hold = (int)Math.Round(_holdMilliseconds * sampleRate / 1000.0);
        _minimum = new SlidingMinimum(lookahead + 2 + hold);
        _smoothFirst = new MovingAverage(first, 1.0);
        _smoothSecond = new MovingAverage(second, 1.0);
        LatencySamples = _oversampler.LatencySamples + lookahead;

        _delay.Configure(channels, LatencySamples);

        _peaks = new float[maxBlockFrames];
        _channelPeaks = new float[maxBlockFrames];
        _gains = new float[maxBlockFrames];
        _smooth = new double[maxBlockFrames];
        _inputGain.SetTimeConstant(InputGainSmoothingMilliseconds * sampleRate / 1000.0);
        _inputGain.SnapDistance = 1e-7;
        UpdateTimeConstants();
        Reset();
    }

    /// <inheritdoc />
    public void Reset()
    {
        _oversampler.Reset();
        _minimum.Reset();
        _smoothFirst.Reset();
        _smoothSecond.Reset();
        _delay.Reset();
        _logGain = 0;
        _sustained = 0;
        _inputGain.Snap(Decibels.ToGain(_inputGainDb));
        ResetMeters();
    }

    /// <summary>[audio thread, or any thread while not processing] Clears max and mean gain reduction.</summary>
    public void ResetMeters()
    {
        Volatile.Write(ref _gainReductionDb, 0.0);
        Volatile.Write(ref _maxGainReductionDb, 0.0);
        _reductionSumDb = 0;
        _meteredSamples = 0;
    }

    /// <inheritdoc />
    /// <remarks>Channels beyond the configured count are left untouched (and undelayed).</remarks>
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
        ApplyInputGain(block, channels, gains);

        // Detection: the loudest interpolated value of all channels, per sample.
        Span<float> peaks = _peaks.AsSpan(0, frames);
        Span<float> channelPeaks = _channelPeaks.AsSpan(0, frames);
        peaks.Clear();
        for (int c = 0; c < channels; c++)
        {
            _oversampler.ProcessPeaks(c, block[c], channelPeaks);
            for (int i = 0; i < frames; i++)
            {
                peaks[i] = MathF.Max(peaks[i], channelPeaks[i]);
            }
        }

        ComputeGains(peaks, gains);

        // The audio is delayed by the look-ahead, then meets the gains computed for it.
        _delay.Process(block);
        for (int c = 0; c < channels; c++)
        {
            Span<float> samples = block[c];
            for (int i = 0; i < frames; i++)
            {
                samples[i] *= gains[i];
            }

            Denormals.FlushToZero(samples);
        }
        UpdateMeters(gains);
        GainObserver?.Invoke(gains);
    }

    private void ApplyInputGain(AudioBlock block, int channels, Span<float> scratch)
    {
        if (_inputGain.IsSettled)
        {
            float gain = (float)_inputGain.Current;
            if (gain != 1f)
            {
                for (int c = 0; c < channels; c++)
                {
                    Span<float> samples = block[c];
                    for (int i = 0; i < samples.Length; i++)
                    {
                        samples[i] *= gain;
                    }
                }
            }

            return;
        }

        for (int i = 0; i < scratch.Length; i++)
        {
            scratch[i] = (float)_inputGain.Next();
        }

        for (int c = 0; c < channels; c++)
        {
            Span<float> samples = block[c];
            for (int i = 0; i < samples.Length; i++)
            {
                samples[i] *= scratch[i];
            }
        }
    }

    /// <summary>
    /// State legend: r needed gain, m windowed minimum of r, e = _logGain (ln gain after release),
    /// s = _sustained (running mean of ln m), g = smoothed linear gain written to <paramref name="gains"/>.
    /// </summary>
    private void ComputeGains(ReadOnlySpan<float> peaks, Span<float> gains)
    {
        double ceiling = _ceiling;
        double fast = _fastRelease, slow = _slowRelease, memory = _programmeMemory;
        double e = _logGain, s = _sustained;
        Span<double> smooth = _smooth.AsSpan(0, peaks.Length);
        double lastM = 1.0, lastLog = 0.0; // the window's minimum holds for many samples: one ln per change
        for (int i = 0; i < peaks.Length; i++)
        {
            double p = peaks[i];
            double r = p > ceiling ? Math.Max(ceiling / p, MinGain) : 1.0;
            double m = _minimum.Push(r);
            if (m != lastM)
            {
                lastM = m;
                lastLog = m < 1.0 ? Math.Log(m) : 0.0;
            }

            double needed = lastLog;
            if (e < 0.0 || m < 1.0)
            {
                // Release candidates: fast towards s (only when below it), slow towards 0.
                double towardsSustained = e + (s - e) * fast;
                double towardsUnity = e - e * slow;
                double released = Math.Max(towardsSustained, towardsUnity);
                e = m < 1.0 ? Math.Min(needed, released) : released;
                if (e > -UnityLogGain)
                {
                    e = 0.0;
                }
            }

            if (s != 0.0 || needed != 0.0)
            {
                // s follows the reduction the peaks need (ln m, over the hold window), not the
                // released gain: a drum hit needs it for a few milliseconds and its release tail
                // does not count, so between hits the gain comes back at the fast rate; only
                // limiting that lasts (dense material) drags s down and slows the release. s falls
                // with the programme memory and rises at the slow release rate.
                s += (needed - s) * (needed < s ? memory : slow);
                if (s > -UnityLogGain && needed == 0.0)
                {
                    s = 0.0;
                }
            }

            smooth[i] = e == 0.0 ? 1.0 : Math.Exp(e);
        }

        _logGain = e;
        _sustained = s;

        // Attack: the two moving averages over the piece, then the gains as float.
        _smoothFirst.Process(smooth);
        _smoothSecond.Process(smooth);
        for (int i = 0; i < smooth.Length; i++)
        {
            gains[i] = (float)smooth[i];
        }
    }

    private void UpdateMeters(ReadOnlySpan<float> gains)
    {
        // Σ −20·log10 g as one log10 per product of up to 16 gains (each ≥ 1e−9, so a product
        // stays ≥ 1e−144): the same sum to rounding, a sixteenth of the logarithms.
        float lowest = 1f;
        double sum = 0;
        double product = 1.0;
        int factors = 0;
        for (int i = 0; i < gains.Length; i++)
        {
            float g = gains[i];
            if (g < 1f)
            {
                lowest = MathF.Min(lowest, g);
                product *= g;
                if (++factors == 16)
                {
                    sum -= 20.0 * Math.Log10(product);
                    product = 1.0;
                    factors = 0;
                }
            }
        }

        if (factors > 0)
        {
            sum -= 20.0 * Math.Log10(product);
        }

        _reductionSumDb += sum;
        _meteredSamples += gains.Length;
        double last = gains.Length > 0 && gains[^1] < 1f ? -Decibels.FromGain(gains[^1]) : 0.0;
        Volatile.Write(ref _gainReductionDb, last);
        double deepest = lowest < 1f ? -Decibels.FromGain(lowest) : 0.0;
        if (deepest > _maxGainReductionDb)
        {
            Volatile.Write(ref _maxGainReductionDb, deepest);
        }
    }

    private void UpdateTimeConstants()
    {
        if (_sampleRate <= 0)
        {
            return;
        }

        _fastRelease = 1.0 - Math.Exp(-1000.0 / (_releaseMilliseconds * _sampleRate));
        _slowRelease = 1.0 - Math.Exp(-1000.0 / (_sustainedReleaseMilliseconds * _sampleRate));
        _programmeMemory = 1.0 - Math.Exp(-1000.0 / (ProgrammeMemoryMilliseconds * _sampleRate));
    }
}
