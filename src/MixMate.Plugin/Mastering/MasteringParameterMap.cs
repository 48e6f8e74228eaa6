using MixMate.Dsp.Filters;
using MixMate.Plugin.Session;
using P = MixMate.Plugin.Mastering.MasteringParameters;

namespace MixMate.Plugin.Mastering;

/// <summary>
/// Maps the effect's parameters (<see cref="MasteringParameters"/>) onto the signal path, the
/// loudness learner and the session membership: one place decides what each ID does.
/// </summary>
/// <remarks>
/// The chain's gain stage carries the auto gain plus <c>Balance Gain</c>; it ramps to a new value
/// (20 ms), and after a snap the Reset that follows (PluginInstance.Reset → OnReset) makes it jump.
/// State: the EQ bands as set, the delivery target and its custom values, the balance gain.
/// Threads: <see cref="Apply"/> and <see cref="UpdateGain"/> [audio thread, or main thread while
/// inactive]. Allocation-free.
/// </remarks>
public sealed class MasteringParameterMap
{
    private readonly MasteringSignalPath _path;
    private readonly LoudnessLearner _learner;
    private readonly SessionMember? _member;
    private readonly EqBand[] _bands = new EqBand[P.EqBands];
    private int _target;
    private double _customLufs = -14;
    private double _customCeiling = -1;
    private double _balanceGainDb;

    public MasteringParameterMap(MasteringSignalPath path, LoudnessLearner learner, SessionMember? member)
    {
        _path = path;
        _learner = learner;
        _member = member;
        _bands.AsSpan().Fill(EqBand.Off);
    }

    /// <summary>[audio thread, or main thread while inactive] The mode as the processor last took it.</summary>
    public MasteringMode Mode => _learner.Mode;

    /// <summary>Parameter <paramref name="id"/> took <paramref name="plain"/>; <paramref name="snap"/>
    /// asks to jump instead of ramping.</summary>
    public void Apply(uint id, double plain, bool snap)
    {
        switch (id)
        {
            case P.Bypass:
                _path.SetBypass(plain >= 0.5, snap);
                return;
            case P.Mode:
                _learner.Mode = MasteringModes.FromIndex((int)plain);
                _member?.SetMode(_learner.Mode);
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
                _learner.IsLearning = plain >= 0.5;
                _path.SetLearning(_learner.IsLearning);
                _member?.SetLearn(_learner.IsLearning);
                break;
            case P.BalanceGainDb:
                _balanceGainDb = plain;
                break;
            case P.Role:
                _member?.SetUserRole((int)plain - 1);
                return;
            case P.Compare:
                _path.SetCompare(plain >= 0.5, snap);
                return;
            case P.Amount:
                _learner.Amount = plain / 100.0;
                break;
            default:
                if (id >= P.EqBase && id < P.EqBase + (10 * P.EqBands))
                {
                    SetEqField((int)(id - P.EqBase) / 10, (id - P.EqBase) % 10, plain);
                }

                return;
        }

        _path.Chain.Limiter.CeilingDbtp = LoudnessTargets.CeilingDbtp(_target, _customCeiling);
        _learner.TargetLufs = LoudnessTargets.Lufs(_target, _customLufs);
        UpdateGain();
    }

    /// <summary>Sets the chain's gain: the learned auto gain plus the balance gain.</summary>
    public void UpdateGain() => _path.Chain.GainDb = _learner.AutoGainDb + _balanceGainDb;

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
}
