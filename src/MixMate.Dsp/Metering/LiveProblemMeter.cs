using MixMate.Dsp.Filters;
using MixMate.Dsp.Loudness;

namespace MixMate.Dsp.Metering;

/// <summary>What the plug-in hears while it runs, as <c>mixmate check</c> would call it.</summary>
public enum LivePhase
{
    /// <summary>Nothing wrong (or nothing to judge: mono, silence).</summary>
    Ok = 0,

    /// <summary>The low end (below 150 Hz) is out of phase between the channels.</summary>
    LowEndOutOfPhase = 1,

    /// <summary>One channel is inverted.</summary>
    Inverted = 2,
}

/// <summary>
/// The problems a plug-in can hear as the audio passes, by the rules of <c>mixmate check</c>:
/// digital clipping (runs of ≥ <see cref="ClippingRules.FullScaleRun"/> equal samples at or
/// above <see cref="ClippingRules.FullScale"/>, as <c>mixmate check</c> counts them at
/// full scale), true-peak overs of 0 dBTP (BS.1770-4 Annex 2 interpolation), L/R correlation over
/// the last 2 s (full band and below 150 Hz) with the polarity and phase decisions of
/// <see cref="StereoRules"/>, and the channel balance over the last 3 s.
/// </summary>
/// <remarks>
/// <para>What it cannot do live: flat tops below full scale need the whole programme's peak, and a
/// problem's time range needs its end; <c>mixmate check</c> on a bounce gives both. Clipping and
/// overs are counted since the last <see cref="Reset"/> (a clip light that holds); correlation,
/// phase and balance describe the last seconds.</para>
/// <para>State legend: per channel <c>_last</c> (previous sample) and <c>_run</c> (how many equal
/// samples end there); <c>_over</c> whether the previous measured piece was above 0 dBTP; the
/// current 100 ms step's sums <c>_step*</c>; rings of the last <see cref="BalanceSteps"/> steps'
/// sums, <c>_ring*</c>, written at <c>_ringAt</c>; <c>_invertedSteps</c> and <c>_phaseSteps</c>
/// count consecutive steps whose window the check's rules call inverted / out of phase.</para>
/// Threads: <see cref="Configure"/> [main-thread]; <see cref="Process"/>, <see cref="Reset"/> and
/// the readings [audio-thread] (the plug-in publishes the readings as meters). Allocation-free
/// after <see cref="Configure"/>; no locks, no exceptions.
/// </remarks>
public sealed class LiveProblemMeter
{
    /// <summary>Steps of 100 ms in the correlation window (2 s, as the check's polarity windows).</summary>
    public const int CorrelationSteps = 20;

    /// <summary>Steps of 100 ms in the balance window (3 s, as the check's section balance).</summary>
    public const int BalanceSteps = 30;

    /// <summary>Consecutive steps whose window sounds inverted before the reading says so (1 s: the
    /// check's shortest polarity run).</summary>
    public const int InvertedStepsNeeded = 10;

    /// <summary>Consecutive steps with the low end out of phase before the reading says so (2 s:
    /// the check's shortest phase run).</summary>
    public const int PhaseStepsNeeded = 20;

    /// <summary>Largest balance reported, dB (a channel silent against the other).</summary>
    public const double MaxBalanceDb = 40;

    private const double LowBandHz = 150;


    private readonly TruePeakOversampler _truePeak = new();
    private float[] _last = [];
    private int[] _run = [];
    private Biquad[] _low = [];
    private BiquadCoefficients _lowPass;
    private int _channels;
    private int _stepFrames = 1;
    private int _stepFill;
    private double _stepLL, _stepRR, _stepLR, _stepLowLL, _stepLowRR, _stepLowLR;
    private double[] _ringLL = [], _ringRR = [], _ringLR = [], _ringLowLL = [], _ringLowRR = [], _ringLowLR = [];
    private int[] _ringFrames = [];
    private int _ringAt;
    private int _ringCount;
    private bool _over;
    private int _invertedSteps;
    private int _phaseSteps;

    /// <summary>Runs of clipped samples since the last reset.</summary>
    public long ClippedRuns { get; private set; }

    /// <summary>Overs of 0 dBTP since the last reset: each time the true peak rises above 0 dBTP
    /// (measured per piece of at most 32 frames; consecutive pieces above count once).</summary>
    public long TruePeakOvers { get; private set; }

    /// <summary>L/R correlation over the last 2 s, −1…+1; 0 while there is nothing to judge.</summary>
    public double Correlation { get; private set; }

    /// <summary>L/R correlation below 150 Hz over the last 2 s; 0 while there is no low end.</summary>
    public double LowCorrelation { get; private set; }

    /// <summary>Left minus right level over the last 3 s, dB (positive: left louder); 0 while
    /// there is nothing to judge.</summary>
    public double BalanceDb { get; private set; }

    /// <summary>The polarity/phase reading (<see cref="LivePhase"/>).</summary>
    public LivePhase Phase { get; private set; }

    /// <summary>[main-thread] Allocates for <paramref name="channels"/> at <paramref name="sampleRate"/>.</summary>
    public void Configure(double sampleRate, int channels)
    {
        _channels = channels;
        _truePeak.Configure(sampleRate, channels);
        _last = new float[channels];
        _run = new int[channels];
        _low = new Biquad[Math.Min(2, channels)];
        _lowPass = BiquadCoefficients.LowPass(sampleRate, Math.Min(LowBandHz, 0.45 * sampleRate), BiquadCoefficients.ButterworthQ);
        _stepFrames = Math.Max(1, (int)Math.Round(sampleRate / 10.0, MidpointRounding.AwayFromZero));
        _ringLL = new double[BalanceSteps];
        _ringRR = new double[BalanceSteps];
        _ringLR = new double[BalanceSteps];
        _ringLowLL = new double[BalanceSteps];
        _ringLowRR = new double[BalanceSteps];
        _ringLowLR = new double[BalanceSteps];
        _ringFrames = new int[BalanceSteps];
        Reset();
    }

    /// <summary>[audio-thread] Forgets everything heard: counts, windows, filter state.</summary>
    public void Reset()
    {
        _truePeak.Reset();
        Array.Clear(_last);
        Array.Clear(_run);
        Array.Clear(_low);
        Array.Clear(_ringLL);
        Array.Clear(_ringRR);
        Array.Clear(_ringLR);
        Array.Clear(_ringLowLL);
        Array.Clear(_ringLowRR);
        Array.Clear(_ringLowLR);
        Array.Clear(_ringFrames);
        _ringAt = 0;
        _ringCount = 0;
        _stepFill = 0;
        _stepLL = _stepRR = _stepLR = _stepLowLL = _stepLowRR = _stepLowLR = 0;
        _over = false;
        _invertedSteps = 0;
        _phaseSteps = 0;
        ClippedRuns = 0;
        TruePeakOvers = 0;
        Correlation = 0;
        LowCorrelation = 0;
        BalanceDb = 0;
        Phase = LivePhase.Ok;
    }

    /// <summary>[audio-thread, configured] Listens to <paramref name="block"/> (read only). Blocks
    /// of any length; meant for the plug-in's sub-blocks.</summary>
    public void Process(AudioBlock block)
    {
        int channels = Math.Min(_channels, block.Channels);
        float peak = 0;
        for (int c = 0; c < channels; c++)
        {
            CountClipping(c, block[c]);
            // Only whether it passes 0 dBTP matters: quiet spans skip the filter (exact).
            float p = _truePeak.ProcessMaxPeak(c, block[c], 1f);
            if (p > peak && float.IsFinite(p))
            {
                peak = p;
            }
        }

        bool over = peak > 1f;
        if (over && !_over)
        {
            TruePeakOvers++;
        }

        _over = over;
        if (channels >= 2)
        {
            Accumulate(block[0], block[1]);
        }
    }

    private void CountClipping(int channel, ReadOnlySpan<float> x)
    {
        float last = _last[channel];
        int run = _run[channel];
        for (int i = 0; i < x.Length; i++)
        {
            float v = x[i];
            if (v == last)
            {
                // Counted once, when the run reaches the length the check asks for.
                if (++run == ClippingRules.FullScaleRun && MathF.Abs(v) >= ClippingRules.FullScale)
                {
                    ClippedRuns++;
                }

                continue;
            }

            last = v;
            run = 1;
        }

        _last[channel] = last;
        _run[channel] = run;
    }

    private void Accumulate(ReadOnlySpan<float> left, ReadOnlySpan<float> right)
    {
        int i = 0;
        while (i < left.Length)
        {
            int take = Math.Min(left.Length - i, _stepFrames - _stepFill);
            for (int k = i; k < i + take; k++)
            {
                double l = left[k], r = right[k];
                double lowL = _low[0].Process(l, _lowPass), lowR = _low[1].Process(r, _lowPass);
                _stepLL += l * l;
                _stepRR += r * r;
                _stepLR += l * r;
                _stepLowLL += lowL * lowL;
                _stepLowRR += lowR * lowR;
                _stepLowLR += lowL * lowR;
            }

            _low[0].FlushDenormals();
            _low[1].FlushDenormals();
            _stepFill += take;
            i += take;
            if (_stepFill == _stepFrames)
            {
                EndStep();
            }
        }
    }

    private void EndStep()
    {
        _ringLL[_ringAt] = _stepLL;
        _ringRR[_ringAt] = _stepRR;
        _ringLR[_ringAt] = _stepLR;
        _ringLowLL[_ringAt] = _stepLowLL;
        _ringLowRR[_ringAt] = _stepLowRR;
        _ringLowLR[_ringAt] = _stepLowLR;
        _ringFrames[_ringAt] = _stepFill;
        _ringAt = (_ringAt + 1) % BalanceSteps;
        _ringCount = Math.Min(_ringCount + 1, BalanceSteps);
        _stepLL = _stepRR = _stepLR = _stepLowLL = _stepLowRR = _stepLowLR = 0;
        _stepFill = 0;

        // The correlation window: the last 2 s (fewer until that much has been heard).
        double ll = 0, rr = 0, lr = 0, lowLL = 0, lowRR = 0, lowLR = 0, frames = 0;
        int steps = Math.Min(_ringCount, CorrelationSteps);
        for (int s = 1; s <= steps; s++)
        {
            int k = (_ringAt - s + BalanceSteps) % BalanceSteps;
            ll += _ringLL[k];
            rr += _ringRR[k];
            lr += _ringLR[k];
            lowLL += _ringLowLL[k];
            lowRR += _ringLowRR[k];
            lowLR += _ringLowLR[k];
            frames += _ringFrames[k];
        }

        bool active = StereoRules.IsActive(ll, rr, frames);
        bool lowActive = active && lowLL > 0 && lowRR > 0 && StereoRules.IsLowActive(lowLL + lowRR, ll + rr);
        Correlation = active ? Math.Clamp(lr / Math.Sqrt(ll * rr), -1, 1) : 0;
        LowCorrelation = lowActive ? Math.Clamp(lowLR / Math.Sqrt(lowLL * lowRR), -1, 1) : 0;
        bool inverted = active && StereoRules.SoundsInverted(Correlation, LowCorrelation, lowActive, ll, rr);
        _invertedSteps = inverted ? _invertedSteps + 1 : 0;
        _phaseSteps = !inverted && StereoRules.LowEndOutOfPhase(LowCorrelation, lowActive) ? _phaseSteps + 1 : 0;
        Phase = _invertedSteps >= InvertedStepsNeeded ? LivePhase.Inverted
            : _phaseSteps >= PhaseStepsNeeded ? LivePhase.LowEndOutOfPhase
            : LivePhase.Ok;

        // The balance window: the last 3 s.
        double bl = 0, br = 0, bf = 0;
        for (int s = 1; s <= _ringCount; s++)
        {
            int k = (_ringAt - s + BalanceSteps) % BalanceSteps;
            bl += _ringLL[k];
            br += _ringRR[k];
            bf += _ringFrames[k];
        }

        // One silent channel is the extreme of imbalance, not "nothing to judge".
        BalanceDb = bf > 0 && (bl + br) / (2 * bf) > StereoRules.ActiveMeanSquare
            ? Math.Clamp(10 * Math.Log10(Math.Max(bl, 1e-30) / Math.Max(br, 1e-30)), -MaxBalanceDb, MaxBalanceDb)
            : 0;
    }
}
