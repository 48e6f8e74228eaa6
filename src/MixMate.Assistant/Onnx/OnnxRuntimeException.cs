namespace MixMate.Assistant.Onnx;

/// <summary>
/// An ONNX Runtime call failed, or the runtime could not be loaded. <see cref="Exception.Message"/>
/// carries ONNX Runtime's own message (prefixed "ONNX Runtime: ") so a user sees what the runtime
/// said; <see cref="ErrorCode"/> is the runtime's <c>OrtErrorCode</c> (0 when the
/// failure happened before the runtime was reached, e.g. the library file is missing).
/// </summary>
public sealed class OnnxRuntimeException : Exception
{
    public OnnxRuntimeException()
    {
    }

    public OnnxRuntimeException(string message)
        : base(message)
    {
    }

    public OnnxRuntimeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public OnnxRuntimeException(int errorCode, string message)
        : base(message) => ErrorCode = errorCode;

    /// <summary><c>OrtErrorCode</c>: 1 fail, 2 invalid argument, 3 no such file, 4 no model,
    /// 7 invalid protobuf, 10 invalid graph, …; 0 when no runtime call was involved.</summary>
    public int ErrorCode { get; }
}
