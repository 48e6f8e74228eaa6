using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using MixMate.Dsp.Utility;

namespace MixMate.Dsp.Filters;

public partial struct Biquad
{
    /// <summary>Sections one call of <see cref="ProcessOctetPair"/> runs.</summary>
    public const int OctetSections = 8;

    /// <summary>[any thread] Whether <see cref="ProcessOctetPair"/> can run here (AVX).</summary>
    public static bool OctetSupported => Avx.IsSupported;

    /// <summary>
    /// [audio thread] A stereo pair through up to eight sections in series, in place, with fixed
    /// coefficients, over whole sub-blocks: the same samples, bit for bit, as running the sections
    /// one after the other with <see cref="ProcessPair"/> one sub-block at a time (each section's
    /// state flushed below <see cref="Denormals.StateFloor"/> at the end of every sub-block, each
    /// section's output rounded to float before the next).
    /// </summary>
    /// <remarks>
    /// <para>The sections' recurrences are serial in time but independent of each other, so they
    /// are pipelined: at step t section j filters sample t − j, and the sixteen recurrences
    /// (eight sections × two channels) of a step sit in four AVX vectors — lanes (section 2v left,
    /// 2v right, 2v+1 left, 2v+1 right) in vector v. Section j's input at step t is section j − 1's
    /// output of step t − 1, moved one lane pair up. The arithmetic per lane is
    /// <see cref="Process(double, in BiquadCoefficients)"/>'s (multiplies and adds, no fused
    /// multiply-add), so nothing changes but the order in which independent work is done. Lanes of
    /// missing sections (fewer than eight) run the pass-through section and are never read.</para>
    /// <para>Legend: n frames; t step; j section; S1/S2 the state vectors; Y the outputs of a step;
    /// P the previous step's outputs rounded to float.</para>
    /// </remarks>
    /// <param name="filters">The owner's sections.</param>
    /// <param name="left">Indices in <paramref name="filters"/> of the left channel's sections, in order (1–8).</param>
    /// <param name="right">The right channel's, in the same order.</param>
    /// <param name="coefficients">Each section's coefficients.</param>
    /// <param name="a">Left samples; a whole number of sub-blocks.</param>
    /// <param name="b">Right samples, as many.</param>
    /// <param name="subBlockFrames">Frames between state flushes (≥ 8).</param>
    public static void ProcessOctetPair(Span<Biquad> filters, ReadOnlySpan<int> left, ReadOnlySpan<int> right,
        ReadOnlySpan<BiquadCoefficients> coefficients, Span<float> a, Span<float> b, int subBlockFrames)
    {
        int count = left.Length;
        if (!Avx.IsSupported || count < 1 || count > OctetSections || right.Length != count || coefficients.Length != count
            || b.Length != a.Length || subBlockFrames < OctetSections || a.Length % subBlockFrames != 0)
        {
            throw new ArgumentException("ProcessOctetPair: 1-8 sections per channel, equal spans of whole sub-blocks, AVX.");
        }

        int n = a.Length;
        if (n == 0)
        {
            return;
        }

        // Coefficients and state per lane; a missing section is H(z) = 1 with zero state.
        Span<double> lanes = stackalloc double[7 * 16];
        for (int j = 0; j < OctetSections; j++)
        {
            int v = j >> 1, half = (j & 1) * 2;
            BiquadCoefficients c = j < count ? coefficients[j] : BiquadCoefficients.Identity;
            double s1l = j < count ? filters[left[j]]._s1 : 0, s1r = j < count ? filters[right[j]]._s1 : 0;
            double s2l = j < count ? filters[left[j]]._s2 : 0, s2r = j < count ? filters[right[j]]._s2 : 0;
            for (int ch = 0; ch < 2; ch++)
            {
                int lane = (v * 4) + half + ch;
                lanes[lane] = c.B0;
                lanes[16 + lane] = c.B1;
                lanes[32 + lane] = c.B2;
                lanes[48 + lane] = c.A1;
                lanes[64 + lane] = c.A2;
                lanes[80 + lane] = ch == 0 ? s1l : s1r;
                lanes[96 + lane] = ch == 0 ? s2l : s2r;
            }
        }

        static Vector256<double> V(ReadOnlySpan<double> l, int row, int v) => Vector256.Create(l.Slice((row * 16) + (v * 4), 4));
        Vector256<double> b00 = V(lanes, 0, 0), b01 = V(lanes, 0, 1), b02 = V(lanes, 0, 2), b03 = V(lanes, 0, 3);
        Vector256<double> b10 = V(lanes, 1, 0), b11 = V(lanes, 1, 1), b12 = V(lanes, 1, 2), b13 = V(lanes, 1, 3);
        Vector256<double> b20 = V(lanes, 2, 0), b21 = V(lanes, 2, 1), b22 = V(lanes, 2, 2), b23 = V(lanes, 2, 3);
        Vector256<double> a10 = V(lanes, 3, 0), a11 = V(lanes, 3, 1), a12 = V(lanes, 3, 2), a13 = V(lanes, 3, 3);
        Vector256<double> a20 = V(lanes, 4, 0), a21 = V(lanes, 4, 1), a22 = V(lanes, 4, 2), a23 = V(lanes, 4, 3);
        Vector256<double> p0 = V(lanes, 5, 0), p1 = V(lanes, 5, 1), p2 = V(lanes, 5, 2), p3 = V(lanes, 5, 3); // S1
        Vector256<double> q0 = V(lanes, 6, 0), q1 = V(lanes, 6, 1), q2 = V(lanes, 6, 2), q3 = V(lanes, 6, 3); // S2
        Vector256<double> y0 = Vector256<double>.Zero, y1 = y0, y2 = y0, y3 = y0;   // P
        Vector256<double> floor = Vector256.Create(Denormals.StateFloor);
        Vector256<double> magnitude = Vector256.Create(0x7FFF_FFFF_FFFF_FFFFL).AsDouble();
        Vector256<double> lowHalf = Vector256.Create(-1L, -1L, 0L, 0L).AsDouble();
        Vector256<double> highHalf = Vector256.Create(0L, 0L, -1L, -1L).AsDouble();

        // The last real section's lanes carry the output (a pass-through section would not keep the sign of a zero).
        int last = count - 1;
        int outVector = last >> 1, outLane = (last & 1) * 2;
        int steps = n + last;
        for (int t = 0; t < steps; t++)
        {
            Vector128<double> fresh = t < n ? Vector128.Create((double)a[t], b[t]) : Vector128<double>.Zero;
            Vector256<double> x0 = Vector256.Create(fresh, y0.GetLower());
            Vector256<double> x1 = Avx.Permute2x128(y0, y1, 0x21);
            Vector256<double> x2 = Avx.Permute2x128(y1, y2, 0x21);
            Vector256<double> x3 = Avx.Permute2x128(y2, y3, 0x21);

            Vector256<double> o0 = (b00 * x0) + p0, o1 = (b01 * x1) + p1, o2 = (b02 * x2) + p2, o3 = (b03 * x3) + p3;
            Vector256<double> n0 = ((b10 * x0) - (a10 * o0)) + q0;
            Vector256<double> n1 = ((b11 * x1) - (a11 * o1)) + q1;
            Vector256<double> n2 = ((b12 * x2) - (a12 * o2)) + q2;
            Vector256<double> n3 = ((b13 * x3) - (a13 * o3)) + q3;
            Vector256<double> m0 = (b20 * x0) - (a20 * o0);
            Vector256<double> m1 = (b21 * x1) - (a21 * o1);
            Vector256<double> m2 = (b22 * x2) - (a22 * o2);
            Vector256<double> m3 = (b23 * x3) - (a23 * o3);

            if (t < OctetSections - 1 || t >= n)
            {
                // Pipeline fill and drain: a section not yet started (t < j) or done (t − j ≥ n) keeps its state.
                n0 = Avx.BlendVariable(p0, n0, Active(t, n, 0)); m0 = Avx.BlendVariable(q0, m0, Active(t, n, 0));
                n1 = Avx.BlendVariable(p1, n1, Active(t, n, 1)); m1 = Avx.BlendVariable(q1, m1, Active(t, n, 1));
                n2 = Avx.BlendVariable(p2, n2, Active(t, n, 2)); m2 = Avx.BlendVariable(q2, m2, Active(t, n, 2));
                n3 = Avx.BlendVariable(p3, n3, Active(t, n, 3)); m3 = Avx.BlendVariable(q3, m3, Active(t, n, 3));
            }

            // Section j ends a sub-block at step t when t − j + 1 is a positive multiple of the
            // sub-block: its state is flushed there, as ProcessPair does at the end of each call.
            int phase = (t + 1) % subBlockFrames;
            if (phase < OctetSections && t + 1 - phase >= subBlockFrames - 0 && t - phase < n)
            {
                Vector256<double> half = (phase & 1) == 0 ? lowHalf : highHalf;
                switch (phase >> 1)
                {
                    case 0: n0 = Flush(n0, half, floor, magnitude); m0 = Flush(m0, half, floor, magnitude); break;
                    case 1: n1 = Flush(n1, half, floor, magnitude); m1 = Flush(m1, half, floor, magnitude); break;
                    case 2: n2 = Flush(n2, half, floor, magnitude); m2 = Flush(m2, half, floor, magnitude); break;
                    default: n3 = Flush(n3, half, floor, magnitude); m3 = Flush(m3, half, floor, magnitude); break;
                }
            }

            (p0, p1, p2, p3) = (n0, n1, n2, n3);
            (q0, q1, q2, q3) = (m0, m1, m2, m3);
            y0 = Avx.ConvertToVector256Double(Avx.ConvertToVector128Single(o0));
            y1 = Avx.ConvertToVector256Double(Avx.ConvertToVector128Single(o1));
            y2 = Avx.ConvertToVector256Double(Avx.ConvertToVector128Single(o2));
            y3 = Avx.ConvertToVector256Double(Avx.ConvertToVector128Single(o3));
            if (t >= last)
            {
                // The last section finished sample t − last.
                Vector256<double> y = outVector switch { 0 => y0, 1 => y1, 2 => y2, _ => y3 };
                a[t - last] = (float)y.GetElement(outLane);
                b[t - last] = (float)y.GetElement(outLane + 1);
            }
        }

        Span<double> s = lanes[80..];
        Store(s, 0, p0, q0); Store(s, 4, p1, q1); Store(s, 8, p2, q2); Store(s, 12, p3, q3);
        for (int j = 0; j < count; j++)
        {
            int lane = ((j >> 1) * 4) + ((j & 1) * 2);
            filters[left[j]]._s1 = s[lane];
            filters[left[j]]._s2 = s[16 + lane];
            filters[right[j]]._s1 = s[lane + 1];
            filters[right[j]]._s2 = s[16 + lane + 1];
        }
    }

    // Lanes of vector v whose sections (2v, 2v+1) are working at step t.
    private static Vector256<double> Active(int t, int n, int v)
    {
        int j = 2 * v;
        long lo = t >= j && t - j < n ? -1L : 0L;
        long hi = t >= j + 1 && t - j - 1 < n ? -1L : 0L;
        return Vector256.Create(lo, lo, hi, hi).AsDouble();
    }

    private static Vector256<double> Flush(Vector256<double> state, Vector256<double> lanes, Vector256<double> floor, Vector256<double> magnitude)
    {
        Vector256<double> tiny = Avx.Compare(Avx.And(state, magnitude), floor, FloatComparisonMode.OrderedLessThanNonSignaling);
        return Avx.AndNot(Avx.And(tiny, lanes), state);
    }

    private static void Store(Span<double> s, int at, Vector256<double> s1, Vector256<double> s2)
    {
        s1.CopyTo(s.Slice(at, 4));
        s2.CopyTo(s.Slice(16 + at, 4));
    }
}
