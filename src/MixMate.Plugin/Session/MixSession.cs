using System.Diagnostics;
using MixMate.Assistant.Balance;
using MixMate.Assistant.Hosting;
using MixMate.Assistant.Mixing;
using MixMate.Assistant.Models;
using MixMate.Assistant.Roles;
using MixMate.Assistant.Tonal;

namespace MixMate.Plugin.Session;

/// <summary>
/// Every MixMate instance in one host process, listening together: the in-DAW counterpart of
/// <c>mixmate mix</c>. Track instances are balanced against each other with the same engines
/// (<see cref="MixPlanner"/>); bus and master instances get the
/// tonal balance of what they hear, and their learn switch makes every track listen with them.
/// </summary>
/// <remarks>
/// <para>Threads. Members join and leave on the main thread (a copy-on-write array behind a lock
/// the audio thread never takes). Each member's audio thread writes what it hears into its own
/// <see cref="AnalysisRing"/> and publishes flags with volatile stores. One analysis thread per
/// session (a background thread started with the first member, parked while there is none) drains the rings every
/// <see cref="PassMilliseconds"/> ms, accumulates loudness and spectra without allocating, and
/// computes suggestions — which allocates — only when something happened: a take ended, a member
/// joined or left, a member's <c>Role</c> parameter changed, or every <see cref="RefreshSeconds"/> s (5) while someone listens. With nobody
/// listening, nothing on any thread allocates.</para>
/// <para>When suggestions become moves: only at the end of a take (learn switched off, on the
/// track or on the bus/master that made it listen). The plug-in then applies <c>amount</c> % of
/// its suggestion through the host's begin/perform/end edit calls, so the DAW's undo and
/// automation see it. Suggestions recomputed because tracks came or went only update the
/// read-only "Suggested Gain" and "Detected Role" parameters: a balance the user accepted is
/// never moved behind their back.</para>
/// <para>Roles: a track's <c>Role</c> parameter, when not auto, replaces the role the model hears
/// (<see cref="TrackSummary.WithUserRole"/>) before the balance and masking engines run — the same
/// override <c>mixmate mix --role</c> applies — and so shows in "Detected Role". The audio thread
/// only publishes the choice (<see cref="SessionMember.SetUserRole"/>); the analysis thread reads it.</para>
/// </remarks>
public sealed class MixSession
{
    /// <summary>How often the analysis thread drains the rings, ms.</summary>
    public const int PassMilliseconds = 25;


    /// <summary>A member needs this much analysed audio before it is balanced, s.</summary>
    public const double MinimumSeconds = 1;

    private static readonly Lazy<MixSession> s_shared = new(() => new MixSession(startThread: true, CreateDefaultEngine));

    private readonly object _gate = new();
    private readonly ManualResetEventSlim _wake = new(false);
    private readonly bool _startThread;
    private readonly Func<SuggestionEngine?> _engineFactory;
    private RoleBalanceTable? _table;
    private SessionMember[] _members = [];
    private SessionMember[]? _seenMembers;
    private Thread? _thread;
    private SuggestionEngine? _engine;
    private bool _engineTried;
    private int _listening;
    private int _trackCount;
    private int _joined;
    private long _generation;
    private long _lastCompute = long.MinValue;
    private long _threadAllocated;
    private long _threadPasses;

    /// <summary>A session; <paramref name="startThread"/> false leaves passes to the caller
    /// (<see cref="RunPass"/>, for tests).</summary>
    public MixSession(bool startThread, Func<SuggestionEngine?> engineFactory, RoleBalanceTable? table = null)
    {
        _startThread = startThread;
        _engineFactory = engineFactory;
        _table = table;
    }

    /// <summary>Suggestions are refreshed this often while someone listens, s (default 5).</summary>
    public double RefreshSeconds { get; init; } = 5;

    /// <summary>The process-wide session every plug-in instance joins.</summary>
    public static MixSession Shared => s_shared.Value;

    /// <summary>[any thread] Bus and master members whose learn switch is on: while &gt; 0 every
    /// track member listens.</summary>
    public int ListeningLeaders => Volatile.Read(ref _listening);

    /// <summary>[any thread] Members in track mode, as of the last pass.</summary>
    public int TrackCount => Volatile.Read(ref _trackCount);

    /// <summary>[any thread] Members now.</summary>
    public int MemberCount => Volatile.Read(ref _members).Length;

    /// <summary>[any thread] The members now (a snapshot: the array is replaced, never changed).</summary>
    public IReadOnlyList<SessionMember> Members => Volatile.Read(ref _members);

    /// <summary>[any thread] Bytes the analysis thread has allocated since it started, as of its
    /// last pass (what the tests use to prove it allocates nothing while nobody listens).</summary>
    public long AnalysisThreadAllocatedBytes => Interlocked.Read(ref _threadAllocated);

    /// <summary>[any thread] Passes the analysis thread has run (the tests' evidence that it ran
    /// during a measured window, not sat parked).</summary>
    public long AnalysisThreadPasses => Interlocked.Read(ref _threadPasses);

    /// <summary>[any thread] Suggestion computations so far.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>[main thread] Adds a member (starts the analysis thread if needed).</summary>
    public SessionMember Join()
    {
        lock (_gate)
        {
            var member = new SessionMember(this, ++_joined);
            Volatile.Write(ref _members, [.. _members, member]);
            _wake.Set();
            if (_startThread && _thread is null)
            {
                _thread = new Thread(Run) { IsBackground = true, Name = "MixMate session analysis", Priority = ThreadPriority.BelowNormal };
                _thread.Start();
            }

            return member;
        }
    }

    /// <summary>[main thread] Removes a member (the thread parks after the last one).</summary>
    public void Leave(SessionMember member)
    {
        lock (_gate)
        {
            Volatile.Write(ref _members, [.. _members.Where(m => m != member)]);
            if (_members.Length == 0)
            {
                _wake.Reset();
            }
        }
    }

    /// <summary>[analysis thread; tests call it directly on a session without a thread] One
    /// pass: drain, detect takes, compute when something happened. Returns whether it computed.</summary>
    public bool RunPass()
    {
        SessionMember[] members = Volatile.Read(ref _members);
        int leaders = 0;
        int tracks = 0;
        bool ended = false;
        bool listening = false;
        bool roleSet = false;
        foreach (SessionMember m in members)
        {
            // The user's role (Role parameter): read here, never waited for on the audio thread.
            int userRole = m.UserRole;
            roleSet |= userRole != m.SeenUserRole;
            m.SeenUserRole = userRole;
            bool track = m.Mode == Mastering.MasteringMode.Track;
            tracks += track ? 1 : 0;
            leaders += !track && m.Learn ? 1 : 0;
            TrackAnalysis? analysis = m.Analysis;
            if (analysis is null)
            {
                continue;
            }

            if (!ReferenceEquals(analysis, m.SeenAnalysis))
            {
                // A new setup: a fresh measurement; a take running across it continues in it.
                m.SeenAnalysis = analysis;
            }

            // Ends before draining: everything written before an end is then visible.
            long starts = m.TakeStarts;
            long ends = m.TakeEnds;
            if (starts != m.SeenStarts)
            {
                m.SeenStarts = starts;
                analysis.Reset();
            }

            analysis.Drain();
            if (ends != m.SeenEnds)
            {
                m.SeenEnds = ends;
                m.ApplyPending = true;
                ended = true;
            }

            listening |= m.Listening;
        }

        Volatile.Write(ref _listening, leaders);
        Volatile.Write(ref _trackCount, tracks);
        bool membershipChanged = !ReferenceEquals(members, _seenMembers);
        _seenMembers = members;
        long now = Stopwatch.GetTimestamp();
        bool refresh = listening && Stopwatch.GetElapsedTime(_lastCompute == long.MinValue ? 0 : _lastCompute, now).TotalSeconds >= RefreshSeconds;
        if (!(ended || refresh || roleSet || (membershipChanged && members.Length > 0)))
        {
            return false;
        }

        _lastCompute = now;
        Compute(members);
        return true;
    }

    /// <summary>The engine the shared session uses: the models shipped in the bundle
    /// (<c>Contents/Resources/models</c>), else the repository's; null roles when neither loads.</summary>
    public static SuggestionEngine? CreateDefaultEngine()
    {
        string? directory = DefaultModelsDirectory();
        return directory is null ? null : SuggestionEngine.Create(directory);
    }

    /// <summary>The models the shared session uses: the bundle's (<c>Contents/Resources/models</c>),
    /// else the repository's; null when neither exists.</summary>
    public static string? DefaultModelsDirectory()
    {
        string bundled = Path.Combine(CodeLocation.Directory, "models");
        return File.Exists(Path.Combine(bundled, ModelFiles.ChecksumFile))
            ? bundled
            : ModelFiles.FindDirectory();
    }

    private void Run()
    {
        while (true)
        {
            // Parked while the session is empty; the thread itself lives as long as the process
            // (a DAW creating and destroying instances does not churn threads).
            _wake.Wait();
            try
            {
                RunPass();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A failed computation must not end the session's listening; the next event retries.
                Trace.TraceWarning("MixMate session analysis: " + e.Message);
                Log("analysis pass failed: " + e);
            }

            Interlocked.Exchange(ref _threadAllocated, GC.GetAllocatedBytesForCurrentThread());
            Interlocked.Increment(ref _threadPasses);
            Thread.Sleep(PassMilliseconds);
        }
    }

    private SuggestionEngine? Engine()
    {
        if (!_engineTried)
        {
            _engineTried = true;
            try
            {
                _engine = _engineFactory();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // No role detection is a fallback the engines handle (roles unknown), not a failure.
                Log("role detection unavailable: " + e);
            }

            Log(_engine is null ? "role detection: no models folder found" : "role detection: " + (_engine.RoleModelProblem ?? "role model loaded"));
        }

        return _engine;
    }

    // MIXMATE_SESSION_LOG=1 prints what the session decides to the host's stderr (run the DAW
    // from a terminal to read it). Never called on an audio thread.
    private static readonly bool s_log = Environment.GetEnvironmentVariable("MIXMATE_SESSION_LOG") == "1";

    private static void Log(string line)
    {
        if (s_log)
        {
            Console.Error.WriteLine("[MixMate session] " + line);
        }
    }

    private void Compute(SessionMember[] members)
    {
        long generation = Interlocked.Increment(ref _generation);
        var trackMembers = new List<SessionMember>();
        var summaries = new List<TrackSummary>();
        foreach (SessionMember m in members)
        {
            TrackAnalysis? a = m.SeenAnalysis;
            if (a is null || a.Seconds < MinimumSeconds)
            {
                m.ApplyPending = false;
                continue;
            }

            if (m.Mode != Mastering.MasteringMode.Track)
            {
                Publish(m, TonalFor(m, a, generation));
                continue;
            }

            trackMembers.Add(m);
            summaries.Add(a.Summarize(m.Name, Engine()).WithUserRole(m.SeenUserRole >= 0 ? TrackRoles.All[m.SeenUserRole] : null));
        }

        if (summaries.Count == 0)
        {
            return;
        }

        if (_table is null)
        {
            _table = LearnedBalanceTable.Load(DefaultModelsDirectory(), out string? problem);
            Log("balance table: " + (problem ?? "learned table loaded"));
        }

        IReadOnlyList<Suggestion> suggestions = SuggestionsFor(summaries, generation, _table);
        for (int i = 0; i < trackMembers.Count; i++)
        {
            Publish(trackMembers[i], suggestions[i]);
        }
    }

    /// <summary>[analysis thread; any thread for tests] What the session suggests to track
    /// members with these summaries: <see cref="MixPlanner"/>'s plan (the one <c>mixmate mix</c>
    /// uses), one suggestion per summary in order. Allocates.</summary>
    public static IReadOnlyList<Suggestion> SuggestionsFor(IReadOnlyList<TrackSummary> summaries, long generation, RoleBalanceTable table)
    {
        ArgumentNullException.ThrowIfNull(summaries);
        MixPlan plan = MixPlanner.Plan(summaries, table);
        var suggestions = new Suggestion[summaries.Count];
        for (int i = 0; i < summaries.Count; i++)
        {
            TrackPlan track = plan.Tracks[i];

            // The planner's bound on cuts per track fits the plug-in's EQ bands.
            Debug.Assert(track.Cuts.Count <= Mastering.MasteringParameters.EqBands);
            string? role = track.Role.Role;
            int roleIndex = role is null ? -1 : TrackRoles.IndexOf(role);
            suggestions[i] = new Suggestion(generation, track.GainDb, roleIndex, track.Cuts, track.Reasons) { RoleReason = track.Role.Explanation };
        }

        return suggestions;
    }

    private static Suggestion TonalFor(SessionMember member, TrackAnalysis analysis, long generation)
    {
        if (member.TargetCurve is Assistant.Reference.MatchTarget curve)
        {
            // A style target the plug-in loaded: the bounded tonal balance toward its curve.
            TrackSummary summary = analysis.Summarize(member.Name, roles: null);
            TonalSuggestion toward = Assistant.Reference.TargetCurveSuggestion.Suggest([.. summary.BandsDb], curve, analysis.SampleRate);
            return new Suggestion(generation, 0, -1, [.. toward.Moves.Take(Mastering.MasteringParameters.EqBands)], [.. toward.Moves.Select(m => m.Reason)]);
        }

        // The same tonal engine and mix reference as mixmate master, bounded to the plug-in's bands.
        TonalSuggestion tonal = TonalEngine.Suggest(analysis.Profile(), TonalReferences.ForProgramme(speech: false),
            FaultFinderSettings.Default with { MaxMoves = Mastering.MasteringParameters.EqBands });
        return new Suggestion(generation, 0, -1, tonal.Moves, [.. tonal.Moves.Select(m => m.Reason)]);
    }

    private static void Publish(SessionMember member, Suggestion suggestion)
    {
        string role = suggestion.RoleReason is null ? string.Empty : "role " + suggestion.RoleReason + " | ";
        Log($"{member.Name} (generation {suggestion.Generation}{(member.ApplyPending ? ", to apply" : string.Empty)}): {role}{string.Join(" | ", suggestion.Reasons)}");
        member.Publish(suggestion, member.ApplyPending);
        member.ApplyPending = false;
    }
}
