using Tessera.Indexing.Indexes;
using Tessera.Indexing.Storage;

namespace Tessera.Indexing.Images.Sharding;

/// <summary>
/// Loads one shard of a manifest for reading: its index object (SHA-256 checked), its id-map
/// segment, and the batch objects of a shard still open, added after the index object's vectors.
/// </summary>
internal static class ShardLoader
{
    /// <exception cref="ShardStoreException">An object is missing or does not match the manifest.</exception>
    /// <exception cref="ShardAlignmentException">The vector counts and the ids disagree, or the index object is unreadable.</exception>
    public static async Task<ShardedIndex.LoadedShard> LoadAsync(
        IShardStore store, ShardManifestEntry entry, int dimension, IVectorIndexBuilder indexBuilder, CancellationToken cancellationToken)
    {
        var blob = await store.GetAsync(entry.Name, cancellationToken).ConfigureAwait(false)
            ?? throw new ShardStoreException(ShardStoreErrorKind.NotFound, entry.Name, $"{entry.Name} is listed in the manifest but missing from {store.Location}.");
        var sha = ShardingJson.Sha256(blob.Content.Span);
        if (sha != entry.Sha256)
        {
            throw new ShardStoreException(ShardStoreErrorKind.Corrupt, entry.Name, $"{entry.Name}: SHA-256 {sha} does not match the manifest's {entry.Sha256}.");
        }

        var segment = await ShardedStoreReader.ReadSegmentAsync(store, entry.IdMap, cancellationToken).ConfigureAwait(false)
            ?? throw new ShardStoreException(ShardStoreErrorKind.NotFound, entry.IdMap, $"{entry.IdMap} (the id map of {entry.Name}) is missing from {store.Location}.");
        var index = Deserialize(indexBuilder, blob.Content.Span, entry.Name);
        try
        {
            var indexCount = entry.IndexCount;
            if (index.Count != indexCount || segment.Ids.Count < indexCount || segment.FirstLabel != entry.FirstLabel)
            {
                throw new ShardAlignmentException(
                    $"{entry.Name} holds {index.Count} vectors; the manifest says {indexCount} and its id map names {segment.Ids.Count} from label {segment.FirstLabel}.");
            }

            if (!IdMapDigest.Matches(segment, indexCount, entry.IdMapSha256))
            {
                throw new ShardStoreException(ShardStoreErrorKind.Corrupt, entry.IdMap,
                    $"{entry.IdMap}: its first {indexCount} ids do not match the manifest's checksum {entry.IdMapSha256} (the list was changed after it was written).");
            }

            var ids = new List<string>(checked((int)entry.Count));
            var images = new List<string>(ids.Capacity);
            Append(ids, images, segment, indexCount);
            foreach (var batch in entry.Batches ?? [])
            {
                var (batchIds, vectors) = await ShardBatchObjects.ReadAsync(store, batch, dimension, cancellationToken).ConfigureAwait(false);
                if (batch.FirstLabel != entry.FirstLabel + ids.Count)
                {
                    throw new ShardAlignmentException($"{batch.Name} starts at label {batch.FirstLabel}; expected {entry.FirstLabel + ids.Count}.");
                }

                index.Add(vectors);
                Append(ids, images, batchIds, batch.Count);
            }

            return new ShardedIndex.LoadedShard(entry, index, [.. ids], [.. images]);
        }
        catch
        {
            index.Dispose();
            throw;
        }
    }

    /// <summary>Reads an index object through <paramref name="indexBuilder"/>, turning any reader's failure into a <see cref="ShardAlignmentException"/>.</summary>
    public static IVectorIndex Deserialize(IVectorIndexBuilder indexBuilder, ReadOnlySpan<byte> bytes, string name)
    {
        try
        {
            return indexBuilder.Deserialize(bytes);
        }
        catch (Exception e) when (e is not (OperationCanceledException or OutOfMemoryException))
        {
            throw new ShardAlignmentException($"{name} is not a readable index: {e.Message}", e);
        }
    }

    private static void Append(List<string> ids, List<string> images, IdMapSegment segment, long count)
    {
        for (var i = 0; i < count; i++)
        {
            ids.Add(segment.Ids[i]);
            images.Add(segment.Images is { } known && i < known.Count ? known[i] : string.Empty);
        }
    }
}
