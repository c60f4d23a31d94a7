namespace Tessera.Indexing.Images.Sharding;

/// <summary>
/// The id map and the shards disagree (a count, a label range, a duplicate id), or a store's state
/// cannot be reconciled. A build stops with it rather than write an index whose labels point at the
/// wrong items.
/// </summary>
public sealed class ShardAlignmentException : TesseraException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What disagrees.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public ShardAlignmentException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <inheritdoc/>
    /// <remarks>Always <c>ShardAlignment</c>.</remarks>
    public override string ErrorKind => "ShardAlignment";
}
