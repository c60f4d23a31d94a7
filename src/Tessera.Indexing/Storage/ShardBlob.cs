namespace Tessera.Indexing.Storage;

/// <summary>A stored object and its bytes.</summary>
/// <param name="Info">Its description.</param>
/// <param name="Content">Its bytes.</param>
public sealed record ShardBlob(ShardObjectInfo Info, ReadOnlyMemory<byte> Content);
