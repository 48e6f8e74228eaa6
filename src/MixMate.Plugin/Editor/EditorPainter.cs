using SkiaSharp;

namespace MixMate.Plugin.Editor;

/// <summary>
/// The editors' look: colours, fonts and the drawing of common elements (panels, buttons,
/// sliders, meter bars, text). One per editor; every Skia object is made once here and reused on
/// every frame, so drawing allocates nothing in the steady state.
/// </summary>
/// <remarks>[main-thread] Used by the editor that owns it.</remarks>
public sealed class EditorPainter : IDisposable
{
    public static readonly SKColor Background = new(0x17, 0x1A, 0x21);
    public static readonly SKColor Panel = new(0x22, 0x26, 0x30);
    public static readonly SKColor PanelEdge = new(0x33, 0x39, 0x47);
    public static readonly SKColor Text = new(0xE6, 0xE9, 0xEF);
    public static readonly SKColor Dim = new(0x8C, 0x94, 0xA6);
    public static readonly SKColor Accent = new(0x3D, 0xD6, 0xC6);
    public static readonly SKColor Warm = new(0xF2, 0xB1, 0x3C);
    public static readonly SKColor Hot = new(0xEB, 0x4D, 0x5C);
    public static readonly SKColor Good = new(0x6C, 0xCB, 0x5F);
    public static readonly SKColor ButtonOff = new(0x2E, 0x34, 0x40);

    private readonly SKPaint _fill = new() { IsAntialias = true, Style = SKPaintStyle.Fill };
    private readonly SKPaint _stroke = new() { IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = 1 };
    private readonly SKPaint _text = new() { IsAntialias = true };

    // Shaped text by string and font, kept across frames: drawing a string directly makes a new
    // blob (and its managed wrapper) on every call. Cleared when it grows past MaxBlobs (values
    // that keep changing make new strings).
    private readonly Dictionary<(string Text, SKFont Font), (SKTextBlob? Blob, float Width)> _blobs = [];
    private const int MaxBlobs = 4096;

    public EditorPainter()
    {
        SkiaLibrary.EnsureResolver();
        SKTypeface? regular = EditorFonts.Regular;
        SKTypeface? bold = EditorFonts.Bold;
        HasFont = regular is not null;
        Small = new SKFont(regular ?? SKTypeface.Empty, 11);
        Body = new SKFont(regular ?? SKTypeface.Empty, 13);
        Heading = new SKFont(bold ?? SKTypeface.Empty, 15);
        Title = new SKFont(bold ?? SKTypeface.Empty, 20);
        Big = new SKFont(bold ?? SKTypeface.Empty, 17);
        foreach (SKFont f in new[] { Small, Body, Heading, Title, Big })
        {
            f.Edging = SKFontEdging.Antialias;
        }
    }

    /// <summary>Whether a font file was found (without one no text is drawn).</summary>
    public bool HasFont { get; }

    public SKFont Small { get; }

    public SKFont Body { get; }

    public SKFont Heading { get; }

    public SKFont Title { get; }

    public SKFont Big { get; }

    public void FillRect(SKCanvas canvas, SKRect rect, SKColor colour, float radius = 0)
    {
        _fill.Color = colour;
        if (radius > 0)
        {
            canvas.DrawRoundRect(rect, radius, radius, _fill);
        }
        else
        {
            canvas.DrawRect(rect, _fill);
        }
    }

    public void StrokeRect(SKCanvas canvas, SKRect rect, SKColor colour, float radius = 0, float width = 1)
    {
        _stroke.Color = colour;
        _stroke.StrokeWidth = width;
        canvas.DrawRoundRect(rect, radius, radius, _stroke);
    }

    public void Line(SKCanvas canvas, float x0, float y0, float x1, float y1, SKColor colour, float width = 1)
    {
        _stroke.Color = colour;
        _stroke.StrokeWidth = width;
        canvas.DrawLine(x0, y0, x1, y1, _stroke);
    }

    public void DrawText(SKCanvas canvas, string text, float x, float y, SKFont font, SKColor colour, SKTextAlign align = SKTextAlign.Left)
    {
        if (!HasFont || text.Length == 0)
        {
            return;
        }

        (SKTextBlob? blob, float width) = Shaped(text, font);
        if (blob is null)
        {
            return;
        }

        _text.Color = colour;
        float left = align switch
        {
            SKTextAlign.Center => x - (width / 2),
            SKTextAlign.Right => x - width,
            _ => x,
        };
        canvas.DrawText(blob, left, y, _text);
    }

    public float Measure(string text, SKFont font) => HasFont ? Shaped(text, font).Width : text.Length * font.Size * 0.55f;

    private (SKTextBlob? Blob, float Width) Shaped(string text, SKFont font)
    {
        if (_blobs.TryGetValue((text, font), out var shaped))
        {
            return shaped;
        }

        if (_blobs.Count >= MaxBlobs)
        {
            ClearBlobs();
        }

        shaped = (SKTextBlob.Create(text, font), font.MeasureText(text));
        _blobs[(text, font)] = shaped;
        return shaped;
    }

    private void ClearBlobs()
    {
        foreach (var entry in _blobs.Values)
        {
            entry.Blob?.Dispose();
        }

        _blobs.Clear();
    }

    /// <summary>A titled panel.</summary>
    public void PanelBox(SKCanvas canvas, SKRect rect, string title)
    {
        FillRect(canvas, rect, Panel, 6);
        StrokeRect(canvas, rect, PanelEdge, 6);
        DrawText(canvas, title, rect.Left + 12, rect.Top + 20, Heading, Dim);
    }

    /// <summary>A button; <paramref name="on"/> lights it.</summary>
    public void Button(SKCanvas canvas, SKRect rect, string label, bool on, SKColor onColour)
    {
        FillRect(canvas, rect, on ? onColour : ButtonOff, 5);
        StrokeRect(canvas, rect, on ? onColour : PanelEdge, 5);
        DrawText(canvas, label, rect.MidX, rect.MidY + 5, Body, on ? Background : Text, SKTextAlign.Center);
    }

    /// <summary>A horizontal slider at <paramref name="fraction"/> (0..1) with its label and value.</summary>
    public void Slider(SKCanvas canvas, SKRect rect, string label, string value, double fraction)
    {
        float f = (float)Math.Clamp(fraction, 0, 1);
        var track = new SKRect(rect.Left, rect.MidY + 4, rect.Right, rect.MidY + 10);
        FillRect(canvas, track, ButtonOff, 3);
        FillRect(canvas, new SKRect(track.Left, track.Top, track.Left + (f * track.Width), track.Bottom), Accent, 3);
        _fill.Color = Text;
        canvas.DrawCircle(track.Left + (f * track.Width), track.MidY, 7, _fill);
        DrawText(canvas, label, rect.Left, rect.Top + 11, Small, Dim);
        DrawText(canvas, value, rect.Right, rect.Top + 11, Small, Text, SKTextAlign.Right);
    }

    /// <summary>A vertical meter bar filled to <paramref name="fraction"/> from the bottom (or from
    /// the top when <paramref name="fromTop"/>), with its name under it and value above.</summary>
    public void MeterBar(SKCanvas canvas, SKRect rect, double fraction, SKColor colour, string name, string value, bool fromTop = false)
    {
        float f = (float)Math.Clamp(double.IsFinite(fraction) ? fraction : 0, 0, 1);
        FillRect(canvas, rect, Background, 3);
        SKRect level = fromTop
            ? new SKRect(rect.Left, rect.Top, rect.Right, rect.Top + (f * rect.Height))
            : new SKRect(rect.Left, rect.Bottom - (f * rect.Height), rect.Right, rect.Bottom);
        FillRect(canvas, level, colour, 3);
        StrokeRect(canvas, rect, PanelEdge, 3);
        DrawText(canvas, name, rect.MidX, rect.Bottom + 16, Body, Dim, SKTextAlign.Center);
        DrawText(canvas, value, rect.MidX, rect.Top - 8, Small, Text, SKTextAlign.Center);
    }

    public void Dispose()
    {
        ClearBlobs();
        _fill.Dispose();
        _stroke.Dispose();
        _text.Dispose();
        Small.Dispose();
        Body.Dispose();
        Heading.Dispose();
        Title.Dispose();
        Big.Dispose();
    }
}
