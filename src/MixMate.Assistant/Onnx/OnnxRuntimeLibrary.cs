using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using MixMate.Assistant.Hosting;

namespace MixMate.Assistant.Onnx;

/// <summary>
/// Tells the managed ONNX Runtime package (<c>Microsoft.ML.OnnxRuntime</c>) where its native
/// library is. A normal build or test run finds it through the application's <c>deps.json</c>
/// (<c>runtimes/linux-x64/native/libonnxruntime.so</c>). Compiled ahead of time there is no
/// <c>deps.json</c>, and inside a plug-in bundle the application is the DAW: the library lies next to
/// MixMate's code (<see cref="CodeLocation"/>: the <c>mixmate</c> executable, or the core library in
/// the bundle's <c>Contents/Resources</c>). Search order: env <c>MIXMATE_ORT_PATH</c> (the file or its
/// folder), that folder, its <c>runtimes/linux-x64/native/</c>, then the runtime's default probing
/// (deps.json, base directory).
/// </summary>
public static class OnnxRuntimeLibrary
{
    /// <summary>File name of the shared library on Linux, as the package ships it.</summary>
    public const string FileName = "libonnxruntime.so";

    private static readonly Lock Gate = new();
    private static bool _registered;
    private static string? _path;

    /// <summary>[any thread] Path of the library when this class chose it; null when the runtime's
    /// default probing found it (or before the first load).</summary>
    public static string? LoadedPath => _path;

    /// <summary>[any thread] Explicit paths tried before the default probing, in order (existing or not).</summary>
    public static IReadOnlyList<string> Candidates()
    {
        var list = new List<string>();
        string? env = Environment.GetEnvironmentVariable("MIXMATE_ORT_PATH");
        if (!string.IsNullOrEmpty(env))
        {
            list.Add(Directory.Exists(env) ? Path.Combine(env, FileName) : env);
        }

        string codeDir = CodeLocation.Directory;
        list.Add(Path.Combine(codeDir, FileName));
        list.Add(Path.Combine(codeDir, "runtimes", "linux-x64", "native", FileName));

        return list;
    }

    /// <summary>[any thread, not the audio thread] Installs the resolver once, before the first call
    /// into the package; later calls return at once.</summary>
    internal static void EnsureResolver()
    {
        lock (Gate)
        {
            if (_registered)
            {
                return;
            }

            _registered = true;
            NativeLibrary.SetDllImportResolver(typeof(InferenceSession).Assembly, Resolve);
        }
    }

    /// <summary>[any thread, not the audio thread] The version of the native library, e.g. "1.31.1";
    /// throws <see cref="OnnxRuntimeException"/> when it cannot be loaded.</summary>
    public static string Version()
    {
        EnsureResolver();
        try
        {
            return OrtEnv.Instance().GetVersionString();
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException or BadImageFormatException)
        {
            throw NotLoaded(e);
        }
    }

    internal static OnnxRuntimeException NotLoaded(Exception e) =>
        new($"ONNX Runtime ({FileName}) could not be loaded ({e.GetBaseException().Message}); restore the Microsoft.ML.OnnxRuntime package (dotnet build) or set MIXMATE_ORT_PATH. Looked in: {string.Join(", ", Candidates())} and the application's deps.json", e);

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName is not ("onnxruntime" or "libonnxruntime" or FileName))
        {
            return 0;
        }

        foreach (string candidate in Candidates())
        {
            if (File.Exists(candidate) && NativeLibrary.TryLoad(candidate, out nint handle))
            {
                _path = candidate;
                return handle;
            }
        }

        return 0; // the runtime's own probing (deps.json) takes over
    }
}
