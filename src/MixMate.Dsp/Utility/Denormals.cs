using System.Numerics;
using System.Runtime.CompilerServices;

namespace MixMate.Dsp.Utility;

/// <summary>
/// The one place where MixMate kernels remove subnormal numbers. Subnormals are legal IEEE 754
/// values but cost up to ~100× per operation on x86 when flush-to-zero is not set (the command
/// line never sets it), and the kernels promise finite normal output.
/// </summary>
public static class Denormals
{
    /// <summary>Smallest positive normal single (IEEE 754-2008 binary32: 2^−126).</summary>
    public const float MinNormalSingle = 1.17549435E-38f;

    /// <summary>Double state below this is replaced by zero. Far above the double subnormal range
    /// (2^−1022) and 50 dB below the smallest normal float, so flushing it is inaudible and the
    /// state can never decay into subnormals between two flushes.</summary>
    public const double StateFloor = 1e-30;

    /// <summary>[any thread] Replaces every subnormal sample (|x| &lt; 2^−126, not zero) by zero.
    /// Vectorized; allocates nothing.</summary>
    public static void FlushToZero(Span<float> samples)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && samples.Length >= Vector<float>.Count)
        {
            var floor = new Vector<float>(MinNormalSingle);
            Span<Vector<float>> vectors = System.Runtime.InteropServices.MemoryMarshal.Cast<float, Vector<float>>(samples);
            for (int v = 0; v < vectors.Length; v++)
            {
                Vector<float> x = vectors[v];
                vectors[v] = Vector.ConditionalSelect(Vector.LessThan(Vector.Abs(x), floor), Vector<float>.Zero, x);
            }

            i = vectors.Length * Vector<float>.Count;
        }

        for (; i < samples.Length; i++)
        {
            if (Math.Abs(samples[i]) < MinNormalSingle)
            {
                samples[i] = 0f;
            }
        }
    }

    /// <summary>[any thread] Flushes every channel of <paramref name="block"/>.</summary>
    public static void FlushToZero(AudioBlock block)
    {
        for (int c = 0; c < block.Channels; c++)
        {
            FlushToZero(block[c]);
        }
    }

    /// <summary>[any thread] Zero for |x| below <see cref="StateFloor"/>, else x. Used on recursive
    /// filter state at sub-block boundaries.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Flush(double x) => Math.Abs(x) < StateFloor ? 0.0 : x;
}
