namespace Tessera.Indexing.Imaging;

/// <summary>An image could not be decoded; <see cref="Exception.Message"/> says why (missing, corrupt, unsupported).</summary>
public sealed class ImageDecodeException : TesseraException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="location">The image's location, or a description of in-memory bytes.</param>
    /// <param name="message">Why it failed.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public ImageDecodeException(string location, string message, Exception? innerException = null)
        : base($"Cannot decode image '{location}': {message}", innerException)
    {
        Location = location;
        Reason = message;
    }

    /// <summary>The image's location.</summary>
    public string Location { get; }

    /// <summary>Why it failed, without the location.</summary>
    public string Reason { get; }

    /// <inheritdoc/>
    /// <remarks>Always <c>ImageDecode</c>.</remarks>
    public override string ErrorKind => "ImageDecode";
}
