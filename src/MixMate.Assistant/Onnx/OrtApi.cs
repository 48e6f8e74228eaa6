using System.Runtime.InteropServices;

namespace MixMate.Assistant.Onnx;

/// <summary>
/// The ONNX Runtime C API function table (<c>struct OrtApi</c> in <c>onnxruntime_c_api.h</c>) as
/// typed function pointers. The table is append-only across releases, so the slot numbers below —
/// each a member's position in the struct — hold for every runtime that serves
/// <see cref="Version"/>; <c>OrtApiBase::GetApi</c> returns null for a version the runtime lacks.
/// </summary>
internal sealed unsafe class OrtApi
{
    /// <summary>Requested API version: 13 (ONNX Runtime 1.13) already has every call used here;
    /// newer runtimes serve older versions unchanged.</summary>
    public const uint Version = 13;

    // Slot numbers: member order of struct OrtApi (onnxruntime_c_api.h, ORT_API_VERSION ≥ 13).
    private const int SlotGetErrorCode = 1;
    private const int SlotGetErrorMessage = 2;
    private const int SlotCreateEnv = 3;
    private const int SlotCreateSession = 7;
    private const int SlotRun = 9;
    private const int SlotCreateSessionOptions = 10;
    private const int SlotSetSessionGraphOptimizationLevel = 23;
    private const int SlotSetIntraOpNumThreads = 24;
    private const int SlotSetInterOpNumThreads = 25;
    private const int SlotSessionGetInputCount = 30;
    private const int SlotSessionGetOutputCount = 31;
    private const int SlotSessionGetInputTypeInfo = 33;
    private const int SlotSessionGetOutputTypeInfo = 34;
    private const int SlotSessionGetInputName = 36;
    private const int SlotSessionGetOutputName = 37;
    private const int SlotCreateTensorWithDataAsOrtValue = 49;
    private const int SlotCastTypeInfoToTensorInfo = 55;
    private const int SlotGetTensorElementType = 60;
    private const int SlotGetDimensionsCount = 61;
    private const int SlotGetDimensions = 62;
    private const int SlotCreateCpuMemoryInfo = 69;
    private const int SlotAllocatorFree = 76;
    private const int SlotGetAllocatorWithDefaultOptions = 78;
    private const int SlotReleaseEnv = 92;
    private const int SlotReleaseStatus = 93;
    private const int SlotReleaseMemoryInfo = 94;
    private const int SlotReleaseSession = 95;
    private const int SlotReleaseValue = 96;
    private const int SlotReleaseTypeInfo = 98;
    private const int SlotReleaseSessionOptions = 100;

    private static readonly Lock Gate = new();
    private static OrtApi? _instance;

    private readonly nint* _table;

    private OrtApi(nint* table, string runtimeVersion)
    {
        _table = table;
        RuntimeVersion = runtimeVersion;
    }

    /// <summary>Version string of the loaded runtime, e.g. "1.30.0".</summary>
    public string RuntimeVersion { get; }

    /// <summary>[any thread, not the audio thread] The process-wide table; loads the library on first use.</summary>
    public static OrtApi Instance
    {
        get
        {
            lock (Gate)
            {
                if (_instance is null)
                {
                    var getApiBase = (delegate* unmanaged<nint*>)OnnxRuntimeLibrary.GetApiBaseExport();
                    nint* apiBase = getApiBase();

                    // struct OrtApiBase { GetApi(uint32_t version); GetVersionString(void); }
                    var getApi = (delegate* unmanaged<uint, nint*>)apiBase[0];
                    var getVersion = (delegate* unmanaged<byte*>)apiBase[1];
                    string version = Marshal.PtrToStringUTF8((nint)getVersion()) ?? "?";
                    nint* table = getApi(Version);
                    if (table is null)
                    {
                        throw new OnnxRuntimeException($"ONNX Runtime {version} does not serve C API version {Version}");
                    }

                    _instance = new OrtApi(table, version);
                }

                return _instance;
            }
        }
    }

    /// <summary>Throws the runtime's message when <paramref name="status"/> is not null (success).</summary>
    public void Check(nint status)
    {
        if (status == 0)
        {
            return;
        }

        int code = ((delegate* unmanaged<nint, int>)_table[SlotGetErrorCode])(status);
        string message = Marshal.PtrToStringUTF8(((delegate* unmanaged<nint, nint>)_table[SlotGetErrorMessage])(status)) ?? "unknown error";
        ((delegate* unmanaged<nint, void>)_table[SlotReleaseStatus])(status);
        throw new OnnxRuntimeException(code, $"ONNX Runtime: {message}");
    }

    public nint CreateEnv(int logSeverity, byte* logId)
    {
        nint env;
        Check(((delegate* unmanaged<int, byte*, nint*, nint>)_table[SlotCreateEnv])(logSeverity, logId, &env));
        return env;
    }

    public nint CreateSessionOptions()
    {
        nint options;
        Check(((delegate* unmanaged<nint*, nint>)_table[SlotCreateSessionOptions])(&options));
        return options;
    }

    public void SetIntraOpNumThreads(nint options, int threads) =>
        Check(((delegate* unmanaged<nint, int, nint>)_table[SlotSetIntraOpNumThreads])(options, threads));

    public void SetInterOpNumThreads(nint options, int threads) =>
        Check(((delegate* unmanaged<nint, int, nint>)_table[SlotSetInterOpNumThreads])(options, threads));

    public void SetGraphOptimizationLevel(nint options, int level) =>
        Check(((delegate* unmanaged<nint, int, nint>)_table[SlotSetSessionGraphOptimizationLevel])(options, level));

    public nint CreateSession(nint env, byte* path, nint options)
    {
        nint session;
        Check(((delegate* unmanaged<nint, byte*, nint, nint*, nint>)_table[SlotCreateSession])(env, path, options, &session));
        return session;
    }

    public nuint SessionGetInputCount(nint session)
    {
        nuint count;
        Check(((delegate* unmanaged<nint, nuint*, nint>)_table[SlotSessionGetInputCount])(session, &count));
        return count;
    }

    public nuint SessionGetOutputCount(nint session)
    {
        nuint count;
        Check(((delegate* unmanaged<nint, nuint*, nint>)_table[SlotSessionGetOutputCount])(session, &count));
        return count;
    }

    public string SessionGetName(nint session, nuint index, bool input)
    {
        nint allocator;
        Check(((delegate* unmanaged<nint*, nint>)_table[SlotGetAllocatorWithDefaultOptions])(&allocator));
        byte* name;
        int slot = input ? SlotSessionGetInputName : SlotSessionGetOutputName;
        Check(((delegate* unmanaged<nint, nuint, nint, byte**, nint>)_table[slot])(session, index, allocator, &name));
        try
        {
            return Marshal.PtrToStringUTF8((nint)name) ?? string.Empty;
        }
        finally
        {
            Check(((delegate* unmanaged<nint, void*, nint>)_table[SlotAllocatorFree])(allocator, name));
        }
    }

    /// <summary>Element type (<c>ONNXTensorElementDataType</c>, 1 = float) and shape (−1 = dynamic).</summary>
    public (int ElementType, long[] Shape) SessionGetTensorInfo(nint session, nuint index, bool input)
    {
        nint typeInfo;
        int slot = input ? SlotSessionGetInputTypeInfo : SlotSessionGetOutputTypeInfo;
        Check(((delegate* unmanaged<nint, nuint, nint*, nint>)_table[slot])(session, index, &typeInfo));
        try
        {
            nint tensorInfo;
            Check(((delegate* unmanaged<nint, nint*, nint>)_table[SlotCastTypeInfoToTensorInfo])(typeInfo, &tensorInfo));
            if (tensorInfo == 0)
            {
                throw new OnnxRuntimeException("ONNX model: input/output is not a tensor");
            }

            int elementType;
            Check(((delegate* unmanaged<nint, int*, nint>)_table[SlotGetTensorElementType])(tensorInfo, &elementType));
            nuint rank;
            Check(((delegate* unmanaged<nint, nuint*, nint>)_table[SlotGetDimensionsCount])(tensorInfo, &rank));
            long[] shape = new long[(int)rank];
            fixed (long* dims = shape)
            {
                Check(((delegate* unmanaged<nint, long*, nuint, nint>)_table[SlotGetDimensions])(tensorInfo, dims, rank));
            }

            return (elementType, shape);
        }
        finally
        {
            ((delegate* unmanaged<nint, void>)_table[SlotReleaseTypeInfo])(typeInfo);
        }
    }

    public nint CreateCpuMemoryInfo()
    {
        nint info;

        // OrtDeviceAllocator = 0, OrtMemTypeDefault = 0.
        Check(((delegate* unmanaged<int, int, nint*, nint>)_table[SlotCreateCpuMemoryInfo])(0, 0, &info));
        return info;
    }

    /// <summary>A float tensor over caller-owned memory; the memory must outlive the value.</summary>
    public nint CreateFloatTensor(nint memoryInfo, float* data, int count, long* shape, int rank)
    {
        nint value;

        // ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT = 1.
        Check(((delegate* unmanaged<nint, void*, nuint, long*, nuint, int, nint*, nint>)_table[SlotCreateTensorWithDataAsOrtValue])(
            memoryInfo, data, (nuint)(count * sizeof(float)), shape, (nuint)rank, 1, &value));
        return value;
    }

    public void Run(nint session, byte** inputNames, nint* inputs, nuint inputCount, byte** outputNames, nuint outputCount, nint* outputs) =>
        Check(((delegate* unmanaged<nint, nint, byte**, nint*, nuint, byte**, nuint, nint*, nint>)_table[SlotRun])(
            session, 0, inputNames, inputs, inputCount, outputNames, outputCount, outputs));

    public void ReleaseEnv(nint p) => ((delegate* unmanaged<nint, void>)_table[SlotReleaseEnv])(p);

    public void ReleaseSession(nint p) => ((delegate* unmanaged<nint, void>)_table[SlotReleaseSession])(p);

    public void ReleaseSessionOptions(nint p) => ((delegate* unmanaged<nint, void>)_table[SlotReleaseSessionOptions])(p);

    public void ReleaseMemoryInfo(nint p) => ((delegate* unmanaged<nint, void>)_table[SlotReleaseMemoryInfo])(p);

    public void ReleaseValue(nint p) => ((delegate* unmanaged<nint, void>)_table[SlotReleaseValue])(p);
}
