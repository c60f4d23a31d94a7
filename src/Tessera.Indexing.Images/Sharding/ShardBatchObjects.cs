using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using Tessera.Indexing.Storage;

namespace Tessera.Indexing.Images.Sharding;

/// <summary>
/// Writes and reads the batch objects of an open shard: the vectors as raw little-endian float32
/// rows (no header, so a batch costs exactly its vectors' bytes) and their ids as an <see cref="IdMapSegment"/>.
/// </summary>
internal static class ShardBatchObjects
{
    /// <summary>How a batch's ids are stored (mutable, for the reason given at <see cref="VectorsPutOptions"/>).</summary>
    public static ShardPutOptions IdsPutOptions { get; } = new() { ContentType = "application/json", Mutable = true };

    public static byte[] EncodeVectors(ReadOnlySpan<float> vectors)
    {
        var bytes = GC.AllocateUninitializedArray<byte>(checked(vectors.Length * sizeof(float)));
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(vectors).CopyTo(bytes);
        }
        else
        {
            for (var i = 0; i < vectors.Length; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), vectors[i]);
            }
        }

        return bytes;
    }

    public static float[] DecodeVectors(ReadOnlySpan<byte> bytes, int dimension, string name)
    {
        if (dimension <= 0 || bytes.Length % (dimension * sizeof(float)) != 0)
        {
            throw new ShardStoreException(ShardStoreErrorKind.Corrupt, name, $"{name}: {bytes.Length} bytes are not whole {dimension}-d float32 vectors.");
        }

        var vectors = GC.AllocateUninitializedArray<float>(bytes.Length / sizeof(float));
        if (BitConverter.IsLittleEndian)
        {
            bytes.CopyTo(MemoryMarshal.AsBytes(vectors.AsSpan()));
        }
        else
        {
            for (var i = 0; i < vectors.Length; i++)
            {
                vectors[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * sizeof(float))..]);
            }
        }

        return vectors;
    }

    /// <summary>
    /// How a batch's vectors are stored. Batch objects never change once committed, but a name can be
    /// used again for other content after a crash left an uncommitted one behind, so they are stored as
    /// mutable (never served stale from a cache).
    /// </summary>
    public static ShardPutOptions VectorsPutOptions(string sha, long count, long firstLabel, string? idsSha = null)
    {
        var metadata = new Dictionary<string, string>
        {
            ["sha256"] = sha,
            ["count"] = count.ToString(CultureInfo.InvariantCulture),
            ["first-label"] = firstLabel.ToString(CultureInfo.InvariantCulture),
        };
        if (idsSha is not null)
        {
            metadata["ids-sha256"] = idsSha;
        }

        return new() { ContentType = "application/octet-stream", Mutable = true, Metadata = metadata };
    }

    /// <summary>Reads a committed batch (both objects), checking presence, size, SHA-256 (of the vectors and of the ids), count and first label against <paramref name="batch"/>.</summary>
    /// <exception cref="ShardStoreException">An object is missing (<see cref="ShardStoreErrorKind.NotFound"/>) or does not match the manifest (<see cref="ShardStoreErrorKind.Corrupt"/>).</exception>
    public static async Task<(IdMapSegment Ids, float[] Vectors)> ReadAsync(IShardStore store, ShardBatchEntry batch, int dimension, CancellationToken cancellationToken)
    {
        var ids = await ShardedStoreReader.ReadSegmentAsync(store, batch.IdMap, cancellationToken).ConfigureAwait(false)
            ?? throw new ShardStoreException(ShardStoreErrorKind.NotFound, batch.IdMap, $"{batch.IdMap} (the ids of batch object {batch.Name}) is missing from {store.Location}.");
        var blob = await store.GetAsync(batch.Name, cancellationToken).ConfigureAwait(false)
            ?? throw new ShardStoreException(ShardStoreErrorKind.NotFound, batch.Name, $"{batch.Name} is listed in the manifest but missing from {store.Location}.");
        var sha = ShardingJson.Sha256(blob.Content.Span);
        if (blob.Content.Length != batch.Bytes || sha != batch.Sha256)
        {
            throw new ShardStoreException(ShardStoreErrorKind.Corrupt, batch.Name,
                $"{batch.Name}: {blob.Content.Length:N0} bytes with SHA-256 {sha}; the manifest records {batch.Bytes:N0} bytes with {batch.Sha256}.");
        }

        if (ids.Ids.Count == batch.Count && !IdMapDigest.Matches(ids, batch.Count, batch.IdsSha256))
        {
            throw new ShardStoreException(ShardStoreErrorKind.Corrupt, batch.IdMap,
                $"{batch.IdMap}: its ids do not match the manifest's checksum {batch.IdsSha256} (the list was changed after it was written).");
        }

        var vectors = DecodeVectors(blob.Content.Span, dimension, batch.Name);
        if (vectors.Length / dimension != batch.Count || ids.Ids.Count != batch.Count || ids.FirstLabel != batch.FirstLabel)
        {
            throw new ShardStoreException(ShardStoreErrorKind.Corrupt, batch.Name,
                $"{batch.Name} holds {vectors.Length / dimension} vectors and {batch.IdMap} {ids.Ids.Count} ids from label {ids.FirstLabel}; the manifest says {batch.Count} from label {batch.FirstLabel}.");
        }

        return (ids, vectors);
    }
}
