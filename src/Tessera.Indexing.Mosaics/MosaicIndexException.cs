namespace Tessera.Indexing.Mosaics;

/// <summary>A mosaic index build failed; <see cref="Kind"/> says why and the message says what to do. Nothing is left behind.</summary>
public sealed class MosaicIndexException : TesseraException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="kind">Why the build failed.</param>
    /// <param name="message">A message naming the input at fault.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public MosaicIndexException(MosaicIndexErrorKind kind, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
    }

    /// <summary>Why the build failed.</summary>
    public MosaicIndexErrorKind Kind { get; }

    /// <summary>Whether the failure is the caller's input (as opposed to the environment: disk, concurrent build, index builder).</summary>
    public bool IsInputError => Kind is not (MosaicIndexErrorKind.DiskFull or MosaicIndexErrorKind.Io or MosaicIndexErrorKind.Busy or MosaicIndexErrorKind.IndexBuildFailed);

    /// <inheritdoc/>
    /// <remarks>The <see cref="Kind"/> value.</remarks>
    public override string ErrorKind => Kind.ToString();
}
