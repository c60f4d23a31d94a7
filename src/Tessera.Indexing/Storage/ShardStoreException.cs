namespace Tessera.Indexing.Storage;

/// <summary>A shard store refused or failed an operation.</summary>
public class ShardStoreException : TesseraException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="kind">Why it failed.</param>
    /// <param name="objectName">The object concerned, if any.</param>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public ShardStoreException(ShardStoreErrorKind kind, string? objectName, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        ObjectName = objectName;
    }

    /// <summary>Why it failed.</summary>
    public ShardStoreErrorKind Kind { get; }

    /// <summary>The object concerned, if any.</summary>
    public string? ObjectName { get; }

    /// <inheritdoc/>
    /// <remarks>The <see cref="Kind"/> value.</remarks>
    public override string ErrorKind => Kind.ToString();
}
