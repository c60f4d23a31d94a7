namespace Tessera.Indexing.Supabase.Storage;

/// <summary>One entry of <c>POST /storage/v1/object/list/{bucket}</c>: a file, or a folder (whose <c>id</c> is null).</summary>
internal sealed record StorageListEntry(string Name, bool IsFolder, long Size, string? ContentType, DateTimeOffset? UpdatedAt);
