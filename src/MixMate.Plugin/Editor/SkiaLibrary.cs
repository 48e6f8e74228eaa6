using System.Reflection;
using System.Runtime.InteropServices;
using MixMate.Assistant.Hosting;
using SkiaSharp;

namespace MixMate.Plugin.Editor;

/// <summary>
/// Tells SkiaSharp where its native library (<c>libSkiaSharp.so</c>, from
/// <c>SkiaSharp.NativeAssets.Linux.NoDependencies</c>) lies. Under the JIT (tests) the
/// application's <c>deps.json</c> finds it; compiled ahead of time inside a bundle the application
/// is the DAW, so the library is looked for next to MixMate's code (<see cref="CodeLocation"/>:
/// the bundle's <c>Contents/Resources</c>).
/// </summary>
public static class SkiaLibrary
{
    /// <summary>File name of the native library on Linux, as the package ships it.</summary>
    public const string FileName = "libSkiaSharp.so";

    private static readonly Lock Gate = new();
    private static bool _registered;

    /// <summary>[main-thread] Installs the resolver once, before the first Skia call; later calls
    /// return at once.</summary>
    public static void EnsureResolver()
    {
        lock (Gate)
        {
            if (_registered)
            {
                return;
            }

            _registered = true;
            NativeLibrary.SetDllImportResolver(typeof(SKCanvas).Assembly, Resolve);
        }
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName is not ("libSkiaSharp" or "SkiaSharp" or FileName))
        {
            return 0;
        }

        string candidate = Path.Combine(CodeLocation.Directory, FileName);
        return File.Exists(candidate) && NativeLibrary.TryLoad(candidate, out nint handle) ? handle : 0;
    }
}
