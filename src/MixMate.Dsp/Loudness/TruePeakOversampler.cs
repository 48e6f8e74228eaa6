using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MixMate.Dsp.Loudness;

/// <summary>
/// Polyphase FIR interpolator for true-peak measurement (ITU-R BS.1770-4 Annex 2): the signal is
/// up-sampled by <see cref="Factor"/> and, for every input sample, the largest absolute value
/// among the <see cref="Factor"/> interpolated samples it produces is reported.
/// </summary>
/// <remarks>
/// <para>Factor: 16× below 22.05 kHz, 8× below 44.1 kHz, 4× below 96 kHz, 2× below 192 kHz, 1× from
/// 192 kHz — Annex 2's 4× at 48 kHz, with "proportionately less over-sampling" at higher rates and
/// proportionately more at lower ones, so the grid never falls below 176.4 kHz. At 44.1 and 88.2 kHz this gives
/// 176.4 kHz, a little under the 192 kHz Annex 2 names for dB TP readings, exactly as libebur128
/// does; in exchange the grid holds the quarter-sample points where the Tech 3341 true-peak
/// signals (fs/4, fs/8 sines) peak. A 5× grid would under-read those by 0.11 dB.</para>
/// <para>The low-pass is our own Kaiser-windowed sinc with its centre on an input sample, so phase 0
/// reproduces the input exactly (delayed by <see cref="LatencySamples"/>) and a true peak is
/// never below the sample peak. Annex 2 gives its 48-tap, 4-phase filter as an example of a
/// suitable interpolator; ours has twice its taps per phase at 4× (24; interpolation error about
/// 0.005 dB up to 0.4·fs, 17.6 kHz at 44.1 kHz) and 16 at 2× (same error up to 0.35·fs, 33 kHz
/// at 96 kHz). Per-channel state: the last <c>TapsPerPhase − 1</c> input samples.</para>
/// </remarks>
public sealed class TruePeakOversampler
{
    /// <summary>Input samples handled per inner pass; bounds the scratch memory.</summary>
    private const int ChunkFrames = 1024;

    // Per-factor design. Taps per phase must be even so the sinc centre lands on an input sample
    // (the tap at the far edge is then sinc(±TapsPerPhase/2) = 0 and is dropped).
    private const int Taps8x = 32;
    private const int Taps4x = 24;
    private const int Taps2x = 16;
    private const double KaiserBeta = 7.0;

    // _coefficients[p * _taps + j] multiplies window sample j (oldest first) for phase p.
    private float[] _coefficients = [];
    // _history[c]: TapsPerPhase − 1 previous inputs followed by room for one chunk.
    private float[][] _history = [];
    private float[] _scratch = [];
    private int _taps;
    // No interpolated value exceeds _gainBound · max|window| (the largest Σ|h| of a branch, with
    // room for float rounding): the skip test of the floor overloads.
    private float _gainBound = 1f;

    /// <summary>Oversampling factor for the configured sample rate (1, 2, 4, 8 or 16).</summary>
    /// <remarks>[any thread]</remarks>
    public int Factor { get; private set; } = 1;

    /// <summary>Taps of each polyphase branch (0 when <see cref="Factor"/> is 1).</summary>
    /// <remarks>[any thread]</remarks>
    public int TapsPerPhase => _taps;

    /// <summary>Group delay of the interpolator in input samples: the peak reported for input
    /// sample <c>n</c> belongs to the interval starting at input sample <c>n − LatencySamples</c>.
    /// Exact (an integer), because the sinc is centred on an input sample.</summary>
    /// <remarks>[any thread]</remarks>
    public int LatencySamples => _taps / 2;

    /// <summary>Number of configured channels.</summary>
    /// <remarks>[any thread]</remarks>
    public int Channels { get; private set; }

    /// <summary>Configured sample rate in Hz.</summary>
    /// <remarks>[any thread]</remarks>
    public double SampleRate { get; private set; }

    /// <summary>[non-real-time] Chooses the factor for <paramref name="sampleRate"/>, designs the
    /// filter and allocates per-channel state. The only method that allocates.</summary>
    public void Configure(double sampleRate, int channels)
    {
        if (!(sampleRate > 0) || double.IsInfinity(sampleRate))
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRate));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(channels);

        SampleRate = sampleRate;
        Channels = channels;
        // From 96 kHz, 20 kHz sits low in the band, so shorter branches reach the same accuracy.
        // Below 44.1 kHz, 4× would leave the grid under 176.4 kHz, too coarse to catch the peaks
        // between samples of content that reaches close to Nyquist (speech at 22.05 kHz read
        // 0.2 dB low at 4×): 8× (16× under 22.05 kHz) keeps the grid at 176.4 kHz or above, with
        // longer branches for the same accuracy near the band edge.
        (Factor, _taps) = sampleRate switch
        {
            < 22050 => (16, Taps8x),
            < 44100 => (8, Taps8x),
            < 96000 => (4, Taps4x),
            < 192000 => (2, Taps2x),
            _ => (1, 0),
        };

        _coefficients = Factor == 1 ? [] : Design(Factor, _taps, KaiserBeta);
        _gainBound = 1f;
        for (int p = 0; p < Factor && _taps > 0; p++)
        {
            double sum = 0;
            foreach (float h in _coefficients.AsSpan(p * _taps, _taps))
            {
                sum += Math.Abs(h);
            }

            _gainBound = Math.Max(_gainBound, (float)(sum * (1 + 1e-5)));
        }

        _history = new float[channels][];
        for (int c = 0; c < channels; c++)
        {
            _history[c] = new float[Math.Max(_taps - 1, 0) + ChunkFrames];
        }

        _scratch = new float[ChunkFrames];
    }

    /// <summary>[audio thread or non-real-time, configured] Forgets all past input.</summary>
    public void Reset()
    {
        foreach (float[] h in _history)
        {
            Array.Clear(h);
        }
    }

    /// <summary>[audio thread, configured] For each sample of <paramref name="input"/>, writes to
    /// <paramref name="peaks"/> the largest |value| among the <see cref="Factor"/> interpolated
    /// samples produced by it (delayed by <see cref="LatencySamples"/>). Keeps the channel's state
    /// across calls; allocates nothing. <paramref name="peaks"/> must be at least as long as
    /// <paramref name="input"/>.</summary>
    public void ProcessPeaks(int channel, ReadOnlySpan<float> input, Span<float> peaks)
    {
        peaks = peaks[..input.Length];
        if (Factor == 1)
        {
            for (int i = 0; i < input.Length; i++)
            {
                peaks[i] = MathF.Abs(input[i]);
            }

            return;
        }

        float[] history = _history[channel];
        while (!input.IsEmpty)
        {
            int n = Math.Min(input.Length, ChunkFrames);
            ProcessChunk(history, input[..n], peaks[..n]);
            input = input[n..];
            peaks = peaks[n..];
        }
    }

    /// <summary>[audio thread, configured] Like <see cref="ProcessPeaks"/> but returns only the
    /// largest interpolated |value| of the whole span (0 for an empty span).</summary>
    public float ProcessMaxPeak(int channel, ReadOnlySpan<float> input)
    {
        if (Factor == 1)
        {
            return MaxAbs(input);
        }

        float[] history = _history[channel];
        float max = 0f;
        while (!input.IsEmpty)
        {
            int n = Math.Min(input.Length, ChunkFrames);
            Span<float> peaks = _scratch.AsSpan(0, n);
            ProcessChunk(history, input[..n], peaks);
            max = MathF.Max(max, Max(peaks));
            input = input[n..];
        }

        return max;
    }

    /// <summary>[audio thread, configured] <see cref="ProcessMaxPeak(int, ReadOnlySpan{float})"/>
    /// for a caller that only needs values above <paramref name="floor"/> (a peak hold, an over
    /// threshold): when no interpolated value of the span can exceed it — the span's and the
    /// history's largest |sample| times the largest branch gain Σ|h| is at most the floor — the
    /// filter is not run, only the history is kept, and the largest |sample| of the span is
    /// returned (a value ≤ floor). Otherwise the exact maximum, as the plain overload.</summary>
    public float ProcessMaxPeak(int channel, ReadOnlySpan<float> input, float floor)
    {
        int keep = _taps - 1;
        if (Factor == 1 || !(floor > 0f) || input.IsEmpty)
        {
            return ProcessMaxPeak(channel, input);
        }

        float[] history = _history[channel];
        float sampleMax = MaxAbs(input);
        float bound = MathF.Max(sampleMax, MaxAbs(history.AsSpan(0, keep))) * _gainBound;
        if (!(bound <= floor))
        {
            return ProcessMaxPeak(channel, input);
        }

        // The newest taps − 1 inputs, oldest first, exactly as ProcessChunk leaves them.
        if (input.Length >= keep)
        {
            input[^keep..].CopyTo(history);
        }
        else
        {
            history.AsSpan(input.Length, keep - input.Length).CopyTo(history);
            input.CopyTo(history.AsSpan(keep - input.Length));
        }

        return sampleMax;
    }

    /// <summary>
    /// Computes one chunk. State legend: <c>buf[0 .. taps−1)</c> holds the previous inputs,
    /// <c>buf[taps−1 ..)</c> the chunk; output phase p of input i is the dot product of
    /// <c>buf[i .. i+taps)</c> with branch p. Vectorised across input samples (8 outputs of one
    /// phase per FMA), two vectors at a time to share each coefficient broadcast.
    /// </summary>
    private void ProcessChunk(float[] history, ReadOnlySpan<float> input, Span<float> peaks)
    {
        int taps = _taps;
        int factor = Factor;
        int n = input.Length;
        input.CopyTo(history.AsSpan(taps - 1, n));

        ref float buf = ref MemoryMarshal.GetArrayDataReference(history);
        ref float coef = ref MemoryMarshal.GetArrayDataReference(_coefficients);
        ref float outRef = ref MemoryMarshal.GetReference(peaks);
        int w = Vector<float>.Count;
        int i = 0;

        // Where 512-bit vectors are native (AVX-512) the same loop on 16 lanes halves the
        // instruction count; Vector<T> stays at 256 bits there by default.
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + 32 <= n; i += 32)
            {
                var peak0 = Vector512<float>.Zero;
                var peak1 = Vector512<float>.Zero;
                for (int p = 0; p < factor; p++)
                {
                    ref float branch = ref Unsafe.Add(ref coef, p * taps);
                    var s0 = Vector512<float>.Zero;
                    var s1 = Vector512<float>.Zero;
                    for (int j = 0; j < taps; j++)
                    {
                        var c = Vector512.Create(Unsafe.Add(ref branch, j));
                        s0 = Vector512.MultiplyAddEstimate(c, Vector512.LoadUnsafe(ref buf, (nuint)(i + j)), s0);
                        s1 = Vector512.MultiplyAddEstimate(c, Vector512.LoadUnsafe(ref buf, (nuint)(i + j + 16)), s1);
                    }

                    peak0 = Vector512.Max(peak0, Vector512.Abs(s0));
                    peak1 = Vector512.Max(peak1, Vector512.Abs(s1));
                }

                peak0.StoreUnsafe(ref outRef, (nuint)i);
                peak1.StoreUnsafe(ref outRef, (nuint)(i + 16));
            }
        }

        for (; i + 2 * w <= n; i += 2 * w)
        {
            var peak0 = Vector<float>.Zero;
            var peak1 = Vector<float>.Zero;
            for (int p = 0; p < factor; p++)
            {
                ref float branch = ref Unsafe.Add(ref coef, p * taps);
                var s0 = Vector<float>.Zero;
                var s1 = Vector<float>.Zero;
                for (int j = 0; j < taps; j++)
                {
                    var c = new Vector<float>(Unsafe.Add(ref branch, j));
                    s0 = Vector.MultiplyAddEstimate(c, Vector.LoadUnsafe(ref buf, (nuint)(i + j)), s0);
                    s1 = Vector.MultiplyAddEstimate(c, Vector.LoadUnsafe(ref buf, (nuint)(i + j + w)), s1);
                }

                peak0 = Vector.Max(peak0, Vector.Abs(s0));
                peak1 = Vector.Max(peak1, Vector.Abs(s1));
            }

            peak0.StoreUnsafe(ref outRef, (nuint)i);
            peak1.StoreUnsafe(ref outRef, (nuint)(i + w));
        }

        for (; i + w <= n; i += w)
        {
            var peak = Vector<float>.Zero;
            for (int p = 0; p < factor; p++)
            {
                ref float branch = ref Unsafe.Add(ref coef, p * taps);
                var s = Vector<float>.Zero;
                for (int j = 0; j < taps; j++)
                {
                    s = Vector.MultiplyAddEstimate(new Vector<float>(Unsafe.Add(ref branch, j)), Vector.LoadUnsafe(ref buf, (nuint)(i + j)), s);
                }

                peak = Vector.Max(peak, Vector.Abs(s));
            }

            peak.StoreUnsafe(ref outRef, (nuint)i);
        }

        for (; i < n; i++)
        {
            float peak = 0f;
            for (int p = 0; p < factor; p++)
            {
                ref float branch = ref Unsafe.Add(ref coef, p * taps);
                float s = 0f;
                for (int j = 0; j < taps; j++)
                {
                    s = float.MultiplyAddEstimate(Unsafe.Add(ref branch, j), Unsafe.Add(ref buf, i + j), s);
                }

                peak = MathF.Max(peak, MathF.Abs(s));
            }

            Unsafe.Add(ref outRef, i) = peak;
        }

        // Keep the newest taps − 1 inputs as history for the next chunk.
        history.AsSpan(n, taps - 1).CopyTo(history);
    }

    /// <summary>
    /// Kaiser-windowed sinc with cut-off at the input Nyquist frequency, centred on an input
    /// sample; each branch normalised to unity DC gain so a constant interpolates to itself.
    /// Returned per branch with the oldest window sample first.
    /// </summary>
    internal static float[] Design(int factor, int taps, double beta)
    {
        int half = factor * taps / 2; // centre, in output samples
        double i0Beta = BesselI0(beta);
        var coefficients = new float[factor * taps];
        Span<double> branch = stackalloc double[taps];
        for (int p = 0; p < factor; p++)
        {
            // Output phase p of the newest input x[n] sits p/factor after x[n − taps/2]; the tap
            // on x[n − k] is h[k·factor + p] of the prototype whose centre is at index `half`.
            double sum = 0;
            for (int k = 0; k < taps; k++)
            {
                int m = k * factor + p - half;
                double t = (double)m / factor;
                double sinc = m == 0 ? 1.0 : Math.Sin(Math.PI * t) / (Math.PI * t);
                double r = (double)m / half;
                double window = Math.Abs(r) >= 1 ? 0 : BesselI0(beta * Math.Sqrt(1 - r * r)) / i0Beta;
                branch[k] = sinc * window;
                sum += branch[k];
            }

            for (int k = 0; k < taps; k++)
            {
                // Oldest-first order: window index j = taps − 1 − k.
                coefficients[p * taps + (taps - 1 - k)] = (float)(branch[k] / sum);
            }
        }

        return coefficients;
    }

    private static double BesselI0(double x)
    {
        double sum = 1, term = 1, q = x * x / 4;
        for (int k = 1; k < 64 && term > 1e-17 * sum; k++)
        {
            term *= q / ((double)k * k);
            sum += term;
        }

        return sum;
    }

    private static float MaxAbs(ReadOnlySpan<float> x)
    {
        // NaN in, NaN out (as MathF.Max does), so a caller's !(bound <= floor) takes the exact path.
        int w = Vector<float>.Count;
        int i = 0;
        float max = 0f;
        if (x.Length >= w)
        {
            ref float r = ref MemoryMarshal.GetReference(x);
            var vmax = Vector<float>.Zero;
            for (; i + w <= x.Length; i += w)
            {
                var v = Vector.Abs(Vector.LoadUnsafe(ref r, (nuint)i));
                vmax = Vector.Max(vmax, v);
                if (!Vector.EqualsAll(v, v))
                {
                    return float.NaN;
                }
            }

            for (int k = 0; k < w; k++)
            {
                max = MathF.Max(max, vmax[k]);
            }
        }

        for (; i < x.Length; i++)
        {
            max = MathF.Max(max, MathF.Abs(x[i]));
        }

        return max;
    }

    private static float Max(ReadOnlySpan<float> x)
    {
        int w = Vector<float>.Count;
        var vmax = Vector<float>.Zero;
        int i = 0;
        ref float r = ref MemoryMarshal.GetReference(x);
        for (; i + w <= x.Length; i += w)
        {
            vmax = Vector.Max(vmax, Vector.LoadUnsafe(ref r, (nuint)i));
        }

        float max = 0f;
        for (int k = 0; k < w; k++)
        {
            max = MathF.Max(max, vmax[k]);
        }

        for (; i < x.Length; i++)
        {
            max = MathF.Max(max, x[i]);
        }

        return max;
    }
}
