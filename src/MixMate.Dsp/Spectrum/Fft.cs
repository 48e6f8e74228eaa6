using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MixMate.Dsp.Spectrum;

/// <summary>
/// In-place radix-2 complex FFT of a fixed power-of-two size, double precision. Twiddles and the
/// bit-reversal table are computed once in the constructor (the only allocation).
/// </summary>
public sealed class Fft
{
    // Twiddles stored stage after stage (stage with half-size h occupies [h − 1, 2h − 1)), so the
    // butterfly loop reads them contiguously.
    private readonly double[] _cos;
    private readonly double[] _sin;
    private readonly int[] _bitReverse;

    /// <summary>[non-real-time] Prepares a transform of <paramref name="size"/> points (a power of two ≥ 2).</summary>
    public Fft(int size)
    {
        if (size < 2 || (size & (size - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(size), "FFT size must be a power of two ≥ 2.");
        }

        Size = size;
        _cos = new double[size];
        _sin = new double[size];
        for (int half = 1; half < size; half <<= 1)
        {
            for (int k = 0; k < half; k++)
            {
                double phase = -Math.PI * k / half;
                _cos[half - 1 + k] = Math.Cos(phase);
                _sin[half - 1 + k] = Math.Sin(phase);
            }
        }

        _bitReverse = new int[size];
        int bits = System.Numerics.BitOperations.Log2((uint)size);
        for (int i = 0; i < size; i++)
        {
            int r = 0;
            for (int b = 0; b < bits; b++)
            {
                r |= ((i >> b) & 1) << (bits - 1 - b);
            }

            _bitReverse[i] = r;
        }
    }

    public int Size { get; }

    /// <summary>[any thread, one caller at a time per span pair] Forward transform
    /// X[k] = Σ x[n]·e^(−2πikn/N), in place; no scaling.</summary>
    public void Forward(Span<double> real, Span<double> imaginary)
    {
        CheckLengths(real, imaginary);
        ref double re = ref MemoryMarshal.GetReference(real);
        ref double im = ref MemoryMarshal.GetReference(imaginary);
        ref int reverse = ref MemoryMarshal.GetArrayDataReference(_bitReverse);
        for (int i = 0; i < Size; i++)
        {
            int j = Unsafe.Add(ref reverse, i);
            if (j > i)
            {
                (Unsafe.Add(ref re, i), Unsafe.Add(ref re, j)) = (Unsafe.Add(ref re, j), Unsafe.Add(ref re, i));
                (Unsafe.Add(ref im, i), Unsafe.Add(ref im, j)) = (Unsafe.Add(ref im, j), Unsafe.Add(ref im, i));
            }
        }

        Butterflies(ref re, ref im);
    }

    private void CheckLengths(Span<double> real, Span<double> imaginary)
    {
        if (real.Length != Size || imaginary.Length != Size)
        {
            throw new ArgumentException("Spans must have the FFT size.", nameof(real));
        }
    }

    private void Butterflies(ref double re, ref double im)
    {
        // Decimation in time, stage after stage (half = 1, 2, 4, …). Two consecutive stages run in
        // one pass over the data, four points at a time held in registers (the radix-2² grouping):
        // the same butterflies with the same twiddles in the same order as one stage after the
        // other, so the result is bit for bit that of the plain radix-2 transform, with half the
        // trips through memory.
        int half = 1;
        for (; 4 * half <= Size; half <<= 2)
        {
            if (half == 1)
            {
                FirstTwoStages(ref re, ref im);
            }
            else
            {
                TwoStages(ref re, ref im, half);
            }
        }

        if (half < Size)
        {
            LastStage(ref re, ref im, half);
        }
    }

    /// <summary>One radix-2 butterfly: t = w·b, (a, b) ← (a + t, a − t).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Butterfly(ref double ar, ref double ai, ref double br, ref double bi, double wr, double wi)
    {
        double xr = br, xi = bi;
        double tr = (xr * wr) - (xi * wi);
        double ti = (xr * wi) + (xi * wr);
        double yr = ar, yi = ai;
        br = yr - tr;
        bi = yi - ti;
        ar = yr + tr;
        ai = yi + ti;
    }

    /// <summary>The vector form of the scalar butterfly: the same products and sums lane by
    /// lane (no fused multiply-add), so the result does not depend on the vector width.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Butterfly(ref Vector<double> ar, ref Vector<double> ai, ref Vector<double> br, ref Vector<double> bi, Vector<double> wr, Vector<double> wi)
    {
        Vector<double> xr = br, xi = bi;
        Vector<double> tr = (xr * wr) - (xi * wi);
        Vector<double> ti = (xr * wi) + (xi * wr);
        Vector<double> yr = ar, yi = ai;
        br = yr - tr;
        bi = yi - ti;
        ar = yr + tr;
        ai = yi + ti;
    }

    /// <summary>Stages half = 1 (twiddle 1: additions only) and half = 2, four points per group.</summary>
    private void FirstTwoStages(ref double re, ref double im)
    {
        double w1r = _cos[2], w1i = _sin[2];
        for (int a = 0; a < Size; a += 4)
        {
            ref double r0 = ref Unsafe.Add(ref re, a);
            ref double i0 = ref Unsafe.Add(ref im, a);
            double x0r = r0, x0i = i0;
            double x1r = Unsafe.Add(ref r0, 1), x1i = Unsafe.Add(ref i0, 1);
            double x2r = Unsafe.Add(ref r0, 2), x2i = Unsafe.Add(ref i0, 2);
            double x3r = Unsafe.Add(ref r0, 3), x3i = Unsafe.Add(ref i0, 3);

            // half = 1: (0, 1) and (2, 3), twiddle 1.
            double y0r = x0r + x1r, y0i = x0i + x1i, y1r = x0r - x1r, y1i = x0i - x1i;
            double y2r = x2r + x3r, y2i = x2i + x3i, y3r = x2r - x3r, y3i = x2i - x3i;

            // half = 2: (0, 2) with twiddle W[0] = (cos 0, sin 0), (1, 3) with W[1].
            Butterfly(ref y0r, ref y0i, ref y2r, ref y2i, _cos[1], _sin[1]);
            Butterfly(ref y1r, ref y1i, ref y3r, ref y3i, w1r, w1i);
            r0 = y0r;
            i0 = y0i;
            Unsafe.Add(ref r0, 1) = y1r;
            Unsafe.Add(ref i0, 1) = y1i;
            Unsafe.Add(ref r0, 2) = y2r;
            Unsafe.Add(ref i0, 2) = y2i;
            Unsafe.Add(ref r0, 3) = y3r;
            Unsafe.Add(ref i0, 3) = y3i;
        }
    }

    /// <summary>Stages <paramref name="half"/> and 2·<paramref name="half"/> (half ≥ 4) in one pass:
    /// for each k, points k, k + h, k + 2h, k + 3h of a 4h group go through stage h as (k, k + h)
    /// and (k + 2h, k + 3h) with twiddle W_h[k], then through stage 2h as (k, k + 2h) with
    /// W_2h[k] and (k + h, k + 3h) with W_2h[k + h].</summary>
    private void TwoStages(ref double re, ref double im, int half)
    {
        ref double w1r0 = ref _cos[half - 1];
        ref double w1i0 = ref _sin[half - 1];
        ref double w2r0 = ref _cos[(2 * half) - 1];
        ref double w2i0 = ref _sin[(2 * half) - 1];
        int lanes = Vector<double>.Count;
        for (int start = 0; start < Size; start += 4 * half)
        {
            ref double r0 = ref Unsafe.Add(ref re, start);
            ref double i0 = ref Unsafe.Add(ref im, start);
            int k = 0;
            if (half >= lanes)
            {
                for (; k <= half - lanes; k += lanes)
                {
                    nuint at = (nuint)k;
                    nuint h = (nuint)half;
                    Vector<double> x0r = Vector.LoadUnsafe(ref r0, at), x0i = Vector.LoadUnsafe(ref i0, at);
                    Vector<double> x1r = Vector.LoadUnsafe(ref r0, at + h), x1i = Vector.LoadUnsafe(ref i0, at + h);
                    Vector<double> x2r = Vector.LoadUnsafe(ref r0, at + (2 * h)), x2i = Vector.LoadUnsafe(ref i0, at + (2 * h));
                    Vector<double> x3r = Vector.LoadUnsafe(ref r0, at + (3 * h)), x3i = Vector.LoadUnsafe(ref i0, at + (3 * h));
                    Vector<double> w1r = Vector.LoadUnsafe(ref w1r0, at), w1i = Vector.LoadUnsafe(ref w1i0, at);
                    Butterfly(ref x0r, ref x0i, ref x1r, ref x1i, w1r, w1i);
                    Butterfly(ref x2r, ref x2i, ref x3r, ref x3i, w1r, w1i);
                    Butterfly(ref x0r, ref x0i, ref x2r, ref x2i, Vector.LoadUnsafe(ref w2r0, at), Vector.LoadUnsafe(ref w2i0, at));
                    Butterfly(ref x1r, ref x1i, ref x3r, ref x3i, Vector.LoadUnsafe(ref w2r0, at + h), Vector.LoadUnsafe(ref w2i0, at + h));
                    x0r.StoreUnsafe(ref r0, at);
                    x0i.StoreUnsafe(ref i0, at);
                    x1r.StoreUnsafe(ref r0, at + h);
                    x1i.StoreUnsafe(ref i0, at + h);
                    x2r.StoreUnsafe(ref r0, at + (2 * h));
                    x2i.StoreUnsafe(ref i0, at + (2 * h));
                    x3r.StoreUnsafe(ref r0, at + (3 * h));
                    x3i.StoreUnsafe(ref i0, at + (3 * h));
                }
            }

            for (; k < half; k++)
            {
                ref double a0r = ref Unsafe.Add(ref r0, k);
                ref double a0i = ref Unsafe.Add(ref i0, k);
                ref double a1r = ref Unsafe.Add(ref a0r, half);
                ref double a1i = ref Unsafe.Add(ref a0i, half);
                ref double a2r = ref Unsafe.Add(ref a0r, 2 * half);
                ref double a2i = ref Unsafe.Add(ref a0i, 2 * half);
                ref double a3r = ref Unsafe.Add(ref a0r, 3 * half);
                ref double a3i = ref Unsafe.Add(ref a0i, 3 * half);
                double w1r = Unsafe.Add(ref w1r0, k), w1i = Unsafe.Add(ref w1i0, k);
                Butterfly(ref a0r, ref a0i, ref a1r, ref a1i, w1r, w1i);
                Butterfly(ref a2r, ref a2i, ref a3r, ref a3i, w1r, w1i);
                Butterfly(ref a0r, ref a0i, ref a2r, ref a2i, Unsafe.Add(ref w2r0, k), Unsafe.Add(ref w2i0, k));
                Butterfly(ref a1r, ref a1i, ref a3r, ref a3i, Unsafe.Add(ref w2r0, k + half), Unsafe.Add(ref w2i0, k + half));
            }
        }
    }

    /// <summary>The final stage when the stage count is odd: half = Size / 2, one group.</summary>
    private void LastStage(ref double re, ref double im, int half)
    {
        ref double wr0 = ref _cos[half - 1];
        ref double wi0 = ref _sin[half - 1];
        ref double br0 = ref Unsafe.Add(ref re, half);
        ref double bi0 = ref Unsafe.Add(ref im, half);
        int lanes = Vector<double>.Count;
        int k = 0;
        if (half >= lanes)
        {
            for (; k <= half - lanes; k += lanes)
            {
                nuint at = (nuint)k;
                Vector<double> ar = Vector.LoadUnsafe(ref re, at), ai = Vector.LoadUnsafe(ref im, at);
                Vector<double> br = Vector.LoadUnsafe(ref br0, at), bi = Vector.LoadUnsafe(ref bi0, at);
                Butterfly(ref ar, ref ai, ref br, ref bi, Vector.LoadUnsafe(ref wr0, at), Vector.LoadUnsafe(ref wi0, at));
                ar.StoreUnsafe(ref re, at);
                ai.StoreUnsafe(ref im, at);
                br.StoreUnsafe(ref br0, at);
                bi.StoreUnsafe(ref bi0, at);
            }
        }

        for (; k < half; k++)
        {
            Butterfly(ref Unsafe.Add(ref re, k), ref Unsafe.Add(ref im, k), ref Unsafe.Add(ref br0, k), ref Unsafe.Add(ref bi0, k),
                Unsafe.Add(ref wr0, k), Unsafe.Add(ref wi0, k));
        }
    }
}
