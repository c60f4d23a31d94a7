namespace Tessera.Indexing.Faiss;

/// <summary>A FAISS operation failed; <see cref="Exception.Message"/> carries FAISS's own message.</summary>
public sealed class FaissException : TesseraException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="kind">The kind of failure.</param>
    /// <param name="operation">The operation that failed (for example <c>train</c>).</param>
    /// <param name="nativeMessage">The message FAISS gave.</param>
    public FaissException(FaissErrorKind kind, string operation, string nativeMessage)
        : base($"FAISS {operation} failed: {nativeMessage}")
    {
        Kind = kind;
        Operation = operation;
        NativeMessage = nativeMessage;
    }

    /// <summary>The kind of failure.</summary>
    public FaissErrorKind Kind { get; }

    /// <summary>The operation that failed.</summary>
    public string Operation { get; }

    /// <summary>The message FAISS gave, unchanged.</summary>
    public string NativeMessage { get; }

    /// <inheritdoc/>
    /// <remarks>The <see cref="Kind"/> value.</remarks>
    public override string ErrorKind => Kind.ToString();
}
