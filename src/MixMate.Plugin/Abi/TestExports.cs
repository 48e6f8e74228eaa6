using System.Runtime.InteropServices;
using MixMate.Plugin.Hosting;

namespace MixMate.Plugin.Abi;

/// <summary>
/// Test hooks of the compiled core (native/testhost/mixmate_test_abi.h): an offline render with
/// the same managed chain, a full garbage collection with the heap size after it, and the bytes
/// the managed code allocated on the calling thread — so the native test host can check that the
/// host's output equals the core rendered in one call, that opening editors leaks nothing, and
/// that <c>process</c> allocates nothing in the compiled core, as the managed tests do under the
/// JIT. Exported as <c>mixmate_get_test_api</c>, a table of its own: the production table
/// (<see cref="Exports.GetApi"/>) has none of them and the shim never resolves this symbol.
/// </summary>
/// <remarks>Threads: <see cref="GetTestApi"/> and the allocation counter [any thread]; the render
/// and the collection [main thread]. Each entry point returns a status and catches everything.</remarks>
public static unsafe class TestExports
{
    /// <summary>Version of <see cref="MmTestApi"/> (MM_TEST_ABI_VERSION).</summary>
    public const int TestAbiVersion = 1;

    /// <summary>Exported symbol of <see cref="GetTestApi"/> (mm_get_test_api_fn).</summary>
    public const string GetTestApiSymbol = "mixmate_get_test_api";

    /// <summary>[any thread] Fills the test hooks' table. The caller sets <c>StructSize</c>.</summary>
    [UnmanagedCallersOnly(EntryPoint = GetTestApiSymbol)]
    public static int GetTestApi(MmTestApi* api)
    {
        if (api == null || api->StructSize != sizeof(MmTestApi))
        {
            return Status.Argument;
        }

        api->AbiVersion = TestAbiVersion;
        api->RenderOffline = &RenderOffline;
        api->CollectGarbage = &CollectGarbage;
        api->ThreadAllocatedBytes = &ThreadAllocatedBytes;
        return Status.Ok;
    }

    /// <summary>Renders <paramref name="args"/> offline with a fresh instance (test support).</summary>
    public static int Render(MmRenderArgs* args)
    {
        if (args == null || args->Frames < 0 || args->Channels < 1 || args->Channels > 8 || args->Output == null)
        {
            return Status.Argument;
        }

        PluginInstance plugin = Exports.CreateInstance((PluginKind)args->Kind);
        int channels = args->Channels;
        int frames = args->Frames;
        int inChannels = plugin.Kind == PluginKind.Tone ? 0 : channels;
        plugin.Setup(args->SampleRate, frames, inChannels, channels);
        plugin.SetActive(true);
        float** inputs = stackalloc float*[channels];
        float** outputs = stackalloc float*[channels];
        for (int c = 0; c < channels; c++)
        {
            inputs[c] = args->Input == null ? null : args->Input + (long)c * frames;
            outputs[c] = args->Output + (long)c * frames;
        }

        // Each point and note at an absolute frame: one host block covering everything.
        var process = new MmProcessArgs
        {
            Frames = frames,
            InChannels = args->Input == null ? 0 : inChannels,
            OutChannels = channels,
            Inputs = inputs,
            Outputs = outputs,
            Points = args->Points,
            PointCount = args->PointCount,
            Notes = args->Notes,
            NoteCount = args->NoteCount,
        };
        return plugin.Process(&process);
    }

    // [any thread] The bytes the managed code allocated so far on the calling thread
    // (GC.GetAllocatedBytesForCurrentThread).
    [UnmanagedCallersOnly]
    private static int ThreadAllocatedBytes(long* bytes)
    {
        if (bytes == null)
        {
            return Status.Argument;
        }

        *bytes = GC.GetAllocatedBytesForCurrentThread();
        return Status.Ok;
    }

    [UnmanagedCallersOnly]
    private static int RenderOffline(MmRenderArgs* args)
    {
        try
        {
            return Render(args);
        }
        catch (Exception)
        {
            return Status.Exception;
        }
    }

    [UnmanagedCallersOnly]
    private static int CollectGarbage(long* managedBytes)
    {
        try
        {
            if (managedBytes == null)
            {
                return Status.Argument;
            }

            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            *managedBytes = GC.GetTotalMemory(forceFullCollection: true);
            return Status.Ok;
        }
        catch (Exception)
        {
            return Status.Exception;
        }
    }
}
