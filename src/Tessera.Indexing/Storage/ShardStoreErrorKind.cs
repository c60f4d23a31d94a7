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
}
