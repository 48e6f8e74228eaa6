using MixMate.Assistant.Reference;
using MixMate.Dsp;
using MixMate.Dsp.Mastering;
using MixMate.Plugin.Abi;
using MixMate.Plugin.Hosting;
using MixMate.Plugin.Session;
using MixMate.Plugin.State;
using P = MixMate.Plugin.Mastering.MasteringParameters;

namespace MixMate.Plugin.Mastering;

/// <summary>
/// The "MixMate" effect: <see cref="MasteringSignalPath"/> — whose core is the same
/// <see cref="MasterChain"/> <c>mixmate master</c> renders — driven by its parameters
/// (<see cref="MasteringParameterMap"/>), learning a gain from the measured loudness
/// (<see cref="LoudnessLearner"/>), applying the mix session's suggestions
/// (<see cref="SuggestionApplier"/>), keeping a typed state (<see cref="MasteringState"/>) and
/// publishing the meters.
/// </summary>
/// <remarks>
/// <para>The mix session (<see cref="MixSession"/>): every instance created by the host joins
/// the process-wide session. While an instance listens — its own learn is on, or it is a track
/// and a bus or master instance's learn is on — its audio after the input trim goes to the
/// session's analysis thread. At the end of the take the session suggests, and the controller
/// applies through host edits (<see cref="PollEdits"/>).</para>
/// Threads: as <see cref="PluginInstance"/>.
/// </remarks>
public sealed class MasteringPlugin : PluginInstance
{
    private readonly MasteringSignalPath _path = new();
    private readonly LoudnessLearner _learner = new();
    private readonly MasteringParameterMap _map;
    private readonly SuggestionApplier _applier = new();
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
    private readonly int _meterSuggested;
    private readonly int _meterRole;
    private readonly int _meterTracks;

    // Mix session: the member (null for an instance outside any session, e.g. offline renders)
    // and whether the audio thread is in a take.
    private readonly SessionMember? _member;
    private bool _listening;
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
        _map = new MasteringParameterMap(_path, _learner, _member);
        _meterSuggested = Parameters.IndexOf(P.SuggestedGainDb);
        _meterRole = Parameters.IndexOf(P.DetectedRole);
        _meterTracks = Parameters.IndexOf(P.SessionTracks);
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
    public double LearnedLufs => _learner.LearnedLufs;

    /// <summary>[audio thread, or main thread while inactive] The auto gain the learned loudness
    /// asks for, dB: what <see cref="MasterChain.GainDb"/> is set to.</summary>
    public double AutoGainDb => _path.Chain.GainDb;

    /// <summary>The session membership, or null.</summary>
    public SessionMember? Member => _member;

    /// <summary>[main thread] The loaded style target, or null.</summary>
    public StyleTarget? TargetCurve { get; private set; }

    /// <summary>[main thread] The plug-in's own state beside its parameters, typed (what
    /// <see cref="PluginInstance.SaveState"/> keeps).</summary>
    public MasteringState State => new(_learner.LearnedLufs, _applier.Applied, _targetCurveJson);

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

        double amount = ControllerPlain(P.Amount) / 100.0;
        MasteringMode mode = MasteringModes.FromIndex((int)ControllerPlain(P.Mode));
        int count = _applier.Poll(_member, edits, amount, mode);
        CommitEdits(edits[..count]);
        return count;
    }

    /// <inheritdoc />
    protected override void WriteStateFields(StateFields fields) => State.WriteTo(fields);

    /// <inheritdoc />
    protected override void ReadStoredState(StoredState stored)
    {
        MasteringState state = stored.IsLegacy ? LegacyMasteringState.Read(stored) : MasteringState.ReadFrom(stored.Fields);
        _learner.Restore(state.LearnedLufs);
        _applier.Restore(state.Applied);
        if (state.TargetCurveJson is null || LoadTargetCurve(state.TargetCurveJson) is not null)
        {
            ClearTargetCurve();
        }
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

        _learner.Configure(sampleRate, SubBlockFrames);
    }

    /// <inheritdoc />
    protected override void OnReset()
    {
        _path.Reset();
        _learner.Reset();
    }

    /// <inheritdoc />
    protected override void OnParameter(int index, double plain, bool snap) => _map.Apply(Parameters[index].Id, plain, snap);

    /// <inheritdoc />
    protected override void RenderSubBlock(AudioBlock block)
    {
        if (_member is not null)
        {
            UpdateListening(_member);
        }

        _path.Process(block);
        if (_learner.Advance(block.Frames, _path))
        {
            _map.UpdateGain();
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

    // [audio thread] Starts or ends a take when listening changes.
    private void UpdateListening(SessionMember member)
    {
        bool listen = _path.MetersAvailable && (_learner.IsLearning || (_map.Mode == MasteringMode.Track && member.Session.ListeningLeaders > 0));
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
}
