using MixMate.Dsp;
using MixMate.Dsp.Loudness;

namespace MixMate.Assistant.Reference;

/// <summary>
/// A second look at the true peak of a finished master, finer than the limiter's 4× detector, in
/// two steps: a pre-scan with the BS.1770 true-peak interpolator (<see cref="TruePeakOversampler"/>,
/// vectorised; 8× at 44.1 kHz, 4× at 48 kHz) flags every sample interval whose interpolated peak
/// comes within <see cref="PreScanMarginDb"/> of the ceiling, and only there the signal is
/// reconstructed at <see cref="Phases"/> points per sample period with a Hann-windowed sinc of
/// ±<see cref="HalfTaps"/> taps (16× oversampling, as the reference meters of BS.1770 comparisons
/// use). A reference match brightens or deepens a programme toward its reference; energy pushed
/// toward Nyquist (cymbals, hi-hats) makes peaks between the 4× points that a 4× detector misses
/// by a few tenths of a dB, and the match's ceiling is a promise.
/// </summary>
/// <remarks>
/// Why the margin holds: between two points of a grid of k points per sample, a signal
/// band-limited to 0.45·fs peaks at most 1 − cos(π·0.45/k) above the higher of them — 0.11 dB at
/// 4×, 0.03 dB at 8× — so an interval whose grid points all sit more than 1 dB under the ceiling
/// cannot reach it. Streaming: blocks of any size, in order; the search looks
/// <see cref="HalfTaps"/> samples either side of an interval, across block edges (the samples
/// after the programme's end are silence). [one caller at a time] Not for the audio thread.
/// </remarks>
public sealed class InterSamplePeakGuard
{
    /// <summary>Oversampling factor of the fine search.</summary>
    public const int Phases = 16;

    /// <summary>Half-length of the fine search's interpolation kernel, in samples.</summary>
    public const int HalfTaps = 12;

    /// <summary>Intervals whose pre-scan peak is this close to the ceiling (dB) or above it are searched at 16×.</summary>
    public const double PreScanMarginDb = 1;

    private static readonly Lazy<double[][]> Kernels = new(BuildKernels);

    private readonly TruePeakOversampler _prescan = new();
    private readonly int _channels;
    private readonly float _threshold;
    private readonly int _keep;
    private readonly List<long>[] _pending;
    private readonly float[][] _history;
    private float[] _peaks = [];
    private long _historyStart; // absolute frame of _history[c][0]
    private long _frames; // frames seen so far
    private double _peak;
    private float _prescanPeak;
    private bool _found;

    /// <summary>[any-thread] A guard for one programme.</summary>
    public InterSamplePeakGuard(double sampleRate, int channels, double ceilingDbtp)
    {
        _channels = channels;
        _prescan.Configure(sampleRate, channels);
        _threshold = (float)Decibels.ToGain(ceilingDbtp - PreScanMarginDb);
        _keep = (2 * HalfTaps) + _prescan.LatencySamples + 2;
        _history = new float[channels][];
        _pending = new List<long>[channels];
        for (int c = 0; c < channels; c++)
        {
            _history[c] = new float[_keep];
            _pending[c] = [];
        }

        _historyStart = -_keep;
    }

    /// <summary>[caller, after <see cref="Finish"/>] The programme's true peak, dBTP: the 16× value where
    /// the pre-scan flagged intervals, the pre-scan's (BS.1770) value elsewhere; −∞ for silence.</summary>
    public double TruePeakDbtp => Decibels.FromGain(Math.Max(_peak, _prescanPeak));

    /// <summary>Intervals searched at 16× so far (for tests and diagnostics).</summary>
    public long SearchedIntervals { get; private set; }

    /// <summary>[caller] The next frames of the programme.</summary>
    public void Process(AudioBlock block)
    {
        int n = block.Frames;
        if (n == 0)
        {
            return;
        }

        Append(block);
        if (_peaks.Length < n)
        {
            _peaks = new float[n];
        }

        int latency = _prescan.LatencySamples;
        for (int c = 0; c < _channels; c++)
        {
            // Searched before the next block moves the history on; the last few wait for it.
            Span<float> peaks = _peaks.AsSpan(0, n);
            _prescan.ProcessPeaks(c, block[c], peaks);
            Flag(c, peaks, _frames - n - latency);
            SearchPending(c, final: false);
        }
    }

    /// <summary>[caller] After the last block: the highest reconstructed peak of the programme
    /// near the ceiling, dBTP (−∞ when nothing came within <see cref="PreScanMarginDb"/> of it).</summary>
    public double Finish()
    {
        // The interpolator's last outputs need its latency in silence after the programme.
        int latency = _prescan.LatencySamples;
        var silence = new float[latency];
        var peaks = new float[latency];
        for (int c = 0; c < _channels; c++)
        {
            _prescan.ProcessPeaks(c, silence, peaks);
            Flag(c, peaks, _frames - latency);
            SearchPending(c, final: true);
        }

        return _found ? Decibels.FromGain(_peak) : double.NegativeInfinity;
    }

    /// <summary>[any-thread] The guard over one block in memory: <see cref="Process"/> and <see cref="Finish"/>.</summary>
    public static double PeakDbtp(AudioBlock block, double ceilingDbtp, double sampleRate = 48000)
    {
        var guard = new InterSamplePeakGuard(sampleRate, block.Channels, ceilingDbtp);
        guard.Process(block);
        return guard.Finish();
    }

    // Queues the intervals whose pre-scan peak reaches the threshold; peaks[i] belongs to the
    // interval starting at frame first + i.
    private void Flag(int c, ReadOnlySpan<float> peaks, long first)
    {
        List<long> pending = _pending[c];
        for (int i = 0; i < peaks.Length; i++)
        {
            _prescanPeak = MathF.Max(_prescanPeak, peaks[i]);
            if (peaks[i] >= _threshold)
            {
                long start = first + i;
                if (start >= 0 && start < _frames && (pending.Count == 0 || pending[^1] != start))
                {
                    pending.Add(start);
                }
            }
        }
    }

    // Searches the queued intervals whose kernel lies within the samples seen (all of them at the end).
    private void SearchPending(int c, bool final)
    {
        List<long> pending = _pending[c];
        int done = 0;
        for (; done < pending.Count; done++)
        {
            long start = pending[done];
            if (!final && start + HalfTaps + 1 >= _frames)
            {
                break;
            }

            Search(c, start);
        }

        pending.RemoveRange(0, done);
    }

    // The interval [start, start + 1] at 16 points per sample, and the samples at both ends.
    private void Search(int c, long start)
    {
        SearchedIntervals++;
        double[][] kernels = Kernels.Value;
        double peak = Math.Max(Math.Abs(Sample(c, start)), Math.Abs(Sample(c, start + 1)));
        for (int p = 1; p < Phases; p++)
        {
            double[] k = kernels[p];
            double sum = 0;
            for (int t = 0; t < k.Length; t++)
            {
                sum += k[t] * Sample(c, start - HalfTaps + 1 + t);
            }

            peak = Math.Max(peak, Math.Abs(sum));
        }

        _peak = Math.Max(_peak, peak);
        _found = true;
    }

    private float Sample(int c, long frame)
    {
        long i = frame - _historyStart;
        return frame < 0 || frame >= _frames || i < 0 ? 0f : _history[c][i];
    }

    // Keeps the last _keep frames before the block and the block itself.
    private void Append(AudioBlock block)
    {
        int n = block.Frames;
        int size = _keep + n;
        for (int c = 0; c < _channels; c++)
        {
            float[] h = _history[c];
            int have = (int)Math.Min(_keep, _frames - _historyStart);
            var next = h.Length >= size ? h : new float[size];
            long oldEnd = _frames - _historyStart; // frames held now
            h.AsSpan((int)(oldEnd - have), have).CopyTo(next.AsSpan(_keep - have, have));
            block[c].CopyTo(next.AsSpan(_keep, n));
            _history[c] = next;
        }

        _historyStart = _frames - _keep;
        _frames += n;
    }

    // Kernel for fractional position p/Phases after sample `start`: taps at start−HalfTaps+1 … start+HalfTaps.
    private static double[][] BuildKernels()
    {
        var kernels = new double[Phases][];
        for (int p = 0; p < Phases; p++)
        {
            double frac = (double)p / Phases;
            var k = new double[2 * HalfTaps];
            for (int t = 0; t < k.Length; t++)
            {
                double d = (t - HalfTaps + 1) - frac; // tap position relative to the point
                double sinc = Math.Abs(d) < 1e-12 ? 1 : Math.Sin(Math.PI * d) / (Math.PI * d);
                double window = 0.5 + (0.5 * Math.Cos(Math.PI * d / (HalfTaps + 1)));
                k[t] = sinc * window;
            }

            kernels[p] = k;
        }

        return kernels;
    }
}
