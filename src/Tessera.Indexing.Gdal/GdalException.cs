namespace Tessera.Indexing.Gdal;

/// <summary>A GDAL operation failed; <see cref="Exception.Message"/> carries GDAL's own message (<c>CPLGetLastErrorMsg</c>).</summary>
public sealed class GdalException : TesseraException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="kind">GDAL's error number.</param>
    /// <param name="operation">What was being done (for example <c>open '/data/mosaic.tif'</c>).</param>
    /// <param name="nativeMessage">The message GDAL gave.</param>
    public GdalException(GdalErrorKind kind, string operation, string nativeMessage)
        : base($"GDAL {operation} failed: {nativeMessage}")
    {
        Kind = kind;
        Operation = operation;
        NativeMessage = nativeMessage;
    }

    /// <summary>GDAL's error number.</summary>
    public GdalErrorKind Kind { get; }

    /// <summary>What was being done.</summary>
    public string Operation { get; }

    /// <summary>The message GDAL gave, unchanged.</summary>
    public string NativeMessage { get; }

    /// <inheritdoc/>
    /// <remarks>The <see cref="Kind"/> value.</remarks>
    public override string ErrorKind => Kind.ToString();
}
