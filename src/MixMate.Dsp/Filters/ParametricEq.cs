using MixMate.Dsp.Utility;

namespace MixMate.Dsp.Filters;

/// <summary>
/// Multi-band parametric EQ (RBJ cookbook sections, TDF-II in double), the same curve on every
/// channel.
/// </summary>
/// <remarks>
/// Click-free parameter changes. Every <see cref="SubBlockFrames"/> samples of absolute time each
/// band moves its frequency (in log₂ Hz), gain (dB) and Q (in log₂) one step of a one-pole glide
/// towards its target, designs that sub-block's end coefficients, and the samples in between use
/// coefficients interpolated linearly per sample. Interpolating coefficients is safe because the
/// set of stable (a1, a2) pairs is the triangle |a2| &lt; 1, |a1| &lt; 1 + a2 — convex — so every
/// point between two stable designs is stable. We chose this over crossfading two filter copies
/// because a crossfade costs a second filter per band during every glide, and the freshly started
/// copy rings in from zero state (or from foreign state), which is itself audible on low bands;
/// per-sample interpolation keeps one state whose output changes as smoothly as the parameters.
/// Changes that cannot glide (type change, enable/disable) fade the band's wet/dry mix out over
/// <see cref="FadeMilliseconds"/>, switch while silent, and fade back in.
/// The sub-block grid counts absolute samples, so output does not depend on the host block size.
/// </remarks>
public sealed class ParametricEq : IAudioProcessor
{
    /// <summary>Samples per parameter step.</summary>
    public const int SubBlockFrames = 32;

    /// <summary>Sounding sections from which a steady stereo run takes the eight-section AVX path.</summary>
    private const int OctetMinimumSections = 4;

    private readonly EqBand[] _targets;
    private readonly BandState[] _bands;
    private readonly int[] _stages; // sounding sections of a steady run, as filter offsets
    private Biquad[] _filters = []; // [channel][band][section], flattened
    private readonly float[] _dry = new float[SubBlockFrames];
    private double _sampleRate;
    private int _channels;
    private int _position; // 0…SubBlockFrames−1 within the current sub-block
    private double _smoothingMilliseconds = 20.0;
    private double _fadeMilliseconds = 10.0;
    private int _fadeSubBlocks = 1;
    private double _smoothingSubBlocks;

    /// <summary>[non-real-time] Creates an EQ with room for <paramref name="maxBands"/> bands, all off.</summary>
    public ParametricEq(int maxBands = 8)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBands, 1);
        _targets = new EqBand[maxBands];
        _bands = new BandState[maxBands];
        _stages = new int[maxBands * 2];
        for (int b = 0; b < maxBands; b++)
        {
            _targets[b] = EqBand.Off;
            _bands[b].ActiveType = EqBand.Off.Type;
        }
    }

    /// <summary>[any thread] Number of bands.</summary>
    public int BandCount => _targets.Length;

    /// <inheritdoc />
    public int LatencySamples => 0;

    /// <summary>[non-real-time or between blocks] Time constant of the parameter glide; 0 makes
    /// changes jump at the next sub-block boundary (used to show the click it would make).</summary>
    public double SmoothingMilliseconds
    {
        get => _smoothingMilliseconds;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _smoothingMilliseconds = value;
            UpdateTimings();
        }
    }

    /// <summary>[non-real-time or between blocks] Fade time used when a band changes type or is
    /// switched on or off.</summary>
    public double FadeMilliseconds
    {
        get => _fadeMilliseconds;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _fadeMilliseconds = value;
            UpdateTimings();
        }
    }

    /// <summary>[audio thread, or between blocks by the owner] Sets band <paramref name="index"/>;
    /// takes effect at the next sub-block boundary, gliding. Allocates nothing.</summary>
    public void SetBand(int index, EqBand band)
    {
        _targets[index] = EqLimits.Bound(band);
    }

    /// <summary>[any thread] The target settings of band <paramref name="index"/>.</summary>
    public EqBand GetBand(int index) => _targets[index];

    /// <summary>[audio thread, or between blocks] Switches band <paramref name="index"/> on or off.</summary>
    public void SetEnabled(int index, bool enabled) => SetBand(index, _targets[index] with { Enabled = enabled });

    /// <summary>[audio thread, or between blocks] Changes the band's shape (fades out and in).</summary>
    public void SetType(int index, FilterType type) => SetBand(index, _targets[index] with { Type = type });

    /// <summary>[audio thread, or between blocks] Centre or cutoff frequency in Hz (glides in log frequency).</summary>
    public void SetFrequency(int index, double frequencyHz) => SetBand(index, _targets[index] with { FrequencyHz = frequencyHz });

    /// <summary>[audio thread, or between blocks] Gain in dB for peak and shelf bands (glides in dB).</summary>
    public void SetGainDb(int index, double gainDb) => SetBand(index, _targets[index] with { GainDb = gainDb });

    /// <summary>[audio thread, or between blocks] Q (glides in log Q).</summary>
    public void SetQ(int index, double q) => SetBand(index, _targets[index] with { Q = q });

    /// <summary>[any thread, configured] Magnitude in dB of the target curve (all enabled bands)
    /// at <paramref name="frequency"/>, for plots.</summary>
    public double ResponseDb(double frequency)
    {
        double db = 0;
        if (_sampleRate <= 0)
        {
            return db;
        }

        for (int b = 0; b < _targets.Length; b++)
        {
            EqBand t = _targets[b];
            if (t.Enabled)
            {
                db += BiquadCoefficients.MagnitudeDb(t.Type, _sampleRate, DesignFrequency(t.FrequencyHz), t.GainDb, t.Q, frequency);
            }
        }

        return db;
    }

    /// <inheritdoc />
    public void Configure(double sampleRate, int channels, int maxBlockFrames)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        ArgumentOutOfRangeException.ThrowIfNegative(channels);
        _sampleRate = sampleRate;
        _channels = channels;
        _filters = new Biquad[channels * _bands.Length * 2];
        UpdateTimings();
        Reset();
    }

    /// <inheritdoc />
    /// <remarks>Also lands every band on its target settings without gliding.</remarks>
    public void Reset()
    {
        Array.Clear(_filters);
        _position = 0;
        if (_sampleRate <= 0)
        {
            return;
        }

        for (int b = 0; b < _bands.Length; b++)
        {
            ref BandState band = ref _bands[b];
            EqBand t = _targets[b];
            band.ActiveType = t.Type;
            band.Mix.Snap(t.Enabled ? 1.0 : 0.0);
            SnapParameters(ref band, t);
            band.MixStart = band.Mix.Current;
            band.MixStep = 0;
            band.IsSilent = !t.Enabled;
        }
    }

    /// <inheritdoc />
    /// <remarks>Channels beyond the configured count are left untouched.</remarks>
    public void Process(AudioBlock block)
    {
        if (_sampleRate <= 0)
        {
            return;
        }

        int channels = Math.Min(block.Channels, _channels);
        int frames = block.Frames;
        int done = 0;
        while (done < frames)
        {
            if (_position == 0)
            {
                for (int b = 0; b < _bands.Length; b++)
                {
                    AdvanceBand(b);
                }
            }

            if (_position == 0 && frames - done >= SubBlockFrames && IsSteady())
            {
                // Nothing glides or fades: whole sub-blocks run on fixed coefficients, band by
                // band, both channels of a pair in one loop. AdvanceBand would leave every band as
                // it is at each boundary (targets change only between blocks), so this is the
                // same filter, sample for sample.
                int run = (frames - done) / SubBlockFrames * SubBlockFrames;
                int stages = CollectStages();
                if (stages >= OctetMinimumSections && channels >= 2 && Biquad.OctetSupported)
                {
                    RunSteadyOctets(block, channels, done, run, stages);
                }
                else
                {
                    for (int start = done; start < done + run; start += SubBlockFrames)
                    {
                        RunSteadySubBlock(block, channels, start, stages);
                    }
                }

                done += run;
                continue;
            }

            int count = Math.Min(SubBlockFrames - _position, frames - done);
            for (int b = 0; b < _bands.Length; b++)
            {
                if (_bands[b].IsSilent)
                {
                    continue;
                }

                for (int c = 0; c < channels; c++)
                {
                    RunBand(b, c, block[c].Slice(done, count));
                }
            }

            done += count;
            _position += count;
            if (_position == SubBlockFrames)
            {
                _position = 0;
                FlushStates();
            }
        }

        for (int c = 0; c < channels; c++)
        {
            Denormals.FlushToZero(block[c]);
        }
    }

    // True when every band, just advanced at a sub-block boundary, neither glides nor fades.
    private bool IsSteady()
    {
        for (int b = 0; b < _bands.Length; b++)
        {
            ref BandState band = ref _bands[b];
            if (band.Gliding || band.MixStep != 0 || (band.MixStart != 1.0 && !band.IsSilent))
            {
                return false;
            }
        }

        return true;
    }

    // The sections of the bands that sound, in order (band, section) as flattened filter offsets.
    private int CollectStages()
    {
        int count = 0;
        for (int b = 0; b < _bands.Length; b++)
        {
            if (_bands[b].IsSilent)
            {
                continue;
            }

            _stages[count++] = (b * 2) + 0;
            if (_bands[b].Sections == 2)
            {
                _stages[count++] = (b * 2) + 1;
            }
        }

        return count;
    }

    // One sub-block through every sounding section on fixed coefficients: two sections at a time
    // on two channels at a time. The state is flushed of denormals at the end, as FlushStates
    // does on the general path, so both paths give the same samples bit for bit.
    private void RunSteadySubBlock(AudioBlock block, int channels, int start, int stages)
    {
        int stride = _bands.Length * 2; // filters per channel
        int c = 0;
        for (; c + 1 < channels; c += 2)
        {
            Span<float> a = block[c].Slice(start, SubBlockFrames);
            Span<float> z = block[c + 1].Slice(start, SubBlockFrames);
            int left = c * stride, right = (c + 1) * stride;
            int k = 0;
            for (; k + 1 < stages; k += 2)
            {
                int f = _stages[k], g = _stages[k + 1];
                Biquad.ProcessCascadePair(ref _filters[left + f], ref _filters[right + f], in Coefficients(f),
                    ref _filters[left + g], ref _filters[right + g], in Coefficients(g), a, z);
            }

            if (k < stages)
            {
                int f = _stages[k];
                Biquad.ProcessPair(ref _filters[left + f], ref _filters[right + f], a, z, in Coefficients(f));
            }
        }

        for (; c < channels; c++)
        {
            RunSteadyMono(block[c].Slice(start, SubBlockFrames), c, stages);
        }
    }

    // One channel's sub-block through every sounding section on fixed coefficients.
    private void RunSteadyMono(Span<float> x, int channel, int stages)
    {
        int stride = _bands.Length * 2;
        for (int k = 0; k < stages; k++)
        {
            int f = _stages[k];
            _filters[(channel * stride) + f].Process(x, in Coefficients(f));
        }
    }

    // A steady run on channel pairs through eight sections at a time (Biquad.ProcessOctetPair: the
    // same samples as RunSteadySubBlock per sub-block, the sections' recurrences pipelined in AVX
    // vectors); a last odd channel as RunSteadySubBlock runs it.
    private void RunSteadyOctets(AudioBlock block, int channels, int start, int run, int stages)
    {
        int stride = _bands.Length * 2; // filters per channel
        Span<int> left = stackalloc int[Biquad.OctetSections];
        Span<int> right = stackalloc int[Biquad.OctetSections];
        Span<BiquadCoefficients> coefficients = stackalloc BiquadCoefficients[Biquad.OctetSections];
        int c = 0;
        for (; c + 1 < channels; c += 2)
        {
            Span<float> a = block[c].Slice(start, run);
            Span<float> z = block[c + 1].Slice(start, run);
            for (int k = 0; k < stages; k += Biquad.OctetSections)
            {
                int count = Math.Min(Biquad.OctetSections, stages - k);
                for (int j = 0; j < count; j++)
                {
                    int f = _stages[k + j];
                    left[j] = (c * stride) + f;
                    right[j] = ((c + 1) * stride) + f;
                    coefficients[j] = Coefficients(f);
                }

                Biquad.ProcessOctetPair(_filters, left[..count], right[..count], coefficients[..count], a, z, SubBlockFrames);
            }
        }

        for (; c < channels; c++)
        {
            for (int at = start; at < start + run; at += SubBlockFrames)
            {
                RunSteadyMono(block[c].Slice(at, SubBlockFrames), c, stages);
            }
        }
    }

    // The fixed coefficients of flattened section f (band f / 2, section f % 2).
    private ref readonly BiquadCoefficients Coefficients(int f) =>
        ref ((f & 1) == 0 ? ref _bands[f >> 1].Start0 : ref _bands[f >> 1].Start1);

    private void RunBand(int b, int channel, Span<float> samples)
    {
        ref BandState band = ref _bands[b];
        int index = (channel * _bands.Length + b) * 2;
        bool mixing = band.MixStep != 0 || band.MixStart != 1.0;
        if (mixing)
        {
            samples.CopyTo(_dry);
        }

        if (band.Gliding)
        {
            _filters[index].Process(samples, band.Start0, band.Step0, _position + 1);
            if (band.Sections == 2)
            {
                _filters[index + 1].Process(samples, band.Start1, band.Step1, _position + 1);
            }
        }
        else
        {
            _filters[index].Process(samples, band.Start0);
            if (band.Sections == 2)
            {
                _filters[index + 1].Process(samples, band.Start1);
            }
        }

        if (mixing)
        {
            Blend(_dry, samples, band.MixStart, band.MixStep, _position + 1);
        }
    }

    /// <summary>wet ← dry + mix·(wet − dry), mix = start + k·step for k = firstStep, firstStep + 1, …</summary>
    private static void Blend(ReadOnlySpan<float> dry, Span<float> wet, double start, double step, int firstStep)
    {
        for (int i = 0; i < wet.Length; i++)
        {
            double mix = start + (firstStep + i) * step;
            wet[i] = (float)(dry[i] + mix * (wet[i] - dry[i]));
        }
    }

    /// <summary>Moves band <paramref name="b"/> one sub-block along: mix fade, type switch, glide.
    /// Leaves Start/Step so sample k (1…SubBlockFrames) of the sub-block uses Start + k·Step.</summary>
    private void AdvanceBand(int b)
    {
        ref BandState band = ref _bands[b];
        EqBand target = _targets[b];

        // The previous sub-block ended on its designed end point; that is this one's start.
        band.Start0 = band.End0;
        band.Start1 = band.End1;
        if (band.Mix.Current == 0.0 && target.Enabled)
        {
            // Fading in from silence: the band's state is stale (it was not run while silent), so
            // switch to the wanted type, clear it and start on the target without gliding.
            band.ActiveType = target.Type;
            ClearBandState(b);
            SnapParameters(ref band, target);
        }

        double mixTarget = target.Enabled && target.Type == band.ActiveType ? 1.0 : 0.0;
        if (band.Mix.Target != mixTarget)
        {
            band.Mix.Start(mixTarget, _fadeSubBlocks);
        }

        band.MixStart = band.Mix.Current;
        double mixEnd = band.Mix.Next();
        band.MixStep = (mixEnd - band.MixStart) / SubBlockFrames;
        band.IsSilent = mixEnd == 0.0 && band.MixStart == 0.0;

        band.LogFrequency.SetTarget(Math.Log2(DesignFrequency(target.FrequencyHz)));
        band.GainDb.SetTarget(target.GainDb);
        band.LogQ.SetTarget(Math.Log2(target.Q));
        if (band.LogFrequency.IsSettled && band.GainDb.IsSettled && band.LogQ.IsSettled)
        {
            band.Gliding = false;
            return;
        }

        band.Sections = BiquadCoefficients.Design(band.ActiveType, _sampleRate,
            double.Exp2(band.LogFrequency.Next()), band.GainDb.Next(), double.Exp2(band.LogQ.Next()),
            out band.End0, out band.End1);
        if (_smoothingSubBlocks <= 0)
        {
            // Instant switching: the new coefficients apply from the sub-block's first sample.
            band.Start0 = band.End0;
            band.Start1 = band.End1;
            band.Gliding = false;
            return;
        }

        band.Gliding = true;
        band.Step0 = StepBetween(band.Start0, band.End0);
        band.Step1 = StepBetween(band.Start1, band.End1);
    }

    private static BiquadCoefficients StepBetween(in BiquadCoefficients from, in BiquadCoefficients to)
    {
        const double k = 1.0 / SubBlockFrames;
        return new BiquadCoefficients((to.B0 - from.B0) * k, (to.B1 - from.B1) * k, (to.B2 - from.B2) * k,
            (to.A1 - from.A1) * k, (to.A2 - from.A2) * k);
    }

    private void SnapParameters(ref BandState band, EqBand target)
    {
        double frequency = DesignFrequency(target.FrequencyHz);
        band.LogFrequency.Snap(Math.Log2(frequency));
        band.GainDb.Snap(target.GainDb);
        band.LogQ.Snap(Math.Log2(target.Q));
        band.Sections = BiquadCoefficients.Design(band.ActiveType, _sampleRate, frequency, target.GainDb, target.Q,
            out band.End0, out band.End1);
        band.Start0 = band.End0;
        band.Start1 = band.End1;
        band.Gliding = false;
    }

    private void ClearBandState(int b)
    {
        for (int c = 0; c < _channels; c++)
        {
            int index = (c * _bands.Length + b) * 2;
            _filters[index].Reset();
            _filters[index + 1].Reset();
        }
    }

    private void FlushStates()
    {
        for (int i = 0; i < _filters.Length; i++)
        {
            _filters[i].FlushDenormals();
        }
    }

    /// <summary>Keeps the design below Nyquist, where the bilinear pre-warp tan(ω0/2) diverges.</summary>
    private double DesignFrequency(double frequency) => EqLimits.DesignFrequency(frequency, _sampleRate);

    private void UpdateTimings()
    {
        if (_sampleRate <= 0)
        {
            return;
        }

        double subBlocksPerMs = _sampleRate / 1000.0 / SubBlockFrames;
        _smoothingSubBlocks = _smoothingMilliseconds * subBlocksPerMs;
        _fadeSubBlocks = Math.Max(1, (int)Math.Round(_fadeMilliseconds * subBlocksPerMs));
        for (int b = 0; b < _bands.Length; b++)
        {
            ref BandState band = ref _bands[b];
            band.LogFrequency.SetTimeConstant(_smoothingSubBlocks);
            band.GainDb.SetTimeConstant(_smoothingSubBlocks);
            band.LogQ.SetTimeConstant(_smoothingSubBlocks);
            band.LogFrequency.SnapDistance = 1e-5; // octaves
            band.GainDb.SnapDistance = 1e-4; // dB
            band.LogQ.SnapDistance = 1e-5;
        }
    }

    /// <summary>Per-band glide and fade state (shared by all channels).</summary>
    private struct BandState
    {
        public OnePoleSmoother LogFrequency;
        public OnePoleSmoother GainDb;
        public OnePoleSmoother LogQ;
        public LinearRamp Mix;
        public FilterType ActiveType;
        public int Sections;
        public bool Gliding;
        public bool IsSilent;
        public double MixStart;
        public double MixStep;
        public BiquadCoefficients Start0;
        public BiquadCoefficients Step0;
        public BiquadCoefficients End0;
        public BiquadCoefficients Start1;
        public BiquadCoefficients Step1;
        public BiquadCoefficients End1;
    }
}
