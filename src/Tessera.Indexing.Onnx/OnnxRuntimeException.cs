namespace Tessera.Indexing.Onnx;

/// <summary>
/// An ONNX Runtime call failed; <see cref="NativeMessage"/> carries ONNX Runtime's own message unchanged and
/// <see cref="Exception.InnerException"/> the exception ONNX Runtime's managed API threw, if any.
/// </summary>
public sealed class OnnxRuntimeException : TesseraException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="errorCode">ONNX Runtime's error code.</param>
    /// <param name="operation">The operation that failed (for example <c>CreateSession</c>).</param>
    /// <param name="nativeMessage">The message ONNX Runtime gave.</param>
    public OnnxRuntimeException(OnnxRuntimeErrorCode errorCode, string operation, string nativeMessage)
        : this(errorCode, operation, nativeMessage, $"ONNX Runtime {operation} failed ({errorCode}): {nativeMessage}")
    {
    }

    /// <summary>Creates the exception with a message of the caller's wording that still carries ONNX Runtime's.</summary>
    /// <param name="errorCode">ONNX Runtime's error code.</param>
    /// <param name="operation">The operation that failed.</param>
    /// <param name="nativeMessage">The message ONNX Runtime gave.</param>
    /// <param name="message">The full message.</param>
    /// <param name="innerException">The exception ONNX Runtime's managed API threw, if any.</param>
    public OnnxRuntimeException(OnnxRuntimeErrorCode errorCode, string operation, string nativeMessage, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorCode = errorCode;
        Operation = operation;
        NativeMessage = nativeMessage;
    }

    /// <summary>ONNX Runtime's error code.</summary>
    public OnnxRuntimeErrorCode ErrorCode { get; }

    /// <inheritdoc />
    /// <remarks>ONNX Runtime's error code, for example <c>InvalidArgument</c> or <c>NoSuchFile</c>.</remarks>
    public override string ErrorKind => ErrorCode.ToString();

    /// <summary>The operation that failed.</summary>
    public string Operation { get; }

    /// <summary>The message ONNX Runtime gave, unchanged.</summary>
    public string NativeMessage { get; }
}
