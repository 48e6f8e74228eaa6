using System.Numerics;
using System.Runtime.InteropServices;
using MixMate.Dsp;
using MixMate.Dsp.Loudness;

namespace MixMate.Assistant.Problems;

/// <summary>
/// Finds what is wrong with a programme (<c>mixmate check</c>, and the warnings of <c>master</c>
/// and <c>mix</c>): one streaming pass over planar blocks feeds the loudness meter (loudness, true
/// and sample peaks every 100 ms), the clipping, click, low-band (hum, rumble, low-end phase) and
/// spectral (resonance, sibilance) detectors and a per-100 ms summary; <see cref="Finish"/> then
/// runs the checks that need the whole programme. Memory does not hold the audio: fixed buffers
/// plus a few numbers per 100 ms.
/// </summary>
/// <remarks>[any thread, one caller at a time] Not for the audio thread: detectors allocate as the
/// programme grows.</remarks>
public sealed class ProblemChecker : IDisposable
{
    /// <summary>Below this |x| (−60 dBFS) a sample counts as silence for the start/end checks.</summary>
    public const float SilenceLevel = 0.001f;

    private readonly LoudnessMeter _meter = new();
    private readonly ClippingDetector _clipping;
    private readonly ClickDetector _clicks;
    private readonly bool _clicksWanted;
    private int _clicksFill;
    private int _spectraFill;
    private readonly LowBandAnalyzer _lowBand;
    private readonly SpectralAnalyzer? _spectral;
    private readonly IReadOnlyCollection<ProblemKind>? _kinds;
    private readonly SegmentSeries _series;
    private readonly int _channels;
    private readonly double[] _sum;
    private readonly double[] _sumSquares;
    private double _cross;
    private int _segmentFill;
    private int _blockFill;
    private float _blockPeak;
    private double _blockSquares;
    private bool _finished;

    /// <summary>Largest block <see cref="Process"/> takes at once; longer blocks are split.</summary>
    public const int MaxBlockFrames = 8192;

    /// <summary>[any thread] Prepares a check of a programme stored as <paramref name="format"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Sample rate below 8 kHz or no channels.</exception>
    public ProblemChecker(CheckProfile profile, AudioFormat format)
        : this(profile, format, null)
    {
    }

    /// <summary>[any thread] Prepares a check that looks only for <paramref name="kinds"/> (null:
    /// every kind): a stage of <c>mix</c> or <c>master</c> that does not judge, say, resonances
    /// does not pay for the spectra that find them. Without overs, crest and loudness among the
    /// kinds the true peak is not measured, and the report's <see cref="CheckReport.TruePeakDbtp"/>
    /// reads −∞.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Sample rate below 8 kHz or no channels.</exception>
    public ProblemChecker(CheckProfile profile, AudioFormat format, IReadOnlyCollection<ProblemKind>? kinds)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(format);
        ArgumentOutOfRangeException.ThrowIfLessThan(format.Channels, 1);
        Profile = profile;
        Format = format;
        _channels = format.Channels;
        _kinds = kinds;

        // The true peak serves the overs, the crest and the loudness delivery checks only.
        _meter.MeasuresTruePeak = Wants(ProblemKind.TruePeakOver) || Wants(ProblemKind.OverCompressed) || Wants(ProblemKind.Loudness);
        _meter.Configure(format.SampleRate, format.Channels, MaxBlockFrames);
        int segment = (int)Math.Round(format.SampleRate / 10.0, MidpointRounding.AwayFromZero);
        _series = new SegmentSeries(format.SampleRate, format.Channels, segment);
        _clipping = new ClippingDetector(format.Channels, format.IsFloat ? 0 : format.BitDepth);
        _clicks = new ClickDetector(format.SampleRate, format.Channels, MaxBlockFrames);
        _clicksWanted = Wants(ProblemKind.Clicks);
        _lowBand = new LowBandAnalyzer(format.SampleRate, format.Channels);
        _spectral = Wants(ProblemKind.Resonance) || Wants(ProblemKind.Sibilance) ? new SpectralAnalyzer(format.SampleRate, format.Channels) : null;
        _sum = new double[format.Channels];
        _sumSquares = new double[format.Channels];
    }

    public CheckProfile Profile { get; }

    /// <summary>[any thread, before the first block] When true, <see cref="Process"/> leaves the
    /// click search and the spectra (resonance, sibilance) out and the caller feeds the same blocks,
    /// in order, to <see cref="ProcessClicks"/> and <see cref="ProcessSpectra"/> — each on any
    /// thread, never two calls of one at once — so a pass on two cores can split the check (those
    /// two are over half its work). The findings are the same.</summary>
    public bool SharesFedApart { get; set; }

    public AudioFormat Format { get; }

    /// <summary>[any thread, one caller] Feeds the next block (any length).</summary>
    public void Process(AudioBlock block)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        if (block.Channels < _channels)
        {
            throw new ArgumentException($"Need {_channels} channels.", nameof(block));
        }

        int pos = 0;
        while (pos < block.Frames)
        {
            int n = Math.Min(Math.Min(block.Frames - pos, MaxBlockFrames), _series.SegmentFrames - _segmentFill);
            AudioBlock slice = block.Slice(pos, n);
            _meter.Process(slice);
            _clipping.Process(slice);
            if (!SharesFedApart)
            {
                if (_clicksWanted)
                {
                    _clicks.Process(slice);
                }

                _spectral?.Process(slice);
            }

            _lowBand.Process(slice);
            Accumulate(slice);
            pos += n;
            _segmentFill += n;
            if (_segmentFill == _series.SegmentFrames)
            {
                EndSegment();
            }
        }
    }

    /// <summary>[any thread, one caller] The click search on the next block, when
    /// <see cref="SharesFedApart"/> (the same blocks <see cref="Process"/> gets).</summary>
    public void ProcessClicks(AudioBlock block)
    {
        CheckApart();
        if (_clicksWanted)
        {
            FeedAsProcessDoes(block, ref _clicksFill, _clicks.Process);
        }
    }

    /// <summary>[any thread, one caller] The spectra on the next block, when
    /// <see cref="SharesFedApart"/> (the same blocks <see cref="Process"/> gets).</summary>
    public void ProcessSpectra(AudioBlock block)
    {
        CheckApart();
        if (_spectral is not null)
        {
            FeedAsProcessDoes(block, ref _spectraFill, _spectral.Process);
        }
    }

    /// <summary>[any thread, one caller] Ends the programme and returns every problem found, in
    /// time order (whole-file problems first). Call once.</summary>
    public CheckReport Finish()
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        _meter.Flush();
        if (_segmentFill > 0)
        {
            EndSegment();
        }

        if (_blockFill > 0)
        {
            EndBlock();
        }

        _finished = true;
        SegmentSeries s = _series;
        s.IntegratedLufs = _meter.IntegratedLufs;
        s.LoudnessRangeLu = _meter.LoudnessRangeLu;
        s.MaxShortTermLufs = _meter.MaxShortTermLufs;
        s.ChannelPeaks = new double[_channels];
        double samplePeak = 0, truePeak = 0;
        for (int c = 0; c < _channels; c++)
        {
            s.ChannelPeaks[c] = s.Peak[c].Count == 0 ? 0 : s.Peak[c].Max();
            samplePeak = Math.Max(samplePeak, s.ChannelPeaks[c]);
            truePeak = Math.Max(truePeak, s.TruePeak[c].Count == 0 ? 0 : s.TruePeak[c].Max());
        }

        s.SamplePeakDbfs = Decibels.FromGain(samplePeak);
        s.TruePeakDbtp = Decibels.FromGain(truePeak);

        var problems = new List<Problem>();
        problems.AddRange(DeliveryChecks.Format(Format, Profile));
        if (s.Frames > 0)
        {
            problems.AddRange(_clipping.Finish(s.ChannelPeaks, s.SampleRate));
            problems.AddRange(LevelChecks.TruePeakOvers(s, Profile));
            problems.AddRange(LevelChecks.DcOffset(s));
            problems.AddRange(StereoChecks.All(s, _lowBand.LowBand, _lowBand.Decimation));
            List<Problem> hum = [.. _lowBand.FindHum(s.Duration)];
            problems.AddRange(hum);
            problems.AddRange(_clicks.Finish(s.SegmentSeconds, _clipping.Regions));
            problems.AddRange(LevelChecks.Noise(s));
            var humHz = new List<double>();
            foreach (double baseHz in _lowBand.HumBasesFound)
            {
                for (int k = 1; k * baseHz < 1000; k++)
                {
                    humHz.Add(k * baseHz);
                }
            }

            if (_spectral is not null)
            {
                problems.AddRange(_spectral.FindResonances(humHz));
                if (_spectral.FindSibilance() is Problem sibilance)
                {
                    problems.Add(sibilance);
                }
            }

            double meanSquare = 0;
            for (int c = 0; c < Math.Min(2, _channels); c++)
            {
                meanSquare += s.MeanSquare(c) / Math.Min(2, _channels);
            }

            if (_lowBand.FindRumble(meanSquare) is Problem rumble)
            {
                problems.Add(rumble);
            }

            problems.AddRange(LevelChecks.Silence(s));
            problems.AddRange(DeliveryChecks.Loudness(s, Profile));
        }

        List<Problem> ordered = [.. problems.Where(p => Wants(p.Kind)).OrderBy(p => p.Start ?? -1).ThenByDescending(p => p.Severity)];
        return new CheckReport(ordered, s.Duration, s.IntegratedLufs, s.TruePeakDbtp, s.SamplePeakDbfs, s.LoudnessRangeLu);
    }

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();

    private delegate void SliceAction(AudioBlock slice);

    // The slices Process cuts (at most MaxBlockFrames, ending at every segment boundary), so a
    // share fed apart sums over the same pieces, to the last digit.
    private void FeedAsProcessDoes(AudioBlock block, ref int fill, SliceAction action)
    {
        int pos = 0;
        while (pos < block.Frames)
        {
            int n = Math.Min(Math.Min(block.Frames - pos, MaxBlockFrames), _series.SegmentFrames - fill);
            action(block.Slice(pos, n));
            pos += n;
            fill += n;
            if (fill == _series.SegmentFrames)
            {
                fill = 0;
            }
        }
    }

    private void CheckApart()
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        if (!SharesFedApart)
        {
            throw new InvalidOperationException("ProcessClicks and ProcessSpectra need SharesFedApart.");
        }
    }

    private bool Wants(ProblemKind kind) => _kinds is null || _kinds.Contains(kind);

    private void Accumulate(AudioBlock slice)
    {
        int n = slice.Frames;
        for (int c = 0; c < _channels; c++)
        {
            (double sum, double squares) = SumAndSquares(slice[c]);
            _sum[c] += sum;
            _sumSquares[c] += squares;
        }

        if (_channels >= 2)
        {
            _cross += Dot(slice[0], slice[1]);
        }

        // 10 ms blocks and the audible span, sample by sample.
        int pos = 0;
        while (pos < n)
        {
            int take = Math.Min(n - pos, _series.BlockFrames - _blockFill);
            for (int c = 0; c < _channels; c++)
            {
                ReadOnlySpan<float> x = slice[c].Slice(pos, take);
                for (int i = 0; i < x.Length; i++)
                {
                    float a = MathF.Abs(x[i]);
                    _blockSquares += x[i] * x[i];
                    if (a > _blockPeak)
                    {
                        _blockPeak = a;
                    }

                    if (a > SilenceLevel)
                    {
                        long frame = _series.Frames + pos + i;
                        if (_series.FirstAudible < 0 || frame < _series.FirstAudible)
                        {
                            _series.FirstAudible = frame;
                        }

                        if (frame > _series.LastAudible)
                        {
                            _series.LastAudible = frame;
                        }
                    }
                }
            }

            _blockFill += take;
            pos += take;
            if (_blockFill == _series.BlockFrames)
            {
                EndBlock();
            }
        }

        _series.Frames += n;
    }

    private void EndBlock()
    {
        _series.BlockPeak.Add(_blockPeak);
        _series.BlockMeanSquare.Add((float)(_blockSquares / Math.Max(1, _blockFill * _channels)));
        _blockPeak = 0;
        _blockSquares = 0;
        _blockFill = 0;
    }

    private void EndSegment()
    {
        SegmentSeries s = _series;
        s.Frames2.Add(_segmentFill);
        for (int c = 0; c < _channels; c++)
        {
            s.Sum[c].Add(_sum[c]);
            s.SumSquares[c].Add(_sumSquares[c]);
            s.Peak[c].Add((float)_meter.ChannelSamplePeak(c));
            s.TruePeak[c].Add((float)_meter.ChannelTruePeak(c));
            _sum[c] = _sumSquares[c] = 0;
        }

        s.Cross.Add(_cross);
        _cross = 0;
        s.Momentary.Add(_meter.MomentaryLufs);
        _meter.ResetPeaks();
        _lowBand.EndSegment();
        _segmentFill = 0;
    }

    private static (double Sum, double Squares) SumAndSquares(ReadOnlySpan<float> x)
    {
        int w = Vector<float>.Count;
        var vs = Vector<float>.Zero;
        var vq = Vector<float>.Zero;
        ref float r = ref MemoryMarshal.GetReference(x);
        int i = 0;
        for (; i + w <= x.Length; i += w)
        {
            var v = Vector.LoadUnsafe(ref r, (nuint)i);
            vs += v;
            vq += v * v;
        }

        double sum = Vector.Sum(vs), squares = Vector.Sum(vq);
        for (; i < x.Length; i++)
        {
            sum += x[i];
            squares += x[i] * x[i];
        }

        return (sum, squares);
    }

    private static double Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        int w = Vector<float>.Count;
        var acc = Vector<float>.Zero;
        ref float ra = ref MemoryMarshal.GetReference(a);
        ref float rb = ref MemoryMarshal.GetReference(b);
        int i = 0;
        for (; i + w <= a.Length; i += w)
        {
            acc += Vector.LoadUnsafe(ref ra, (nuint)i) * Vector.LoadUnsafe(ref rb, (nuint)i);
        }

        double dot = Vector.Sum(acc);
        for (; i < a.Length; i++)
        {
            dot += a[i] * b[i];
        }

        return dot;
    }
}
