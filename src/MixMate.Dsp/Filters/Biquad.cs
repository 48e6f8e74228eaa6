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
public partial struct Biquad
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

    /// <summary>[audio thread] Two sections in cascade (<paramref name="c1"/> then
    /// <paramref name="c2"/>) on two channels in place, in one loop: the second section runs one
    /// sample behind the first, so four independent recurrences are in flight and the CPU need not
    /// wait on one. Each section rounds its output to float as
    /// <see cref="ProcessPair(ref Biquad, ref Biquad, Span{float}, Span{float}, in BiquadCoefficients)"/> run twice would: the same samples, bit for bit.</summary>
    public static void ProcessCascadePair(ref Biquad firstLeft, ref Biquad firstRight, in BiquadCoefficients c1,
        ref Biquad secondLeft, ref Biquad secondRight, in BiquadCoefficients c2, Span<float> a, Span<float> b)
    {
        if (b.Length != a.Length)
        {
            throw new ArgumentException("Both channels must have the same length.", nameof(b));
        }

        int n = a.Length;
        if (n == 0)
        {
            return;
        }

        // Legend: p*/q* the first/second section's coefficients; l*/r* the first section's state
        // per channel, m*/s* the second's; ul/ur the first section's last output, waiting for the second.
        double p0 = c1.B0, p1 = c1.B1, p2 = c1.B2, pa1 = c1.A1, pa2 = c1.A2;
        double q0 = c2.B0, q1 = c2.B1, q2 = c2.B2, qa1 = c2.A1, qa2 = c2.A2;
        double l1 = firstLeft._s1, l2 = firstLeft._s2, r1 = firstRight._s1, r2 = firstRight._s2;
        double m1 = secondLeft._s1, m2 = secondLeft._s2, s1 = secondRight._s1, s2 = secondRight._s2;

        double x = a[0];
        double y = p0 * x + l1;
        l1 = p1 * x - pa1 * y + l2;
        l2 = p2 * x - pa2 * y;
        float ul = (float)y;
        x = b[0];
        y = p0 * x + r1;
        r1 = p1 * x - pa1 * y + r2;
        r2 = p2 * x - pa2 * y;
        float ur = (float)y;
        for (int i = 1; i < n; i++)
        {
            x = a[i];
            y = p0 * x + l1;
            l1 = p1 * x - pa1 * y + l2;
            l2 = p2 * x - pa2 * y;
            float nl = (float)y;

            double u = b[i];
            double v = p0 * u + r1;
            r1 = p1 * u - pa1 * v + r2;
            r2 = p2 * u - pa2 * v;
            float nr = (float)v;

            double xl = ul;
            double yl = q0 * xl + m1;
            m1 = q1 * xl - qa1 * yl + m2;
            m2 = q2 * xl - qa2 * yl;
            a[i - 1] = (float)yl;

            double xr = ur;
            double yr = q0 * xr + s1;
            s1 = q1 * xr - qa1 * yr + s2;
            s2 = q2 * xr - qa2 * yr;
            b[i - 1] = (float)yr;

            ul = nl;
            ur = nr;
        }

        double el = ul;
        double fl = q0 * el + m1;
        m1 = q1 * el - qa1 * fl + m2;
        m2 = q2 * el - qa2 * fl;
        a[n - 1] = (float)fl;
        double er = ur;
        double fr = q0 * er + s1;
        s1 = q1 * er - qa1 * fr + s2;
        s2 = q2 * er - qa2 * fr;
        b[n - 1] = (float)fr;

        firstLeft._s1 = Denormals.Flush(l1);
        firstLeft._s2 = Denormals.Flush(l2);
        firstRight._s1 = Denormals.Flush(r1);
        firstRight._s2 = Denormals.Flush(r2);
        secondLeft._s1 = Denormals.Flush(m1);
        secondLeft._s2 = Denormals.Flush(m2);
        secondRight._s1 = Denormals.Flush(s1);
        secondRight._s2 = Denormals.Flush(s2);
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
