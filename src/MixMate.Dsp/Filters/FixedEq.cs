using System.Runtime.CompilerServices;
using MixMate.Dsp.Utility;

namespace MixMate.Dsp.Filters;

/// <summary>
/// An EQ whose bands are set before it runs and stay: the same sections, coefficients, limits
/// (<see cref="EqLimits"/>), rounding and denormal flushing as <see cref="ParametricEq"/> once its
/// bands have landed on their settings (output identical to it, bit for bit), without what only a
/// live EQ needs — per-sub-block parameter glides and fades — and with the two channels of a
/// stereo signal run through each section pair together, so four independent recursions overlap
/// in the processor instead of each waiting on its own multiply-add latency. What a stem's
/// unmasking cuts run through in <c>mixmate mix</c>.
/// </summary>
/// <remarks>
/// Threads: <see cref="Configure"/> and <see cref="SetBands"/> are [main-thread] (not while
/// processing); <see cref="Process"/> and <see cref="Reset"/> are [audio-thread] and allocate
/// nothing. Channels beyond the configured count are left as they are.
/// </remarks>
public sealed class FixedEq : IAudioProcessor
{
    private readonly BiquadCoefficients[] _designed;
    private BiquadCoefficients[] _sections = [];

    // TDF-II state per channel and section: [(channel * sections + section) * 2 + {0: s1, 1: s2}].
    private double[] _state = [];
    private int _channels;
    private double _sampleRate;

    // Position within ParametricEq's sub-block grid, counted from the first sample: state is
    // flushed where it would flush it (every sub-block end and every block end).
    private int _position;

    /// <summary>[main-thread] An EQ with room for <paramref name="maxBands"/> bands (two sections each).</summary>
    public FixedEq(int maxBands = 8)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBands, 1);
        _designed = new BiquadCoefficients[2 * maxBands];
    }

    /// <summary>Number of second-order sections run per channel.</summary>
    public int SectionCount => _sections.Length;

    /// <inheritdoc />
    public int LatencySamples => 0;

    /// <inheritdoc />
    public void Configure(double sampleRate, int channels, int maxBlockFrames)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(sampleRate, 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        _sampleRate = sampleRate;
        _channels = channels;
        _state = new double[channels * _designed.Length * 2];
        _sections = [];
        Reset();
    }

    /// <summary>[main-thread, configured] Designs the enabled <paramref name="bands"/> (in order;
    /// at most the constructor's count) within <see cref="EqLimits"/>, and resets the state.</summary>
    public void SetBands(ReadOnlySpan<EqBand> bands)
    {
        if (_sampleRate <= 0)
        {
            throw new InvalidOperationException("Configure the EQ before setting its bands.");
        }

        ArgumentOutOfRangeException.ThrowIfGreaterThan(bands.Length, _designed.Length / 2, nameof(bands));
        int count = 0;
        foreach (EqBand raw in bands)
        {
            if (!raw.Enabled)
            {
                continue;
            }

            EqBand band = EqLimits.Bound(raw);
            int made = BiquadCoefficients.Design(band.Type, _sampleRate, EqLimits.DesignFrequency(band.FrequencyHz, _sampleRate), band.GainDb, band.Q,
                out BiquadCoefficients first, out BiquadCoefficients second);
            _designed[count++] = first;
            if (made == 2)
            {
                _designed[count++] = second;
            }
        }

        _sections = _designed[..count];
        Reset();
    }

    /// <inheritdoc />
    public void Reset()
    {
        Array.Clear(_state);
        _position = 0;
    }

    /// <summary>[audio-thread, configured] Filters <paramref name="block"/> in place; blocks of any
    /// length, the state carries over.</summary>
    public void Process(AudioBlock block)
    {
        int channels = Math.Min(block.Channels, _channels);
        if (_sections.Length == 0 || block.Frames == 0)
        {
            return;
        }

        // Each section runs over the whole block in turn (a section's output depends only on its
        // input sequence, so this equals ParametricEq's sub-block interleaving), two sections at a
        // time on a stereo pair: four independent recursions per sample.
        int c = 0;
        for (; c + 1 < channels; c += 2)
        {
            int s = 0;
            for (; s + 1 < _sections.Length; s += 2)
            {
                RunTwoSectionsOnPair(s, c, block[c], block[c + 1]);
            }

            if (s < _sections.Length)
            {
                RunOne(s, c, block[c]);
                RunOne(s, c + 1, block[c + 1]);
            }
        }

        for (; c < channels; c++)
        {
            for (int s = 0; s < _sections.Length; s++)
            {
                RunOne(s, c, block[c]);
            }
        }

        _position = (int)((_position + (long)block.Frames) % ParametricEq.SubBlockFrames);
        for (int k = 0; k < channels; k++)
        {
            Denormals.FlushToZero(block[k]);
        }
    }

    /// <summary>True after sample <paramref name="i"/> of the block when it ends one of
    /// ParametricEq's sub-blocks (where its sections flush their state).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool EndsSubBlock(int i) => ((_position + i + 1) & (ParametricEq.SubBlockFrames - 1)) == 0;

    /// <summary>One section over one channel: <see cref="Biquad"/>'s TDF-II arithmetic, the state
    /// flushed where ParametricEq flushes it.</summary>
    private void RunOne(int section, int channel, Span<float> samples)
    {
        BiquadCoefficients k = _sections[section];
        double b0 = k.B0, b1 = k.B1, b2 = k.B2, a1 = k.A1, a2 = k.A2;
        int at = ((channel * _sections.Length) + section) * 2;
        double s1 = _state[at], s2 = _state[at + 1];
        for (int i = 0; i < samples.Length; i++)
        {
            double x = samples[i];
            double y = (b0 * x) + s1;
            s1 = (b1 * x) - (a1 * y) + s2;
            s2 = (b2 * x) - (a2 * y);
            samples[i] = (float)y;
            if (EndsSubBlock(i))
            {
                s1 = Denormals.Flush(s1);
                s2 = Denormals.Flush(s2);
            }
        }

        _state[at] = Denormals.Flush(s1);
        _state[at + 1] = Denormals.Flush(s2);
    }

    /// <summary>Sections <paramref name="section"/> and the next over two channels at once: the
    /// arithmetic of <see cref="RunOne"/> twice in a row on each channel, the first section's
    /// output rounded to float before the second as between two passes.</summary>
    private void RunTwoSectionsOnPair(int section, int channel, Span<float> left, Span<float> right)
    {
        BiquadCoefficients k = _sections[section];
        BiquadCoefficients m = _sections[section + 1];
        double kb0 = k.B0, kb1 = k.B1, kb2 = k.B2, ka1 = k.A1, ka2 = k.A2;
        double mb0 = m.B0, mb1 = m.B1, mb2 = m.B2, ma1 = m.A1, ma2 = m.A2;
        int atL = ((channel * _sections.Length) + section) * 2;
        int atR = (((channel + 1) * _sections.Length) + section) * 2;

        // State legend: l/r = channel, k/m = first/second section, 1/2 = TDF-II state words.
        double lk1 = _state[atL], lk2 = _state[atL + 1], lm1 = _state[atL + 2], lm2 = _state[atL + 3];
        double rk1 = _state[atR], rk2 = _state[atR + 1], rm1 = _state[atR + 2], rm2 = _state[atR + 3];
        right = right[..left.Length];
        for (int i = 0; i < left.Length; i++)
        {
            double xl = left[i];
            double xr = right[i];
            double yl = (kb0 * xl) + lk1;
            double yr = (kb0 * xr) + rk1;
            lk1 = (kb1 * xl) - (ka1 * yl) + lk2;
            rk1 = (kb1 * xr) - (ka1 * yr) + rk2;
            lk2 = (kb2 * xl) - (ka2 * yl);
            rk2 = (kb2 * xr) - (ka2 * yr);
            double ul = (float)yl;
            double ur = (float)yr;
            double zl = (mb0 * ul) + lm1;
            double zr = (mb0 * ur) + rm1;
            lm1 = (mb1 * ul) - (ma1 * zl) + lm2;
            rm1 = (mb1 * ur) - (ma1 * zr) + rm2;
            lm2 = (mb2 * ul) - (ma2 * zl);
            rm2 = (mb2 * ur) - (ma2 * zr);
            left[i] = (float)zl;
            right[i] = (float)zr;
            if (EndsSubBlock(i))
            {
                (lk1, lk2, lm1, lm2) = (Denormals.Flush(lk1), Denormals.Flush(lk2), Denormals.Flush(lm1), Denormals.Flush(lm2));
                (rk1, rk2, rm1, rm2) = (Denormals.Flush(rk1), Denormals.Flush(rk2), Denormals.Flush(rm1), Denormals.Flush(rm2));
            }
        }

        (_state[atL], _state[atL + 1], _state[atL + 2], _state[atL + 3]) = (Denormals.Flush(lk1), Denormals.Flush(lk2), Denormals.Flush(lm1), Denormals.Flush(lm2));
        (_state[atR], _state[atR + 1], _state[atR + 2], _state[atR + 3]) = (Denormals.Flush(rk1), Denormals.Flush(rk2), Denormals.Flush(rm1), Denormals.Flush(rm2));
    }
}
