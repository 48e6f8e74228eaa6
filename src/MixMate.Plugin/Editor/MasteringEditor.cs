using MixMate.Plugin.Mastering;
using MixMate.Plugin.Session;
using SkiaSharp;
using P = MixMate.Plugin.Mastering.MasteringParameters;

namespace MixMate.Plugin.Editor;

/// <summary>
/// MixMate's editor: loudness meters (M, S, I, LRA, TP, gain reduction) and a 30 s loudness
/// history against the target and ceiling; the assistant's suggestion with its reasons, the EQ
/// moves each with its own on/off, Amount and Learn; the detected role and its override; the
/// problems heard in the input (clipping, true-peak overs, correlation, phase, balance); a
/// loudness-matched A/B (the original at the processed loudness, with the gain that matched it).
/// </summary>
/// <remarks>[main-thread] See <see cref="PluginEditor"/>.</remarks>
public sealed class MasteringEditor : PluginEditor
{
    /// <summary>Logical size (pixels at content scale 1).</summary>
    public const float DesignWidth = 900;

    /// <summary>Logical size (pixels at content scale 1).</summary>
    public const float DesignHeight = 560;

    /// <summary>Where the Learn button is, logical units (also used by the native test host,
    /// which clicks its centre: <c>native/testhost</c>).</summary>
    public static readonly SKRect LearnBounds = new(780, 14, 884, 44);

    /// <summary>Where the loudness-matched A/B button is, logical units.</summary>
    public static readonly SKRect CompareBounds = new(570, 14, 680, 44);

    private const float MeterTop = 112;
    private const float MeterBottom = 372;
    private const double LufsFloor = -60;
    private const double LufsTop = 0;

    private static readonly SKRect MetersPanel = new(16, 60, 300, 412);
    private static readonly SKRect HistoryPanel = new(312, 60, 588, 412);
    private static readonly SKRect SuggestPanel = new(600, 60, 884, 412);
    private static readonly SKRect ProblemsPanel = new(16, 424, 884, 544);

    private static readonly uint[] ProblemIds = [P.ClippedRuns, P.TruePeakOvers, P.Correlation, P.Phase, P.StereoBalanceDb];
    private static readonly string[] ProblemNames = ["Clipped runs", "True-peak overs", "Correlation", "Phase", "L/R balance"];

    private readonly MasteringPlugin _plugin;
    private readonly LoudnessHistory _history = new();
    private readonly TextCache[] _meterText = CreateCaches(6);
    private readonly TextCache[] _problemText = CreateCaches(5);
    private readonly TextCache[] _bandText = CreateCaches(P.EqBands);
    private readonly TextCache _amountText = new();
    private readonly TextCache _inputGainText = new();
    private readonly TextCache _targetText = new();
    private readonly TextCache _ceilingText = new();
    private readonly TextCache _roleText = new();
    private readonly TextCache _userRoleText = new();
    private readonly TextCache _modeText = new();
    private readonly TextCache _presetText = new();
    private readonly TextCache _suggestText = new();
    private readonly TextCache _tracksText = new();
    private readonly TextCache _compareText = new();
    private readonly List<string> _reasonLines = [];
    private readonly List<string> _trackLines = [];
    private int _trackSignature;
    private Suggestion? _wrappedFor;
    private bool _wrapped;

    public MasteringEditor(MasteringPlugin plugin)
        : base(plugin, DesignWidth, DesignHeight)
    {
        _plugin = plugin;
        AddControl(ControlKind.Toggle, P.Learn, LearnBounds, "Learn");
        AddControl(ControlKind.Toggle, P.Bypass, new SKRect(690, 14, 770, 44), "Bypass");
        AddControl(ControlKind.Toggle, P.Compare, CompareBounds, "A/B");
        AddControl(ControlKind.Cycle, P.Mode, new SKRect(150, 14, 250, 44), "Mode");
        AddControl(ControlKind.Cycle, P.Target, new SKRect(260, 14, 390, 44), "Target");
        AddControl(ControlKind.Cycle, P.Role, new SKRect(400, 14, 560, 44), "Role");
        AddControl(ControlKind.Slider, P.Amount, new SKRect(612, 330, 872, 360), "Amount");
        AddControl(ControlKind.Slider, P.InputGainDb, new SKRect(324, 330, 576, 360), "Input Gain");
        AddControl(ControlKind.Toggle, P.Limiter, new SKRect(324, 370, 444, 400), "Limiter");
        for (int b = 0; b < P.EqBands; b++)
        {
            float x = 612 + (b * 44);
            AddControl(ControlKind.Toggle, P.EqId(b, P.EqEnable), new SKRect(x, 276, x + 40, 320), "EQ" + (b + 1));
        }
    }

    /// <summary>The history the editor shows (test support).</summary>
    public LoudnessHistory History => _history;

    /// <inheritdoc />
    protected override void Tick() => _history.Sample(Plain(P.ShortTermLufs), Clock());

    /// <inheritdoc />
    protected override void Observe(ref HashCode hash)
    {
        for (int i = 0; i < _plugin.Parameters.Count; i++)
        {
            hash.Add(_plugin.GetControllerValue(i));
        }

        hash.Add(_history.Version);
        hash.Add(_plugin.Member?.Latest);
        if (_plugin.Member is SessionMember self)
        {
            IReadOnlyList<SessionMember> members = self.Session.Members;
            hash.Add(members);
            for (int i = 0; i < members.Count; i++)
            {
                hash.Add(members[i].Latest);
                hash.Add(members[i].Mode);
            }
        }
    }

    /// <inheritdoc />
    protected override void DrawContent(SKCanvas canvas)
    {
        EditorPainter g = Painter;
        g.DrawText(canvas, "MixMate", 18, 37, g.Title, EditorPainter.Text);
        DrawMeters(canvas);
        DrawHistory(canvas);
        DrawSuggestions(canvas);
        DrawProblems(canvas);
        for (int k = 0; k < Controls.Count; k++)
        {
            DrawControl(canvas, Controls[k]);
        }
    }

    private static TextCache[] CreateCaches(int n)
    {
        var caches = new TextCache[n];
        for (int i = 0; i < n; i++)
        {
            caches[i] = new TextCache();
        }

        return caches;
    }

    private void DrawControl(SKCanvas canvas, EditorControl c)
    {
        EditorPainter g = Painter;
        double value = Normalized(c.ParameterId);
        switch (c.Kind)
        {
            case ControlKind.Toggle when c.ParameterId == P.Learn:
                g.Button(canvas, c.Bounds, value >= 0.5 ? "Learning…" : "Learn", value >= 0.5, EditorPainter.Warm);
                break;
            case ControlKind.Toggle when c.ParameterId == P.Bypass:
                g.Button(canvas, c.Bounds, "Bypass", value >= 0.5, EditorPainter.Hot);
                break;
            case ControlKind.Toggle when c.ParameterId == P.Compare:
                // On: the original at the processed loudness, and by how much it was moved.
                g.Button(canvas, c.Bounds, value >= 0.5 ? _compareText.For(Plain(P.CompareGainDb), 1, "dB", "orig ") : "A/B =LU",
                    value >= 0.5, EditorPainter.Warm);
                break;
            case ControlKind.Toggle when c.ParameterId >= P.EqBase && c.ParameterId < P.MomentaryLufs:
                break; // drawn with the suggestions
            case ControlKind.Toggle:
                g.Button(canvas, c.Bounds, c.Label, value >= 0.5, EditorPainter.Accent);
                break;
            case ControlKind.Cycle:
                TextCache cache = c.ParameterId == P.Mode ? _modeText : c.ParameterId == P.Target ? _presetText : _userRoleText;
                g.FillRect(canvas, c.Bounds, EditorPainter.ButtonOff, 5);
                g.StrokeRect(canvas, c.Bounds, EditorPainter.PanelEdge, 5);
                g.DrawText(canvas, c.Label, c.Bounds.Left + 8, c.Bounds.Top + 12, g.Small, EditorPainter.Dim);
                g.DrawText(canvas, cache.For(Definition(c.ParameterId), value), c.Bounds.Left + 8, c.Bounds.Bottom - 5, g.Body, EditorPainter.Text);
                break;
            case ControlKind.Slider:
                TextCache text = c.ParameterId == P.Amount ? _amountText : _inputGainText;
                g.Slider(canvas, c.Bounds, c.Label, text.For(Definition(c.ParameterId), value), value);
                break;
        }
    }

    private double TargetLufs() => LoudnessTargets.Lufs((int)Math.Round(Plain(P.Target)), Plain(P.TargetLufs));

    private double CeilingDbtp() => LoudnessTargets.CeilingDbtp((int)Math.Round(Plain(P.Target)), Plain(P.CeilingDbtp));

    private static double LufsFraction(double lufs) => (lufs - LufsFloor) / (LufsTop - LufsFloor);

    private void DrawMeters(SKCanvas canvas)
    {
        EditorPainter g = Painter;
        g.PanelBox(canvas, MetersPanel, "Loudness");
        double m = Plain(P.MomentaryLufs);
        double s = Plain(P.ShortTermLufs);
        double i = Plain(P.IntegratedLufs);
        double lra = Plain(P.LoudnessRange);
        double tp = Plain(P.TruePeakDbtp);
        double gr = Plain(P.GainReductionDb);
        double target = TargetLufs();
        double ceiling = CeilingDbtp();
        const float w = 30;
        const float gap = 14;
        float x = MetersPanel.Left + 16;
        SKRect Bar(int k) => new(x + (k * (w + gap)), MeterTop, x + (k * (w + gap)) + w, MeterBottom);

        g.MeterBar(canvas, Bar(0), LufsFraction(m), EditorPainter.Accent, "M", _meterText[0].For(m, 1, string.Empty));
        g.MeterBar(canvas, Bar(1), LufsFraction(s), EditorPainter.Accent, "S", _meterText[1].For(s, 1, string.Empty));
        g.MeterBar(canvas, Bar(2), LufsFraction(i), i > target + 1 ? EditorPainter.Warm : EditorPainter.Good, "I", _meterText[2].For(i, 1, string.Empty));
        g.MeterBar(canvas, Bar(3), lra / 20.0, EditorPainter.Dim, "LRA", _meterText[3].For(lra, 1, string.Empty));
        g.MeterBar(canvas, Bar(4), LufsFraction(tp), tp > ceiling ? EditorPainter.Hot : EditorPainter.Accent, "TP", _meterText[4].For(tp, 1, string.Empty));
        g.MeterBar(canvas, Bar(5), gr / 12.0, EditorPainter.Warm, "GR", _meterText[5].For(gr, 1, string.Empty), fromTop: true);

        // The target across M, S and I; the ceiling on TP.
        float ty = MeterBottom - ((float)LufsFraction(target) * (MeterBottom - MeterTop));
        g.Line(canvas, Bar(0).Left - 3, ty, Bar(2).Right + 3, ty, EditorPainter.Text, 2);
        float cy = MeterBottom - ((float)LufsFraction(ceiling) * (MeterBottom - MeterTop));
        g.Line(canvas, Bar(4).Left - 3, cy, Bar(4).Right + 3, cy, EditorPainter.Hot, 2);
        g.DrawText(canvas, "LUFS / LU / dBTP / dB", MetersPanel.Left + 12, MetersPanel.Bottom - 8, g.Small, EditorPainter.Dim);
    }

    private void DrawHistory(SKCanvas canvas)
    {
        EditorPainter g = Painter;
        g.PanelBox(canvas, HistoryPanel, "Short-term loudness, 30 s");
        var plot = new SKRect(HistoryPanel.Left + 12, HistoryPanel.Top + 32, HistoryPanel.Right - 12, 300);
        g.FillRect(canvas, plot, EditorPainter.Background, 3);
        for (int db = -50; db <= -10; db += 10)
        {
            float y = plot.Bottom - ((float)LufsFraction(db) * plot.Height);
            g.Line(canvas, plot.Left, y, plot.Right, y, EditorPainter.PanelEdge, 1);
        }

        double target = TargetLufs();
        float ty = plot.Bottom - ((float)Math.Clamp(LufsFraction(target), 0, 1) * plot.Height);
        g.Line(canvas, plot.Left, ty, plot.Right, ty, EditorPainter.Warm, 1.5f);
        g.DrawText(canvas, _targetText.For(target, 1, "LUFS", "target "), plot.Right - 4, ty - 4, g.Small, EditorPainter.Warm, SKTextAlign.Right);
        g.DrawText(canvas, _ceilingText.For(CeilingDbtp(), 1, "dBTP", "ceiling "), plot.Left + 4, plot.Top + 14, g.Small, EditorPainter.Dim);

        float step = plot.Width / (LoudnessHistory.Capacity - 1);
        float px = 0;
        float py = 0;
        for (int age = 0; age < _history.Count; age++)
        {
            float x = plot.Right - (age * step);
            float y = plot.Bottom - ((float)Math.Clamp(LufsFraction(_history[age]), 0, 1) * plot.Height);
            if (age > 0)
            {
                g.Line(canvas, px, py, x, y, EditorPainter.Accent, 2);
            }

            (px, py) = (x, y);
        }
    }

    private void DrawSuggestions(SKCanvas canvas)
    {
        EditorPainter g = Painter;
        g.PanelBox(canvas, SuggestPanel, "Assistant");
        Suggestion? latest = _plugin.Member?.Latest;
        float left = SuggestPanel.Left + 12;
        double role = Normalized(P.DetectedRole);
        g.DrawText(canvas, _roleText.For(Definition(P.DetectedRole), role, "Heard: "), left, SuggestPanel.Top + 42, g.Body, EditorPainter.Text);
        g.DrawText(canvas, _tracksText.For(Plain(P.SessionTracks), 0, string.Empty, "Tracks in session: "), left, SuggestPanel.Top + 60, g.Small, EditorPainter.Dim);
        g.DrawText(canvas, _suggestText.For(Plain(P.SuggestedGainDb), 1, "dB", "Suggested gain "), left, SuggestPanel.Top + 82, g.Big, EditorPainter.Accent);

        if (!ReferenceEquals(latest, _wrappedFor) || !_wrapped)
        {
            _wrappedFor = latest;
            _wrapped = true;
            _reasonLines.Clear();
            if (latest is null)
            {
                Wrap(Learning() ? "Listening… the suggestion comes at the end of the take." : "Press Learn and play the track: the assistant suggests moves and says why.");
            }
            else
            {
                foreach (string reason in latest.Reasons)
                {
                    Wrap("• " + reason);
                }

                if (latest.RoleReason is string why)
                {
                    Wrap("• " + why);
                }
            }
        }

        float y = SuggestPanel.Top + 104;
        if (MasteringModes.FromIndex((int)Plain(P.Mode)) != MasteringMode.Track)
        {
            // On a bus or the master: the session's tracks with their suggested moves.
            UpdateTrackLines();
            for (int k = 0; k < _trackLines.Count && y <= 200; k++)
            {
                g.DrawText(canvas, _trackLines[k], left, y, g.Small, k == 0 ? EditorPainter.Dim : EditorPainter.Accent);
                y += 14;
            }
        }

        foreach (string line in _reasonLines)
        {
            if (y > 268)
            {
                break;
            }

            g.DrawText(canvas, line, left, y, g.Small, EditorPainter.Text);
            y += 14;
        }

        // The EQ moves: one on/off each, with frequency and gain.
        for (int k = 0; k < Controls.Count; k++)
        {
            EditorControl c = Controls[k];
            if (c.ParameterId < P.EqBase || c.ParameterId >= P.MomentaryLufs)
            {
                continue;
            }

            int band = (int)(c.ParameterId - P.EqBase) / 10;
            bool on = Normalized(c.ParameterId) >= 0.5;
            g.FillRect(canvas, c.Bounds, on ? EditorPainter.Accent : EditorPainter.ButtonOff, 4);
            g.StrokeRect(canvas, c.Bounds, EditorPainter.PanelEdge, 4);
            SKColor ink = on ? EditorPainter.Background : EditorPainter.Text;
            g.DrawText(canvas, c.Label, c.Bounds.MidX, c.Bounds.Top + 14, g.Small, ink, SKTextAlign.Center);
            g.DrawText(canvas, _bandText[band].For(Plain(P.EqId(band, P.EqGain)), 1, string.Empty), c.Bounds.MidX, c.Bounds.Top + 30, g.Small, ink, SKTextAlign.Center);
        }
    }

    private bool Learning() => Normalized(P.Learn) >= 0.5;

    /// <summary>The lines of the session's track list (test support: what the panel shows on a bus
    /// or the master).</summary>
    public IReadOnlyList<string> TrackLines
    {
        get
        {
            UpdateTrackLines();
            return _trackLines;
        }
    }

    // Rebuilt only when the members or one of their suggestions change (strings are made then).
    private void UpdateTrackLines()
    {
        IReadOnlyList<SessionMember> members = _plugin.Member?.Session.Members ?? [];
        var key = new HashCode();
        key.Add(members);
        for (int i = 0; i < members.Count; i++)
        {
            key.Add(members[i].Latest);
            key.Add(members[i].Mode);
        }

        int signature = key.ToHashCode();
        if (signature == _trackSignature && _trackLines.Count > 0)
        {
            return;
        }

        _trackSignature = signature;
        _trackLines.Clear();
        int tracks = 0;
        // Never this instance itself: its member's mode follows the processor, which a host may
        // not have run since the mode parameter changed (pluginval randomises parameters so).
        SessionMember? self = _plugin.Member;
        foreach (SessionMember m in members)
        {
            tracks += m.Mode == MasteringMode.Track && m != self ? 1 : 0;
        }

        _trackLines.Add(tracks == 0 ? "No tracks in the session yet." : "Session tracks and their moves:");
        foreach (SessionMember m in members)
        {
            if (m.Mode != MasteringMode.Track || m == self)
            {
                continue;
            }

            Suggestion? s = m.Latest;
            string role = s is { Role: >= 0 } && s.Role < MixMate.Assistant.Roles.TrackRoles.All.Count
                ? MixMate.Assistant.Roles.TrackRoles.All[s.Role]
                : "unknown";
            string move = s is null
                ? "no suggestion yet"
                : s.GainDb.ToString("+0.0;-0.0;0.0", System.Globalization.CultureInfo.InvariantCulture) + " dB" +
                  (s.Eq.Count > 0 ? ", " + s.Eq.Count + " EQ moves" : string.Empty);
            _trackLines.Add(m.Name + " (" + role + "): " + move);
        }
    }

    private void Wrap(string text)
    {
        const float width = 256;
        EditorPainter g = Painter;
        int start = 0;
        while (start < text.Length)
        {
            int end = text.Length;
            while (end > start && g.Measure(text[start..end], g.Small) > width)
            {
                int space = text.LastIndexOf(' ', end - 1, end - start);
                end = space > start ? space : end - 1;
            }

            if (end <= start)
            {
                end = start + 1;
            }

            _reasonLines.Add(text[start..end].Trim());
            start = end;
            while (start < text.Length && text[start] == ' ')
            {
                start++;
            }
        }
    }

    private void DrawProblems(SKCanvas canvas)
    {
        EditorPainter g = Painter;
        g.PanelBox(canvas, ProblemsPanel, "Problems heard in the input");
        uint[] ids = ProblemIds;
        string[] names = ProblemNames;
        float cell = (ProblemsPanel.Width - 24) / ids.Length;
        for (int k = 0; k < ids.Length; k++)
        {
            float x = ProblemsPanel.Left + 12 + (k * cell);
            double plain = Plain(ids[k]);
            bool bad = k switch
            {
                0 or 1 => plain > 0,
                2 => plain < 0,
                3 => Normalized(ids[k]) > 0,
                _ => Math.Abs(plain) > 3,
            };
            var box = new SKRect(x, ProblemsPanel.Top + 32, x + cell - 10, ProblemsPanel.Bottom - 12);
            g.FillRect(canvas, box, bad ? new SKColor(0x4A, 0x24, 0x2B) : EditorPainter.Background, 4);
            g.DrawText(canvas, names[k], box.Left + 10, box.Top + 20, g.Small, EditorPainter.Dim);
            g.DrawText(canvas, _problemText[k].For(Definition(ids[k]), Normalized(ids[k])), box.Left + 10, box.Top + 50, g.Big, bad ? EditorPainter.Hot : EditorPainter.Good);
        }
    }
}
