using MixMate.Dsp;
using MixMate.Dsp.Filters;
using MixMate.Dsp.Mastering;
using MixMate.Plugin.Abi;
using MixMate.Plugin.Hosting;
using P = MixMate.Plugin.Mastering.MasteringParameters;

namespace MixMate.Plugin.Mastering;

/// <summary>
/// The "MixMate" effect: maps parameters onto <see cref="MasteringSignalPath"/> — whose core is
/// the same <see cref="MasterChain"/> <c>mixmate master</c> renders — learns a gain from the
/// measured loudness, and publishes the meters.
/// </summary>
/// <remarks>
/// Learning: while <c>learn</c> is on, the integrated loudness (BS.1770-4) of the signal after
/// input gain and EQ is measured; the auto gain (<see cref="MasterChain.GainDb"/>) is <c>amount</c> × (goal − measured), limited to
/// ±24 dB, where the goal is the target loudness minus the mode's headroom (master 0 LU, bus
/// 6 LU, track 10 LU — a track or bus feeds a sum and should leave room for it). Switching learn
/// off freezes the measured value; it is saved with the state.
/// Threads: as <see cref="PluginInstance"/>.
/// </remarks>
public sealed class MasteringPlugin : PluginInstance
{
    private static readonly double[] s_modeHeadroomLu = [10, 6, 0];

    private readonly MasteringSignalPath _path = new();
    private readonly EqBand[] _bands = new EqBand[P.EqBands];
    private readonly int _meterMomentary;
    private readonly int _meterShortTerm;
    private readonly int _meterIntegrated;
    private readonly int _meterRange;
    private readonly int _meterTruePeak;
    private readonly int _meterReduction;
    private int _mode = 2;
    private int _target;
    private double _customLufs = -14;
    private double _customCeiling = -1;
    private bool _learn;
    private double _amount = 1.0;
    private double _learnedLufs = double.NaN;
    private int _framesSinceLearnUpdate;
    private int _learnUpdateFrames = 4800;

    public MasteringPlugin()
        : base(P.Create())
    {
        for (int b = 0; b < _bands.Length; b++)
        {
            _bands[b] = EqBand.Off;
        }

        _meterMomentary = Parameters.IndexOf(P.MomentaryLufs);
        _meterShortTerm = Parameters.IndexOf(P.ShortTermLufs);
        _meterIntegrated = Parameters.IndexOf(P.IntegratedLufs);
        _meterRange = Parameters.IndexOf(P.LoudnessRange);
        _meterTruePeak = Parameters.IndexOf(P.TruePeakDbtp);
        _meterReduction = Parameters.IndexOf(P.GainReductionDb);
    }

    /// <inheritdoc />
    public override PluginKind Kind => PluginKind.Mastering;

    /// <inheritdoc />
    public override int LatencySamples => _path.LatencySamples;

    /// <inheritdoc />
    public override int TailSamples => _path.LatencySamples;

    /// <summary>The frozen or running learned loudness (LUFS), NaN before any learning.</summary>
    public double LearnedLufs => _learnedLufs;

    /// <summary>[audio thread, or main thread while inactive] The auto gain the learned loudness
    /// asks for, dB: what <see cref="MasterChain.GainDb"/> is set to.</summary>
    public double AutoGainDb => _path.Chain.GainDb;

    /// <inheritdoc />
    protected override int ExtraStateCount => 1;

    /// <inheritdoc />
    protected override void OnSetup(double sampleRate, int channels)
    {
        _path.Configure(sampleRate, channels, SubBlockFrames);

        // The integrated value is re-read ten times a second (it only changes per 100 ms block).
        _learnUpdateFrames = Math.Max(SubBlockFrames, (int)(sampleRate / 10));
    }

    /// <inheritdoc />
    protected override void OnReset()
    {
        _path.Reset();
        _framesSinceLearnUpdate = 0;
    }

    /// <inheritdoc />
    protected override void OnParameter(int index, double plain, bool snap)
    {
        uint id = Parameters[index].Id;
        switch (id)
        {
            case P.Bypass:
                _path.SetBypass(plain >= 0.5, snap);
                return;
            case P.Mode:
                _mode = (int)plain;
                break;
            case P.Target:
                _target = (int)plain;
                break;
            case P.TargetLufs:
                _customLufs = plain;
                break;
            case P.CeilingDbtp:
                _customCeiling = plain;
                break;
            case P.InputGainDb:
                _path.SetInputGainDb(plain, snap);
                return;
            case P.Limiter:
                // The chain crossfades on its next block, or jumps at the Reset that follows a snap.
                _path.Chain.LimiterEnabled = plain >= 0.5;
                return;
            case P.Learn:
                _learn = plain >= 0.5;
                _path.SetLearning(_learn);
                break;
            case P.Amount:
                _amount = plain / 100.0;
                break;
            default:
                if (id >= P.EqBase && id < P.EqBase + 10 * P.EqBands)
                {
                    SetEqField((int)(id - P.EqBase) / 10, (id - P.EqBase) % 10, plain);
                }

                return;
        }

        _path.Chain.Limiter.CeilingDbtp = LoudnessTargets.CeilingDbtp(_target, _customCeiling);
        UpdateAutoGain();
    }

    /// <inheritdoc />
    protected override void RenderSubBlock(AudioBlock block)
    {
        _path.Process(block);
        _framesSinceLearnUpdate += block.Frames;
        if (_learn && _framesSinceLearnUpdate >= _learnUpdateFrames)
        {
            _framesSinceLearnUpdate = 0;
            double measured = _path.LearnIntegratedLufs;
            if (double.IsFinite(measured) && measured != _learnedLufs)
            {
                _learnedLufs = measured;
                UpdateAutoGain();
            }
        }
    }

    /// <inheritdoc />
    protected override void PublishMeters()
    {
        PublishMeter(_meterMomentary, _path.MomentaryLufs);
        PublishMeter(_meterShortTerm, _path.ShortTermLufs);
        PublishMeter(_meterIntegrated, _path.IntegratedLufs);
        PublishMeter(_meterRange, _path.LoudnessRangeLu);
        PublishMeter(_meterTruePeak, _path.TruePeakDbtp);
        PublishMeter(_meterReduction, _path.GainReductionDb);
    }

    /// <inheritdoc />
    protected override void WriteExtraState(Span<double> extras) => extras[0] = _learnedLufs;

    /// <inheritdoc />
    protected override void ReadExtraState(ReadOnlySpan<double> extras) =>
        _learnedLufs = double.IsFinite(extras[0]) && extras[0] is > -100 and < 30 ? extras[0] : double.NaN;

    private void SetEqField(int band, uint field, double plain)
    {
        EqBand b = _bands[band];
        b = field switch
        {
            P.EqEnable => b with { Enabled = plain >= 0.5 },
            P.EqFrequency => b with { FrequencyHz = plain },
            P.EqGain => b with { GainDb = plain },
            P.EqQ => b with { Q = plain },
            P.EqType => b with { Type = P.EqTypeOf((int)plain) },
            _ => b,
        };
        _bands[band] = b;
        _path.Chain.Eq.SetBand(band, b);
    }

    // The chain's gain stage ramps to a new value (20 ms); after a snap, the Reset that follows
    // (PluginInstance.Reset → OnReset) makes it jump.
    private void UpdateAutoGain()
    {
        double gainDb = 0;
        if (double.IsFinite(_learnedLufs))
        {
            double goal = LoudnessTargets.Lufs(_target, _customLufs) - s_modeHeadroomLu[Math.Clamp(_mode, 0, 2)];
            gainDb = Math.Clamp(_amount * (goal - _learnedLufs), -24.0, 24.0);
        }

        _path.Chain.GainDb = gainDb;
    }
}
