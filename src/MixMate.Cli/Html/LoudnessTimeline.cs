using MixMate.Dsp.Loudness;

namespace MixMate.Cli.Html;

/// <summary>
/// The loudness meter's 100 ms steps recorded for plots: momentary (400 ms) and short-term (3 s)
/// loudness, and the true peak within each step. <see cref="OnStep"/> writes into arrays sized in
/// advance, so recording allocates nothing on the metering thread; steps beyond the capacity are
/// dropped (the capacity comes from the programme's length).
/// </summary>
internal sealed class LoudnessTimeline : ILoudnessObserver
{
    /// <summary>BS.1770-4 Annex 1 §5: absolute gate, LUFS.</summary>
    public const double AbsoluteGateLufs = -70;

    /// <summary>BS.1770-4 Annex 1 §5: relative gate, LU below the absolutely gated mean.</summary>
    public const double RelativeGateLu = -10;

    // A gating block is 400 ms = 4 steps; the first complete one ends at step index 3 (BS.1770-4 §5.1).
    private const int StepsPerBlock = 4;

    private readonly double[] _time;
    private readonly double[] _momentary;
    private readonly double[] _shortTerm;
    private readonly double[] _truePeak;

    /// <param name="capacity">Steps to reserve (duration ÷ 100 ms, plus one).</param>
    public LoudnessTimeline(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _time = new double[capacity];
        _momentary = new double[capacity];
        _shortTerm = new double[capacity];
        _truePeak = new double[capacity];
        _truePeak.AsSpan().Fill(double.NegativeInfinity);
    }

    /// <summary>Steps recorded.</summary>
    public int Count { get; private set; }

    /// <summary>Programme time at the end of each step, seconds.</summary>
    public ReadOnlySpan<double> Time => _time.AsSpan(0, Count);

    /// <summary>Momentary loudness at the end of each step, LUFS (−∞ for silence).</summary>
    public ReadOnlySpan<double> Momentary => _momentary.AsSpan(0, Count);

    /// <summary>Short-term loudness at the end of each step, LUFS (−∞ for silence).</summary>
    public ReadOnlySpan<double> ShortTerm => _shortTerm.AsSpan(0, Count);

    /// <summary>Highest true peak within each step, dBTP (−∞ where unset or silent).</summary>
    public ReadOnlySpan<double> TruePeakDbtp => _truePeak.AsSpan(0, Count);

    /// <summary>[metering thread] Records one step. Allocates nothing.</summary>
    public void OnStep(double timeSeconds, double momentaryLufs, double shortTermLufs)
    {
        if (Count < _time.Length)
        {
            _time[Count] = timeSeconds;
            _momentary[Count] = momentaryLufs;
            _shortTerm[Count] = shortTermLufs;
            Count++;
        }
    }

    /// <summary>[metering thread] Sets the true peak (dBTP) of step <paramref name="step"/>.</summary>
    public void SetTruePeak(int step, double dbtp)
    {
        if ((uint)step < (uint)_truePeak.Length)
        {
            _truePeak[step] = dbtp;
        }
    }

    /// <summary>[any thread, after metering] The gates of BS.1770-4 Annex 1 §5 computed from the
    /// recorded momentary values (each step's momentary value is the gating block ending there):
    /// the threshold a block must reach to count, and the integrated loudness that results
    /// (−∞ when no block passes; the threshold is then the absolute gate).</summary>
    public (double ThresholdLufs, double IntegratedLufs) Gates()
    {
        double sum = 0;
        int n = 0;
        for (int i = StepsPerBlock - 1; i < Count; i++)
        {
            if (_momentary[i] >= AbsoluteGateLufs)
            {
                sum += Energy(_momentary[i]);
                n++;
            }
        }

        if (n == 0)
        {
            return (AbsoluteGateLufs, double.NegativeInfinity);
        }

        double threshold = Math.Max(AbsoluteGateLufs, Lufs(sum / n) + RelativeGateLu);
        double gatedSum = 0;
        int gated = 0;
        for (int i = StepsPerBlock - 1; i < Count; i++)
        {
            if (_momentary[i] >= threshold)
            {
                gatedSum += Energy(_momentary[i]);
                gated++;
            }
        }

        return (threshold, gated == 0 ? double.NegativeInfinity : Lufs(gatedSum / gated));
    }

    /// <summary>[any thread, after metering] Time ranges whose gating block is below the gate (so the
    /// integrated loudness ignores them): each such step's 100 ms, merged when adjacent.</summary>
    public List<(double From, double To)> GatedOutRanges()
    {
        (double threshold, _) = Gates();
        var ranges = new List<(double From, double To)>();
        for (int i = StepsPerBlock - 1; i < Count; i++)
        {
            if (!(_momentary[i] >= threshold))
            {
                double from = i == 0 ? 0 : _time[i - 1];
                if (ranges.Count > 0 && Math.Abs(ranges[^1].To - from) < 1e-9)
                {
                    ranges[^1] = (ranges[^1].From, _time[i]);
                }
                else
                {
                    ranges.Add((from, _time[i]));
                }
            }
        }

        return ranges;
    }

    // BS.1770-4 eq. 2: L = −0.691 + 10·log10(mean square, channel-weighted).
    private static double Energy(double lufs) => Math.Pow(10, (lufs + 0.691) / 10);

    private static double Lufs(double energy) => -0.691 + (10 * Math.Log10(energy));
}
