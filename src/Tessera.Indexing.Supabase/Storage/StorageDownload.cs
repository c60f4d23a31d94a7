namespace Tessera.Indexing.Supabase.Storage;

/// <summary>An object's bytes and the headers that came with them.</summary>
internal sealed record StorageDownload(byte[] Content, string? ContentType, string? CacheControl, string? ETag, DateTimeOffset? LastModified);
