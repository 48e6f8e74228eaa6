using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MixMate.Plugin.Editor;
using MixMate.Plugin.Hosting;

namespace MixMate.Plugin.Abi;

/// <summary>
/// The editor's half of the flat ABI (mm_api.view_*, ABI version 3): the shim owns the window
/// (X11) and a pixel buffer, the core draws into that buffer with Skia and turns mouse and key
/// events into parameter gestures the shim forwards to the host. Every entry point catches every
/// exception and returns a status.
/// </summary>
/// <remarks>[main-thread] All of them: the host's UI thread, from IPlugView's methods and the
/// host's run-loop callbacks.</remarks>
public static unsafe class ViewExports
{
    /// <summary>Fills the view entries of <paramref name="api"/>.</summary>
    public static void Fill(MmApi* api)
    {
        api->ViewOpen = &Open;
        api->ViewSetScale = &SetScale;
        api->ViewCheckSize = &CheckSize;
        api->ViewSetSize = &SetSize;
        api->ViewDraw = &Draw;
        api->ViewMouse = &Mouse;
        api->ViewKey = &Key;
        api->ViewPollEdits = &PollEdits;
        api->ViewClose = &Close;
    }

    /// <summary>Opens an editor of <paramref name="plugin"/> (the managed half of view_open).</summary>
    public static EditorHost OpenEditor(PluginInstance plugin, float scale)
    {
        SkiaLibrary.EnsureResolver();
        PluginEditor editor = PluginEditor.Create(plugin);
        editor.SetContentScale(scale);
        (int w, int h) = editor.DefaultSize;
        editor.Resize(w, h);
        return new EditorHost(editor);
    }

    [UnmanagedCallersOnly]
    private static int Open(nint handle, float scale, nint* view, int* width, int* height)
    {
        try
        {
            if (handle == 0 || view == null || width == null || height == null ||
                GCHandle.FromIntPtr(handle).Target is not PluginInstance plugin)
            {
                return Status.Argument;
            }

            EditorHost host = OpenEditor(plugin, scale);
            *width = host.Editor.Width;
            *height = host.Editor.Height;
            *view = GCHandle.ToIntPtr(GCHandle.Alloc(host));
            return Status.Ok;
        }
        catch (Exception)
        {
            return Status.Exception;
        }
    }

    [UnmanagedCallersOnly]
    private static int SetScale(nint view, float scale, int* width, int* height)
    {
        try
        {
            if (!TryGet(view, out EditorHost? host) || width == null || height == null)
            {
                return Status.Argument;
            }

            host.Editor.SetContentScale(scale);
            (*width, *height) = host.Editor.DefaultSize;
            return Status.Ok;
        }
        catch (Exception)
        {
            return Status.Exception;
        }
    }

    [UnmanagedCallersOnly]
    private static int CheckSize(nint view, int* width, int* height)
    {
        try
        {
            if (!TryGet(view, out EditorHost? host) || width == null || height == null)
            {
                return Status.Argument;
            }

            (*width, *height) = host.Editor.Constrain(*width, *height);
            return Status.Ok;
        }
        catch (Exception)
        {
            return Status.Exception;
        }
    }

    [UnmanagedCallersOnly]
    private static int SetSize(nint view, int width, int height)
    {
        try
        {
            if (!TryGet(view, out EditorHost? host) || width <= 0 || height <= 0)
            {
                return Status.Argument;
            }

            host.Editor.Resize(width, height);
            return Status.Ok;
        }
        catch (Exception)
        {
            return Status.Exception;
        }
    }

    [UnmanagedCallersOnly]
    private static int Draw(nint view, byte* pixels, int width, int height, int stride, int force, int* drawn)
    {
        try
        {
            if (!TryGet(view, out EditorHost? host) || pixels == null || drawn == null || width <= 0 || height <= 0 ||
                stride < width * 4)
            {
                return Status.Argument;
            }

            *drawn = host.Draw((nint)pixels, width, height, stride, force != 0) ? 1 : 0;
            return Status.Ok;
        }
        catch (Exception)
        {
            return Status.Exception;
        }
    }

    [UnmanagedCallersOnly]
    private static int Mouse(nint view, int kind, float x, float y, float delta, int* handled)
    {
        try
        {
            if (!TryGet(view, out EditorHost? host) || handled == null || kind is < 0 or > 3)
            {
                return Status.Argument;
            }

            *handled = host.Editor.Mouse((MouseKind)kind, x, y, delta) ? 1 : 0;
            return Status.Ok;
        }
        catch (Exception)
        {
            return Status.Exception;
        }
    }

    [UnmanagedCallersOnly]
    private static int Key(nint view, int down, int character, int key, int modifiers, int* handled)
    {
        try
        {
            _ = modifiers;
            if (!TryGet(view, out EditorHost? host) || handled == null)
            {
                return Status.Argument;
            }

            *handled = host.Editor.Key(down != 0, (char)character, (EditorKey)key) ? 1 : 0;
            return Status.Ok;
        }
        catch (Exception)
        {
            return Status.Exception;
        }
    }

    [UnmanagedCallersOnly]
    private static int PollEdits(nint view, MmViewEdit* edits, int capacity, int* count)
    {
        try
        {
            if (!TryGet(view, out EditorHost? host) || edits == null || count == null || capacity < 0)
            {
                return Status.Argument;
            }

            *count = host.Editor.PollEdits(new Span<MmViewEdit>(edits, capacity));
            return Status.Ok;
        }
        catch (Exception)
        {
            return Status.Exception;
        }
    }

    [UnmanagedCallersOnly]
    private static int Close(nint view)
    {
        try
        {
            if (view == 0)
            {
                return Status.Argument;
            }

            GCHandle gc = GCHandle.FromIntPtr(view);
            (gc.Target as EditorHost)?.Dispose();
            gc.Free();
            return Status.Ok;
        }
        catch (Exception)
        {
            return Status.Exception;
        }
    }

    private static bool TryGet(nint view, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out EditorHost? host)
    {
        host = view == 0 ? null : Unsafe.As<EditorHost>(GCHandle.FromIntPtr(view).Target);
        return host != null;
    }
}
