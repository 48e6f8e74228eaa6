using MixMate.Dsp.Utility;

namespace MixMate.Plugin.Tone;

/// <summary>The test signals a note can play (the <c>signal</c> parameter's list order).</summary>
public enum ToneSignal
{
    Sine = 0,
    PinkNoise = 1,
    WhiteNoise = 2,
    LogSweep = 3,
}

/// <summary>
/// One sounding note: a generator with an attack/release envelope (linear, so a note never
/// clicks). The level is an RMS value; each generator is scaled so that its long-term RMS equals
/// it (sine and sweep: peak = RMS·√2; uniform white noise: peak = RMS·√3; pink: see
/// <see cref="PinkNoise"/>).
/// </summary>
/// <remarks>[audio thread] A value type held in a preallocated array; allocates nothing.</remarks>
public struct ToneVoice
{
    public bool Active;
    public int Pitch;
    public int Channel;
    public int NoteId;
    public long StartedAt;
    private ToneSignal _signal;
    private double _rms;
    private double _phase;
    private double _frequency;
    private double _sweepStart;
    private double _sweepRatioPerSample;
    private long _sweepSamples;
    private long _sweepPosition;
    private double _nyquistGuard;
    private double _sampleRate;
    private LinearRamp _envelope;
    private int _releaseSteps;
    private PinkNoise _pink;
    private XorShiftRandom _white;

    /// <summary>Starts the note. <paramref name="rms"/> is the linear RMS level.</summary>
    public void Start(ToneSignal signal, double frequency, double rms, double sampleRate, double sweepSeconds,
        double sweepStartHz, double sweepEndHz, ulong seed, int attackSteps, int releaseSteps)
    {
        Active = true;
        _signal = signal;
        _rms = rms;
        _sampleRate = sampleRate;
        _nyquistGuard = 0.49 * sampleRate;
        _phase = 0;
        _frequency = signal == ToneSignal.LogSweep ? sweepStartHz : frequency;
        _sweepStart = sweepStartHz;
        _sweepSamples = Math.Max(1, (long)Math.Round(sweepSeconds * sampleRate));
        // Exponential sweep: f(n) = f0·(f1/f0)^(n/N), so each sample multiplies f by (f1/f0)^(1/N).
        _sweepRatioPerSample = Math.Pow(sweepEndHz / sweepStartHz, 1.0 / _sweepSamples);
        _sweepPosition = 0;
        _pink = new PinkNoise(seed);
        _white = new XorShiftRandom(seed ^ 0x5DEECE66DUL);
        _releaseSteps = releaseSteps;
        _envelope.Snap(0);
        _envelope.Start(1.0, attackSteps);
    }

    /// <summary>Starts the release; the voice frees itself when it reaches silence.</summary>
    public void Release() => _envelope.Start(0.0, _releaseSteps);

    public readonly bool IsReleasing => _envelope.Target == 0.0;

    /// <summary>Adds this voice to <paramref name="mono"/>.</summary>
    public void Render(Span<float> mono)
    {
        for (int i = 0; i < mono.Length && Active; i++)
        {
            double env = _envelope.Next();
            mono[i] += (float)(env * NextSample());
            if (_envelope.IsSettled && env == 0.0)
            {
                Active = false;
            }
        }
    }

    private double NextSample()
    {
        switch (_signal)
        {
            case ToneSignal.PinkNoise:
                return _rms * _pink.Next();
            case ToneSignal.WhiteNoise:
                return _rms * Math.Sqrt(3.0) * _white.NextSigned();
            case ToneSignal.LogSweep:
                if (++_sweepPosition > _sweepSamples)
                {
                    _sweepPosition = 1;
                    _frequency = _sweepStart;
                    _phase = 0;
                }

                double sweep = Oscillate();
                _frequency *= _sweepRatioPerSample;
                return sweep;
            default:
                return Oscillate();
        }
    }

    private double Oscillate()
    {
        // Frequencies at or above ~Nyquist would alias: those samples are silent.
        double y = _frequency < _nyquistGuard ? _rms * Math.Sqrt(2.0) * Math.Sin(_phase) : 0.0;
        _phase += 2.0 * Math.PI * _frequency / _sampleRate;
        if (_phase >= 2.0 * Math.PI)
        {
            _phase -= 2.0 * Math.PI * Math.Floor(_phase / (2.0 * Math.PI));
        }

        return y;
    }
}
