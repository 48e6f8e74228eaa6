using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MixMate.Plugin.Hosting;
using MixMate.Plugin.Mastering;
using MixMate.Plugin.Tone;

namespace MixMate.Plugin.Abi;

/// <summary>
/// The managed side of native/shim/mixmate_abi.h. The plug-in core is compiled ahead of time
/// (NativeAOT, <c>NativeLib=Shared</c>) into <c>MixMate.Core.so</c> in each bundle; the shim
/// <c>dlopen</c>s it, resolves only <see cref="GetApi"/> (exported as <c>mixmate_get_api</c>) and
/// calls the rest through the table it fills. Test hooks (offline render, garbage collection, the
/// allocation counter) are not in this table: <see cref="TestExports"/> exports them through an
/// entry point of their own that the shim never resolves. Every entry point catches every
/// exception and returns a status: an exception escaping an [UnmanagedCallersOnly] method would
/// abort the host process.
/// </summary>
/// <remarks>Threads are stated per function in mixmate_abi.h.</remarks>
public static unsafe class Exports
{
    public const int AbiVersion = 4;

    /// <summary>Exported symbol of <see cref="GetApi"/> (mm_get_api_fn in mixmate_abi.h).</summary>
    public const string GetApiSymbol = "mixmate_get_api";

    /// <summary>[any thread] Fills the function table. The caller sets <c>StructSize</c>.</summary>
    [UnmanagedCallersOnly(EntryPoint = GetApiSymbol)]
    public static int GetApi(MmApi* api)
    {
        try
        {
            if (api == null || api->StructSize != sizeof(MmApi))
            {
                return Status.Argument;
            }

            api->AbiVersion = AbiVersion;
            api->Create = &Create;
            api->Destroy = &Destroy;
            api->GetParamCount = &GetParamCount;
            api->GetParamInfo = &GetParamInfo;
            api->ParamToString = &ParamToString;
            api->StringToParam = &StringToParam;
            api->NormalizedToPlain = &NormalizedToPlain;
            api->PlainToNormalized = &PlainToNormalized;
            api->GetParam = &GetParam;
            api->SetParam = &SetParam;
            api->Setup = &Setup;
            api->SetActive = &SetActive;
            api->Process = &Process;
            api->GetState = &GetState;
            api->SetState = &SetState;
            api->GetLatency = &GetLatency;
            api->PollEdits = &PollEdits;
            ViewExports.Fill(api);
            return Status.Ok;
        }
        catch (Exception)
        {
            return Status.Exception;
        }
    }

    /// <summary>Creates a plug-in instance of <paramref name="kind"/> (no native handle); a
    /// MixMate effect joins <paramref name="session"/> when one is given.</summary>
    public static PluginInstance CreateInstance(PluginKind kind, Session.MixSession? session = null) => kind switch
    {
        PluginKind.Mastering => new MasteringPlugin(session),
        PluginKind.Tone => new TonePlugin(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    [UnmanagedCallersOnly]
    private static int Create(int kind, nint* handle)
    {
        try
        {
            if (handle == null || kind is < 0 or > 1)
            {
                return Status.Argument;
            }

            *handle = GCHandle.ToIntPtr(GCHandle.Alloc(CreateInstance((PluginKind)kind, Session.MixSession.Shared)));
            return Status.Ok;
        }
        catch (Exception)
        {
            return Status.Exception;
        }
    }

    [UnmanagedCallersOnly]
    private static int Destroy(nint handle)
    {
        try
        {
            if (handle == 0)
            {
                return Status.Argument;
            }

            GCHandle gc = GCHandle.FromIntPtr(handle);
            (gc.Target as PluginInstance)?.Release();
            gc.Free();
            return Status.Ok;
        }
        catch (Exception)
        {
            return Status.Exception;
        }
    }

    [UnmanagedCallersOnly]
    private static int GetParamCount(nint handle, int* count)
    {
        try
        {
            if (!TryGet(handle, out PluginInstance? p) || count == null)
            {
                return Status.Argument;
            }

            *count = p.Parameters.Count;
            return Status.Ok;
        }
        catch (Exception)
        {
            return Status.Exception;
        }
    }

    [UnmanagedCallersOnly]
    private static int GetParamInfo(nint handle, int index, MmParamInfo* info)
    {
        try
        {
            if (!TryGet(handle, out PluginInstance? p) || info == null || (uint)index >= (uint)p.Parameters.Count)
            {
                return Status.Argument;
            }

            Parameters.ParameterDefinition d = p.Parameters[index];
            *info = default;
            info->Id = d.Id;
            info->StepCount = d.StepCount;
            info->DefaultNormalized = d.DefaultNormalized;
            info->Flags = d.Flags;
            info->UnitId = 0;
            CopyString(d.Title, info->Title);
            CopyString(d.ShortTitle, info->ShortTitle);
            CopyString(d.Units, info->Units);
            return Status.Ok;
        }
        catch (Exception)
        {
            return Status.Exception;
        }
    }

    [UnmanagedCallersOnly]
    private static int ParamToString(nint handle, uint id, double normalized, char* text)
    {
        try
        {
            if (!TryGetParameter(handle, id, out PluginInstance? p, out int index) || text == null)
            {
                return Status.Argument;
            }

            CopyString(p.Parameters[index].Format(normalized), text);
            return Status.Ok;
        }
        catch (Exception)
        {
            return Status.Exception;
        }
    }

    [UnmanagedCallersOnly]
    private static int StringToParam(nint handle, uint id, char* text, double* normalized)
    {
        try
        {
            if (!TryGetParameter(handle, id, out PluginInstance? p, out int index) || text == null || normalized == null)
            {
                return Status.Argument;
            }

            string s = new ReadOnlySpan<char>(text, 128).SliceToNull().ToString();
            return p.Parameters[index].TryParse(s, out *normalized) ? Status.Ok : Status.Argument;
        }
        catch (Exception)
        {
            return Status.Exception;
        }
    }

    [UnmanagedCallersOnly]
    private static int NormalizedToPlain(nint handle, uint id, double normalized, double* plain)
    {
        try
        {
            if (!TryGetParameter(handle, id, out PluginInstance? p, out int index) || plain == null)
            {
                return Status.Argument;
            }

            *plain = p.Parameters[index].ToPlain(normalized);
            return Status.Ok;
        }
        catch (Exception)
        {
            return Status.Exception;
        }
    }

    [UnmanagedCallersOnly]
    private static int PlainToNormalized(nint handle, uint id, double plain, double* normalized)
    {
        try
        {
            if (!TryGetParameter(handle, id, out PluginInstance? p, out int index) || normalized == null)
            {
                return Status.Argument;
            }

            *normalized = p.Parameters[index].ToNormalized(plain);
            return Status.Ok;
        }
        catch (Exception)
        {
            return Status.Exception;
        }
    }

    [UnmanagedCallersOnly]
    private static int GetParam(nint handle, uint id, double* normalized)
    {
        try
        {
            if (!TryGetParameter(handle, id, out PluginInstance? p, out int index) || normalized == null)
            {
                return Status.Argument;
            }

            *normalized = p.GetControllerValue(index);
            return Status.Ok;
        }
        catch (Exception)
        {
            return Status.Exception;
        }
    }

    [UnmanagedCallersOnly]
    private static int SetParam(nint handle, uint id, double normalized)
    {
        try
        {
            if (!TryGetParameter(handle, id, out PluginInstance? p, out int index))
            {
                return Status.Argument;
            }

            p.SetControllerValue(index, normalized);
            return Status.Ok;
        }
        catch (Exception)
        {
            return Status.Exception;
        }
    }

    [UnmanagedCallersOnly]
    private static int Setup(nint handle, double sampleRate, int maxBlock, int inChannels, int outChannels)
    {
        try
        {
            if (!TryGet(handle, out PluginInstance? p))
            {
                return Status.Argument;
            }

            p.Setup(sampleRate, maxBlock, inChannels, outChannels);
            return Status.Ok;
        }
        catch (ArgumentException)
        {
            return Status.Argument;
        }
        catch (Exception)
        {
            return Status.Exception;
        }
    }

    [UnmanagedCallersOnly]
    private static int SetActive(nint handle, int active)
    {
        try
        {
            if (!TryGet(handle, out PluginInstance? p))
            {
                return Status.Argument;
            }

            p.SetActive(active != 0);
            return Status.Ok;
        }
        catch (Exception)
        {
            return Status.Exception;
        }
    }

    [UnmanagedCallersOnly]
    private static int Process(nint handle, MmProcessArgs* args)
    {
        try
        {
            if (args == null || !TryGet(handle, out PluginInstance? p))
            {
                return Status.Argument;
            }

            return p.Process(args);
        }
        catch (Exception)
        {
            return Status.Exception;
        }
    }

    [UnmanagedCallersOnly]
    private static int GetState(nint handle, byte* buffer, int capacity, int* size)
    {
        try
        {
            if (!TryGet(handle, out PluginInstance? p) || size == null)
            {
                return Status.Argument;
            }

            byte[] state = p.SaveState();
            *size = state.Length;
            if (buffer == null || capacity < state.Length)
            {
                return Status.TooSmall;
            }

            state.CopyTo(new Span<byte>(buffer, capacity));
            return Status.Ok;
        }
        catch (Exception)
        {
            return Status.Exception;
        }
    }

    [UnmanagedCallersOnly]
    private static int SetState(nint handle, byte* data, int size)
    {
        try
        {
            if (!TryGet(handle, out PluginInstance? p) || size < 0 || (data == null && size > 0))
            {
                return Status.Argument;
            }

            p.LoadState(new ReadOnlySpan<byte>(data, size));
            return Status.Ok;
        }
        catch (Exception)
        {
            return Status.Exception;
        }
    }

    [UnmanagedCallersOnly]
    private static int GetLatency(nint handle, int* latency, int* tail)
    {
        try
        {
            if (!TryGet(handle, out PluginInstance? p) || latency == null || tail == null)
            {
                return Status.Argument;
            }

            *latency = p.LatencySamples;
            *tail = p.TailSamples;
            return Status.Ok;
        }
        catch (Exception)
        {
            return Status.Exception;
        }
    }

    [UnmanagedCallersOnly]
    private static int PollEdits(nint handle, MmParamPoint* edits, int capacity, int* count)
    {
        try
        {
            if (!TryGet(handle, out PluginInstance? plugin) || edits == null || count == null || capacity < 0)
            {
                return Status.Argument;
            }

            *count = plugin.PollEdits(new Span<MmParamPoint>(edits, capacity));
            return Status.Ok;
        }
        catch (Exception)
        {
            return Status.Exception;
        }
    }

    private static bool TryGet(nint handle, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out PluginInstance? plugin)
    {
        plugin = handle == 0 ? null : Unsafe.As<PluginInstance>(GCHandle.FromIntPtr(handle).Target);
        return plugin != null;
    }

    private static bool TryGetParameter(nint handle, uint id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out PluginInstance? plugin, out int index)
    {
        index = -1;
        if (!TryGet(handle, out plugin))
        {
            return false;
        }

        index = plugin.Parameters.IndexOf(id);
        return index >= 0;
    }

    private static void CopyString(string value, char* destination)
    {
        int n = Math.Min(value.Length, 127);
        value.AsSpan(0, n).CopyTo(new Span<char>(destination, n));
        destination[n] = '\0';
    }

    private static ReadOnlySpan<char> SliceToNull(this ReadOnlySpan<char> text)
    {
        int end = text.IndexOf('\0');
        return end < 0 ? text : text[..end];
    }
}
