using System.Globalization;
using MixMate.Dsp;
using MixMate.Dsp.Filters;
using MixMate.Dsp.Spectrum;

namespace MixMate.Assistant.Problems;

/// <summary>
/// Everything below 400 Hz, at about 1.5 kHz: the first two channels are averaged in blocks down
/// to about 12 kHz, low-passed (4th-order Butterworth at 400 Hz) and decimated. From there it finds
/// mains hum (narrow, persistent lines at 50 or 60 Hz and their harmonics, in 8192-point spectra,
/// ≈ 0.19 Hz bins, 5.2 s long, every ≈ 0.33 s), measures rumble (energy from 5 to 30 Hz) and keeps the
/// correlation of the low end (below 150 Hz) per 100 ms step for the phase checks.
/// </summary>
/// <remarks>[any thread, one caller] Memory: fixed buffers plus a few numbers per 100 ms step and
/// per spectrum frame.</remarks>
internal sealed class LowBandAnalyzer
{
    /// <summary>A hum line must stand this far above the spectrum 1.5–6 Hz beside it (10 dB).</summary>
    public const double HumRatio = 10.0;

    /// <summary>A hum line carries at least this mean square per channel (−75 dBFS): quieter
    /// lines are inaudible, and beside digital silence any line would pass the ratio.</summary>
    public const double MinimumLinePower = 3.2e-8;

    /// <summary>A line with comb teeth this close in power (6 dB) on both sides is the music's
    /// comb, not hum (see <see cref="IsCombTooth"/>).</summary>
    public const double CombToothRatio = 4.0;

    /// <summary>Shortest hum reported, seconds.</summary>
    public const double HumMinimumSeconds = 3.0;

    /// <summary>Rumble: energy from 5 to 30 Hz this far below the whole programme's or closer (−12 dB).</summary>
    public const double RumbleRatioDb = -12.0;

    private const int FftSize = 8192;
    private const int Hop = 512;
    private const int Harmonics = 6;
    private const double LowBandHz = 150;

    private static readonly double[] s_bases = [50, 60];

    private readonly int _channels;
    private readonly int _firstFactor;
    private readonly int _secondFactor;
    private readonly double _lowRate;
    private readonly double _binHz;
    private readonly BiquadCoefficients _lowPassA;
    private readonly BiquadCoefficients _lowPassB;
    private readonly BiquadCoefficients _bandLowPass;
    private readonly Biquad[] _stageA;
    private readonly Biquad[] _stageB;
    private readonly Biquad[] _band;
    private readonly double[] _boxSum;
    private int _boxCount;
    private int _decimateCount;

    private readonly float[][] _ring;
    private int _ringPos;
    private long _lowSamples;
    private int _sinceFrame;

    private readonly Fft _fft = new(FftSize);
    private readonly double[] _window;
    private readonly double _windowPower;
    private readonly double[] _re = new double[FftSize];
    private readonly double[] _im = new double[FftSize];
    private readonly double[] _power;
    private readonly double[] _scratch = new double[64];

    private double _segLL, _segRR, _segLR;
    private readonly List<FrameHum> _frames = [];
    private double _rumbleSum;
    private long _rumbleFrames;

    /// <param name="sampleRate">Frames per second of the programme.</param>
    /// <param name="channels">Channel count (the first two are analysed).</param>
    public LowBandAnalyzer(double sampleRate, int channels)
    {
        _channels = Math.Min(2, channels);
        _firstFactor = Math.Max(1, (int)Math.Round(sampleRate / 12000));
        double firstRate = sampleRate / _firstFactor;
        _secondFactor = Math.Max(1, (int)Math.Round(firstRate / 1500));
        _lowRate = firstRate / _secondFactor;
        _binHz = _lowRate / FftSize;
        _lowPassA = BiquadCoefficients.LowPass(firstRate, 400, BiquadCoefficients.ButterworthQ4First);
        _lowPassB = BiquadCoefficients.LowPass(firstRate, 400, BiquadCoefficients.ButterworthQ4Second);
        _bandLowPass = BiquadCoefficients.LowPass(_lowRate, LowBandHz, BiquadCoefficients.ButterworthQ);
        _stageA = new Biquad[_channels];
        _stageB = new Biquad[_channels];
        _band = new Biquad[_channels];
        _boxSum = new double[_channels];
        _ring = new float[_channels][];
        for (int c = 0; c < _channels; c++)
        {
            _ring[c] = new float[FftSize];
        }

        _window = new double[FftSize];
        for (int n = 0; n < FftSize; n++)
        {
            _window[n] = 0.5 - (0.5 * Math.Cos(2 * Math.PI * n / FftSize));
            _windowPower += _window[n] * _window[n];
        }

        _power = new double[(int)(420 / _binHz) + 2];
    }

    /// <summary>Programme frames per low-band sample.</summary>
    public double Decimation => _firstFactor * _secondFactor;

    /// <summary>Mains frequencies (50, 60) whose hum <see cref="FindHum"/> reported.</summary>
    public List<double> HumBasesFound { get; } = [];

    /// <summary>Low-band (below 150 Hz) L·L, R·R and L·R sums per 100 ms step.</summary>
    public List<(double LL, double RR, double LR)> LowBand { get; } = [];

    /// <summary>[any thread, one caller] Feeds the next block.</summary>
    public void Process(AudioBlock block)
    {
        if (_channels == 0)
        {
            return;
        }

        int frames = block.Frames;
        ReadOnlySpan<float> left = block[0];
        ReadOnlySpan<float> right = _channels > 1 ? block[1] : block[0];
        for (int i = 0; i < frames; i++)
        {
            _boxSum[0] += left[i];
            if (_channels > 1)
            {
                _boxSum[1] += right[i];
            }

            if (++_boxCount < _firstFactor)
            {
                continue;
            }

            _boxCount = 0;
            double l = _stageB[0].Process(_stageA[0].Process(_boxSum[0] / _firstFactor, _lowPassA), _lowPassB);
            double r = l;
            _boxSum[0] = 0;
            if (_channels > 1)
            {
                r = _stageB[1].Process(_stageA[1].Process(_boxSum[1] / _firstFactor, _lowPassA), _lowPassB);
                _boxSum[1] = 0;
            }

            if (++_decimateCount < _secondFactor)
            {
                continue;
            }

            _decimateCount = 0;
            LowSample(l, r);
        }
    }

    /// <summary>[any thread, one caller] Closes the current 100 ms step.</summary>
    public void EndSegment()
    {
        LowBand.Add((_segLL, _segRR, _segLR));
        _segLL = _segRR = _segLR = 0;
    }

    /// <summary>[any thread, one caller] Hum problems after the last block.</summary>
    public IEnumerable<Problem> FindHum(double duration)
    {
        var problems = new List<Problem>();
        if (_frames.Count == 0)
        {
            return problems;
        }

        double hopSeconds = Hop / _lowRate;
        for (int b = 0; b < s_bases.Length; b++)
        {
            var flags = new bool[_frames.Count];
            for (int f = 0; f < flags.Length; f++)
            {
                flags[f] = _frames[f].Flagged(b);
            }

            int minFrames = (int)Math.Ceiling(HumMinimumSeconds / hopSeconds);
            int reachedFrame = 0;
            foreach ((int start, int end) in SegmentRuns.Find(flags, 45, minFrames))
            {
                if (start < reachedFrame)
                {
                    continue; // already inside the previous run's extent
                }

                // The harmonic seen most often carries the level used for the edges.
                int best = 0, bestCount = -1;
                for (int h = 0; h < Harmonics; h++)
                {
                    int count = 0;
                    for (int f = start; f < end; f++)
                    {
                        count += _frames[f].Good(b, h) ? 1 : 0;
                    }

                    if (count > bestCount)
                    {
                        (best, bestCount) = (h, count);
                    }
                }

                var amplitude = new double[_frames.Count];
                var ratios = new List<double>();
                for (int f = 0; f < amplitude.Length; f++)
                {
                    amplitude[f] = _frames[f].ExcessAmplitude(b, best);
                    if (f >= start && f < end)
                    {
                        ratios.Add(_frames[f].RatioDb(b, best));
                    }
                }

                // What the music itself puts in that bin, where no frame is flagged, comes off in
                // power (it adds to the hum incoherently); what remains is the hum's amplitude.
                List<double> outside = [.. Enumerable.Range(0, amplitude.Length).Where(f => !flags[f]).Select(f => amplitude[f] * amplitude[f])];
                outside.Sort();
                double[] raw = [.. amplitude[start..end]];
                Array.Sort(raw);
                double rawTypical = raw[(int)(0.9 * (raw.Length - 1))];
                // Capped: where hum runs through the whole file the "outside" frames hold hum too.
                double baseline = outside.Count >= 10 ? Math.Min(outside[outside.Count / 2], 0.25 * rawTypical * rawTypical) : 0;
                for (int f = 0; f < amplitude.Length; f++)
                {
                    amplitude[f] = Math.Sqrt(Math.Max(0, (amplitude[f] * amplitude[f]) - baseline));
                }

                double[] inRun = [.. Enumerable.Range(start, end - start).Where(f => flags[f]).Select(f => amplitude[f])];
                Array.Sort(inRun);
                double typical = Math.Max(inRun[inRun.Length / 2], 1e-30);
                // Amplitude in a frame grows with the share of the window the hum fills: half of
                // it is reached when the frame is centred on the hum's edge.
                double half = 0.5 * typical;
                // The hum's extent: stretches of frames at or above half that level (frames
                // masked by the music keep the level even when they fail the tests), each holding
                // frames that qualified and lasting at least the minimum.
                double ratioDb = Median([.. ratios]);
                double hz = s_bases[b] * (best + 1);
                int f0 = Math.Max(0, start - minFrames);
                int f1 = Math.Min(_frames.Count, end + minFrames);
                int i = f0;
                while (i < f1)
                {
                    if (amplitude[i] < half)
                    {
                        i++;
                        continue;
                    }

                    int s = i;
                    while (i < _frames.Count && amplitude[i] >= half)
                    {
                        i++;
                    }

                    int e = i;
                    reachedFrame = Math.Max(reachedFrame, e);
                    int qualified = Enumerable.Range(s, e - s).Count(f => flags[f]);
                    if (qualified < 3 || e - s < minFrames / 2)
                    {
                        continue;
                    }

                    (double t0, double t1) = Edges(s, e, amplitude, half, typical, duration);
                    bool whole = SegmentRuns.IsWholeFile(t0, t1, duration) || (t0 < 0.5 && t1 > duration - 0.5);
                    if (t1 - t0 < HumMinimumSeconds)
                    {
                        continue;
                    }

                    if (!HumBasesFound.Contains(s_bases[b]))
                    {
                        HumBasesFound.Add(s_bases[b]);
                    }

                    problems.Add(new Problem(
                        ProblemKind.Hum, ProblemSeverity.Warning, whole ? null : t0, whole ? null : t1, ratioDb, 10 * Math.Log10(HumRatio), "dB",
                        "MixMate: a line within a bin (0.19 Hz) of 50/60 Hz (or of 100/120 Hz with another harmonic), isolated, 10 dB above the spectrum 1.5–6 Hz beside it, not a tooth of the music's comb, for at least 3 s",
                        string.Create(CultureInfo.InvariantCulture, $"{s_bases[b]:0} Hz mains hum (strongest at {hz:0} Hz, {ratioDb:0} dB above the music around it)"),
                        string.Create(CultureInfo.InvariantCulture, $"notch {s_bases[b]:0} Hz and its harmonics (a de-hum filter), or fix the ground loop and record again")));
                }
            }
        }

        return MergeClose(problems, duration);
    }

    /// <summary>Hum regions of the same mains frequency less than 10 s apart are one hum (the music
    /// masked it in between).</summary>
    private static List<Problem> MergeClose(List<Problem> problems, double duration)
    {
        var merged = new List<Problem>();
        foreach (Problem p in problems.OrderBy(p => p.Message, StringComparer.Ordinal).ThenBy(p => p.Start ?? -1))
        {
            Problem? last = merged.Count > 0 ? merged[^1] : null;
            bool sameBase = last is not null && string.Equals(last.Message[..5], p.Message[..5], StringComparison.Ordinal);
            if (last is not null && sameBase && (last.Start is null || p.Start is null || p.Start - last.End < 10))
            {
                double? start = last.Start is null || p.Start is null ? null : Math.Min(last.Start.Value, p.Start.Value);
                double? end = last.End is null || p.End is null ? null : Math.Max(last.End.Value, p.End.Value);
                if (start is double a && end is double b && (SegmentRuns.IsWholeFile(a, b, duration) || (a < 0.5 && b > duration - 0.5)))
                {
                    (start, end) = (null, null);
                }

                merged[^1] = last with { Start = start, End = end, Value = Math.Max(last.Value, p.Value) };
                continue;
            }

            merged.Add(p);
        }

        return merged;
    }

    /// <summary>Start and end of frames [s, e) above <paramref name="half"/>: where the amplitude
    /// crosses half between frame centres. No frame is centred within half a frame of either end
    /// of the file: there, how much of the first (last) frame the hum fills says where it starts
    /// (ends).</summary>
    private (double Start, double End) Edges(int s, int e, double[] amplitude, double half, double typical, double duration)
    {
        double frameSeconds = FftSize / _lowRate;
        double t0 = s > 0
            ? Crossing(s - 1, s, amplitude, half)
            : Math.Max(0, _frames[0].Centre - (Math.Clamp((amplitude[0] / typical) - 0.5, 0, 0.5) * frameSeconds));
        double t1 = e < _frames.Count
            ? Crossing(e, e - 1, amplitude, half)
            : Math.Min(duration, _frames[^1].Centre + (Math.Clamp((amplitude[^1] / typical) - 0.5, 0, 0.5) * frameSeconds));
        return (t0, t1);
    }

    /// <summary>[any thread, one caller] Rumble (5–30 Hz) after the last block.</summary>
    /// <param name="meanSquare">The programme's mean square per channel, full band.</param>
    public Problem? FindRumble(double meanSquare)
    {
        if (_rumbleFrames == 0 || meanSquare <= 1e-10)
        {
            return null;
        }

        double rumble = _rumbleSum / _rumbleFrames;
        double db = 10 * Math.Log10(Math.Max(rumble, 1e-30) / meanSquare);
        if (db < RumbleRatioDb)
        {
            return null;
        }

        return new Problem(
            ProblemKind.Rumble, ProblemSeverity.Warning, null, null, db, RumbleRatioDb, "dB",
            "MixMate: energy from 5 to 30 Hz within 12 dB of the whole programme's (music rarely has more than a few per cent there)",
            string.Create(CultureInfo.InvariantCulture, $"rumble: {db:0.0} dB of the energy lies below 30 Hz, where speakers cannot play it"),
            "high-pass the mix at 25–30 Hz (a steep filter) so the limiter stops reacting to what nobody hears");
    }

    private void LowSample(double l, double r)
    {
        _ring[0][_ringPos] = (float)l;
        if (_channels > 1)
        {
            _ring[1][_ringPos] = (float)r;
        }

        _ringPos = (_ringPos + 1) & (FftSize - 1);
        _lowSamples++;

        double bl = _band[0].Process(l, _bandLowPass);
        double br = _channels > 1 ? _band[1].Process(r, _bandLowPass) : bl;
        _segLL += bl * bl;
        _segRR += br * br;
        _segLR += bl * br;

        if (++_sinceFrame >= Hop && _lowSamples >= FftSize)
        {
            _sinceFrame = 0;
            AnalyseFrame();
        }
    }

    /// <remarks>Left goes in the real part, right in the imaginary part of one transform; the two
    /// spectra separate as (|Z[k]|² + |Z[N−k]|²)/2 = |L[k]|² + |R[k]|².</remarks>
    private void AnalyseFrame()
    {
        for (int n = 0; n < FftSize; n++)
        {
            int at = (_ringPos + n) & (FftSize - 1);
            _re[n] = _ring[0][at] * _window[n];
            _im[n] = _channels > 1 ? _ring[1][at] * _window[n] : 0;
        }

        _fft.Forward(_re, _im);
        for (int k = 1; k < _power.Length; k++)
        {
            int m = FftSize - k;
            _power[k] = ((_re[k] * _re[k]) + (_im[k] * _im[k]) + (_re[m] * _re[m]) + (_im[m] * _im[m])) * 0.5;
        }

        // One-sided mean square per channel: 2·Σ|X|² / (N·Σw²).
        double scale = 2.0 / (FftSize * _windowPower * _channels);
        double rumble = 0;
        for (int k = (int)Math.Ceiling(5 / _binHz); k * _binHz < 30; k++)
        {
            rumble += _power[k];
        }

        _rumbleSum += rumble * scale;
        _rumbleFrames++;

        var hum = new FrameHum((_lowSamples - (FftSize / 2)) / _lowRate);
        for (int b = 0; b < s_bases.Length; b++)
        {
            for (int h = 0; h < Harmonics; h++)
            {
                double f = s_bases[b] * (h + 1);
                if (f > 400)
                {
                    break;
                }

                // The line: the bins within one of f, a local maximum (above the bins two away,
                // where a Hann main lobe centred on f has its null) and isolated: 6 dB above the
                // 70th percentile of the bins 3–14 away (0.55–2.7 Hz). A loop repeating every bar
                // at 120 bpm has a comb of lines every 0.5 Hz, 50 and 100 Hz among them, which fills
                // that percentile; hum has one line, and a lone note nearby fills only a few bins.
                int k0 = (int)Math.Round(f / _binHz);
                double peak = MaxBins(k0 - 1, k0 + 1);
                double lobe = Math.Max(MaxBins(k0 - 2, k0 - 2), MaxBins(k0 + 2, k0 + 2));
                double shoulder = PercentileBins(k0 - 14, k0 - 3, k0 + 3, k0 + 14, 0.7);
                double neighbours = MedianOf(f - 6, f - 1.5, f + 1.5, f + 6);
                bool line = peak > 2 * lobe && peak > 4 * shoulder && peak > HumRatio * neighbours && peak * scale > MinimumLinePower;
                hum.Set(b, h, peak, neighbours, line && !IsCombTooth(k0, peak, neighbours));
            }
        }

        _frames.Add(hum);
    }

    /// <summary>
    /// Whether the line at bin <paramref name="k0"/> is one tooth of a comb: music that repeats
    /// (a loop, a riff, a held chord's beating) puts lines at equal spacing, and one of them can
    /// fall on 50 or 60 Hz. Hum is a lone line. A comb shows lines at ±d and ±2d on both sides
    /// (d from 3 to 42 bins, 0.57–8 Hz, one bin either way), each a line above the floor (6 dB
    /// over <paramref name="neighbours"/>) and within <see cref="CombToothRatio"/> of the
    /// candidate; hum under such music still counts when it lifts its bin that far above the
    /// comb's teeth.
    /// </summary>
    private bool IsCombTooth(int k0, double peak, double neighbours)
    {
        double floor = Math.Max(4 * neighbours, peak / CombToothRatio);
        for (int d = 3; d <= 42; d++)
        {
            if (MaxBins(k0 - d - 1, k0 - d + 1) >= floor && MaxBins(k0 + d - 1, k0 + d + 1) >= floor
                && MaxBins(k0 - (2 * d) - 1, k0 - (2 * d) + 1) >= floor && MaxBins(k0 + (2 * d) - 1, k0 + (2 * d) + 1) >= floor)
            {
                return true;
            }
        }

        return false;
    }

    private double MaxBins(int a, int b)
    {
        a = Math.Max(1, a);
        b = Math.Min(_power.Length - 1, b);
        double max = 0;
        for (int k = a; k <= b; k++)
        {
            max = Math.Max(max, _power[k]);
        }

        return max;
    }

    private double PercentileBins(int a0, int a1, int b0, int b1, double p)
    {
        int count = 0;
        foreach ((int from, int to) in new[] { (a0, a1), (b0, b1) })
        {
            for (int k = Math.Max(1, from); k <= Math.Min(_power.Length - 1, to) && count < _scratch.Length; k++)
            {
                _scratch[count++] = _power[k];
            }
        }

        if (count == 0)
        {
            return 0;
        }

        Span<double> values = _scratch.AsSpan(0, count);
        values.Sort();
        return values[(int)(p * (count - 1))];
    }

    private double MedianOf(double a0, double a1, double b0, double b1)
    {
        int count = 0;
        foreach ((double from, double to) in new[] { (a0, a1), (b0, b1) })
        {
            int a = Math.Max(1, (int)Math.Round(from / _binHz));
            int b = Math.Min(_power.Length - 1, (int)Math.Round(to / _binHz));
            for (int k = a; k <= b && count < _scratch.Length; k++)
            {
                _scratch[count++] = _power[k];
            }
        }

        if (count == 0)
        {
            return 0;
        }

        Span<double> values = _scratch.AsSpan(0, count);
        values.Sort();
        return values[count / 2];
    }

    private double Crossing(int below, int above, double[] amplitude, double level)
    {
        double a = amplitude[below], b = amplitude[above];
        double fraction = b > a ? Math.Clamp((level - a) / (b - a), 0, 1) : 1;
        return _frames[below].Centre + (fraction * (_frames[above].Centre - _frames[below].Centre));
    }

    private static double Median(double[] values)
    {
        if (values.Length == 0)
        {
            return 0;
        }

        Array.Sort(values);
        return values[values.Length / 2];
    }

    /// <summary>Hum figures of one spectrum frame: per base (50, 60 Hz) and harmonic, the line's
    /// power, its neighbours' median and whether it qualified.</summary>
    private sealed class FrameHum(double centre)
    {
        private readonly float[] _peak = new float[2 * Harmonics];
        private readonly float[] _neighbours = new float[2 * Harmonics];
        private readonly bool[] _good = new bool[2 * Harmonics];

        public double Centre { get; } = centre;

        public void Set(int b, int h, double peak, double neighbours, bool good)
        {
            _peak[(b * Harmonics) + h] = (float)peak;
            _neighbours[(b * Harmonics) + h] = (float)neighbours;
            _good[(b * Harmonics) + h] = good;
        }

        public bool Good(int b, int h) => _good[(b * Harmonics) + h];

        /// <summary>The fundamental, or the second harmonic (rectifier buzz) with another one:
        /// mains hum always has one of the two, a tuned drum or a note's overtones need not.</summary>
        public bool Flagged(int b)
        {
            int count = 0;
            for (int h = 0; h < Harmonics; h++)
            {
                count += Good(b, h) ? 1 : 0;
            }

            return Good(b, 0) || (Good(b, 1) && count >= 2);
        }

        public double ExcessAmplitude(int b, int h) =>
            Math.Sqrt(Math.Max(0, _peak[(b * Harmonics) + h] - _neighbours[(b * Harmonics) + h]));

        public double RatioDb(int b, int h) =>
            10 * Math.Log10(Math.Max(_peak[(b * Harmonics) + h], 1e-30f) / Math.Max(_neighbours[(b * Harmonics) + h], 1e-30f));
    }
}
