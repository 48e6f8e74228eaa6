using MixMate.Plugin.Abi;
using MixMate.Plugin.Hosting;
using MixMate.Plugin.Parameters;
using SkiaSharp;

namespace MixMate.Plugin.Editor;

/// <summary>
/// An open editor of one plug-in instance: a fixed logical layout drawn with Skia, scaled
/// uniformly to the window (sizes keep the layout's aspect ratio), and controls bound to
/// parameters. It only draws and edits: it reads meters and suggestions from the instance's
/// published values (lock-free; the audio thread never waits for it) and every edit becomes a host
/// gesture (begin, perform…, end) that the shim forwards to the DAW's component handler, so undo
/// and automation see it.
/// </summary>
/// <remarks>[main-thread] Every member is called from the host's UI thread (the shim calls them
/// from the host's run-loop callbacks and from IPlugView's methods).</remarks>
public abstract class PluginEditor : IDisposable
{
    /// <summary>Gesture steps kept until the shim polls them; older steps are never dropped: a
    /// full queue refuses new gestures instead (a begin without its end would confuse a host).</summary>
    public const int MaxPendingEdits = 256;

    private readonly MmViewEdit[] _pending = new MmViewEdit[MaxPendingEdits];
    private readonly List<EditorControl> _controls = [];
    private int _pendingCount;
    private EditorControl? _held;
    private EditorControl? _focus;
    private int _lastSignature;
    private bool _forceRedraw = true;

    protected PluginEditor(PluginInstance plugin, float logicalWidth, float logicalHeight)
    {
        Plugin = plugin;
        LogicalWidth = logicalWidth;
        LogicalHeight = logicalHeight;
        Painter = new EditorPainter();
        Resize((int)logicalWidth, (int)logicalHeight);
    }

    /// <summary>The instance edited.</summary>
    public PluginInstance Plugin { get; }

    /// <summary>Width of the layout at content scale 1 (pixels).</summary>
    public float LogicalWidth { get; }

    /// <summary>Height of the layout at content scale 1 (pixels).</summary>
    public float LogicalHeight { get; }

    /// <summary>The window's width in physical pixels.</summary>
    public int Width { get; private set; }

    /// <summary>The window's height in physical pixels.</summary>
    public int Height { get; private set; }

    /// <summary>The host's content scale (1 = 96 dpi); the default size follows it.</summary>
    public float ContentScale { get; private set; } = 1;

    /// <summary>Physical pixels per logical unit at the current size.</summary>
    public float DrawScale => Math.Min(Width / LogicalWidth, Height / LogicalHeight);

    /// <summary>The controls, in logical coordinates (for hit tests and tests).</summary>
    public IReadOnlyList<EditorControl> Controls => _controls;

    /// <summary>The clock histories are sampled by (<see cref="System.Diagnostics.Stopwatch"/>
    /// ticks); tests set their own.</summary>
    public Func<long> Clock { get; set; } = System.Diagnostics.Stopwatch.GetTimestamp;

    protected EditorPainter Painter { get; }

    /// <summary>Creates the editor for <paramref name="plugin"/>'s kind.</summary>
    public static PluginEditor Create(PluginInstance plugin) => plugin switch
    {
        Mastering.MasteringPlugin m => new MasteringEditor(m),
        Tone.TonePlugin t => new ToneEditor(t),
        _ => throw new ArgumentOutOfRangeException(nameof(plugin)),
    };

    /// <summary>The size the editor opens at for the current content scale.</summary>
    public (int Width, int Height) DefaultSize =>
        ((int)MathF.Round(LogicalWidth * ContentScale), (int)MathF.Round(LogicalHeight * ContentScale));

    /// <summary>Sets the content scale (0.5…4); the caller then asks the host for <see cref="DefaultSize"/>.</summary>
    public void SetContentScale(float scale)
    {
        ContentScale = float.IsFinite(scale) ? Math.Clamp(scale, 0.5f, 4f) : 1f;
        _forceRedraw = true;
    }

    /// <summary>The nearest size the editor accepts to <paramref name="width"/> ×
    /// <paramref name="height"/>: the layout's aspect ratio, between half and four times the
    /// logical size.</summary>
    public (int Width, int Height) Constrain(int width, int height)
    {
        float scale = Math.Min(width / LogicalWidth, height / LogicalHeight);
        scale = float.IsFinite(scale) ? Math.Clamp(scale, 0.5f, 4f) : 1f;
        return ((int)MathF.Round(LogicalWidth * scale), (int)MathF.Round(LogicalHeight * scale));
    }

    /// <summary>The window now has this size (physical pixels, at least 1×1).</summary>
    public void Resize(int width, int height)
    {
        Width = Math.Max(1, width);
        Height = Math.Max(1, height);
        _forceRedraw = true;
    }

    /// <summary>Whether anything shown changed since the last <see cref="Render"/> (meters,
    /// parameters, suggestions, size).</summary>
    public bool NeedsRedraw()
    {
        Tick();
        var hash = new HashCode();
        Observe(ref hash);
        int signature = hash.ToHashCode();
        return _forceRedraw || signature != _lastSignature;
    }

    /// <summary>Draws the whole editor onto <paramref name="canvas"/> (which covers
    /// <see cref="Width"/> × <see cref="Height"/> physical pixels).</summary>
    public void Render(SKCanvas canvas)
    {
        var hash = new HashCode();
        Observe(ref hash);
        _lastSignature = hash.ToHashCode();
        _forceRedraw = false;

        canvas.Clear(EditorPainter.Background);
        canvas.Save();
        canvas.Scale(DrawScale);
        DrawContent(canvas);
        canvas.Restore();
    }

    /// <summary>A mouse event at (<paramref name="x"/>, <paramref name="y"/>) in physical pixels;
    /// <paramref name="delta"/> is the wheel's steps (positive up). Returns whether a control took it.</summary>
    public bool Mouse(MouseKind kind, float x, float y, float delta)
    {
        float s = DrawScale;
        var p = new SKPoint(x / s, y / s);
        switch (kind)
        {
            case MouseKind.Down:
                EditorControl? hit = HitTest(p);
                if (hit is null)
                {
                    return false;
                }

                _focus = hit;
                Press(hit, p);
                return true;
            case MouseKind.Move:
                if (_held is null)
                {
                    return false;
                }

                Perform(_held.ParameterId, SliderValue(_held, p));
                return true;
            case MouseKind.Up:
                if (_held is null)
                {
                    return false;
                }

                End(_held.ParameterId);
                _held = null;
                return true;
            case MouseKind.Wheel:
                EditorControl? under = HitTest(p);
                if (under is null || under.Kind != ControlKind.Slider || _held is not null)
                {
                    return false;
                }

                Step(under, delta > 0 ? 1 : -1);
                return true;
            default:
                return false;
        }
    }

    /// <summary>A key from the host: the arrows step the focused slider. Returns whether it was
    /// handled (a host keeps the keys the editor does not use).</summary>
    public bool Key(bool down, char character, EditorKey key)
    {
        _ = character;
        if (_focus is not { Kind: ControlKind.Slider } focus || _held is not null)
        {
            return false;
        }

        int direction = key switch
        {
            EditorKey.Right or EditorKey.Up => 1,
            EditorKey.Left or EditorKey.Down => -1,
            _ => 0,
        };
        if (direction == 0)
        {
            return false;
        }

        if (down)
        {
            Step(focus, direction);
        }

        return true;
    }

    /// <summary>Moves the pending gesture steps into <paramref name="edits"/>, oldest first;
    /// returns how many.</summary>
    public int PollEdits(Span<MmViewEdit> edits)
    {
        int n = Math.Min(edits.Length, _pendingCount);
        _pending.AsSpan(0, n).CopyTo(edits);
        _pending.AsSpan(n, _pendingCount - n).CopyTo(_pending);
        _pendingCount -= n;
        return n;
    }

    /// <summary>Ends a gesture still held (the editor closes mid-drag) and frees Skia objects.</summary>
    public void Dispose()
    {
        if (_held is not null)
        {
            End(_held.ParameterId);
            _held = null;
        }

        Painter.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Called before every redraw check: sample time-based state (histories).</summary>
    protected virtual void Tick()
    {
    }

    /// <summary>Adds everything the editor shows to <paramref name="hash"/>.</summary>
    protected abstract void Observe(ref HashCode hash);

    /// <summary>Draws the layout in logical coordinates.</summary>
    protected abstract void DrawContent(SKCanvas canvas);

    /// <summary>Adds a control (layout set-up).</summary>
    protected void AddControl(ControlKind kind, uint id, SKRect bounds, string label) =>
        _controls.Add(new EditorControl(kind, id, bounds, label));

    /// <summary>The parameter <paramref name="id"/>'s definition.</summary>
    protected ParameterDefinition Definition(uint id) => Plugin.Parameters[Plugin.Parameters.IndexOf(id)];

    /// <summary>The controller's view of <paramref name="id"/> (normalized); meters give the latest
    /// value the audio thread published (one volatile read).</summary>
    protected double Normalized(uint id) => Plugin.GetControllerValue(Plugin.Parameters.IndexOf(id));

    /// <summary>The controller's view of <paramref name="id"/> as a plain value.</summary>
    protected double Plain(uint id)
    {
        int index = Plugin.Parameters.IndexOf(id);
        return Plugin.Parameters[index].ToPlain(Plugin.GetControllerValue(index));
    }

    /// <summary>Whether the control <paramref name="control"/> is being dragged.</summary>
    protected bool IsHeld(EditorControl control) => ReferenceEquals(_held, control);

    private EditorControl? HitTest(SKPoint p)
    {
        for (int i = 0; i < _controls.Count; i++)
        {
            if (_controls[i].Bounds.Contains(p))
            {
                return _controls[i];
            }
        }

        return null;
    }

    private void Press(EditorControl control, SKPoint p)
    {
        ParameterDefinition d = Definition(control.ParameterId);
        double now = Normalized(control.ParameterId);
        switch (control.Kind)
        {
            case ControlKind.Toggle:
                Gesture(control.ParameterId, now >= 0.5 ? 0.0 : 1.0);
                break;
            case ControlKind.Cycle:
                int steps = Math.Max(1, d.StepCount);
                int index = (int)Math.Round(now * steps);
                Gesture(control.ParameterId, (double)((index + 1) % (steps + 1)) / steps);
                break;
            case ControlKind.Slider:
                if (Begin(control.ParameterId))
                {
                    _held = control;
                    Perform(control.ParameterId, SliderValue(control, p));
                }

                break;
        }
    }

    private void Step(EditorControl control, int direction)
    {
        double value = Math.Clamp(Normalized(control.ParameterId) + (direction * 0.01), 0, 1);
        Gesture(control.ParameterId, value);
    }

    private static double SliderValue(EditorControl control, SKPoint p) =>
        Math.Clamp((p.X - control.Bounds.Left) / Math.Max(1, control.Bounds.Width), 0, 1);

    private void Gesture(uint id, double value)
    {
        if (Begin(id))
        {
            Perform(id, value);
            End(id);
        }
    }

    // A gesture needs room for its begin, a perform and its end: refuse it rather than split it.
    private bool Begin(uint id) => _pendingCount + 3 <= MaxPendingEdits && Push(MmViewEdit.Begin, id, Normalized(id));

    private void Perform(uint id, double value)
    {
        int index = Plugin.Parameters.IndexOf(id);
        Plugin.SetControllerValue(index, value);
        double stored = Plugin.GetControllerValue(index);
        // While dragging, keep one slot for the end: coalesce onto the last perform when full.
        if (_pendingCount > 0 && _pending[_pendingCount - 1] is { Kind: MmViewEdit.Perform } last && last.Id == id)
        {
            _pending[_pendingCount - 1].Value = stored;
            return;
        }

        if (_pendingCount + 1 < MaxPendingEdits)
        {
            Push(MmViewEdit.Perform, id, stored);
        }
    }

    private void End(uint id) => Push(MmViewEdit.End, id, Normalized(id));

    private bool Push(int kind, uint id, double value)
    {
        if (_pendingCount >= MaxPendingEdits)
        {
            return false;
        }

        _pending[_pendingCount++] = new MmViewEdit(kind, id, value);
        return true;
    }
}
