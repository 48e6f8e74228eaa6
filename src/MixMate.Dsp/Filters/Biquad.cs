using System.Runtime.CompilerServices;
using MixMate.Dsp.Utility;

namespace MixMate.Dsp.Filters;

/// <summary>
/// State of one second-order section for one channel, transposed direct form II in double.
/// TDF-II needs two state words, keeps its internal nodes near signal level (good in floating
/// point, Jackson "Digital Filters and Signal Processing" §11) and tolerates slowly varying
/// coefficients, which the EQ relies on while it glides.
/// </summary>
/// <remarks>A mutable struct kept in an array by its owner and passed by reference; no allocation.</remarks>
public struct Biquad
{
    private double _s1;
    private double _s2;

    /// <summary>[audio thread] One sample through the section.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Process(double x, in BiquadCoefficients c)
    {
        double y = c.B0 * x + _s1;
        _s1 = c.B1 * x - c.A1 * y + _s2;
        _s2 = c.B2 * x - c.A2 * y;
        return y;
    }

    /// <summary>[audio thread] Filters <paramref name="samples"/> in place with fixed coefficients,
    /// then flushes state that has decayed below <see cref="Denormals.StateFloor"/>.</summary>
    public void Process(Span<float> samples, in BiquadCoefficients c)
    {
        double b0 = c.B0, b1 = c.B1, b2 = c.B2, a1 = c.A1, a2 = c.A2;
        double s1 = _s1, s2 = _s2;
        for (int i = 0; i < samples.Length; i++)
        {
            double x = samples[i];
            double y = b0 * x + s1;
            s1 = b1 * x - a1 * y + s2;
            s2 = b2 * x - a2 * y;
            samples[i] = (float)y;
        }

        _s1 = Denormals.Flush(s1);
        _s2 = Denormals.Flush(s2);
    }

    /// <summary>[audio thread] Filters two channels in place with the same fixed coefficients in one
    /// loop (<paramref name="left"/>'s state on <paramref name="a"/>, <paramref name="right"/>'s on
    /// <paramref name="b"/>): the two recurrences are independent, so the CPU overlaps them and a
    /// stereo cascade costs little more than a mono one. Same arithmetic as
    /// <see cref="Process(Span{float}, in BiquadCoefficients)"/> on each channel.</summary>
    public static void ProcessPair(ref Biquad left, ref Biquad right, Span<float> a, Span<float> b, in BiquadCoefficients c)
    {
        if (b.Length != a.Length)
        {
            throw new ArgumentException("Both channels must have the same length.", nameof(b));
        }

        double b0 = c.B0, b1 = c.B1, b2 = c.B2, a1 = c.A1, a2 = c.A2;
        double l1 = left._s1, l2 = left._s2, r1 = right._s1, r2 = right._s2;
        for (int i = 0; i < a.Length; i++)
        {
            double x = a[i];
            double y = b0 * x + l1;
            l1 = b1 * x - a1 * y + l2;
            l2 = b2 * x - a2 * y;
            a[i] = (float)y;

            double u = b[i];
            double v = b0 * u + r1;
            r1 = b1 * u - a1 * v + r2;
            r2 = b2 * u - a2 * v;
            b[i] = (float)v;
        }

        left._s1 = Denormals.Flush(l1);
        left._s2 = Denormals.Flush(l2);
        right._s1 = Denormals.Flush(r1);
        right._s2 = Denormals.Flush(r2);
    }

    /// <summary>[audio thread] Filters <paramref name="samples"/> in place while the coefficients
    /// glide: sample i uses <paramref name="start"/> + (<paramref name="firstStep"/> + i)·<paramref name="step"/>.
    /// Computing each point from the start (rather than accumulating steps) makes the result
    /// independent of where the caller splits the glide into blocks.</summary>
    public void Process(Span<float> samples, in BiquadCoefficients start, in BiquadCoefficients step, int firstStep)
    {
        double s1 = _s1, s2 = _s2;
        for (int i = 0; i < samples.Length; i++)
        {
            double k = firstStep + i;
            double b0 = start.B0 + k * step.B0;
            double b1 = start.B1 + k * step.B1;
            double b2 = start.B2 + k * step.B2;
            double a1 = start.A1 + k * step.A1;
            double a2 = start.A2 + k * step.A2;
            double x = samples[i];
            double y = b0 * x + s1;
            s1 = b1 * x - a1 * y + s2;
            s2 = b2 * x - a2 * y;
            samples[i] = (float)y;
        }

        _s1 = s1;
        _s2 = s2;
    }

    /// <summary>[audio thread] Replaces decayed state by zero (call at sub-block boundaries).</summary>
    public void FlushDenormals()
    {
        _s1 = Denormals.Flush(_s1);
        _s2 = Denormals.Flush(_s2);
    }

    /// <summary>[audio thread] Clears the state.</summary>
    public void Reset()
    {
        _s1 = 0;
        _s2 = 0;
    }
}
