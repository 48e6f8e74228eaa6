using System.Globalization;
using MixMate.Dsp;

namespace MixMate.Assistant.Problems;

/// <summary>
/// Digital clipping: runs of consecutive samples holding exactly the same value at the top of the
/// waveform. At full scale (|x| ≥ −0.1 dBFS) three equal samples are enough; below it — clipped
/// material turned down afterwards — the run must sit within 0.2 dB of the channel's own peak and
/// be longer where integer quantisation alone can repeat a value at the crest of a slow wave
/// (16-bit: a 20 Hz sine near full scale repeats up to five samples). Single peaks that merely touch
/// a limiter's ceiling are never runs of equal values, so limited masters do not count.
/// </summary>
/// <remarks>[any thread, one caller] Streaming; keeps at most <see cref="MaxRuns"/> runs.</remarks>
internal sealed class ClippingDetector
{
    /// <summary>Level from which a run counts as full-scale clipping (−0.1 dBFS).</summary>
    public const float FullScale = MixMate.Dsp.Metering.ClippingRules.FullScale;

    /// <summary>Shortest run at full scale.</summary>
    public const int FullScaleRun = MixMate.Dsp.Metering.ClippingRules.FullScaleRun;

    /// <summary>Runs below this level (−20 dBFS) are never clipping: quiet passages of integer
    /// audio repeat values all the time.</summary>
    public const float MinimumLevel = 0.1f;

    /// <summary>How close to the channel's peak a flat top below full scale must be (−0.2 dB).</summary>
    public const double PeakFraction = 0.977;

    /// <summary>Runs kept at most (memory bound).</summary>
    public const int MaxRuns = 200_000;

    private readonly int _channels;
    private readonly int _belowFullScaleRun;
    private readonly float[] _previous;
    private readonly int[] _runLength;
    private readonly long[] _runStart;
    private readonly List<FlatRun> _runs = [];
    private long _frames;

    /// <param name="channels">Channel count.</param>
    /// <param name="bitDepth">Bits of the integer source (0 or ≥ 24: float or fine quantisation).</param>
    public ClippingDetector(int channels, int bitDepth)
    {
        _channels = channels;
        _belowFullScaleRun = bitDepth is > 0 and <= 16 ? 6 : 4;
        _previous = new float[channels];
        _runLength = new int[channels];
        _runStart = new long[channels];
    }

    /// <summary>Clipped regions found by <see cref="Finish"/>, seconds.</summary>
    public List<(double Start, double End)> Regions { get; } = [];

    /// <summary>Shortest run counted below full scale for this source.</summary>
    public int BelowFullScaleRun => _belowFullScaleRun;

    /// <summary>[any thread, one caller] Scans the next block.</summary>
    public void Process(AudioBlock block)
    {
        int channels = Math.Min(_channels, block.Channels);
        for (int c = 0; c < channels; c++)
        {
            ReadOnlySpan<float> x = block[c];
            float previous = _previous[c];
            int run = _runLength[c];
            long runStart = _runStart[c];
            for (int i = 0; i < x.Length; i++)
            {
                float v = x[i];
                if (v == previous)
                {
                    run++;
                    continue;
                }

                if (run >= FullScaleRun)
                {
                    Close(c, previous, run, runStart);
                }

                previous = v;
                run = 1;
                runStart = _frames + i;
            }

            _previous[c] = previous;
            _runLength[c] = run;
            _runStart[c] = runStart;
        }

        _frames += block.Frames;
    }

    /// <summary>[any thread, one caller] Clipped regions after the last block.</summary>
    /// <param name="channelPeaks">Each channel's sample peak, linear.</param>
    /// <param name="sampleRate">Frames per second.</param>
    public IEnumerable<Problem> Finish(ReadOnlySpan<double> channelPeaks, double sampleRate)
    {
        for (int c = 0; c < _channels; c++)
        {
            if (_runLength[c] >= FullScaleRun)
            {
                Close(c, _previous[c], _runLength[c], _runStart[c]);
                _runLength[c] = 0;
            }
        }

        var qualifying = new List<FlatRun>();
        foreach (FlatRun run in _runs)
        {
            float level = MathF.Abs(run.Level);
            bool fullScale = level >= FullScale;
            bool flatTop = run.Length >= _belowFullScaleRun && level >= PeakFraction * channelPeaks[run.Channel];
            if (fullScale || flatTop)
            {
                qualifying.Add(run);
            }
        }

        qualifying.Sort((a, b) => a.Frame.CompareTo(b.Frame));
        var problems = new List<Problem>();
        long gap = (long)(1.0 * sampleRate);
        int i = 0;
        while (i < qualifying.Count)
        {
            int j = i;
            long end = qualifying[i].Frame + qualifying[i].Length;
            long samples = 0;
            float level = 0;
            bool fullScale = true;
            while (j < qualifying.Count && qualifying[j].Frame <= end + gap)
            {
                end = Math.Max(end, qualifying[j].Frame + qualifying[j].Length);
                samples += qualifying[j].Length;
                level = MathF.Max(level, MathF.Abs(qualifying[j].Level));
                fullScale &= MathF.Abs(qualifying[j].Level) >= FullScale;
                j++;
            }

            int count = j - i;
            // Two runs are already unlikely by chance; ten in half-second reach are certain damage.
            if (count >= 2)
            {
                ProblemSeverity severity = count >= 10 ? ProblemSeverity.Error : ProblemSeverity.Warning;
                double start = qualifying[i].Frame / sampleRate;
                double stop = end / sampleRate;
                string where = fullScale ? "at full scale" : string.Create(CultureInfo.InvariantCulture, $"flat-topped at {Decibels.FromGain(level):0.0} dBFS (clipped, then turned down)");
                Regions.Add((start, Math.Max(stop, start)));
                problems.Add(new Problem(
                    ProblemKind.Clipping, severity, start, Math.Max(stop, start), samples, fullScale ? FullScaleRun : _belowFullScaleRun, "samples",
                    "MixMate: runs of ≥ 3 equal samples at ≥ −0.1 dBFS, or ≥ 4 (16-bit: 6) within 0.2 dB of the channel peak (sox's clip/flat-factor idea)",
                    string.Create(CultureInfo.InvariantCulture, $"{count} clipped runs ({samples} samples) {where}"),
                    "go back to the mix or master before the clipping and lower the gain (or use a true-peak limiter) so nothing hits the ceiling flat"));
            }

            i = j;
        }

        return problems;
    }

    private void Close(int channel, float level, int length, long start)
    {
        if (MathF.Abs(level) < MinimumLevel || _runs.Count >= MaxRuns)
        {
            return;
        }

        if (MathF.Abs(level) >= FullScale || length >= _belowFullScaleRun)
        {
            _runs.Add(new FlatRun(start, length, level, channel));
        }
    }

    private readonly record struct FlatRun(long Frame, int Length, float Level, int Channel);
}
