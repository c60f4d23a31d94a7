namespace Tessera.Indexing;

/// <summary>
/// The base of every exception the Tessera.Indexing packages throw on purpose (FAISS, GDAL, ONNX Runtime
/// and store failures, corrupt files, invalid mosaics, failed searches). Catch it to handle any Tessera
/// failure in one place; catch a subclass (or switch on <see cref="ErrorKind"/>) for one kind.
/// Argument misuse still throws the standard <see cref="ArgumentException"/> family, and cancellation
/// <see cref="OperationCanceledException"/>.
/// </summary>
public abstract class TesseraException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What happened, in one line.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    protected TesseraException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>
    /// The kind of failure as a stable name (for example <c>Corrupt</c>, <c>NotFound</c>): the subclass's
    /// own <c>Kind</c> value where it has one. Suitable for logs, exit codes and JSON error bodies.
    /// </summary>
    public abstract string ErrorKind { get; }
}
