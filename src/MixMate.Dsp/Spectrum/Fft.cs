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
        if (real.Length != Size || imaginary.Length != Size)
        {
            throw new ArgumentException("Spans must have the FFT size.", nameof(real));
        }

        for (int i = 0; i < Size; i++)
        {
            int j = _bitReverse[i];
            if (j > i)
            {
                (real[i], real[j]) = (real[j], real[i]);
                (imaginary[i], imaginary[j]) = (imaginary[j], imaginary[i]);
            }
        }

        ref double re = ref MemoryMarshal.GetReference(real);
        ref double im = ref MemoryMarshal.GetReference(imaginary);

        // First stage: the only twiddle is 1.
        for (int a = 0; a < Size; a += 2)
        {
            double br = Unsafe.Add(ref re, a + 1), bi = Unsafe.Add(ref im, a + 1);
            Unsafe.Add(ref re, a + 1) = Unsafe.Add(ref re, a) - br;
            Unsafe.Add(ref im, a + 1) = Unsafe.Add(ref im, a) - bi;
            Unsafe.Add(ref re, a) += br;
            Unsafe.Add(ref im, a) += bi;
        }

        for (int half = 2; half < Size; half <<= 1)
        {
            ref double wr0 = ref _cos[half - 1];
            ref double wi0 = ref _sin[half - 1];
            for (int start = 0; start < Size; start += half << 1)
            {
                ref double ar = ref Unsafe.Add(ref re, start);
                ref double ai = ref Unsafe.Add(ref im, start);
                ref double brr = ref Unsafe.Add(ref re, start + half);
                ref double bii = ref Unsafe.Add(ref im, start + half);
                for (int k = 0; k < half; k++)
                {
                    double wr = Unsafe.Add(ref wr0, k);
                    double wi = Unsafe.Add(ref wi0, k);
                    double xr = Unsafe.Add(ref brr, k);
                    double xi = Unsafe.Add(ref bii, k);
                    double tr = (xr * wr) - (xi * wi);
                    double ti = (xr * wi) + (xi * wr);
                    double yr = Unsafe.Add(ref ar, k);
                    double yi = Unsafe.Add(ref ai, k);
                    Unsafe.Add(ref brr, k) = yr - tr;
                    Unsafe.Add(ref bii, k) = yi - ti;
                    Unsafe.Add(ref ar, k) = yr + tr;
                    Unsafe.Add(ref ai, k) = yi + ti;
                }
            }
        }
    }
}
