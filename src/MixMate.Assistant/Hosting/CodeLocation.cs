using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MixMate.Assistant.Hosting;

/// <summary>
/// The folder that holds MixMate's code, where the files shipped beside it (ONNX Runtime, the
/// models) are looked for. Compiled ahead of time (NativeAOT) MixMate is one native image: the
/// <c>mixmate</c> executable, or the plug-in core (<c>MixMate.Core.so</c>) that a DAW's process
/// loads from a bundle's <c>Contents/Resources</c>. There the application's base directory is the
/// DAW's, so the image asks the dynamic linker which file its own code was mapped from
/// (<c>dladdr</c>). Run by the JIT (tests, <c>dotnet mixmate.dll</c>) it is the application's base
/// directory, which holds the assemblies.
/// </summary>
public static partial class CodeLocation
{
    private static readonly Lazy<string> Folder = new(Find);

    /// <summary>[any-thread] The folder (no trailing slash); never empty.</summary>
    public static string Directory => Folder.Value;

    /// <summary>[any-thread] The file the native image was loaded from under NativeAOT, else null.</summary>
    public static string? NativeImagePath => RuntimeFeature.IsDynamicCodeSupported ? null : ImagePath();

    private static string Find()
    {
        string? image = NativeImagePath;
        string? folder = image is null ? null : Path.GetDirectoryName(image);
        if (string.IsNullOrEmpty(folder))
        {
            folder = AppContext.BaseDirectory;
        }

        return folder.Length > 1 ? folder.TrimEnd('/') : folder;
    }

    private static unsafe string? ImagePath()
    {
        try
        {
            // Any code address inside this image will do: the unmanaged entry of Marker.
            delegate* unmanaged<void> marker = &Marker;
            return DlAddr((nint)marker, out DlInfo info) != 0 && info.FileName != 0
                ? Marshal.PtrToStringUTF8(info.FileName)
                : null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    [UnmanagedCallersOnly]
    private static void Marker()
    {
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct DlInfo
    {
        public nint FileName;
        public nint FileBase;
        public nint SymbolName;
        public nint SymbolAddress;
    }

    // glibc 2.34+ has dladdr in libc itself; libdl.so.2 forwards to it on older ones.
    [LibraryImport("libc.so.6", EntryPoint = "dladdr")]
    private static partial int DlAddr(nint address, out DlInfo info);
}
