namespace Tessera.Indexing.Numpy;

/// <summary>A file is not a NumPy <c>.npy</c> file this library can read (bad magic, unsupported dtype or layout, truncated data).</summary>
public sealed class NpyFormatException : TesseraException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, naming the file where known.</param>
    public NpyFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with an inner cause.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public NpyFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <inheritdoc/>
    /// <remarks>Always <c>NpyFormat</c>.</remarks>
    public override string ErrorKind => "NpyFormat";
}
