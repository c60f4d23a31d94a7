namespace Tessera.Indexing.Supabase.Storage;

/// <summary>What <c>GET /storage/v1/bucket/{id}</c> says about a bucket.</summary>
internal sealed record StorageBucketInfo(string Id, bool Public, long? FileSizeLimit);
