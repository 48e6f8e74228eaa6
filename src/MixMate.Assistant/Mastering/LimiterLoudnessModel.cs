using MixMate.Dsp;
using MixMate.Dsp.Dynamics;
using MixMate.Dsp.Loudness;

namespace MixMate.Assistant.Mastering;

/// <summary>
/// Predicts the integrated loudness of a programme after gain g and a true-peak limiter, without
/// rendering it: the programme is summarised once as 10 ms segments (K-weighted, channel-weighted
/// energy and true peak), then for any g the limiter's gain is simulated per segment (needed
/// reduction, instant attack, exponential release) and the BS.1770-4 gating is applied to
/// 400 ms blocks with 75 % overlap.
/// </summary>
/// <remarks>
/// Why: loudness after a limiter is not a simple function of gain — on kick-driven material it is
/// convex (the limited kicks stop counting, the unlimited noise floor keeps rising), on dense
/// material concave — so a search on renders alone can take many renders. The model captures the
/// shape; the renders only correct its small, smooth bias (see <see cref="MasteringEngine"/>).
/// Evaluating it costs microseconds per segment, independent of the sample rate.
/// </remarks>
public sealed class LimiterLoudnessModel
{
    /// <summary>Segment length: 10 ms, so a 400 ms gating block is 40 segments and the 100 ms hop is 10.</summary>
    public const double SegmentSeconds = 0.010;

    /// <summary>The limiter's programme memory (how fast s follows deeper reduction), ms.</summary>
    private const double ProgrammeMemoryMilliseconds = 2000;

    private const int SegmentsPerBlock = 40;
    private const int SegmentsPerHop = 10;

    private readonly double[] _energy;
    private readonly double[] _peak;
    private readonly double _samplesPerSegment;

    private LimiterLoudnessModel(double[] energy, double[] peak, double samplesPerSegment)
    {
        _energy = energy;
        _peak = peak;
        _samplesPerSegment = samplesPerSegment;
    }

    /// <summary>Number of 10 ms segments summarised.</summary>
    public int SegmentCount => _energy.Length;

    /// <summary>[non-real-time] Summarises <paramref name="signal"/> (the signal as it enters the
    /// gain stage) with the channel weights of <see cref="LoudnessMeter"/>.</summary>
    public static LimiterLoudnessModel Build(AudioBlock signal, double sampleRate)
    {
        var builder = new Builder(sampleRate, signal.Channels);
        builder.Add(signal);
        return builder.Build();
    }

    /// <summary>
    /// Summarises a programme fed in blocks of any length (a long file streamed from disk): the
    /// same model as <see cref="LimiterLoudnessModel.Build"/> on the whole programme, since every
    /// 10 ms segment is analysed whole (a segment split across blocks waits in a one-segment buffer).
    /// </summary>
    /// <remarks>[one caller at a time] Not for the audio thread (the summary grows with the programme:
    /// 16 bytes per 10 ms).</remarks>
    public sealed class Builder : IRenderTarget
    {
        private readonly double[] _weights;
        private readonly KWeightingFilter _k = new();
        private readonly TruePeakOversampler _oversampler = new();
        private readonly int _segment;
        private readonly int _channels;
        private readonly float[] _pending;
        private readonly List<double> _energy = [];
        private readonly List<double> _peak = [];
        private int _fill;

        /// <summary>[any thread] A builder for a programme of <paramref name="channels"/> channels.</summary>
        public Builder(double sampleRate, int channels)
        {
            _weights = LoudnessMeter.DefaultChannelWeights(channels);
            _k.Configure(sampleRate, channels);
            _oversampler.Configure(sampleRate, channels);
            _segment = Math.Max(1, (int)Math.Round(sampleRate * SegmentSeconds));
            _channels = channels;
            _pending = new float[channels * _segment];
        }

        /// <summary>[caller] Adds the next frames of the programme.</summary>
        public void Add(AudioBlock block)
        {
            int pos = 0;
            while (pos < block.Frames)
            {
                if (_fill == 0 && block.Frames - pos >= _segment)
                {
                    Summarise(block.Slice(pos, _segment));
                    pos += _segment;
                    continue;
                }

                int take = Math.Min(_segment - _fill, block.Frames - pos);
                for (int c = 0; c < _channels; c++)
                {
                    block[c].Slice(pos, take).CopyTo(_pending.AsSpan((c * _segment) + _fill, take));
                }

                _fill += take;
                pos += take;
                if (_fill == _segment)
                {
                    Summarise(new AudioBlock(_pending, _channels, _segment, _segment));
                    _fill = 0;
                }
            }
        }

        /// <summary>[caller] The model of everything added (a last partial segment counts).</summary>
        public LimiterLoudnessModel Build()
        {
            if (_fill > 0)
            {
                Summarise(new AudioBlock(_pending, _channels, _fill, _segment));
                _fill = 0;
            }

            // The interpolator delays its peaks by a few samples; that shifts peaks across segment
            // edges at most, which the release simulation already smears.
            return new LimiterLoudnessModel([.. _energy], [.. _peak], _segment);
        }

        void IRenderTarget.Begin()
        {
        }

        void IRenderTarget.Write(AudioBlock piece) => Add(piece);

        void IRenderTarget.Trim(float gain) => throw new NotSupportedException("A model is built from an untrimmed render.");

        private void Summarise(AudioBlock x)
        {
            double e = 0, p = 0;
            for (int c = 0; c < _channels; c++)
            {
                double sum = _k.ProcessSumOfSquares(c, x[c]);
                if (_weights[c] > 0)
                {
                    e += _weights[c] * sum;
                }

                p = Math.Max(p, _oversampler.ProcessMaxPeak(c, x[c]));
            }

            _energy.Add(e);
            _peak.Add(p);
        }
    }

    /// <summary>Predicted integrated loudness (LUFS) after <paramref name="gainDb"/> and a limiter at
    /// <paramref name="ceilingDbtp"/> whose release follows <see cref="TruePeakLimiter"/>'s
    /// (fast <paramref name="releaseMilliseconds"/>, sustained <paramref name="sustainedReleaseMilliseconds"/>);
    /// −∞ when nothing passes the gates.</summary>
    public double PredictLufs(double gainDb, double ceilingDbtp, double releaseMilliseconds = 50, double sustainedReleaseMilliseconds = 800)
    {
        double g = Decibels.ToGain(gainDb);
        double ceiling = Decibels.ToGain(ceilingDbtp);
        double fast = Math.Exp(-SegmentSeconds * 1000 / releaseMilliseconds);
        double slow = Math.Exp(-SegmentSeconds * 1000 / sustainedReleaseMilliseconds);
        int count = _energy.Length;

        // Limited energy per segment. The release mirrors TruePeakLimiter's, in the log domain:
        // e recovers quickly toward s, a running mean of the needed reduction, or slowly toward 0
        // when that is faster; a new peak pulls e down at once (the look-ahead lets the real attack
        // finish before the peak).
        double memory = Math.Exp(-SegmentSeconds * 1000 / ProgrammeMemoryMilliseconds);
        Span<double> limited = count <= 65536 ? stackalloc double[count] : new double[count];
        double logGain = 0, sustained = 0;
        for (int j = 0; j < count; j++)
        {
            double needed = _peak[j] * g > ceiling ? Math.Log(ceiling / (_peak[j] * g)) : 0;
            logGain = Math.Max(sustained + ((logGain - sustained) * fast), logGain * slow);
            logGain = Math.Min(logGain, needed);

            // s follows the needed reduction (not the release tail): falls with the 2 s memory,
            // rises at the slow rate.
            sustained = needed < sustained ? needed + ((sustained - needed) * memory) : needed + ((sustained - needed) * slow);
            double gain = Math.Exp(logGain);
            limited[j] = _energy[j] * g * g * gain * gain;
        }

        // BS.1770-4 gating over 400 ms blocks, 100 ms hop (blocks are whole; a partial last block is dropped).
        int blocks = count >= SegmentsPerBlock ? ((count - SegmentsPerBlock) / SegmentsPerHop) + 1 : 0;
        if (blocks == 0)
        {
            return double.NegativeInfinity;
        }

        Span<double> z = blocks <= 65536 ? stackalloc double[blocks] : new double[blocks];
        double window = 0;
        for (int j = 0; j < SegmentsPerBlock; j++)
        {
            window += limited[j];
        }

        double blockSamples = SegmentsPerBlock * _samplesPerSegment;
        for (int b = 0; b < blocks; b++)
        {
            if (b > 0)
            {
                int first = (b - 1) * SegmentsPerHop;
                for (int j = 0; j < SegmentsPerHop; j++)
                {
                    window += limited[first + SegmentsPerBlock + j] - limited[first + j];
                }
            }

            z[b] = Math.Max(0, window) / blockSamples;
        }

        double absoluteGate = Bs1770.AbsoluteGateEnergy;
        double sum = 0;
        int n = 0;
        foreach (double e in z)
        {
            if (e > absoluteGate)
            {
                sum += e;
                n++;
            }
        }

        if (n == 0)
        {
            return double.NegativeInfinity;
        }

        double relativeGate = sum / n * Bs1770.RelativeGateRatio;
        sum = 0;
        n = 0;
        foreach (double e in z)
        {
            if (e > absoluteGate && e > relativeGate)
            {
                sum += e;
                n++;
            }
        }

        return Bs1770.EnergyToLufs(sum / n);
    }

    /// <summary>[non-real-time] The gain (dB) beyond which more gain no longer adds loudness: the
    /// lowest gain from which a further 1 dB raises the predicted loudness by less than
    /// <paramref name="minLuPerDb"/> — past it the limiter turns almost all of the extra gain into
    /// reduction (peaky material: sparse hits over a quiet floor). <paramref name="maxDb"/> when the
    /// loudness keeps rising.</summary>
    public double UsefulGainLimitDb(double ceilingDbtp, double minLuPerDb = MinUsefulLuPerDb, double minDb = -60, double maxDb = 60)
    {
        // Below the gain that takes the highest peak to the ceiling nothing is limited: slope 1.
        double highest = 0;
        foreach (double p in _peak)
        {
            highest = Math.Max(highest, p);
        }

        if (highest <= 0)
        {
            return maxDb;
        }

        const double Step = 0.5;
        double g = Math.Clamp(ceilingDbtp - Decibels.FromGain(highest), minDb, maxDb);
        double here = PredictLufs(g, ceilingDbtp);
        double ahead = PredictLufs(g + Step, ceilingDbtp);
        for (; g + 1 <= maxDb; g += Step)
        {
            double further = PredictLufs(g + 1, ceilingDbtp);
            if (further - here < minLuPerDb)
            {
                return g;
            }

            (here, ahead) = (ahead, further);
        }

        return maxDb;
    }

    /// <summary>Loudness per dB of gain below which more gain is not worth it (LU/dB): at 0.1, 90 %
    /// of every further dB would go into limiting.</summary>
    public const double MinUsefulLuPerDb = 0.1;

    /// <summary>The gain (dB) whose prediction equals <paramref name="targetLufs"/>, by bisection
    /// (the prediction rises monotonically with gain).</summary>
    public double SolveGainDb(double targetLufs, double ceilingDbtp, double releaseMilliseconds = 50, double minDb = -60, double maxDb = 60)
    {
        double lo = minDb, hi = maxDb;
        for (int i = 0; i < 50 && hi - lo > 1e-4; i++)
        {
            double mid = 0.5 * (lo + hi);
            if (PredictLufs(mid, ceilingDbtp, releaseMilliseconds) < targetLufs)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        return 0.5 * (lo + hi);
    }
}
