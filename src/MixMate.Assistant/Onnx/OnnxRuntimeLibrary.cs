using System.Runtime.InteropServices;

namespace MixMate.Assistant.Onnx;

/// <summary>
/// Finds and loads the native ONNX Runtime library (<c>libonnxruntime.so.1</c>, fetched by
/// <c>scripts/fetch-onnxruntime.sh</c>) and resolves <c>OrtGetApiBase</c>. Search order:
/// env <c>MIXMATE_ORT_PATH</c> (the file or its folder), the folder of this assembly (a plug-in
/// bundle's Resources; also where a published CLI keeps it), the application's base directory, then
/// <c>artifacts/onnxruntime/</c> in the base directory or any of its parents (a build inside the
/// repository), then the current directory's <c>artifacts/onnxruntime/</c>.
/// </summary>
public static class OnnxRuntimeLibrary
{
    /// <summary>File name of the shared library on Linux.</summary>
    public const string FileName = "libonnxruntime.so.1";

    private static readonly Lock Gate = new();
    private static nint _handle;
    private static string? _path;

    /// <summary>[any thread] Path of the loaded library, or null before the first load.</summary>
    public static string? LoadedPath => _path;

    /// <summary>[any thread] Paths searched, in order (existing or not).</summary>
    public static IReadOnlyList<string> Candidates()
    {
        var list = new List<string>();
        string? env = Environment.GetEnvironmentVariable("MIXMATE_ORT_PATH");
        if (!string.IsNullOrEmpty(env))
        {
            list.Add(Directory.Exists(env) ? Path.Combine(env, FileName) : env);
        }

        // Inside a plug-in bundle the application is the DAW and the base directory is empty
        // (a component loaded through hostfxr): look next to this assembly.
        string baseDir = AppContext.BaseDirectory;
        string? assemblyDir = Path.GetDirectoryName(typeof(OnnxRuntimeLibrary).Assembly.Location);
        if (!string.IsNullOrEmpty(assemblyDir))
        {
            list.Add(Path.Combine(assemblyDir, FileName));
        }

        if (!string.IsNullOrEmpty(baseDir))
        {
            list.Add(Path.Combine(baseDir, FileName));
            for (DirectoryInfo? d = new(baseDir); d is not null; d = d.Parent)
            {
                list.Add(Path.Combine(d.FullName, "artifacts", "onnxruntime", FileName));
            }
        }

        list.Add(Path.Combine(Directory.GetCurrentDirectory(), "artifacts", "onnxruntime", FileName));
        return list;
    }

    /// <summary>[any thread, not the audio thread] Loads the library once and returns the address of
    /// <c>OrtGetApiBase</c>. Throws <see cref="OnnxRuntimeException"/> naming the places searched.</summary>
    internal static nint GetApiBaseExport()
    {
        lock (Gate)
        {
            if (_handle == 0)
            {
                var tried = new List<string>();
                foreach (string candidate in Candidates())
                {
                    if (!File.Exists(candidate))
                    {
                        tried.Add(candidate);
                        continue;
                    }

                    if (NativeLibrary.TryLoad(candidate, out nint handle))
                    {
                        _handle = handle;
                        _path = candidate;
                        break;
                    }

                    tried.Add(candidate + " (exists but failed to load)");
                }

                if (_handle == 0)
                {
                    throw new OnnxRuntimeException(
                        $"ONNX Runtime ({FileName}) not found; run scripts/fetch-onnxruntime.sh or set MIXMATE_ORT_PATH. Looked in: {string.Join(", ", tried.Distinct())}");
                }
            }

            return NativeLibrary.GetExport(_handle, "OrtGetApiBase");
        }
    }
}
