namespace Tessera.Indexing.Storage;

/// <summary>Why a shard store refused an operation.</summary>
public enum ShardStoreErrorKind
{
    /// <summary>Any other failure.</summary>
    Other = 0,

    /// <summary>The object does not exist.</summary>
    NotFound,

    /// <summary>The object exists and overwriting was not asked for.</summary>
    AlreadyExists,

    /// <summary>The object is larger than the store accepts.</summary>
    TooLarge,

    /// <summary>The credentials are missing, wrong or expired, or a policy forbids the call.</summary>
    Unauthorized,

    /// <summary>A transient failure that outlasted the retries (rate limit, server error, dropped connection).</summary>
    Unavailable,

    /// <summary>The stored bytes do not match their recorded checksum.</summary>
    Corrupt,

    /// <summary>
    /// The store itself does not exist (a bucket, a container), so nothing in it can be read. Unlike an empty
    /// store, this is an error for a reader; a build starts from nothing and its first upload creates the store.
    /// </summary>
    StoreNotFound,
}
