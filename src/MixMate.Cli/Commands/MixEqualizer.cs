using System.Runtime.CompilerServices;
using MixMate.Assistant.Eq;
using MixMate.Assistant.Tonal;
using MixMate.Dsp;
using MixMate.Dsp.Filters;
using MixMate.Dsp.Utility;

namespace MixMate.Cli.Commands;

/// <summary>
/// The fixed EQ a stem gets in <c>mixmate mix</c>: the same sections, coefficients, rounding and
/// denormal flushing as <see cref="ParametricEq"/> once its bands have landed on their settings
/// (output identical to it, bit for bit), without what only a live EQ needs — per-sub-block
/// parameter glides and fades — and with the two channels of a stereo stem run through each
/// section pair together, so four independent recursions overlap in the processor instead of
/// each waiting on its own multiply-add latency.
/// </summary>
/// <remarks>[one thread at a time] Allocates in the constructor only.</remarks>
internal sealed class MixEqualizer
{
    // ParametricEq's bounds on a band's settings (SetBand) and design frequency.
    private const double MinQ = 0.05;
    private const double MaxQ = 50.0;
    private const double MaxGainDb = 40.0;
    private const double MaxDesignFraction = 0.45;

    private readonly BiquadCoefficients[] _sections;

    // TDF-II state per channel and section: [(channel * sections + section) * 2 + {0: s1, 1: s2}].
    private readonly double[] _state;
    private readonly int _channels;

    // Position within ParametricEq's sub-block grid, counted from the first sample: state is
    // flushed where it would flush it (every sub-block end and every block end).
    private int _position;

    /// <summary>[any thread] Designs the sections of <paramref name="moves"/> (peaks, shelves and
    /// filters, in order) for <paramref name="channels"/> channels at <paramref name="sampleRate"/>.</summary>
    public MixEqualizer(IReadOnlyList<EqMove> moves, double sampleRate, int channels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(sampleRate, 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        var sections = new List<BiquadCoefficients>(moves.Count);
        foreach (EqMove move in moves)
        {
            double frequency = double.IsFinite(move.FrequencyHz) ? Math.Max(move.FrequencyHz, 1.0) : 1000.0;
            double gain = double.IsFinite(move.GainDb) ? Math.Clamp(move.GainDb, -MaxGainDb, MaxGainDb) : 0.0;
            double q = double.IsFinite(move.Q) ? Math.Clamp(move.Q, MinQ, MaxQ) : BiquadCoefficients.ButterworthQ;
            frequency = Math.Clamp(frequency, 1.0, MaxDesignFraction * sampleRate);
            int count = BiquadCoefficients.Design(TonalBalance.ParseType(move.Type), sampleRate, frequency, gain, q,
                out BiquadCoefficients first, out BiquadCoefficients second);
            sections.Add(first);
            if (count == 2)
            {
                sections.Add(second);
            }
        }

        _sections = [.. sections];
        _channels = channels;
        _state = new double[channels * _sections.Length * 2];
    }

    /// <summary>Number of second-order sections run per channel.</summary>
    public int SectionCount => _sections.Length;

    /// <summary>[owning thread] Filters <paramref name="block"/> in place (its channel count must be
    /// the configured one); blocks of any length, the state carries over.</summary>
    public void Process(AudioBlock block)
    {
        if (block.Channels != _channels)
        {
            throw new ArgumentException($"The block has {block.Channels} channels; the EQ was built for {_channels}.", nameof(block));
        }

        if (_sections.Length == 0 || block.Frames == 0)
        {
            return;
        }

        // Each section runs over the whole block in turn (a section's output depends only on its
        // input sequence, so this equals ParametricEq's sub-block interleaving), two sections at a
        // time on a stereo pair: four independent recursions per sample.
        int c = 0;
        for (; c + 1 < _channels; c += 2)
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

        for (; c < _channels; c++)
        {
            for (int s = 0; s < _sections.Length; s++)
            {
                RunOne(s, c, block[c]);
            }
        }

        _position = (int)((_position + (long)block.Frames) % ParametricEq.SubBlockFrames);
        Denormals.FlushToZero(block);
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
