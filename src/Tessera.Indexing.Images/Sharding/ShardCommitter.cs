using System.Globalization;
using Tessera.Indexing.Storage;

namespace Tessera.Indexing.Images.Sharding;

/// <summary>
/// The second stage of a type's shards: after every batch, uploads what changed so that the store
/// holds every vector the build has added, in an order a crash cannot break.
/// </summary>
/// <remarks>
/// <para>A shard is uploaded <em>whole</em> (its id-map segment, then the index object) the first
/// time it is committed, when it is sealed, and when the run ends. In between, each batch's vectors
/// go into an immutable <em>batch object</em> (its ids first, then its raw vectors), so a shard of
/// <c>n</c> vectors costs about <c>2n</c> vectors' bytes of uploads instead of growing with the
/// square of the number of batches. The manifest lists the batch objects of each open shard; once a
/// whole upload supersedes them they are deleted, after the manifest and progress no longer name them.</para>
/// </remarks>
internal sealed class ShardCommitter(TypeShardSet set)
{
    private readonly List<string> _superseded = [];

    /// <summary>Uploads every changed shard; returns the objects holding vectors that were uploaded (index and batch objects).</summary>
    /// <param name="finishing">The run is ending: open shards with batch objects are uploaded whole.</param>
    /// <param name="cancellationToken">Cancels the uploads.</param>
    public async Task<int> UploadAsync(bool finishing, CancellationToken cancellationToken)
    {
        var uploads = 0;
        foreach (var shard in set.Shards)
        {
            if (!shard.Dirty(finishing))
            {
                continue;
            }

            if (shard.NeedsWholeUpload(finishing))
            {
                await UploadWholeAsync(shard, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await UploadBatchAsync(shard, cancellationToken).ConfigureAwait(false);
            }

            set.ManifestDirty = true;
            uploads++;
        }

        return uploads;
    }

    public async Task WriteManifestAsync(CancellationToken cancellationToken)
    {
        await set.Store.PutAsync(
            set.ManifestName,
            ShardingJson.Serialize(set.ToManifest()),
            new ShardPutOptions { ContentType = "application/json", Mutable = true },
            cancellationToken).ConfigureAwait(false);
        set.ManifestDirty = false;
    }

    /// <summary>Deletes the batch objects that whole uploads superseded (call once the manifest no longer lists them).</summary>
    public async Task DeleteSupersededAsync(CancellationToken cancellationToken)
    {
        foreach (var name in _superseded)
        {
            await set.Store.DeleteAsync(name, cancellationToken).ConfigureAwait(false);
        }

        _superseded.Clear();
    }

    private async Task UploadWholeAsync(ShardRecord shard, CancellationToken cancellationToken)
    {
        var index = shard.Index ?? throw new InvalidOperationException($"Shard {shard.Name} changed but its index is closed.");
        var bytes = index.Serialize();
        var count = index.Count;
        if (count != shard.Ids.Count)
        {
            throw new ShardAlignmentException($"{shard.Name} holds {count} vectors but {shard.Ids.Count} ids; refusing to upload.");
        }

        if (bytes.LongLength > set.Options.MaxShardBytes)
        {
            throw new InvalidOperationException(
                $"{shard.Name} serialised to {bytes.LongLength:N0} bytes, over MaxShardBytes ({set.Options.MaxShardBytes:N0}); the size estimate for '{set.Options.FactoryString}' was too low. Lower ItemsPerShard.");
        }

        var sha = ShardingJson.Sha256(bytes);
        var idMapSha = IdMapDigest.Compute(shard.Ids, shard.Brands, shard.Images, count);
        var segment = new IdMapSegment
        {
            Shard = shard.Name,
            FirstLabel = shard.FirstLabel,
            Ids = shard.Ids,
            Brands = shard.Brands,
            Images = shard.Images,
        };

        // The segment first: a crash in between leaves more ids than vectors, which a resume truncates.
        await set.Store.PutAsync(
            shard.SegmentName,
            ShardingJson.Serialize(segment, compact: true),
            new ShardPutOptions { ContentType = "application/json", Mutable = !shard.Sealed },
            cancellationToken).ConfigureAwait(false);
        await set.Store.PutAsync(
            shard.Name,
            bytes,
            new ShardPutOptions
            {
                ContentType = "application/octet-stream",
                Mutable = !shard.Sealed,
                Metadata = new Dictionary<string, string>
                {
                    ["sha256"] = sha,
                    ["ids-sha256"] = idMapSha,
                    ["count"] = count.ToString(CultureInfo.InvariantCulture),
                    ["first-label"] = shard.FirstLabel.ToString(CultureInfo.InvariantCulture),
                },
            },
            cancellationToken).ConfigureAwait(false);

        foreach (var batch in shard.Batches)
        {
            _superseded.Add(batch.IdMap);
            _superseded.Add(batch.Name);
        }

        shard.Batches.Clear();
        shard.ClearPending();
        shard.IndexObjectCount = count;
        shard.NTotal = count;
        shard.Entry = set.NewEntry(shard, bytes.LongLength, sha, idMapSha);
        set.Writer.Observe(bytes.LongLength, count);
        if (shard.Sealed)
        {
            shard.Close();
        }
    }

    private async Task UploadBatchAsync(ShardRecord shard, CancellationToken cancellationToken)
    {
        var entry = shard.Entry ?? throw new InvalidOperationException($"Shard {shard.Name} has batch objects but was never uploaded whole.");
        var committed = (int)shard.Committed;
        var count = (int)(shard.NTotal - committed);
        var vectors = shard.PendingVectors;
        if (vectors.Length != (long)count * set.Dimension || shard.Ids.Count != shard.NTotal)
        {
            throw new ShardAlignmentException(
                $"{shard.Name} has {count} new vectors in its index but {vectors.Length / set.Dimension} pending and {shard.Ids.Count - committed} new ids; refusing to upload.");
        }

        var number = shard.Batches.Count == 0 ? 1 : shard.Batches[^1].Number + 1;
        var firstLabel = shard.FirstLabel + committed;
        var batch = new ShardBatchEntry
        {
            Number = number,
            Name = ShardStoreLayout.BatchVectorsName(set.Model, set.Type, shard.Number, number),
            IdMap = ShardStoreLayout.BatchIdsName(set.Model, set.Type, shard.Number, number),
            Count = count,
            Bytes = (long)vectors.Length * sizeof(float),
            Sha256 = string.Empty,
            FirstLabel = firstLabel,
        };
        var ids = new IdMapSegment
        {
            Shard = shard.Name,
            FirstLabel = firstLabel,
            Ids = shard.Ids.GetRange(committed, count),
            Brands = shard.Brands.GetRange(committed, count),
            Images = shard.Images.GetRange(committed, count),
        };
        var bytes = ShardBatchObjects.EncodeVectors(vectors);
        batch = batch with { Sha256 = ShardingJson.Sha256(bytes), IdsSha256 = IdMapDigest.Compute(ids, count) };

        // The ids first, as for whole shards: vectors in the store always have their ids.
        await set.Store.PutAsync(
            batch.IdMap,
            ShardingJson.Serialize(ids, compact: true),
            ShardBatchObjects.IdsPutOptions,
            cancellationToken).ConfigureAwait(false);
        await set.Store.PutAsync(batch.Name, bytes, ShardBatchObjects.VectorsPutOptions(batch.Sha256, count, firstLabel, batch.IdsSha256), cancellationToken).ConfigureAwait(false);

        shard.Batches.Add(batch);
        shard.ClearPending();
        shard.Entry = set.NewEntry(shard, entry.Bytes, entry.Sha256, entry.IdMapSha256);
    }
}
