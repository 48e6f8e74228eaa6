namespace MixMate.Dsp.Spectrum;

/// <summary>
/// In-place radix-2 complex FFT of a fixed power-of-two size, double precision. Twiddles and the
/// bit-reversal table are computed once in the constructor (the only allocation).
/// </summary>
public sealed class Fft
{
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
        _cos = new double[size / 2];
        _sin = new double[size / 2];
        for (int k = 0; k < size / 2; k++)
        {
            double phase = -2.0 * Math.PI * k / size;
            _cos[k] = Math.Cos(phase);
            _sin[k] = Math.Sin(phase);
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

        for (int half = 1; half < Size; half <<= 1)
        {
            int twiddleStep = Size / (half << 1);
            for (int start = 0; start < Size; start += half << 1)
            {
                for (int k = 0; k < half; k++)
                {
                    double wr = _cos[k * twiddleStep];
                    double wi = _sin[k * twiddleStep];
                    int a = start + k;
                    int b = a + half;
                    double tr = (real[b] * wr) - (imaginary[b] * wi);
                    double ti = (real[b] * wi) + (imaginary[b] * wr);
                    real[b] = real[a] - tr;
                    imaginary[b] = imaginary[a] - ti;
                    real[a] += tr;
                    imaginary[a] += ti;
                }
            }
        }
    }
}
