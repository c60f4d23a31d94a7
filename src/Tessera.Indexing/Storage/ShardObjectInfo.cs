namespace Tessera.Indexing.Storage;

/// <summary>The description of a stored object.</summary>
/// <param name="Name">Its name in the store.</param>
/// <param name="Length">Its size in bytes.</param>
/// <param name="LastModified">When it was last written, where the store knows.</param>
/// <param name="ContentType">Its MIME type, where known.</param>
/// <param name="Metadata">User metadata stored with it.</param>
public sealed record ShardObjectInfo(
    string Name,
    long Length,
    DateTimeOffset? LastModified = null,
    string? ContentType = null,
    IReadOnlyDictionary<string, string>? Metadata = null);
