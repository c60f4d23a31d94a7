namespace Tessera.Indexing.Supabase.Storage;

/// <summary>What <c>GET /storage/v1/object/info/{bucket}/{path}</c> says about an object.</summary>
internal sealed record StorageObjectDescription(
    string Path,
    long Size,
    string? ContentType,
    string? CacheControl,
    string? ETag,
    DateTimeOffset? LastModified,
    IReadOnlyDictionary<string, string> Metadata);
