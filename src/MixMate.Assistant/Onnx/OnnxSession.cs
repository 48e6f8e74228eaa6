using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using OrtException = Microsoft.ML.OnnxRuntime.OnnxRuntimeException;

namespace MixMate.Assistant.Onnx;

/// <summary>
/// One ONNX model with a single float input and a single float output, run through ONNX Runtime's
/// managed API (<see cref="InferenceSession"/>) on the calling thread with one intra-op thread.
/// The input shape comes from the model; a caller may fix dynamic dimensions (or choose another
/// shape the model accepts) at <see cref="Load(string, ReadOnlySpan{long})"/>. Input and output
/// tensors are <see cref="OrtValue"/>s over buffers allocated once at load and bound once
/// (<see cref="OrtIoBinding"/>), so <see cref="Run"/> copies in, runs and copies out without managed
/// allocation. Inference is analysis work: never call it from the audio thread. Instances
/// serialise their own <see cref="Run"/> calls.
/// </summary>
public sealed class OnnxSession : IDisposable
{
    private readonly Lock _runGate = new();
    private readonly float[] _input;
    private readonly float[] _output;
    private InferenceSession? _session;
    private RunOptions? _runOptions;
    private OrtIoBinding? _binding;
    private OrtValue? _inputValue;
    private OrtValue? _outputValue;

    private OnnxSession(InferenceSession session, string inputName, string outputName, long[] inputShape, long[] outputShape)
    {
        _session = session;
        InputName = inputName;
        OutputName = outputName;
        InputShape = inputShape;
        OutputShape = outputShape;
        _input = GC.AllocateArray<float>((int)Product(inputShape), pinned: true);
        _output = GC.AllocateArray<float>((int)Product(outputShape), pinned: true);
        _inputValue = OrtValue.CreateTensorValueFromMemory(_input, inputShape);
        _outputValue = OrtValue.CreateTensorValueFromMemory(_output, outputShape);
        _runOptions = new RunOptions();
        _binding = session.CreateIoBinding();
        _binding.BindInput(inputName, _inputValue);
        _binding.BindOutput(outputName, _outputValue);
    }

    /// <summary>Name of the model's input tensor.</summary>
    public string InputName { get; }

    /// <summary>Name of the model's output tensor.</summary>
    public string OutputName { get; }

    /// <summary>Shape of the input tensor this session feeds (dynamic dimensions fixed).</summary>
    public IReadOnlyList<long> InputShape { get; }

    /// <summary>Shape of the output tensor this session reads.</summary>
    public IReadOnlyList<long> OutputShape { get; }

    /// <summary>Number of floats the model takes (product of <see cref="InputShape"/>).</summary>
    public int InputLength => _input.Length;

    /// <summary>Number of floats the model returns.</summary>
    public int OutputLength => _output.Length;

    /// <summary>Version of the ONNX Runtime library in use, e.g. "1.31.1".</summary>
    public string RuntimeVersion => OnnxRuntimeLibrary.Version();

    /// <summary>
    /// [any thread but the audio thread] Loads <paramref name="path"/> with the input shape the
    /// model declares (dynamic dimensions count as 1). Throws <see cref="OnnxRuntimeException"/>
    /// with ONNX Runtime's message when the library is missing, the file cannot be parsed, or the
    /// model does not have one float input and one float output.
    /// </summary>
    public static OnnxSession Load(string path) => Load(path, default);

    /// <summary>
    /// [any thread but the audio thread] As <see cref="Load(string)"/>, feeding the input as
    /// <paramref name="inputShape"/> (empty: the model's own shape). The output shape is the
    /// model's; a dynamic output dimension takes the input's value at the same position (a batch),
    /// else 1.
    /// </summary>
    public static OnnxSession Load(string path, ReadOnlySpan<long> inputShape)
    {
        OnnxRuntimeLibrary.EnsureResolver();
        InferenceSession? session = null;
        try
        {
            Environment();
            using var options = new SessionOptions
            {
                IntraOpNumThreads = 1,
                InterOpNumThreads = 1,
                GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
                ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            };
            session = new InferenceSession(Path.GetFullPath(path), options);
            if (session.InputMetadata.Count != 1 || session.OutputMetadata.Count != 1)
            {
                throw new OnnxRuntimeException($"ONNX model {path}: expected one input and one output");
            }

            (string inName, NodeMetadata inMeta) = session.InputMetadata.Single();
            (string outName, NodeMetadata outMeta) = session.OutputMetadata.Single();
            if (!inMeta.IsTensor || !outMeta.IsTensor || inMeta.ElementDataType != TensorElementType.Float || outMeta.ElementDataType != TensorElementType.Float)
            {
                throw new OnnxRuntimeException($"ONNX model {path}: input and output must be float tensors");
            }

            long[] inShape = inputShape.IsEmpty ? Fixed(inMeta.Dimensions, []) : inputShape.ToArray();
            if (inputShape.Length > 0 && inputShape.Length != inMeta.Dimensions.Length)
            {
                throw new OnnxRuntimeException($"ONNX model {path}: input has rank {inMeta.Dimensions.Length}, caller asked for rank {inputShape.Length}");
            }

            long[] outShape = Fixed(outMeta.Dimensions, inShape);
            var result = new OnnxSession(session, inName, outName, inShape, outShape);
            session = null;
            return result;
        }
        catch (OrtException e)
        {
            throw Wrap(e);
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException or BadImageFormatException)
        {
            throw OnnxRuntimeLibrary.NotLoaded(e);
        }
        finally
        {
            session?.Dispose();
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
            ObjectDisposedException.ThrowIf(_session is null, this);
            input.CopyTo(_input);
            try
            {
                _session.RunWithBinding(_runOptions!, _binding!);
            }
            catch (OrtException e)
            {
                throw Wrap(e);
            }

            _output.AsSpan().CopyTo(output);
        }
    }

    /// <summary>[any thread] Releases the runtime objects; idempotent.</summary>
    public void Dispose()
    {
        lock (_runGate)
        {
            if (_session is null)
            {
                return;
            }

            _binding?.Dispose();
            _inputValue?.Dispose();
            _outputValue?.Dispose();
            _runOptions?.Dispose();
            _session.Dispose();
            _session = null;
            _binding = null;
            _inputValue = _outputValue = null;
            _runOptions = null;
        }
    }

    /// <summary>The managed package formats its errors "[ErrorCode:Name] message"; the code is kept
    /// as the runtime's <c>OrtErrorCode</c> number.</summary>
    private static OnnxRuntimeException Wrap(OrtException e)
    {
        string message = e.Message;
        int code = 1;
        const string Prefix = "[ErrorCode:";
        if (message.StartsWith(Prefix, StringComparison.Ordinal) && message.IndexOf(']', StringComparison.Ordinal) is int end and > 0)
        {
            string name = message[Prefix.Length..end];
            code = Array.IndexOf(ErrorCodeNames, name) is int i and > 0 ? i : 1;
            message = message[(end + 1)..].TrimStart();
        }

        return new OnnxRuntimeException(code, "ONNX Runtime: " + message);
    }

    // OrtErrorCode in onnxruntime_c_api.h, by value.
    private static readonly string[] ErrorCodeNames =
    [
        "Ok", "Fail", "InvalidArgument", "NoSuchFile", "NoModel", "EngineError", "RuntimeException",
        "InvalidProtobuf", "ModelLoaded", "NotImplemented", "InvalidGraph", "ExecutionProviderFail",
    ];

    private static void Environment()
    {
        // One environment per process, as ONNX Runtime asks; errors only in the log.
        OrtEnv env = OrtEnv.Instance();
        if (env.EnvLogLevel != OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR)
        {
            env.EnvLogLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR;
        }
    }

    private static long[] Fixed(int[] shape, long[] inputShape)
    {
        long[] result = new long[shape.Length];
        for (int i = 0; i < shape.Length; i++)
        {
            result[i] = shape[i] > 0 ? shape[i] : i < inputShape.Length ? inputShape[i] : 1;
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
