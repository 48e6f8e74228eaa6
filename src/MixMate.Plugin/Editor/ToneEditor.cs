using MixMate.Plugin.Tone;
using SkiaSharp;
using T = MixMate.Plugin.Tone.ToneParameters;

namespace MixMate.Plugin.Editor;

/// <summary>
/// MixMate Tone's editor: the signal (sine, pink or white noise, log sweep), its level (output
/// trim, and the level a note's velocity gives), the sweep's range and duration, and the notes
/// held now (a strip of the 128 MIDI pitches, and up to four of them with their frequency and
/// level).
/// </summary>
/// <remarks>[main-thread] See <see cref="PluginEditor"/>.</remarks>
public sealed class ToneEditor : PluginEditor
{
    /// <summary>Logical size (pixels at content scale 1).</summary>
    public const float DesignWidth = 560;

    /// <summary>Logical size (pixels at content scale 1).</summary>
    public const float DesignHeight = 340;

    /// <summary>Where the signal selector is, logical units.</summary>
    public static readonly SKRect SignalBounds = new(16, 60, 272, 104);

    private static readonly SKRect NotesPanel = new(288, 60, 544, 324);

    private readonly TextCache _signal = new();
    private readonly TextCache[] _values = [new(), new(), new(), new()];
    private readonly TextCache _level = new();
    private readonly TextCache[] _noteHz = [new(), new(), new(), new()];
    private readonly TextCache[] _noteDb = [new(), new(), new(), new()];
    private readonly TonePlugin _tone;

    private static readonly string[] s_noteNames = NoteNames();

    public ToneEditor(TonePlugin plugin)
        : base(plugin, DesignWidth, DesignHeight)
    {
        _tone = plugin;
        AddControl(ControlKind.Cycle, T.Signal, SignalBounds, "Signal");
        AddControl(ControlKind.Slider, T.GainDb, new SKRect(16, 124, 272, 156), "Output trim");
        AddControl(ControlKind.Slider, T.SweepSeconds, new SKRect(16, 176, 272, 208), "Sweep duration");
        AddControl(ControlKind.Slider, T.SweepStartHz, new SKRect(16, 228, 272, 260), "Sweep start");
        AddControl(ControlKind.Slider, T.SweepEndHz, new SKRect(16, 280, 272, 312), "Sweep end");
    }

    /// <inheritdoc />
    protected override void Observe(ref HashCode hash)
    {
        for (int i = 0; i < Plugin.Parameters.Count; i++)
        {
            hash.Add(Plugin.GetControllerValue(i));
        }

        hash.Add(_tone.HeldMask);
    }

    /// <summary>"C-1  " … "G9  ": MIDI pitch names (C4 = 60), spaced to prefix a frequency.</summary>
    private static string[] NoteNames()
    {
        string[] pitchClass = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"];
        var names = new string[128];
        for (int p = 0; p < 128; p++)
        {
            names[p] = pitchClass[p % 12] + ((p / 12) - 1).ToString(System.Globalization.CultureInfo.InvariantCulture) + "  ";
        }

        return names;
    }

    /// <inheritdoc />
    protected override void DrawContent(SKCanvas canvas)
    {
        EditorPainter g = Painter;
        g.DrawText(canvas, "MixMate Tone", 18, 37, g.Title, EditorPainter.Text);
        int slider = 0;
        for (int k = 0; k < Controls.Count; k++)
        {
            EditorControl c = Controls[k];
            double value = Normalized(c.ParameterId);
            if (c.Kind == ControlKind.Cycle)
            {
                g.FillRect(canvas, c.Bounds, EditorPainter.ButtonOff, 5);
                g.StrokeRect(canvas, c.Bounds, EditorPainter.PanelEdge, 5);
                g.DrawText(canvas, c.Label, c.Bounds.Left + 10, c.Bounds.Top + 15, g.Small, EditorPainter.Dim);
                g.DrawText(canvas, _signal.For(Definition(c.ParameterId), value), c.Bounds.Left + 10, c.Bounds.Bottom - 9, g.Big, EditorPainter.Accent);
            }
            else
            {
                g.Slider(canvas, c.Bounds, c.Label, _values[slider++].For(Definition(c.ParameterId), value), value);
            }
        }

        g.PanelBox(canvas, NotesPanel, "Level");
        double trim = Plain(T.GainDb);
        double atVelocity100 = TonePlugin.LevelDbfs(100) + trim;
        g.DrawText(canvas, _level.For(atVelocity100, 1, "dBFS"), NotesPanel.MidX, NotesPanel.Top + 80, g.Title, EditorPainter.Accent, SKTextAlign.Center);
        g.DrawText(canvas, "at velocity 100, after the trim", NotesPanel.MidX, NotesPanel.Top + 102, g.Small, EditorPainter.Dim, SKTextAlign.Center);
        // The 128 pitches, held ones lit; C marks every octave.
        var strip = new SKRect(NotesPanel.Left + 14, NotesPanel.Top + 116, NotesPanel.Right - 14, NotesPanel.Top + 132);
        g.FillRect(canvas, strip, EditorPainter.Background, 2);
        float key = strip.Width / 128f;
        int shown = 0;
        for (int p = 0; p < 128; p++)
        {
            float x = strip.Left + (p * key);
            if (p % 12 == 0)
            {
                g.Line(canvas, x, strip.Top, x, strip.Bottom, EditorPainter.PanelEdge, 1);
            }

            if (!_tone.IsHeld(p))
            {
                continue;
            }

            g.FillRect(canvas, new SKRect(x, strip.Top, x + Math.Max(key, 2), strip.Bottom), EditorPainter.Accent, 0);
            if (shown < _noteHz.Length)
            {
                // Frequency as a sine plays it (A4 = 440 Hz, 12-TET) and the level its velocity gives.
                double hz = 440.0 * Math.Pow(2.0, (p - 69) / 12.0);
                double db = TonePlugin.LevelDbfs(_tone.HeldVelocity(p)) + trim;
                float y = NotesPanel.Top + 156 + (shown * 18);
                g.DrawText(canvas, _noteHz[shown].For(hz, 1, "Hz", s_noteNames[p]), NotesPanel.Left + 14, y, g.Body, EditorPainter.Text);
                g.DrawText(canvas, _noteDb[shown].For(db, 1, "dBFS"), NotesPanel.Right - 14, y, g.Body, EditorPainter.Text, SKTextAlign.Right);
                shown++;
            }
        }

        if (shown == 0)
        {
            g.DrawText(canvas, "Play MIDI notes: the pitch sets the sine's", NotesPanel.Left + 14, NotesPanel.Top + 156, g.Body, EditorPainter.Text);
            g.DrawText(canvas, "frequency (A4 = 440 Hz), the velocity its", NotesPanel.Left + 14, NotesPanel.Top + 174, g.Body, EditorPainter.Text);
            g.DrawText(canvas, "level (100 = −20 dBFS, 20 dB per decade).", NotesPanel.Left + 14, NotesPanel.Top + 192, g.Body, EditorPainter.Text);
        }
        var bar = new SKRect(NotesPanel.Left + 14, NotesPanel.Bottom - 40, NotesPanel.Right - 14, NotesPanel.Bottom - 24);
        g.FillRect(canvas, bar, EditorPainter.Background, 3);
        double fraction = Math.Clamp((atVelocity100 + 60) / 60, 0, 1);
        g.FillRect(canvas, new SKRect(bar.Left, bar.Top, bar.Left + (float)(fraction * bar.Width), bar.Bottom), EditorPainter.Good, 3);
    }
}
