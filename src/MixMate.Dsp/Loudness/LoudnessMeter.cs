using System.Numerics;
using System.Runtime.InteropServices;

namespace MixMate.Dsp.Loudness;

/// <summary>
/// Streaming loudness meter: ITU-R BS.1770-4 (K-weighting, channel weights, gating), EBU Tech 3341
/// "EBU Mode" (momentary 400 ms, short-term 3 s, integrated, maxima, true peak) and EBU Tech 3342
/// (Loudness Range). Read-only: <see cref="Process"/> never changes the audio.
/// </summary>
/// <remarks>
/// <para>Time base. Audio is cut into 100 ms steps of <c>round(fs/10)</c> frames (the gating-block
/// hop of BS.1770-4 Annex 1 eq. 3: 400 ms blocks overlapping by 75 %), each split into ten
/// 10 ms sub-blocks. The K-weighted, channel-weighted energy of every sub-block goes into a ring
/// of the last 3 s. Momentary and short-term loudness are re-evaluated at every sub-block, so
/// their maxima are found to within 10 ms of any burst position (Tech 3341 cases 10 and 13 shift
/// bursts in steps of 150 ms and 20 ms); any 40 or 300 consecutive sub-blocks span exactly 4 or 30
/// steps, so windows are exact in length. Until a window has been filled, the missing time counts
/// as silence.</para>
/// <para>Gating. Every completed 400 ms block (first one at 0.4 s, then every 100 ms; an
/// incomplete block at the end is discarded, Tech 3341 §2.3) at or above the −70 LUFS absolute
/// gate goes into a <see cref="LoudnessHistogram"/> (0.001 LU bins with exact energy sums per
/// 0.1 LU), so memory is constant for any programme length. The relative gate (−10 LU,
/// BS.1770-4 Annex 1 eqs. 6–7) is computed from the exact mean energy; only blocks within
/// 0.001 LU of the threshold are decided together. Eqs. 6–7 write the gates as lⱼ > Γ; a block
/// exactly at a threshold is kept here (≥), as libebur128 and the Tech 3342 MATLAB code do — a
/// difference of measure zero for real signals.</para>
/// <para>Loudness Range (Tech 3342 §3.1). Short-term values from full 3 s windows (the first at
/// 3 s) are sampled every 100 ms — the standard requires at least 10 Hz ("minimum block overlap
/// of 2.9 s"); libebur128 1.2.6 samples every second instead, which <see cref="LraSampling"/> can
/// reproduce for comparisons. They pass the −70 LUFS absolute gate and a −20 LU relative gate
/// (values at or above the threshold are kept, as in the Tech 3342 MATLAB code and libebur128),
/// and LRA is the difference between the 95th and 10th percentiles, taken at the sorted positions
/// round((n−1)·p) of the MATLAB reference. Values come from the same kind of histogram, so a
/// percentile is resolved to 0.001 LU.</para>
/// <para>Threads. Call <see cref="Process"/> from one thread. The read-only properties compute
/// from plain fields without locks; read on another thread they may mix two consecutive updates,
/// which is harmless for display.</para>
/// </remarks>
public sealed class LoudnessMeter : IAudioProcessor, IDisposable
{
    private const double RelativeGateLu = Bs1770.RelativeGateLu;
    private const double LraRelativeGateLu = Bs1770.LraRelativeGateLu;

    private const int SubBlocksPerStep = 10;
    private const int MomentarySteps = 4;
    private const int ShortTermSteps = 30;
    private const int MomentarySubBlocks = MomentarySteps * SubBlocksPerStep;
    private const int ShortTermSubBlocks = ShortTermSteps * SubBlocksPerStep;

    private static readonly double AbsoluteGateEnergy = Bs1770.AbsoluteGateEnergy;

    private readonly KWeightingFilter _kWeighting = new();
    private readonly TruePeakDetector _truePeak = new();

    private double[] _weights = [];
    private float[] _samplePeaks = [];

    // Sub-block ring (energy = Σ over channels of weight · Σ y²) and position in the current step.
    private double[] _ring = [];
    private int _ringPos;
    private int[] _subBlockEnds = [];
    private int _subIndex;
    private int _subFrames;
    private double _subEnergy;
    private long _stepsDone;
    private int _stepFrames;
    private long _framesDone;

    private double _momentaryEnergy;
    private double _shortTermEnergy;
    private double _maxMomentaryEnergy;
    private double _maxShortTermEnergy;

    // Absolute-gated 400 ms blocks and short-term values.
    private LoudnessHistogram? _gateBlocks;
    private LoudnessHistogram? _lraValues;

    // The gated readings change only when a histogram does (every 100 ms at most), but a plug-in
    // reads them for its meters after every block: each is computed once per change. _changes
    // counts every histogram change (adds and resets); a cached value is valid while its stamp
    // equals it. Stamps are written after their values (Volatile), so a reader that sees a
    // current stamp sees its value; two readers racing may leave a value one update old, which
    // the next change replaces (the thread contract below already allows that).
    private long _changes = 1;
    private long _integratedStamp;
    private double _integratedLufs;
    private long _rangeStamp;
    private double _rangeLu;

    /// <summary>Configured sample rate in Hz.</summary>
    /// <remarks>[any thread]</remarks>
    public double SampleRate { get; private set; }

    /// <summary>Configured channel count.</summary>
    /// <remarks>[any thread]</remarks>
    public int Channels { get; private set; }

    /// <summary>Optional receiver of the 100 ms momentary/short-term series.</summary>
    /// <remarks>[non-real-time] Set before processing starts.</remarks>
    public ILoudnessObserver? Observer { get; set; }

    /// <summary>Short-term sampling for Loudness Range; Tech 3342's 10 Hz by default.</summary>
    /// <remarks>[non-real-time] Set before processing starts.</remarks>
    public LoudnessRangeSampling LraSampling { get; set; }

    /// <inheritdoc />
    /// <remarks>[any thread] 0: metering does not delay the audio.</remarks>
    public int LatencySamples => 0;

    /// <summary>The channel weights Gᵢ in use.</summary>
    /// <remarks>[any thread]</remarks>
    public ReadOnlySpan<double> ChannelWeights => _weights;

    /// <summary>Loudness of the last 400 ms (EBU Tech 3341 §2.2, ungated), LUFS.</summary>
    /// <remarks>[any thread] Updated every 10 ms of audio; −∞ for digital silence.</remarks>
    public double MomentaryLufs => EnergyToLufs(_momentaryEnergy);

    /// <summary>Loudness of the last 3 s (EBU Tech 3341 §2.2, ungated), LUFS.</summary>
    /// <remarks>[any thread] Updated every 10 ms of audio; −∞ for digital silence.</remarks>
    public double ShortTermLufs => EnergyToLufs(_shortTermEnergy);

    /// <summary>Largest momentary loudness since configure/reset, LUFS.</summary>
    /// <remarks>[any thread]</remarks>
    public double MaxMomentaryLufs => EnergyToLufs(_maxMomentaryEnergy);

    /// <summary>Largest short-term loudness since configure/reset, LUFS.</summary>
    /// <remarks>[any thread]</remarks>
    public double MaxShortTermLufs => EnergyToLufs(_maxShortTermEnergy);

    /// <summary>Programme audio fed so far, in seconds.</summary>
    /// <remarks>[any thread]</remarks>
    public double DurationSeconds => SampleRate > 0 ? _framesDone / SampleRate : 0;

    /// <summary>Largest |sample| over all channels, linear.</summary>
    /// <remarks>[any thread]</remarks>
    public double SamplePeak
    {
        get
        {
            float max = 0;
            foreach (float p in _samplePeaks)
            {
                max = MathF.Max(max, p);
            }

            return max;
        }
    }

    /// <summary>Largest |sample| in dBFS; −∞ before any non-zero sample.</summary>
    /// <remarks>[any thread]</remarks>
    public double SamplePeakDbfs => Decibels.FromGain(SamplePeak);

    /// <summary>Maximum true peak (BS.1770-4 Annex 2) over all channels, linear.</summary>
    /// <remarks>[any thread]</remarks>
    public double TruePeak => _truePeak.TruePeak;

    /// <summary>Maximum true peak in dBTP; −∞ before any non-zero sample.</summary>
    /// <remarks>[any thread]</remarks>
    public double TruePeakDbtp => _truePeak.TruePeakDbtp;

    /// <summary>Integrated (gated programme) loudness, BS.1770-4 Annex 1 eqs. 5–7, LUFS;
    /// −∞ while no 400 ms block has passed the absolute gate.</summary>
    /// <remarks>[any thread] About 1 100 bin reads when the gated blocks changed since the last
    /// read (at most every 100 ms of audio); otherwise the value computed then.</remarks>
    public double IntegratedLufs
    {
        get => Cached(ref _integratedStamp, ref _integratedLufs, range: false);
    }

    private double ComputeIntegratedLufs()
    {
        LoudnessHistogram? h = _gateBlocks;
        if (h is null || h.Count == 0)
        {
            return double.NegativeInfinity;
        }

        double threshold = EnergyToLufs(h.TotalEnergy / h.Count) + RelativeGateLu;
        long count = h.CountAtOrAbove(threshold, out double energy);
        return count == 0 ? double.NegativeInfinity : EnergyToLufs(energy / count);
    }

    /// <summary>[non-real-time] Frees the gating histograms' native memory; the meter reads as
    /// empty afterwards and must not be configured again. (Unneeded for short-lived meters: the
    /// finalizer frees it too; a plug-in instance calls it when the host destroys it.)</summary>
    public void Dispose()
    {
        _gateBlocks?.Dispose();
        _lraValues?.Dispose();
        Volatile.Write(ref _changes, _changes + 1);
    }

    /// <summary>Whether <see cref="Configure"/> sets up the Loudness Range (default true). A meter
    /// that only needs the integrated loudness (the plug-in's learn tap) turns it off and saves
    /// its histogram (≈ 420 kB); <see cref="LoudnessRangeLu"/> then reads 0.</summary>
    /// <remarks>[non-real-time] Takes effect at the next <see cref="Configure"/>.</remarks>
    public bool MeasuresRange { get; set; } = true;

    /// <summary>Whether <see cref="Process"/> measures the true peak (default true). A reader that
    /// never asks for it (the checks of a mix stem) turns it off and saves the oversampling, most of
    /// the meter's work; <see cref="TruePeak"/> and <see cref="ChannelTruePeak"/> then read 0.</summary>
    /// <remarks>[non-real-time] Set before the first <see cref="Process"/>.</remarks>
    public bool MeasuresTruePeak { get; set; } = true;

    /// <summary>Loudness Range, EBU Tech 3342, in LU; 0 while no short-term value has passed
    /// the gates (Tech 3341 §2.4 asks meters to flag the first 60 s as not yet stable).</summary>
    /// <remarks>[any thread] About 1 100 bin reads when the short-term values changed since the
    /// last read; otherwise the value computed then.</remarks>
    public double LoudnessRangeLu
    {
        get => Cached(ref _rangeStamp, ref _rangeLu, range: true);
    }

    // A gated reading: the value computed at the current change count, or computed now.
    private double Cached(ref long stamp, ref double value, bool range)
    {
        long changes = Volatile.Read(ref _changes);
        if (Volatile.Read(ref stamp) == changes)
        {
            return value;
        }

        double fresh = range ? ComputeLoudnessRangeLu() : ComputeIntegratedLufs();
        value = fresh;
        Volatile.Write(ref stamp, changes);
        return fresh;
    }

    private double ComputeLoudnessRangeLu()
    {
        LoudnessHistogram? h = _lraValues;
        if (h is null || h.Count == 0)
        {
            return 0;
        }

        double threshold = EnergyToLufs(h.TotalEnergy / h.Count) + LraRelativeGateLu;
        long n = h.CountAtOrAbove(threshold, out _);
        if (n == 0)
        {
            return 0;
        }

        // Tech 3342 §5: sorted(round((n−1)·p/100 + 1)) with 1-based indexing.
        long lowRank = (long)Math.Round((n - 1) * 0.10, MidpointRounding.AwayFromZero);
        long highRank = (long)Math.Round((n - 1) * 0.95, MidpointRounding.AwayFromZero);
        return h.LufsAtRank(threshold, highRank) - h.LufsAtRank(threshold, lowRank);
    }

    /// <summary>[audio thread or non-real-time, configured] Restarts the sample- and true-peak
    /// holds without touching the loudness windows or gating, so a caller can read the peaks of
    /// consecutive stretches (the problem checker reads them every 100 ms). Allocates nothing.</summary>
    public void ResetPeaks()
    {
        Array.Clear(_samplePeaks);
        _truePeak.ResetPeak();
    }

    /// <summary>Sample peak of one channel, linear.</summary>
    /// <remarks>[any thread]</remarks>
    public double ChannelSamplePeak(int channel) => _samplePeaks[channel];

    /// <summary>True peak of one channel, linear.</summary>
    /// <remarks>[any thread]</remarks>
    public double ChannelTruePeak(int channel) => _truePeak.ChannelTruePeak(channel);

    /// <summary>The BS.1770-4 channel weights for a channel count: 1 (mono), 2 (L R), 3 (L R C),
    /// 4 (L R Ls Rs), 5 (L R C Ls Rs), 6 (L R C LFE Ls Rs; LFE excluded, Tech 3341 §2.10); surrounds
    /// 1.41 (Annex 1 Table 3). Beyond six channels the first six follow 5.1 and the rest get 1.0 —
    /// call <see cref="SetChannelWeights"/> for other layouts.</summary>
    /// <remarks>[any thread]</remarks>
    public static double[] DefaultChannelWeights(int channels)
    {
        var w = new double[channels];
        Array.Fill(w, 1.0);
        switch (channels)
        {
            case 4:
                w[2] = w[3] = 1.41;
                break;
            case 5:
                w[3] = w[4] = 1.41;
                break;
            case >= 6:
                w[3] = 0.0;
                w[4] = w[5] = 1.41;
                break;
        }

        return w;
    }

    /// <inheritdoc />
    /// <remarks>[non-real-time] Allocates the filters, the 3 s ring and the two histograms
    /// (about 840 kB, once per meter), then resets. <paramref name="maxBlockFrames"/> is not needed: blocks of
    /// any length are walked in place.</remarks>
    public void Configure(double sampleRate, int channels, int maxBlockFrames)
    {
        if (!(sampleRate >= KWeightingFilter.MinimumSampleRate) || double.IsInfinity(sampleRate))
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRate), "Need a sample rate of at least 8 kHz.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(channels);
        SampleRate = sampleRate;
        Channels = channels;
        _kWeighting.Configure(sampleRate, channels);
        _truePeak.Configure(sampleRate, channels, maxBlockFrames);
        _weights = DefaultChannelWeights(channels);
        _samplePeaks = new float[channels];

        // Same rounding of the 100 ms hop as libebur128, so block boundaries coincide.
        _stepFrames = (int)Math.Round(sampleRate / 10, MidpointRounding.AwayFromZero);
        _subBlockEnds = new int[SubBlocksPerStep];
        for (int j = 0; j < SubBlocksPerStep; j++)
        {
            _subBlockEnds[j] = (int)((long)(j + 1) * _stepFrames / SubBlocksPerStep);
        }

        _ring = new double[ShortTermSubBlocks];
        _gateBlocks ??= new LoudnessHistogram();
        _lraValues = MeasuresRange ? _lraValues ?? new LoudnessHistogram() : null;
        Reset();
    }

    /// <summary>[non-real-time, configured] Replaces the channel weights Gᵢ (one per channel).</summary>
    public void SetChannelWeights(ReadOnlySpan<double> weights)
    {
        if (weights.Length != Channels)
        {
            throw new ArgumentException($"Need {Channels} weights.", nameof(weights));
        }

        foreach (double w in weights)
        {
            if (!(w >= 0) || double.IsInfinity(w))
            {
                throw new ArgumentOutOfRangeException(nameof(weights), "Weights must be finite and non-negative.");
            }
        }

        weights.CopyTo(_weights);
    }

    /// <inheritdoc />
    /// <remarks>[audio thread or non-real-time, configured] Starts a new measurement: clears
    /// filters, windows, maxima, peaks, histograms and duration. Allocates nothing.</remarks>
    public void Reset()
    {
        _kWeighting.Reset();
        _truePeak.Reset();
        Array.Clear(_samplePeaks);
        Array.Clear(_ring);
        _gateBlocks?.Clear();
        _lraValues?.Clear();
        Volatile.Write(ref _changes, _changes + 1);
        _ringPos = 0;
        _subIndex = 0;
        _subFrames = 0;
        _subEnergy = 0;
        _stepsDone = 0;
        _framesDone = 0;
        _momentaryEnergy = _shortTermEnergy = 0;
        _maxMomentaryEnergy = _maxShortTermEnergy = 0;
    }

    /// <inheritdoc />
    /// <remarks>[audio thread, configured] Measures the block (any length, including 0); the audio
    /// is not modified. Channels beyond the configured count are ignored. Allocates nothing.</remarks>
    public void Process(AudioBlock block)
    {
        int frames = block.Frames;
        int channels = Math.Min(block.Channels, Channels);
        if (frames == 0 || channels == 0)
        {
            return;
        }

        if (MeasuresTruePeak)
        {
            _truePeak.Process(block);
        }

        for (int c = 0; c < channels; c++)
        {
            float p = MaxAbs(block[c]);
            if (p > _samplePeaks[c] && float.IsFinite(p))
            {
                _samplePeaks[c] = p;
            }
        }

        int pos = 0;
        while (pos < frames)
        {
            int subLength = _subBlockEnds[_subIndex] - (_subIndex == 0 ? 0 : _subBlockEnds[_subIndex - 1]);
            int n = Math.Min(frames - pos, subLength - _subFrames);
            double energy = 0;
            int pending = -1;
            for (int c = 0; c < channels; c++)
            {
                if (_weights[c] == 0)
                {
                    continue;
                }

                if (pending < 0)
                {
                    pending = c;
                    continue;
                }

                // Weighted channels are filtered in pairs (see KWeightingFilter's pair overload).
                (double a, double b) = _kWeighting.ProcessSumOfSquares(pending, block[pending].Slice(pos, n), c, block[c].Slice(pos, n));
                energy += _weights[pending] * a + _weights[c] * b;
                pending = -1;
            }

            if (pending >= 0)
            {
                energy += _weights[pending] * _kWeighting.ProcessSumOfSquares(pending, block[pending].Slice(pos, n));
            }

            _subEnergy += energy;
            _subFrames += n;
            _framesDone += n;
            pos += n;
            if (_subFrames == subLength)
            {
                CompleteSubBlock();
            }
        }
    }

    /// <summary>[audio thread or non-real-time, configured] End of programme: lets the true-peak
    /// interpolator emit the inter-sample peaks of the last few samples. Loudness is unaffected
    /// (an incomplete gating block is discarded, Tech 3341 §2.3). Allocates nothing.</summary>
    public void Flush()
    {
        if (MeasuresTruePeak)
        {
            _truePeak.Flush();
        }
    }

    private void CompleteSubBlock()
    {
        // Non-finite input (NaN, ∞) would stick in the 3 s window and the maxima; drop it.
        _ring[_ringPos] = double.IsFinite(_subEnergy) ? _subEnergy : 0;
        _ringPos = _ringPos + 1 == ShortTermSubBlocks ? 0 : _ringPos + 1;
        _subEnergy = 0;
        _subFrames = 0;

        _momentaryEnergy = SumLast(MomentarySubBlocks) / (MomentarySteps * (double)_stepFrames);
        _shortTermEnergy = SumLast(ShortTermSubBlocks) / (ShortTermSteps * (double)_stepFrames);
        _maxMomentaryEnergy = Math.Max(_maxMomentaryEnergy, _momentaryEnergy);
        _maxShortTermEnergy = Math.Max(_maxShortTermEnergy, _shortTermEnergy);

        if (++_subIndex < SubBlocksPerStep)
        {
            return;
        }

        _subIndex = 0;
        _stepsDone++;
        if (_stepsDone >= MomentarySteps && _momentaryEnergy >= AbsoluteGateEnergy)
        {
            _gateBlocks!.Add(_momentaryEnergy, EnergyToLufs(_momentaryEnergy));
            Volatile.Write(ref _changes, _changes + 1);
        }

        long sinceFirstShortTerm = _stepsDone - ShortTermSteps;
        bool lraSample = sinceFirstShortTerm >= 0
            && (LraSampling == LoudnessRangeSampling.Every100Milliseconds || sinceFirstShortTerm % 10 == 0);
        if (lraSample && _shortTermEnergy >= AbsoluteGateEnergy)
        {
            _lraValues?.Add(_shortTermEnergy, EnergyToLufs(_shortTermEnergy));
            Volatile.Write(ref _changes, _changes + 1);
        }

        Observer?.OnStep(_stepsDone * (double)_stepFrames / SampleRate, MomentaryLufs, ShortTermLufs);
    }

    private double SumLast(int count)
    {
        double sum = 0;
        int start = _ringPos - count;
        if (start < 0)
        {
            foreach (double e in _ring.AsSpan(start + ShortTermSubBlocks))
            {
                sum += e;
            }

            start = 0;
        }

        foreach (double e in _ring.AsSpan(start, _ringPos - start))
        {
            sum += e;
        }

        return sum;
    }

    private static double EnergyToLufs(double energy) => Bs1770.EnergyToLufs(energy);

    private static float MaxAbs(ReadOnlySpan<float> x)
    {
        int w = Vector<float>.Count;
        var vmax = Vector<float>.Zero;
        ref float r = ref MemoryMarshal.GetReference(x);
        int i = 0;
        for (; i + w <= x.Length; i += w)
        {
            vmax = Vector.Max(vmax, Vector.Abs(Vector.LoadUnsafe(ref r, (nuint)i)));
        }

        float max = 0;
        for (int k = 0; k < w; k++)
        {
            max = MathF.Max(max, vmax[k]);
        }

        for (; i < x.Length; i++)
        {
            max = MathF.Max(max, MathF.Abs(x[i]));
        }

        return max;
    }
}
