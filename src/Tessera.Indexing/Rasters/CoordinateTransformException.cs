namespace Tessera.Indexing.Rasters;

/// <summary>A coordinate transform could not be created or applied.</summary>
public sealed class CoordinateTransformException : TesseraException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="kind">What failed.</param>
    /// <param name="message">What happened, in one line.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public CoordinateTransformException(CoordinateTransformErrorKind kind, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
    }

    /// <summary>What failed.</summary>
    public CoordinateTransformErrorKind Kind { get; }

    /// <inheritdoc />
    public override string ErrorKind => Kind.ToString();
}
