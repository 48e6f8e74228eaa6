using MixMate.Dsp.Filters;
using MixMate.Dsp.Tests.Utility;
using Xunit;

namespace MixMate.Dsp.Tests.Filters;

/// <summary>
/// <see cref="Biquad.ProcessOctetPair"/> is the sections one after the other, each on both
/// channels one sub-block at a time (<see cref="Biquad.ProcessPair"/>, which flushes state below
/// 1e−30 at the end of each call): the same samples and the same final state, bit for bit.
/// </summary>
public sealed class BiquadOctetTests
{
    private const double SampleRate = 48000;
    private const int SubBlock = 32;

    [Theory]
    [InlineData(1, 3000, 0.5)]
    [InlineData(5, 3000, 0.5)]
    [InlineData(8, 3000, 0.5)]
    [InlineData(8, 30, 6)]
    [InlineData(3, 100, 2)]
    public void Eight_sections_at_once_are_the_sections_one_after_the_other(int sections, double lowestHz, double q)
    {
        if (!Biquad.OctetSupported)
        {
            return; // no AVX: the EQ never takes this path
        }

        // Noise that decays to zero: states ring down through the 1e−30 floor inside the run, so
        // each section's flushes must fall where ProcessPair's do.
        const int Frames = 64 * SubBlock;
        float[] left = TestSignals.Noise(Frames, 0.5, 3);
        float[] right = TestSignals.Noise(Frames, 0.3, 4);
        for (int i = Frames / 4; i < Frames; i++)
        {
            double fade = Math.Exp(-(i - (Frames / 4)) / 6.0);
            left[i] = (float)(left[i] * fade);
            right[i] = (float)(right[i] * fade);
        }

        var coefficients = new BiquadCoefficients[sections];
        for (int j = 0; j < sections; j++)
        {
            coefficients[j] = BiquadCoefficients.Peak(SampleRate, lowestHz * Math.Pow(1.5, j), (j % 2 == 0 ? 6 : -4) + j, q);
        }

        // Reference: every section over each sub-block, in order.
        var reference = new Biquad[2 * sections];
        float[] a = (float[])left.Clone(), b = (float[])right.Clone();
        for (int start = 0; start < Frames; start += SubBlock)
        {
            for (int j = 0; j < sections; j++)
            {
                Biquad.ProcessPair(ref reference[j], ref reference[sections + j], a.AsSpan(start, SubBlock), b.AsSpan(start, SubBlock), in coefficients[j]);
            }
        }

        // The octet, over the run in two calls (state carried between them).
        var filters = new Biquad[2 * sections];
        int[] l = [.. Enumerable.Range(0, sections)];
        int[] r = [.. Enumerable.Range(sections, sections)];
        float[] c = (float[])left.Clone(), d = (float[])right.Clone();
        int split = 24 * SubBlock;
        Biquad.ProcessOctetPair(filters, l, r, coefficients, c.AsSpan(0, split), d.AsSpan(0, split), SubBlock);
        Biquad.ProcessOctetPair(filters, l, r, coefficients, c.AsSpan(split), d.AsSpan(split), SubBlock);

        for (int i = 0; i < Frames; i++)
        {
            Assert.True(BitConverter.SingleToInt32Bits(a[i]) == BitConverter.SingleToInt32Bits(c[i]), $"left {i}: {a[i]:R} vs {c[i]:R}");
            Assert.True(BitConverter.SingleToInt32Bits(b[i]) == BitConverter.SingleToInt32Bits(d[i]), $"right {i}: {b[i]:R} vs {d[i]:R}");
        }

        Assert.Equal(reference, filters); // (without the flushes, or one sample off, the 3 kHz cases fail here)
    }
}
