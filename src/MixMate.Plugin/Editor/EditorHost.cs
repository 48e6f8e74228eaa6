using SkiaSharp;

namespace MixMate.Plugin.Editor;

/// <summary>
/// An open editor and the Skia surface over the shim's pixel buffer (32-bit BGRA, premultiplied:
/// what an X11 TrueColor visual of depth 24 or 32 takes on a little-endian machine). The surface is
/// made again only when the buffer's address or size changes.
/// </summary>
/// <remarks>[main-thread]</remarks>
public sealed class EditorHost : IDisposable
{
    private SKSurface? _surface;
    private nint _pixels;
    private int _width;
    private int _height;
    private int _stride;

    public EditorHost(PluginEditor editor)
    {
        Editor = editor;
    }

    /// <summary>The editor drawn.</summary>
    public PluginEditor Editor { get; }

    /// <summary>Frames drawn so far.</summary>
    public long Frames { get; private set; }

    /// <summary>Draws into the buffer when anything shown changed (or <paramref name="force"/>);
    /// returns whether it drew.</summary>
    public bool Draw(nint pixels, int width, int height, int stride, bool force)
    {
        if (_surface is null || pixels != _pixels || width != _width || height != _height || stride != _stride)
        {
            _surface?.Dispose();
            var info = new SKImageInfo(width, height, SKColorType.Bgra8888, SKAlphaType.Premul);
            _surface = SKSurface.Create(info, pixels, stride) ?? throw new InvalidOperationException("Skia could not wrap the pixel buffer");
            (_pixels, _width, _height, _stride) = (pixels, width, height, stride);
            force = true;
        }

        if (width != Editor.Width || height != Editor.Height)
        {
            Editor.Resize(width, height);
        }

        if (!force && !Editor.NeedsRedraw())
        {
            return false;
        }

        Editor.Render(_surface.Canvas);
        _surface.Canvas.Flush();
        Frames++;
        return true;
    }

    public void Dispose()
    {
        _surface?.Dispose();
        _surface = null;
        Editor.Dispose();
    }
}
