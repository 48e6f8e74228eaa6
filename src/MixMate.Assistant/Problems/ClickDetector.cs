using System.Globalization;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using MixMate.Dsp;

namespace MixMate.Assistant.Problems;

/// <summary>
/// Clicks and pops: samples whose second difference d[n] = x[n] − 2x[n−1] + x[n−2] (a crude
/// predictor residual, after Vaseghi and Godsill's AR-residual detectors) stands out of its local
/// envelope — the RMS of d over ±2.5 ms around it, leaving out the impulse itself — by
/// <see cref="Ratio"/> (20 dB). Transients of real instruments spread their energy over that
/// window (a snare's noise follows its onset), an impulse does not. Where more than
/// <see cref="MaxPerSegment"/> candidates fall in 100 ms the material itself is impulsive (a
/// square-wave synth, a buzzy sample) and none of them count. A candidate with a sibling — a
/// residual at least half as large 5–50 ms away (a period of 20 Hz or more) — is the corner of a periodic waveform (a
/// band-limited square or saw bass repeats its corners every half-period), not a click: an
/// impulse is alone in its neighbourhood, and the two edges of a short dropout lie closer than 5 ms.
/// </summary>
/// <remarks>[any thread, one caller] Streaming over a small carried history per channel; keeps at
/// most <see cref="MaxCandidates"/> candidates.</remarks>
internal sealed class ClickDetector
{
    /// <summary>|d| over local RMS of d.</summary>
    public const double Ratio = 10.0;

    /// <summary>Smallest |d| counted (−40 dBFS): keeps dither and quiet noise out.</summary>
    public const double MinimumResidual = 0.01;

    /// <summary>More candidates than this in one 100 ms step mean impulsive material, not clicks.</summary>
    public const int MaxPerSegment = 3;

    /// <summary>Candidates kept at most (memory bound).</summary>
    public const int MaxCandidates = 100_000;

    /// <summary>A residual this fraction of the candidate's or more, 5–50 ms away, is a sibling.</summary>
    public const double SiblingFraction = 0.5;

    private const int Excluded = 3;

    private const double SiblingNearSeconds = 0.005;

    private const double SiblingFarSeconds = 0.05;

    private const int SiblingBlock = 64;

    private readonly int _channels;
    private readonly int _half;
    private readonly int _siblingNear;
    private readonly int _reach;
    private readonly int _carry;
    private readonly double _sampleRate;
    private readonly bool _lanes;
    private readonly float[][] _history;
    private readonly double[] _residual;
    private readonly double[] _prefix;
    private readonly double[] _blockPeak; // max d² per SiblingBlock residuals, for the sibling search
    private readonly long[] _nextCentre;
    private readonly List<Candidate> _candidates = [];
    private int _filled;
    private long _base;

    /// <param name="sampleRate">Frames per second.</param>
    /// <param name="channels">Channel count.</param>
    /// <param name="maxBlockFrames">Largest block <see cref="Process"/> gets.</param>
    public ClickDetector(double sampleRate, int channels, int maxBlockFrames)
        : this(sampleRate, channels, maxBlockFrames, Vector256.IsHardwareAccelerated)
    {
    }

    /// <param name="sampleRate">Frames per second.</param>
    /// <param name="channels">Channel count.</param>
    /// <param name="maxBlockFrames">Largest block <see cref="Process"/> gets.</param>
    /// <param name="lanes">Screen four centres at a time across vector lanes (the same findings;
    /// false for the one-at-a-time path, which tests compare it with).</param>
    internal ClickDetector(double sampleRate, int channels, int maxBlockFrames, bool lanes)
    {
        _lanes = lanes && Vector256.IsHardwareAccelerated;
        _sampleRate = sampleRate;
        _channels = channels;
        _half = Math.Max(8, (int)Math.Round(0.0025 * sampleRate));
        _siblingNear = Math.Max(_half, (int)Math.Round(SiblingNearSeconds * sampleRate));
        _reach = Math.Max(_siblingNear + 1, (int)Math.Round(SiblingFarSeconds * sampleRate));
        _carry = (2 * _reach) + 4;
        _history = new float[channels][];
        for (int c = 0; c < channels; c++)
        {
            _history[c] = new float[_carry + maxBlockFrames];
        }

        _residual = new double[_carry + maxBlockFrames];
        _prefix = new double[_carry + maxBlockFrames + 1];
        _blockPeak = new double[((_carry + maxBlockFrames) / SiblingBlock) + 1];
        _nextCentre = new long[channels];
        for (int c = 0; c < channels; c++)
        {
            _nextCentre[c] = _reach + 2;
        }
    }

    /// <summary>[any thread, one caller] Scans the next block.</summary>
    public void Process(AudioBlock block)
    {
        int n = block.Frames;
        int channels = Math.Min(_channels, block.Channels);
        int length = _filled + n;
        for (int c = 0; c < channels; c++)
        {
            float[] h = _history[c];
            block[c].CopyTo(h.AsSpan(_filled));
            Scan(c, h, length);
        }

        // Keep the last samples as the next block's history.
        int keep = Math.Min(length, _carry);
        int shift = length - keep;
        for (int c = 0; c < _channels; c++)
        {
            Array.Copy(_history[c], shift, _history[c], 0, keep);
        }

        _filled = keep;
        _base += shift;
    }

    /// <summary>[any thread, one caller] The clicks found, grouped within half a second; those
    /// inside <paramref name="clipped"/> regions (seconds) are the clipping's corners and are left out.</summary>
    public IEnumerable<Problem> Finish(double segmentSeconds, IReadOnlyList<(double Start, double End)> clipped)
    {
        // Drop candidates in steps where the material itself is impulsive.
        var perSegment = new Dictionary<(int Channel, long Segment), int>();
        foreach (Candidate k in _candidates)
        {
            var key = (k.Channel, (long)(k.Frame / _sampleRate / segmentSeconds));
            perSegment[key] = perSegment.GetValueOrDefault(key) + 1;
        }

        var clicks = new List<Candidate>();
        foreach (Candidate k in _candidates)
        {
            double t = k.Frame / _sampleRate;
            if (perSegment[(k.Channel, (long)(t / segmentSeconds))] <= MaxPerSegment
                && !clipped.Any(r => t >= r.Start - 0.05 && t <= r.End + 0.05))
            {
                clicks.Add(k);
            }
        }

        clicks.Sort((a, b) => a.Frame.CompareTo(b.Frame));
        var problems = new List<Problem>();
        long gap = (long)(0.5 * _sampleRate);
        int i = 0;
        while (i < clicks.Count)
        {
            int j = i;
            double strongest = 0;
            int events = 0;
            long last = long.MinValue;
            while (j < clicks.Count && (j == i || clicks[j].Frame <= clicks[j - 1].Frame + gap))
            {
                strongest = Math.Max(strongest, clicks[j].Ratio);
                if (clicks[j].Frame > last + (long)(0.005 * _sampleRate))
                {
                    events++;
                }

                last = Math.Max(last, clicks[j].Frame);
                j++;
            }

            double start = clicks[i].Frame / _sampleRate;
            double end = clicks[j - 1].Frame / _sampleRate;
            problems.Add(new Problem(
                ProblemKind.Clicks, ProblemSeverity.Warning, start, end, Decibels.FromGain(strongest), Decibels.FromGain(Ratio), "dB",
                "MixMate: second-difference residual 20 dB above its ±2.5 ms RMS envelope (AR-residual click detection, Vaseghi 1988; Godsill & Rayner 1998)",
                events == 1
                    ? string.Create(CultureInfo.InvariantCulture, $"a click or pop {Decibels.FromGain(strongest):0} dB above the surrounding audio")
                    : string.Create(CultureInfo.InvariantCulture, $"{events} clicks or pops, up to {Decibels.FromGain(strongest):0} dB above the surrounding audio"),
                "remove them with a de-click tool or redraw the waveform there; look for an edit without a crossfade or a buffer under-run"));
            i = j;
        }

        return problems;
    }

    /// <remarks>Legend: h = history + block of one channel (h[0] is frame _base); d[i] = second
    /// difference ending at i; prefix = running Σ d²; a centre i is judged once its ±half window
    /// is complete.</remarks>
    private void Scan(int channel, float[] h, int length)
    {
        double[] d = _residual;
        double[] prefix = _prefix;
        int first = (int)Math.Max(_reach + 2, _nextCentre[channel] - _base);
        int last = length - _reach - 1;
        Residuals(h, d, length, _lanes);
        BlockPeaks(d, length);

        // The running Σ d² only where the judged centres' windows read it, restarted at each block
        // (a sum over hours would lose the precision its differences need).
        int from = Math.Max(2, first - _half), to = Math.Min(length, last + _half + 1);
        double sum = 0;
        prefix[from] = 0;
        for (int k = from; k < to; k++)
        {
            sum += d[k] * d[k];
            prefix[k + 1] = sum;
        }

        int window = (2 * _half) + 1 - (2 * Excluded) - 1;
        double minSquare = MinimumResidual * MinimumResidual;
        double ratioSquare = Ratio * Ratio;
        int i = first;
        bool lanes = _lanes;
        ref double dr = ref MemoryMarshal.GetArrayDataReference(d);
        ref double pr = ref MemoryMarshal.GetArrayDataReference(prefix);
        var vMin = Vector256.Create(minSquare);
        var vRatio = Vector256.Create(ratioSquare);
        var vWindow = Vector256.Create((double)window);
        for (; i <= last; i++)
        {
            // Four centres at a time with the scalar test's own arithmetic: skip them when none fires.
            if (lanes && i + 3 <= last)
            {
                Vector256<double> v = Vector256.LoadUnsafe(ref dr, (nuint)i);
                Vector256<double> v2 = v * v;
                Vector256<double> aroundV = (Vector256.LoadUnsafe(ref pr, (nuint)(i + _half + 1)) - Vector256.LoadUnsafe(ref pr, (nuint)(i - _half)))
                    - (Vector256.LoadUnsafe(ref pr, (nuint)(i + Excluded + 1)) - Vector256.LoadUnsafe(ref pr, (nuint)(i - Excluded)));
                Vector256<double> meanV = Vector256.ConditionalSelect(Vector256.GreaterThan(aroundV, Vector256<double>.Zero), aroundV, Vector256<double>.Zero) / vWindow;
                Vector256<double> fires = Vector256.GreaterThanOrEqual(v2, vMin) & Vector256.GreaterThan(v2, vRatio * meanV);
                if (fires == Vector256<double>.Zero)
                {
                    i += 3;
                    continue;
                }
            }

            double r2 = d[i] * d[i];
            if (r2 < minSquare)
            {
                continue;
            }

            double around = (prefix[i + _half + 1] - prefix[i - _half]) - (prefix[i + Excluded + 1] - prefix[i - Excluded]);
            double mean = Math.Max(around, 0) / window;
            if (r2 > ratioSquare * mean)
            {
                // One decision per impulse, on its largest residual (the first few samples).
                double peak = r2;
                for (int k = 1; k <= Excluded; k++)
                {
                    peak = Math.Max(peak, d[i + k] * d[i + k]);
                }

                if (!HasSibling(d, i, peak) && _candidates.Count < MaxCandidates)
                {
                    _candidates.Add(new Candidate(_base + i, channel, Math.Min(1e4, Math.Sqrt(r2 / Math.Max(mean, 1e-30)))));
                }

                i += _half; // one event per impulse
            }
        }

        _nextCentre[channel] = _base + Math.Max(first, i);
    }

    // d[k] = h[k] − 2h[k−1] + h[k−2] (d[0] = d[1] = 0), four at a time where the CPU has the lanes.
    private static void Residuals(float[] h, double[] d, int length, bool lanes)
    {
        d[0] = d[1] = 0;
        int k = 2;
        if (lanes)
        {
            ref float hr = ref MemoryMarshal.GetArrayDataReference(h);
            ref double dr = ref MemoryMarshal.GetArrayDataReference(d);
            var two = Vector256.Create(2.0);
            for (; k + 4 <= length; k += 4)
            {
                Vector256<double> x0 = Vector256.WidenLower(Vector256.Create(Vector128.LoadUnsafe(ref hr, (nuint)k), Vector128<float>.Zero));
                Vector256<double> x1 = Vector256.WidenLower(Vector256.Create(Vector128.LoadUnsafe(ref hr, (nuint)(k - 1)), Vector128<float>.Zero));
                Vector256<double> x2 = Vector256.WidenLower(Vector256.Create(Vector128.LoadUnsafe(ref hr, (nuint)(k - 2)), Vector128<float>.Zero));
                (x0 - (two * x1) + x2).StoreUnsafe(ref dr, (nuint)k);
            }
        }

        for (; k < length; k++)
        {
            d[k] = h[k] - (2.0 * h[k - 1]) + h[k - 2];
        }
    }

    // The largest d² per SiblingBlock residuals (a NaN residual counts as none, as in the
    // sample-by-sample search).
    private void BlockPeaks(double[] d, int length)
    {
        for (int b = 0; b * SiblingBlock < length; b++)
        {
            int k = b * SiblingBlock, end = Math.Min(length, k + SiblingBlock);
            double peak = 0;
            if (_lanes && end - k == SiblingBlock)
            {
                Vector256<double> m = Vector256<double>.Zero;
                ref double dr = ref MemoryMarshal.GetArrayDataReference(d);
                for (; k < end; k += 4)
                {
                    Vector256<double> v = Vector256.LoadUnsafe(ref dr, (nuint)k);
                    Vector256<double> v2 = v * v;
                    m = Vector256.ConditionalSelect(Vector256.GreaterThan(v2, m), v2, m);
                }

                for (int lane = 0; lane < 4; lane++)
                {
                    peak = m[lane] > peak ? m[lane] : peak;
                }
            }
            else
            {
                for (; k < end; k++)
                {
                    double v2 = d[k] * d[k];
                    peak = v2 > peak ? v2 : peak;
                }
            }

            _blockPeak[b] = peak;
        }
    }

    // True when a residual of at least SiblingFraction of d[i] lies 5–50 ms before or after i.
    private bool HasSibling(double[] d, int i, double r2)
    {
        double floor = SiblingFraction * SiblingFraction * r2;
        return AnyAtLeast(d, i - _reach, i - _siblingNear, floor) || AnyAtLeast(d, i + _siblingNear + 1, i + _reach + 1, floor);
    }

    // True when some d[k]² ≥ floor for k in [from, to): whole blocks by their peak, the ends sample by sample.
    private bool AnyAtLeast(double[] d, int from, int to, double floor)
    {
        int k = from;
        while (k < to)
        {
            if (k % SiblingBlock == 0 && k + SiblingBlock <= to)
            {
                if (_blockPeak[k / SiblingBlock] >= floor)
                {
                    return true;
                }

                k += SiblingBlock;
                continue;
            }

            if (d[k] * d[k] >= floor)
            {
                return true;
            }

            k++;
        }

        return false;
    }

    private readonly record struct Candidate(long Frame, int Channel, double Ratio);
}
