namespace Tessera.Indexing.Supabase.Tests.Server;

/// <summary>An object held by the fake Storage server.</summary>
public sealed record StoredObject(
    Guid Id,
    byte[] Content,
    string ContentType,
    string CacheControl,
    string UserMetadataJson,
    DateTimeOffset Created,
    DateTimeOffset Updated)
{
    public string ETag => "\"" + Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(Content)) + "\"";
}
