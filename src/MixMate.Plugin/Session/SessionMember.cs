using MixMate.Plugin.Mastering;

namespace MixMate.Plugin.Session;

/// <summary>
/// One plug-in instance's place in a <see cref="MixSession"/>: the flags its audio thread
/// publishes, the analysis object of its current setup, and the suggestions the session publishes
/// back. Every field crossing threads is a single aligned word or reference written with a
/// volatile store — no lock anywhere on the audio thread.
/// </summary>
/// <remarks>
/// Takes: the audio thread counts each start and each end of listening
/// (<see cref="BeginTake"/>/<see cref="EndTake"/>); the analysis thread compares the counters with
/// what it saw last, resets the measurement at a start and computes a final suggestion at an end.
/// Counters instead of a flag, so a take that starts and stops between two analysis passes is not
/// lost.
/// </remarks>
public sealed class SessionMember
{
    private TrackAnalysis? _analysis;
    private int _mode = (int)MasteringMode.Master;
    private int _learn;
    private int _userRole = -1;
    private long _takeStarts;
    private long _takeEnds;
    private Suggestion? _latest;
    private Suggestion? _toApply;
    private Assistant.Reference.MatchTarget? _targetCurve;

    internal SessionMember(MixSession session, int number)
    {
        Session = session;
        Number = number;
        Name = "track " + number.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public MixSession Session { get; }

    /// <summary>Order of joining, from 1 (reasons name the track by it).</summary>
    public int Number { get; }

    public string Name { get; }

    /// <summary>[any thread] The analysis object of the current setup, or null before setup.</summary>
    public TrackAnalysis? Analysis => Volatile.Read(ref _analysis);

    /// <summary>[any thread] The style target the member's plug-in loaded (its tonal suggestions aim at
    /// its curve instead of the full-mix one), or null.</summary>
    public Assistant.Reference.MatchTarget? TargetCurve
    {
        get => Volatile.Read(ref _targetCurve);
        set => Volatile.Write(ref _targetCurve, value);
    }

    /// <summary>[any thread] The plug-in's mode parameter.</summary>
    public MasteringMode Mode => (MasteringMode)Volatile.Read(ref _mode);

    /// <summary>[any thread] Whether the instance's own learn switch is on.</summary>
    public bool Learn => Volatile.Read(ref _learn) != 0;

    /// <summary>[any thread] The role the user set (index into
    /// <see cref="MixMate.Assistant.Roles.TrackRoles.All"/>), −1 for auto (as detected).</summary>
    public int UserRole => Volatile.Read(ref _userRole);

    /// <summary>[any thread] True between a take's start and its end.</summary>
    public bool Listening => TakeStarts != TakeEnds;

    public long TakeStarts => Volatile.Read(ref _takeStarts);

    public long TakeEnds => Volatile.Read(ref _takeEnds);

    /// <summary>[any thread] The latest suggestion (updated while listening and when tracks come
    /// and go), or null.</summary>
    public Suggestion? Latest => Volatile.Read(ref _latest);

    /// <summary>[main thread, inactive] Replaces the analysis object for a new setup.</summary>
    public void Configure(double sampleRate, int channels) =>
        Volatile.Write(ref _analysis, sampleRate >= 8000 ? new TrackAnalysis(sampleRate, channels) : null);

    /// <summary>[audio thread, or main thread while inactive] Publishes the mode.</summary>
    public void SetMode(MasteringMode mode) => Volatile.Write(ref _mode, (int)mode);

    /// <summary>[audio thread, or main thread while inactive] Publishes the learn switch.</summary>
    public void SetLearn(bool on) => Volatile.Write(ref _learn, on ? 1 : 0);

    /// <summary>[audio thread, or main thread while inactive] Publishes the user's role (−1 auto;
    /// out of range is auto). One word written; the analysis thread reads it on its next pass.</summary>
    public void SetUserRole(int role) =>
        Volatile.Write(ref _userRole, role >= 0 && role < MixMate.Assistant.Roles.TrackRoles.All.Count ? role : -1);

    /// <summary>[audio thread] Listening starts (the analysis thread resets the measurement).</summary>
    public void BeginTake() => Volatile.Write(ref _takeStarts, _takeStarts + 1);

    /// <summary>[audio thread] Listening ends, after the take's last audio was written.</summary>
    public void EndTake() => Volatile.Write(ref _takeEnds, _takeEnds + 1);

    /// <summary>[main thread] Takes the suggestion a finished take left to apply, if any.</summary>
    public Suggestion? TakeSuggestionToApply() => Interlocked.Exchange(ref _toApply, null);

    internal void Publish(Suggestion suggestion, bool apply)
    {
        Volatile.Write(ref _latest, suggestion);
        if (apply)
        {
            Volatile.Write(ref _toApply, suggestion);
        }
    }

    // Analysis-thread bookkeeping (only MixSession's pass touches these).
    internal TrackAnalysis? SeenAnalysis { get; set; }

    internal long SeenStarts { get; set; }

    internal long SeenEnds { get; set; }

    internal int SeenUserRole { get; set; } = -1;

    internal bool ApplyPending { get; set; }
}
