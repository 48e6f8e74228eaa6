using System.Runtime.InteropServices;
using System.Text;

namespace MixMate.Assistant.Onnx;

/// <summary>
/// One ONNX model with a single float input and a single float output (how MixMate's models are
/// exported: <c>[1, inputs] → [1, outputs]</c>), run on the calling thread with one intra-op
/// thread. Input and output tensors wrap buffers allocated once at load
/// (<c>CreateTensorWithDataAsOrtValue</c>), so <see cref="Run"/> copies in, runs and copies out
/// without managed allocation. Inference is analysis work: never call it from the audio thread.
/// Instances serialise their own <see cref="Run"/> calls.
/// </summary>
public sealed unsafe class OnnxSession : IDisposable
{
    private static readonly Lock EnvGate = new();
    private static nint _env;

    private readonly Lock _runGate = new();
    private readonly OrtApi _api;
    private readonly float[] _input;
    private readonly float[] _output;
    private readonly long[] _inputShape;
    private readonly long[] _outputShape;
    private nint _session;
    private nint _memoryInfo;
    private nint _inputValue;
    private nint _outputValue;
    private nint _inputName;
    private nint _outputName;

    private OnnxSession(OrtApi api, nint session, string inputName, string outputName, long[] inputShape, long[] outputShape)
    {
        _api = api;
        _session = session;
        InputName = inputName;
        OutputName = outputName;
        _inputShape = inputShape;
        _outputShape = outputShape;
        _input = GC.AllocateArray<float>((int)Product(inputShape), pinned: true);
        _output = GC.AllocateArray<float>((int)Product(outputShape), pinned: true);
        _inputName = Marshal.StringToCoTaskMemUTF8(inputName);
        _outputName = Marshal.StringToCoTaskMemUTF8(outputName);
        _memoryInfo = api.CreateCpuMemoryInfo();
        fixed (long* shape = _inputShape)
        {
            _inputValue = api.CreateFloatTensor(_memoryInfo, (float*)Marshal.UnsafeAddrOfPinnedArrayElement(_input, 0), _input.Length, shape, _inputShape.Length);
        }

        fixed (long* shape = _outputShape)
        {
            _outputValue = api.CreateFloatTensor(_memoryInfo, (float*)Marshal.UnsafeAddrOfPinnedArrayElement(_output, 0), _output.Length, shape, _outputShape.Length);
        }
    }

    /// <summary>Name of the model's input tensor.</summary>
    public string InputName { get; }

    /// <summary>Name of the model's output tensor.</summary>
    public string OutputName { get; }

    /// <summary>Number of floats the model takes (dynamic dimensions count as 1).</summary>
    public int InputLength => _input.Length;

    /// <summary>Number of floats the model returns.</summary>
    public int OutputLength => _output.Length;

    /// <summary>Version of the ONNX Runtime library in use, e.g. "1.30.0".</summary>
    public string RuntimeVersion => _api.RuntimeVersion;

    /// <summary>
    /// [any thread but the audio thread] Loads <paramref name="path"/>. Throws
    /// <see cref="OnnxRuntimeException"/> with ONNX Runtime's message when the library is missing,
    /// the file cannot be parsed, or the model does not have one float input and one float output.
    /// </summary>
    public static OnnxSession Load(string path)
    {
        OrtApi api = OrtApi.Instance;
        nint env = Environment(api);
        nint options = api.CreateSessionOptions();
        nint session = 0;
        try
        {
            api.SetIntraOpNumThreads(options, 1);
            api.SetInterOpNumThreads(options, 1);
            api.SetGraphOptimizationLevel(options, 99); // ORT_ENABLE_ALL
            byte[] utf8 = Encoding.UTF8.GetBytes(Path.GetFullPath(path) + "\0");
            fixed (byte* p = utf8)
            {
                session = api.CreateSession(env, p, options);
            }

            if (api.SessionGetInputCount(session) != 1 || api.SessionGetOutputCount(session) != 1)
            {
                throw new OnnxRuntimeException($"ONNX model {path}: expected one input and one output");
            }

            (int inType, long[] inShape) = api.SessionGetTensorInfo(session, 0, input: true);
            (int outType, long[] outShape) = api.SessionGetTensorInfo(session, 0, input: false);
            if (inType != 1 || outType != 1)
            {
                throw new OnnxRuntimeException($"ONNX model {path}: input and output must be float tensors");
            }

            var result = new OnnxSession(api, session, api.SessionGetName(session, 0, true), api.SessionGetName(session, 0, false), Fixed(inShape), Fixed(outShape));
            session = 0;
            return result;
        }
        finally
        {
            if (session != 0)
            {
                api.ReleaseSession(session);
            }

            api.ReleaseSessionOptions(options);
        }
    }

    /// <summary>
    /// [any thread but the audio thread, loaded] Runs the model: <paramref name="input"/> must hold
    /// <see cref="InputLength"/> values, <paramref name="output"/> room for <see cref="OutputLength"/>.
    /// </summary>
    public void Run(ReadOnlySpan<float> input, Span<float> output)
    {
        if (input.Length != _input.Length)
        {
            throw new ArgumentException($"Expected {_input.Length} inputs, got {input.Length}.", nameof(input));
        }

        if (output.Length < _output.Length)
        {
            throw new ArgumentException($"Need room for {_output.Length} outputs.", nameof(output));
        }

        lock (_runGate)
        {
            ObjectDisposedException.ThrowIf(_session == 0, this);
            input.CopyTo(_input);
            nint inName = _inputName;
            nint outName = _outputName;
            nint inValue = _inputValue;
            nint outValue = _outputValue;
            _api.Run(_session, (byte**)&inName, &inValue, 1, (byte**)&outName, 1, &outValue);
            _output.AsSpan().CopyTo(output);
        }
    }

    /// <summary>[any thread] Releases the runtime objects; idempotent.</summary>
    public void Dispose()
    {
        lock (_runGate)
        {
            if (_session == 0)
            {
                return;
            }

            _api.ReleaseValue(_inputValue);
            _api.ReleaseValue(_outputValue);
            _api.ReleaseMemoryInfo(_memoryInfo);
            _api.ReleaseSession(_session);
            Marshal.FreeCoTaskMem(_inputName);
            Marshal.FreeCoTaskMem(_outputName);
            _session = _memoryInfo = _inputValue = _outputValue = _inputName = _outputName = 0;
        }
    }

    private static nint Environment(OrtApi api)
    {
        lock (EnvGate)
        {
            if (_env == 0)
            {
                // One environment per process, as ONNX Runtime asks; log level 3 = errors only.
                byte[] id = "mixmate\0"u8.ToArray();
                fixed (byte* p = id)
                {
                    _env = api.CreateEnv(3, p);
                }
            }

            return _env;
        }
    }

    private static long[] Fixed(long[] shape)
    {
        long[] result = new long[shape.Length];
        for (int i = 0; i < shape.Length; i++)
        {
            result[i] = shape[i] > 0 ? shape[i] : 1;
        }

        return result;
    }

    private static long Product(long[] shape)
    {
        long n = 1;
        foreach (long d in shape)
        {
            n *= d;
        }

        return n;
    }
}
