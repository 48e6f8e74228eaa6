using MixMate.Assistant.Eq;
using MixMate.Assistant.Reference;
using MixMate.Dsp;
using MixMate.Dsp.Filters;
using MixMate.Dsp.Mastering;
using MixMate.Plugin.Abi;
using MixMate.Plugin.Hosting;
using MixMate.Plugin.Session;
using P = MixMate.Plugin.Mastering.MasteringParameters;

namespace MixMate.Plugin.Mastering;

/// <summary>
/// The "MixMate" effect: maps parameters onto <see cref="MasteringSignalPath"/> — whose core is
/// the same <see cref="MasterChain"/> <c>mixmate master</c> renders — learns a gain from the
/// measured loudness, and publishes the meters.
/// </summary>
/// <remarks>
/// <para>Loudness learning (bus and master): while <c>learn</c> is on, the integrated loudness
/// (BS.1770-4) of the signal after input gain and EQ is measured; the auto gain is
/// <c>amount</c> × (goal − measured), limited to ±24 dB, where the goal is the target loudness
/// minus the mode's headroom (master 0 LU, bus 6 LU — a bus feeds a sum and should leave room
/// for it). Switching learn off freezes the measured value; it is saved with the state.</para>
/// <para>The mix session (<see cref="MixSession"/>): every instance created by the host joins
/// the process-wide session. While an instance listens — its own learn is on, or it is a track
/// and a bus or master instance's learn is on — its audio after the input trim goes to the
/// session's analysis thread. At the end of the take the session suggests, and the controller
/// applies through host edits (<see cref="PollEdits"/>): a track gets <c>amount</c> % of its
/// balance move in <c>Balance Gain</c> and its masking cuts in the EQ bands; a bus or the master
/// gets <c>amount</c> % of the tonal-balance moves in the EQ bands. Turning <c>amount</c> later
/// re-scales the applied gains (again as host edits). The chain's gain stage carries the auto
/// gain plus <c>Balance Gain</c>.</para>
/// Threads: as <see cref="PluginInstance"/>.
/// </remarks>
public sealed class MasteringPlugin : PluginInstance
{
    private static readonly double[] s_modeHeadroomLu = [0, 6, 0];

    private readonly MasteringSignalPath _path = new();
    private readonly EqBand[] _bands = new EqBand[P.EqBands];
    private readonly int _meterMomentary;
    private readonly int _meterShortTerm;
    private readonly int _meterIntegrated;
    private readonly int _meterRange;
    private readonly int _meterTruePeak;
    private readonly int _meterReduction;
    private readonly int _meterClips;
    private readonly int _meterOvers;
    private readonly int _meterCorrelation;
    private readonly int _meterPhase;
    private readonly int _meterBalance;
    private readonly int _meterCompare;
    private int _mode = 2;
    private int _target;
    private double _customLufs = -14;
    private double _customCeiling = -1;
    private bool _learn;
    private double _amount = 1.0;
    private double _learnedLufs = double.NaN;
    private int _framesSinceLearnUpdate;
    private int _learnUpdateFrames = 4800;
    private double _balanceGainDb;

    // Mix session: the member (null for an instance outside any session, e.g. offline renders),
    // whether the audio thread is in a take, and — main thread only — the suggestion applied
    // last, the amount it was applied with and the EQ bands the assistant wrote.
    private readonly SessionMember? _member;
    private readonly int _meterSuggested;
    private readonly int _meterRole;
    private readonly int _meterTracks;
    private bool _listening;
    private Suggestion? _applied;
    private double _appliedAmount = double.NaN;
    private int _assistantBands;
    private string? _targetCurveJson;

    /// <summary>[main thread] An instance outside any mix session.</summary>
    public MasteringPlugin()
        : this(null)
    {
    }

    /// <summary>[main thread] An instance joining <paramref name="session"/> (null: none).</summary>
    public MasteringPlugin(MixSession? session)
        : base(P.Shared)
    {
        _member = session?.Join();
        _meterSuggested = Parameters.IndexOf(P.SuggestedGainDb);
        _meterRole = Parameters.IndexOf(P.DetectedRole);
        _meterTracks = Parameters.IndexOf(P.SessionTracks);
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
        _meterClips = Parameters.IndexOf(P.ClippedRuns);
        _meterOvers = Parameters.IndexOf(P.TruePeakOvers);
        _meterCorrelation = Parameters.IndexOf(P.Correlation);
        _meterPhase = Parameters.IndexOf(P.Phase);
        _meterBalance = Parameters.IndexOf(P.StereoBalanceDb);
        _meterCompare = Parameters.IndexOf(P.CompareGainDb);
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

    /// <summary>The session membership, or null.</summary>
    public SessionMember? Member => _member;

    /// <summary>[main thread] The loaded style target, or null.</summary>
    public StyleTarget? TargetCurve { get; private set; }

    /// <summary>[main thread] Loads a style target (the JSON <c>mixmate target build</c> writes): the
    /// assistant's tonal suggestions for this instance then aim at its curve instead of the
    /// full-mix one, and the target is kept in the plug-in's state. Returns null when loaded, else
    /// why not (the previous target stays).</summary>
    public string? LoadTargetCurve(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            StyleTarget target = StyleTarget.Parse(json);
            TargetCurve = target;
            _targetCurveJson = json;
            if (_member is not null)
            {
                _member.TargetCurve = target.Target;
            }

            return null;
        }
        catch (FormatException e)
        {
            return e.Message;
        }
    }

    /// <summary>[main thread] Forgets the style target (back to the full-mix curve).</summary>
    public void ClearTargetCurve()
    {
        TargetCurve = null;
        _targetCurveJson = null;
        if (_member is not null)
        {
            _member.TargetCurve = null;
        }
    }

    /// <inheritdoc />
    protected override byte[] WriteStateBlob() => _targetCurveJson is null ? [] : System.Text.Encoding.UTF8.GetBytes(_targetCurveJson);

    /// <inheritdoc />
    protected override void ReadStateBlob(ReadOnlySpan<byte> blob)
    {
        if (blob.IsEmpty || LoadTargetCurve(System.Text.Encoding.UTF8.GetString(blob)) is not null)
        {
            ClearTargetCurve();
        }
    }

    /// <inheritdoc />
    protected override int ExtraStateCount => ExtraApplied + 4 + (4 * P.EqBands);

    private const int ExtraApplied = 2;

    /// <inheritdoc />
    public override void Release()
    {
        if (_member is not null)
        {
            _member.Session.Leave(_member);
        }

        // The host destroys an instance after its last process call: the meters' memory can go now
        // rather than at some later garbage collection.
        _path.Dispose();
    }

    /// <inheritdoc />
    public override int PollEdits(Span<MmParamPoint> edits)
    {
        if (_member is null)
        {
            return 0;
        }

        int count = 0;
        double amount = ControllerPlain(P.Amount) / 100.0;
        Suggestion? fresh = _member.TakeSuggestionToApply();
        if (fresh is not null)
        {
            _applied = fresh;
            WriteEdits(edits, ref count, fresh, amount, whole: true);
            _appliedAmount = amount;
        }
        else if (_applied is not null && amount != _appliedAmount)
        {
            WriteEdits(edits, ref count, _applied, amount, whole: false);
            _appliedAmount = amount;
        }

        return count;
    }

    /// <inheritdoc />
    protected override void OnSetup(double sampleRate, int channels)
    {
        _path.Configure(sampleRate, channels, SubBlockFrames);
        if (_member is not null)
        {
            // A take running across a new setup continues into the new analysis object.
            _member.Configure(sampleRate, channels);
            _path.Tap = _listening ? _member.Analysis?.Ring : null;
        }

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
                _member?.SetMode(_mode);
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
                _member?.SetLearn(_learn);
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
        if (_member is not null)
        {
            UpdateListening(_member);
        }

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
        Suggestion? suggestion = _member?.Latest;
        PublishMeter(_meterSuggested, suggestion?.GainDb ?? 0);
        PublishMeter(_meterRole, (suggestion?.Role ?? -1) + 1);
        PublishMeter(_meterTracks, _member?.Session.TrackCount ?? 0);
        MixMate.Dsp.Metering.LiveProblemMeter heard = _path.InputProblems;
        PublishMeter(_meterClips, heard.ClippedRuns);
        PublishMeter(_meterOvers, heard.TruePeakOvers);
        PublishMeter(_meterCorrelation, heard.Correlation);
        PublishMeter(_meterPhase, (int)heard.Phase);
        PublishMeter(_meterBalance, heard.BalanceDb);
        PublishMeter(_meterCompare, _path.CompareGainDb);
    }

    /// <inheritdoc />
    protected override void WriteExtraState(Span<double> extras)
    {
        extras[0] = _learnedLufs;
        extras[1] = double.NaN;
        if (_applied is not Suggestion s)
        {
            return;
        }

        // The applied suggestion, so that turning amount after a reload still re-scales it.
        extras[1] = double.IsFinite(_appliedAmount) ? _appliedAmount : 1.0;
        extras[ExtraApplied] = s.GainDb;
        extras[ExtraApplied + 1] = s.Eq.Count;
        extras[ExtraApplied + 2] = _assistantBands;
        extras[ExtraApplied + 3] = s.Role;
        for (int b = 0; b < s.Eq.Count && b < P.EqBands; b++)
        {
            int at = ExtraApplied + 4 + (4 * b);
            extras[at] = EqTypeIndex(s.Eq[b].Type);
            extras[at + 1] = s.Eq[b].FrequencyHz;
            extras[at + 2] = s.Eq[b].GainDb;
            extras[at + 3] = s.Eq[b].Q;
        }
    }

    /// <inheritdoc />
    protected override void ReadExtraState(ReadOnlySpan<double> extras)
    {
        _learnedLufs = double.IsFinite(extras[0]) && extras[0] is > -100 and < 30 ? extras[0] : double.NaN;
        _applied = null;
        _appliedAmount = double.NaN;
        _assistantBands = 0;
        int eqCount = (int)Math.Clamp(double.IsFinite(extras[ExtraApplied + 1]) ? extras[ExtraApplied + 1] : -1, -1, P.EqBands);
        if (!(extras[1] is >= 0 and <= 1) || !double.IsFinite(extras[ExtraApplied]) || eqCount < 0)
        {
            return;
        }

        var moves = new List<EqMove>();
        for (int b = 0; b < eqCount; b++)
        {
            int at = ExtraApplied + 4 + (4 * b);
            int type = (int)Math.Clamp(double.IsFinite(extras[at]) ? extras[at] : 0, 0, P.EqTypes.Length - 1);
            moves.Add(new EqMove(P.EqTypeOf(type), Finite(extras[at + 1], 1000), Finite(extras[at + 2], 0),
                Finite(extras[at + 3], 0.707), "restored from the saved state"));
        }

        _applied = new Suggestion(0, Math.Clamp(extras[ExtraApplied], -24, 24), (int)Finite(extras[ExtraApplied + 3], -1), moves, []);
        _appliedAmount = extras[1];
        _assistantBands = (int)Finite(extras[ExtraApplied + 2], 0) & ((1 << P.EqBands) - 1);
    }

    private static double Finite(double value, double fallback) => double.IsFinite(value) ? value : fallback;

    private static int EqTypeIndex(FilterType type)
    {
        for (int i = 0; i < P.EqTypes.Length; i++)
        {
            if (P.EqTypeOf(i) == type)
            {
                return i;
            }
        }

        return 0;
    }

    // [audio thread] Starts or ends a take when listening changes.
    private void UpdateListening(SessionMember member)
    {
        bool listen = _path.MetersAvailable && (_learn || (_mode == 0 && member.Session.ListeningLeaders > 0));
        if (listen == _listening)
        {
            return;
        }

        _listening = listen;
        if (listen)
        {
            member.BeginTake();
            _path.Tap = member.Analysis?.Ring;
        }
        else
        {
            _path.Tap = null;
            member.EndTake();
        }
    }

    // [main thread] The edits that apply `amount` of `s`: the whole suggestion (gain, EQ shapes,
    // switching off bands the assistant wrote before and no longer needs), or only the gains.
    private void WriteEdits(Span<MmParamPoint> edits, ref int count, Suggestion s, double amount, bool whole)
    {
        if (ControllerPlain(P.Mode) == 0)
        {
            AppendEdit(edits, ref count, P.BalanceGainDb, Math.Round(amount * s.GainDb, 2));
        }

        int bands = Math.Min(s.Eq.Count, P.EqBands);
        for (int b = 0; b < bands; b++)
        {
            EqMove move = s.Eq[b];
            if (whole)
            {
                AppendEdit(edits, ref count, P.EqId(b, P.EqEnable), 1);
                AppendEdit(edits, ref count, P.EqId(b, P.EqType), EqTypeIndex(move.Type));
                AppendEdit(edits, ref count, P.EqId(b, P.EqFrequency), move.FrequencyHz);
                AppendEdit(edits, ref count, P.EqId(b, P.EqQ), move.Q);
            }

            AppendEdit(edits, ref count, P.EqId(b, P.EqGain), Math.Round(amount * move.GainDb, 2));
        }

        if (whole)
        {
            for (int b = bands; b < P.EqBands; b++)
            {
                if ((_assistantBands & (1 << b)) != 0)
                {
                    AppendEdit(edits, ref count, P.EqId(b, P.EqEnable), 0);
                }
            }

            _assistantBands = (1 << bands) - 1;
        }
    }

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
        if (double.IsFinite(_learnedLufs) && _mode != 0)
        {
            double goal = LoudnessTargets.Lufs(_target, _customLufs) - s_modeHeadroomLu[Math.Clamp(_mode, 0, 2)];
            gainDb = Math.Clamp(_amount * (goal - _learnedLufs), -24.0, 24.0);
        }

        _path.Chain.GainDb = gainDb + _balanceGainDb;
    }
}
