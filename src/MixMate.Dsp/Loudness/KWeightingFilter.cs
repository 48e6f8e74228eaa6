using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MixMate.Dsp.Loudness;

/// <summary>
/// The K-weighting pre-filter of ITU-R BS.1770-4 Annex 1 (Tables 1 and 2): a high-frequency
/// shelf ("spherical head") followed by the RLB high-pass, in double precision with state per
/// channel.
/// </summary>
/// <remarks>
/// BS.1770 tabulates the coefficients for 48 kHz only and asks other rates to "provide the same
/// frequency response". We invert the bilinear transform (pre-warped at the section's own
/// centre frequency) on the 48 kHz table to recover each section's analog prototype
/// <c>H(s) = (Vh·s² + Vb·(ω0/Q)·s + Vl·ω0²) / (s² + (ω0/Q)·s + ω0²)</c> — five parameters for
/// five coefficients, so the 48 kHz table comes back exactly — and re-apply the transform at the
/// configured rate.
/// </remarks>
public sealed class KWeightingFilter
{
    /// <summary>Longest run filtered before the state is checked for denormals: the RLB poles sit
    /// at |z| ≈ 0.995, so in 8192 samples the state cannot fall from 1e-30 into subnormals.</summary>
    private const int FlushInterval = 8192;

    /// <summary>Below this a state value is flushed to zero (keeps silence out of subnormals).</summary>
    private const double Tiny = 1e-30;

    private static readonly Prototype ShelfPrototype =
        Prototype.FromDigital(new Coefficients(1.53512485958697, -2.69169618940638, 1.19839281085285, -1.69065929318241, 0.73248077421585), 48000);

    private static readonly Prototype HighPassPrototype =
        Prototype.FromDigital(new Coefficients(1.0, -2.0, 1.0, -1.99004745483398, 0.99007225036621), 48000);

    /// <summary>Lowest supported rate: the shelf's centre (≈1.68 kHz) must stay well below
    /// Nyquist for the pre-warped transform to exist.</summary>
    public const double MinimumSampleRate = 8000;

    // Per channel: shelf s1, s2, high-pass s1, s2 (transposed direct form II).
    private double[] _state = [];

    /// <summary>One second-order section, normalised so a0 = 1:
    /// <c>y = b0·x + b1·x[n−1] + b2·x[n−2] − a1·y[n−1] − a2·y[n−2]</c>.</summary>
    public readonly record struct Coefficients(double B0, double B1, double B2, double A1, double A2)
    {
        /// <summary>Magnitude response in dB at <paramref name="frequency"/> for sample rate <paramref name="sampleRate"/>.</summary>
        /// <remarks>[any thread]</remarks>
        public double MagnitudeDb(double frequency, double sampleRate)
        {
            double w = 2 * Math.PI * frequency / sampleRate;
            double c1 = Math.Cos(w), s1 = Math.Sin(w), c2 = Math.Cos(2 * w), s2 = Math.Sin(2 * w);
            double nr = B0 + B1 * c1 + B2 * c2, ni = -(B1 * s1 + B2 * s2);
            double dr = 1 + A1 * c1 + A2 * c2, di = -(A1 * s1 + A2 * s2);
            return 10 * Math.Log10((nr * nr + ni * ni) / (dr * dr + di * di));
        }
    }

    /// <summary>Stage 1, the high shelf, for the configured rate.</summary>
    /// <remarks>[any thread]</remarks>
    public Coefficients Shelf { get; private set; }

    /// <summary>Stage 2, the RLB high-pass, for the configured rate.</summary>
    /// <remarks>[any thread]</remarks>
    public Coefficients HighPass { get; private set; }

    /// <summary>Configured sample rate in Hz.</summary>
    /// <remarks>[any thread]</remarks>
    public double SampleRate { get; private set; }

    /// <summary>Configured channel count.</summary>
    /// <remarks>[any thread]</remarks>
    public int Channels { get; private set; }

    /// <summary>[any thread] The shelf stage designed for <paramref name="sampleRate"/>.</summary>
    public static Coefficients DesignShelf(double sampleRate) => ShelfPrototype.ToDigital(sampleRate);

    /// <summary>[any thread] The RLB high-pass stage designed for <paramref name="sampleRate"/>.</summary>
    public static Coefficients DesignHighPass(double sampleRate) => HighPassPrototype.ToDigital(sampleRate);

    /// <summary>[any thread] Magnitude of the whole K-weighting at <paramref name="frequency"/>, in dB.</summary>
    public static double MagnitudeDb(double frequency, double sampleRate) =>
        DesignShelf(sampleRate).MagnitudeDb(frequency, sampleRate) + DesignHighPass(sampleRate).MagnitudeDb(frequency, sampleRate);

    /// <summary>[non-real-time] Designs both stages for <paramref name="sampleRate"/> and
    /// allocates state for <paramref name="channels"/> channels.</summary>
    public void Configure(double sampleRate, int channels)
    {
        if (!(sampleRate >= MinimumSampleRate) || double.IsInfinity(sampleRate))
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRate), "Need a sample rate of at least 8 kHz.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(channels);
        SampleRate = sampleRate;
        Channels = channels;
        Shelf = DesignShelf(sampleRate);
        HighPass = DesignHighPass(sampleRate);
        _state = new double[4 * channels];
    }

    /// <summary>[audio thread or non-real-time, configured] Clears the filter state.</summary>
    public void Reset() => Array.Clear(_state);

    /// <summary>[audio thread, configured] Filters <paramref name="input"/> of one channel into
    /// <paramref name="output"/> (may be the same span). Allocates nothing.</summary>
    public void Process(int channel, ReadOnlySpan<float> input, Span<float> output)
    {
        output = output[..input.Length];
        while (!input.IsEmpty)
        {
            int n = Math.Min(input.Length, FlushInterval);
            Run(channel, input[..n], output[..n], writeOutput: true);
            input = input[n..];
            output = output[n..];
        }
    }

    /// <summary>[audio thread, configured] Filters <paramref name="input"/> of one channel and
    /// returns Σ y² of the K-weighted samples (the zᵢ numerator of BS.1770 eq. 1), without writing
    /// the filtered signal: shelf, high-pass and squaring in one pass. Allocates nothing.</summary>
    public double ProcessSumOfSquares(int channel, ReadOnlySpan<float> input)
    {
        double sum = 0;
        while (!input.IsEmpty)
        {
            int n = Math.Min(input.Length, FlushInterval);
            sum += Run(channel, input[..n], default, writeOutput: false);
            input = input[n..];
        }

        return sum;
    }

    /// <summary>[audio thread, configured] <see cref="ProcessSumOfSquares(int, ReadOnlySpan{float})"/> for two channels of
    /// equal length at once: two independent recursions in one loop keep the floating-point units
    /// busy while each waits on its own feedback. Returns Σ y² of each channel.</summary>
    public (double First, double Second) ProcessSumOfSquares(int first, ReadOnlySpan<float> firstInput, int second, ReadOnlySpan<float> secondInput)
    {
        if (first == second || firstInput.Length != secondInput.Length)
        {
            return (ProcessSumOfSquares(first, firstInput), ProcessSumOfSquares(second, secondInput));
        }

        double sumA = 0, sumB = 0;
        while (!firstInput.IsEmpty)
        {
            int n = Math.Min(firstInput.Length, FlushInterval);
            (double a, double b) = RunPair(first, firstInput[..n], second, secondInput[..n]);
            sumA += a;
            sumB += b;
            firstInput = firstInput[n..];
            secondInput = secondInput[n..];
        }

        return (sumA, sumB);
    }

    /// <summary>
    /// The fused loop. Legend: <c>p1, p2</c> shelf state; <c>q1, q2</c> high-pass state; <c>u</c>
    /// shelf output; <c>y</c> K-weighted output; <c>acc</c> running Σ y².
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private double Run(int channel, ReadOnlySpan<float> input, Span<float> output, bool writeOutput)
    {
        Span<double> s = _state.AsSpan(4 * channel, 4);
        double p1 = s[0], p2 = s[1], q1 = s[2], q2 = s[3];
        Coefficients sh = Shelf, hp = HighPass;
        double b0 = sh.B0, b1 = sh.B1, b2 = sh.B2, a1 = sh.A1, a2 = sh.A2;
        double c0 = hp.B0, c1 = hp.B1, c2 = hp.B2, d1 = hp.A1, d2 = hp.A2;
        double acc = 0;
        ref float x = ref MemoryMarshal.GetReference(input);
        ref float o = ref MemoryMarshal.GetReference(output);
        int n = input.Length;
        for (int i = 0; i < n; i++)
        {
            double xi = Unsafe.Add(ref x, i);
            double u = b0 * xi + p1;
            p1 = b1 * xi - a1 * u + p2;
            p2 = b2 * xi - a2 * u;
            double y = c0 * u + q1;
            q1 = c1 * u - d1 * y + q2;
            q2 = c2 * u - d2 * y;
            acc += y * y;
            if (writeOutput)
            {
                Unsafe.Add(ref o, i) = (float)y;
            }
        }

        s[0] = Guard(p1);
        s[1] = Guard(p2);
        s[2] = Guard(q1);
        s[3] = Guard(q2);
        return acc;
    }

    /// <summary>Two channels of the fused loop side by side (same legend, suffixes A and B).</summary>
    private (double, double) RunPair(int channelA, ReadOnlySpan<float> inputA, int channelB, ReadOnlySpan<float> inputB)
    {
        Span<double> sa = _state.AsSpan(4 * channelA, 4);
        Span<double> sb = _state.AsSpan(4 * channelB, 4);
        double p1a = sa[0], p2a = sa[1], q1a = sa[2], q2a = sa[3];
        double p1b = sb[0], p2b = sb[1], q1b = sb[2], q2b = sb[3];
        Coefficients sh = Shelf, hp = HighPass;
        double b0 = sh.B0, b1 = sh.B1, b2 = sh.B2, a1 = sh.A1, a2 = sh.A2;
        double c0 = hp.B0, c1 = hp.B1, c2 = hp.B2, d1 = hp.A1, d2 = hp.A2;
        double accA = 0, accB = 0;
        ref float xa = ref MemoryMarshal.GetReference(inputA);
        ref float xb = ref MemoryMarshal.GetReference(inputB);
        int n = inputA.Length;
        for (int i = 0; i < n; i++)
        {
            double xia = Unsafe.Add(ref xa, i);
            double xib = Unsafe.Add(ref xb, i);
            double ua = b0 * xia + p1a;
            double ub = b0 * xib + p1b;
            p1a = b1 * xia - a1 * ua + p2a;
            p1b = b1 * xib - a1 * ub + p2b;
            p2a = b2 * xia - a2 * ua;
            p2b = b2 * xib - a2 * ub;
            double ya = c0 * ua + q1a;
            double yb = c0 * ub + q1b;
            q1a = c1 * ua - d1 * ya + q2a;
            q1b = c1 * ub - d1 * yb + q2b;
            q2a = c2 * ua - d2 * ya;
            q2b = c2 * ub - d2 * yb;
            accA += ya * ya;
            accB += yb * yb;
        }

        sa[0] = Guard(p1a);
        sa[1] = Guard(p2a);
        sa[2] = Guard(q1a);
        sa[3] = Guard(q2a);
        sb[0] = Guard(p1b);
        sb[1] = Guard(p2b);
        sb[2] = Guard(q1b);
        sb[3] = Guard(q2b);
        return (accA, accB);
    }

    /// <summary>Feedback guard, applied once per run: tiny values become 0 (no subnormals in
    /// silence) and a non-finite value (NaN or ∞ fed in) restarts the section from rest instead
    /// of poisoning every later reading.</summary>
    private static double Guard(double v) => Math.Abs(v) < Tiny || !double.IsFinite(v) ? 0 : v;

    /// <summary>Analog second-order section <c>(Vh·s² + Vb·(ω0/Q)·s + Vl·ω0²) / (s² + (ω0/Q)·s + ω0²)</c>,
    /// kept as the pre-warped constants K = tan(π·f0/fs) are recomputed per rate.</summary>
    private readonly record struct Prototype(double F0, double Q, double Vh, double Vb, double Vl)
    {
        /// <summary>Inverse bilinear transform of a digital section. With K = tan(π f0/fs) and
        /// D = 1 + K/Q + K²: a1 = 2(K²−1)/D, a2 = (1 − K/Q + K²)/D, b0 = (Vh + Vb·K/Q + Vl·K²)/D,
        /// b1 = 2(Vl·K² − Vh)/D, b2 = (Vh − Vb·K/Q + Vl·K²)/D — solved for the five parameters.</summary>
        public static Prototype FromDigital(Coefficients c, double sampleRate)
        {
            double d = 4 / (1 - c.A1 + c.A2);
            double k2 = d * (1 + c.A2) / 2 - 1;
            double k = Math.Sqrt(k2);
            double kOverQ = d - 1 - k2;
            double vh = d * (c.B0 + c.B2 - c.B1) / 4;
            double vl = d * (c.B0 + c.B1 + c.B2) / (4 * k2);
            double vb = d * (c.B0 - c.B2) / (2 * kOverQ);
            return new Prototype(sampleRate * Math.Atan(k) / Math.PI, k / kOverQ, vh, vb, vl);
        }

        /// <summary>Bilinear transform pre-warped at f0.</summary>
        public Coefficients ToDigital(double sampleRate)
        {
            double k = Math.Tan(Math.PI * F0 / sampleRate);
            double k2 = k * k;
            double kq = k / Q;
            double d = 1 + kq + k2;
            return new Coefficients(
                (Vh + Vb * kq + Vl * k2) / d,
                2 * (Vl * k2 - Vh) / d,
                (Vh - Vb * kq + Vl * k2) / d,
                2 * (k2 - 1) / d,
                (1 - kq + k2) / d);
        }
    }
}
