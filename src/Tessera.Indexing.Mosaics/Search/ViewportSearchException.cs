namespace Tessera.Indexing.Mosaics.Search;

/// <summary>A viewport search or open failed; <see cref="Kind"/> says why.</summary>
public sealed class ViewportSearchException : TesseraException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="kind">Why.</param>
    /// <param name="message">What happened.</param>
    /// <param name="field">The request field at fault, where one is.</param>
    /// <param name="innerException">The cause, where one is.</param>
    public ViewportSearchException(ViewportSearchErrorKind kind, string message, string? field = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        Field = field;
    }

    /// <summary>Why the search failed.</summary>
    public ViewportSearchErrorKind Kind { get; }

    /// <summary>The request field at fault (<c>k</c>, <c>threshold</c>, <c>row</c>, ...), or <see langword="null"/>.</summary>
    public string? Field { get; }

    /// <inheritdoc/>
    /// <remarks>The <see cref="Kind"/> value.</remarks>
    public override string ErrorKind => Kind.ToString();
}
