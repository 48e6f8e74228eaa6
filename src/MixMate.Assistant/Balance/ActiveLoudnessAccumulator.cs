using MixMate.Dsp;
using MixMate.Dsp.Loudness;

namespace MixMate.Assistant.Balance;

/// <summary>
/// <see cref="ActiveLoudness"/> measured while the audio streams by, in constant memory: what a
/// plug-in instance accumulates while it listens, where <see cref="ActiveLoudnessMeasure"/> needs
/// the whole track at once.
/// </summary>
/// <remarks>
/// The same gating blocks (BS.1770-4 Annex 1 §5.1: K-weighted, 400 ms, hop 100 ms, channel
/// weighted mean square). Each block goes into a histogram of 0.01 LU bins from −70 to +20 LUFS
/// that keeps the count and the energy sum per bin; the loudest block is kept exactly. The gates
/// (absolute, relative to the loudest block, and BS.1770-4 §5.2's −10 LU relative gate) are then
/// applied to whole bins, so results agree with <see cref="ActiveLoudnessMeasure"/> to within one
/// bin (a test pins ≤ 0.02 LU). Unlike the whole-track measure, a track shorter than one 400 ms
/// block reads as silent.
/// Threads: one thread at a time; <see cref="Configure"/> allocates, everything else does not.
/// </remarks>
public sealed class ActiveLoudnessAccumulator
{
    private const double BinLu = 0.01;
    private const double LowestLufs = ActiveLoudnessMeasure.AbsoluteGateLufs;
    private const double HighestLufs = 20;
    private const int StepsPerBlock = 4;

    private readonly KWeightingFilter _filter = new();
    private readonly double[] _stepEnergy = new double[StepsPerBlock];
    private long[] _binCount = [];
    private double[] _binEnergy = [];
    private double[] _weights = [];
    private int _stepFrames;
    private int _inStep;
    private double _stepSum;
    private long _steps;
    private long _blocks;
    private long _frames;
    private double _loudest;

    /// <summary>Sample rate of the current configuration.</summary>
    public double SampleRate { get; private set; }

    /// <summary>Channels of the current configuration.</summary>
    public int Channels { get; private set; }

    /// <summary>Frames accumulated since the last reset.</summary>
    public long Frames => _frames;

    /// <summary>[one thread] Allocates for <paramref name="sampleRate"/> (≥ 8 kHz) and
    /// <paramref name="channels"/>, and resets.</summary>
    public void Configure(double sampleRate, int channels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, KWeightingFilter.MinimumSampleRate);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        SampleRate = sampleRate;
        Channels = channels;
        _filter.Configure(sampleRate, channels);
        _weights = LoudnessMeter.DefaultChannelWeights(channels);
        _stepFrames = (int)Math.Round(sampleRate * Bs1770.StepSeconds);
        int bins = (int)Math.Ceiling((HighestLufs - LowestLufs) / BinLu) + 1;
        _binCount = new long[bins];
        _binEnergy = new double[bins];
        Reset();
    }

    /// <summary>[one thread] Forgets everything measured.</summary>
    public void Reset()
    {
        _filter.Reset();
        Array.Clear(_binCount);
        Array.Clear(_binEnergy);
        Array.Clear(_stepEnergy);
        _inStep = 0;
        _stepSum = 0;
        _steps = 0;
        _blocks = 0;
        _frames = 0;
        _loudest = 0;
    }

    /// <summary>[one thread, configured] Adds audio (channels beyond the configured count are
    /// ignored; missing ones count as silent). Allocation-free.</summary>
    public void Add(AudioBlock audio)
    {
        int channels = Math.Min(audio.Channels, Channels);
        int done = 0;
        while (done < audio.Frames)
        {
            int n = Math.Min(_stepFrames - _inStep, audio.Frames - done);
            for (int c = 0; c < channels; c++)
            {
                _stepSum += _weights[c] * _filter.ProcessSumOfSquares(c, audio[c].Slice(done, n));
            }

            done += n;
            _inStep += n;
            if (_inStep == _stepFrames)
            {
                CloseStep();
            }
        }

        _frames += audio.Frames;
    }

    /// <summary>[one thread] The active loudness of everything added since the last reset.</summary>
    public ActiveLoudness Result()
    {
        double duration = SampleRate > 0 ? _frames / SampleRate : 0;
        double absoluteGate = ActiveLoudnessMeasure.LufsToEnergy(ActiveLoudnessMeasure.AbsoluteGateLufs);
        if (_blocks == 0 || _loudest < absoluteGate)
        {
            return new ActiveLoudness(double.NegativeInfinity, double.NegativeInfinity, double.NegativeInfinity, 0, duration);
        }

        double activeGate = Math.Max(absoluteGate, _loudest * Math.Pow(10, -ActiveLoudnessMeasure.RelativeWindowLu / 10));
        (double activeMean, long activeCount) = MeanFrom(BinOf(activeGate));
        (double gatedMean, _) = MeanFrom(0);
        (double integrated, _) = MeanFrom(BinOf(Math.Max(absoluteGate, gatedMean * Bs1770.RelativeGateRatio)));
        return new ActiveLoudness(
            ActiveLoudnessMeasure.EnergyToLufs(activeMean),
            ActiveLoudnessMeasure.EnergyToLufs(integrated),
            ActiveLoudnessMeasure.EnergyToLufs(_loudest),
            activeCount / (double)_blocks,
            duration);
    }

    private void CloseStep()
    {
        _stepEnergy[_steps % StepsPerBlock] = _stepSum / _stepFrames;
        _steps++;
        _stepSum = 0;
        _inStep = 0;
        if (_steps < StepsPerBlock)
        {
            return;
        }

        double block = (_stepEnergy[0] + _stepEnergy[1] + _stepEnergy[2] + _stepEnergy[3]) / StepsPerBlock;
        _blocks++;
        _loudest = Math.Max(_loudest, block);
        double lufs = ActiveLoudnessMeasure.EnergyToLufs(block);
        if (lufs >= LowestLufs)
        {
            int bin = Math.Min(_binCount.Length - 1, (int)((lufs - LowestLufs) / BinLu));
            _binCount[bin]++;
            _binEnergy[bin] += block;
        }
    }

    // The first bin holding blocks at or above `energy` (a block in a bin straddling the gate
    // counts; that is the 0.01 LU resolution).
    private int BinOf(double energy)
    {
        double lufs = ActiveLoudnessMeasure.EnergyToLufs(energy);
        return Math.Clamp((int)((lufs - LowestLufs) / BinLu), 0, _binCount.Length - 1);
    }

    private (double Mean, long Count) MeanFrom(int firstBin)
    {
        double sum = 0;
        long count = 0;
        for (int b = firstBin; b < _binCount.Length; b++)
        {
            sum += _binEnergy[b];
            count += _binCount[b];
        }

        return (count > 0 ? sum / count : 0, count);
    }
}
