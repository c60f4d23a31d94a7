using System.Runtime.CompilerServices;
using Tessera.Indexing.Storage;

namespace Tessera.Indexing.Images.Sharding;

/// <summary>Reads the JSON documents of a sharded index from a store.</summary>
internal static class ShardedStoreReader
{
    public static async Task<BuildProgressDocument?> ReadProgressAsync(IShardStore store, CancellationToken cancellationToken)
    {
        var blob = await store.GetAsync(ShardStoreLayout.ProgressName, cancellationToken).ConfigureAwait(false);
        if (blob is null)
        {
            return null;
        }

        var progress = ShardingJson.Deserialize<BuildProgressDocument>(blob.Content, ShardStoreLayout.ProgressName);
        CheckVersion(progress.FormatVersion, ShardStoreLayout.ProgressName);
        return progress;
    }

    public static async Task<ShardManifest?> ReadManifestAsync(IShardStore store, string model, string type, CancellationToken cancellationToken)
    {
        var name = ShardStoreLayout.ManifestName(model, type);
        var blob = await store.GetAsync(name, cancellationToken).ConfigureAwait(false);
        if (blob is null)
        {
            return null;
        }

        var manifest = ShardingJson.Deserialize<ShardManifest>(blob.Content, name);
        CheckVersion(manifest.FormatVersion, name);
        return manifest;
    }

    public static async Task<IdMapSegment?> ReadSegmentAsync(IShardStore store, string name, CancellationToken cancellationToken)
    {
        var blob = await store.GetAsync(name, cancellationToken).ConfigureAwait(false);
        if (blob is null)
        {
            return null;
        }

        var segment = ShardingJson.Deserialize<IdMapSegment>(blob.Content, name);
        CheckVersion(segment.FormatVersion, name);
        if (segment.Brands is not null && segment.Brands.Count != segment.Ids.Count)
        {
            throw new ShardStoreException(ShardStoreErrorKind.Corrupt, name, $"'{name}' has {segment.Ids.Count} ids but {segment.Brands.Count} brands.");
        }

        return segment;
    }

    /// <summary>The item ids of every vector of a shard, in label order: its segment's first <see cref="ShardManifestEntry.IndexCount"/>, then its batch objects'.</summary>
    /// <exception cref="ShardStoreException">The segment or a batch's ids object is missing.</exception>
    /// <exception cref="ShardAlignmentException">They name fewer ids than the manifest counts, or do not match its checksums.</exception>
    public static async Task<List<string>> ReadShardIdsAsync(IShardStore store, ShardManifestEntry entry, CancellationToken cancellationToken)
    {
        var segment = await ReadSegmentAsync(store, entry.IdMap, cancellationToken).ConfigureAwait(false)
            ?? throw new ShardStoreException(ShardStoreErrorKind.NotFound, entry.IdMap, $"{store.Location}{entry.IdMap} is missing.");
        if (segment.Ids.Count < entry.IndexCount)
        {
            throw new ShardAlignmentException($"{store.Location}{entry.Name} holds {entry.IndexCount} vectors but its id map names {segment.Ids.Count}.");
        }

        if (!IdMapDigest.Matches(segment, entry.IndexCount, entry.IdMapSha256))
        {
            throw new ShardAlignmentException($"{store.Location}{entry.IdMap}: its first {entry.IndexCount} ids do not match the manifest's checksum (the list was changed after it was written).");
        }

        var ids = new List<string>(checked((int)entry.Count));
        ids.AddRange(segment.Ids.Take(checked((int)entry.IndexCount)));
        foreach (var batch in entry.Batches ?? [])
        {
            var batchIds = await ReadSegmentAsync(store, batch.IdMap, cancellationToken).ConfigureAwait(false)
                ?? throw new ShardStoreException(ShardStoreErrorKind.NotFound, batch.IdMap, $"{store.Location}{batch.IdMap} is missing.");
            if (batchIds.Ids.Count != batch.Count)
            {
                throw new ShardAlignmentException($"{store.Location}{batch.IdMap} names {batchIds.Ids.Count} ids; the manifest says {batch.Count}.");
            }

            if (!IdMapDigest.Matches(batchIds, batch.Count, batch.IdsSha256))
            {
                throw new ShardAlignmentException($"{store.Location}{batch.IdMap}: its ids do not match the manifest's checksum (the list was changed after it was written).");
            }

            ids.AddRange(batchIds.Ids);
        }

        return ids;
    }

    /// <summary>The (model, type) pairs that have a manifest at the root of <paramref name="store"/> (not inside partitions).</summary>
    public static async IAsyncEnumerable<(string Model, string Type)> FindManifestsAsync(IShardStore store, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        const string suffix = "_manifest.json";
        await foreach (var info in store.ListAsync(string.Empty, cancellationToken).ConfigureAwait(false))
        {
            if (info.Name.Contains('/', StringComparison.Ordinal) || !info.Name.EndsWith(suffix, StringComparison.Ordinal))
            {
                continue;
            }

            var stem = info.Name[..^suffix.Length];
            var underscore = stem.IndexOf('_', StringComparison.Ordinal);
            if (underscore > 0 && underscore < stem.Length - 1)
            {
                yield return (stem[..underscore], stem[(underscore + 1)..]);
            }
        }
    }

    /// <summary>The model name of the store: from progress.json, else the only model with manifests.</summary>
    public static async Task<string> ResolveModelAsync(IShardStore store, string? model, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(model))
        {
            return model;
        }

        BuildProgressDocument? progress = null;
        try
        {
            progress = await ReadProgressAsync(store, cancellationToken).ConfigureAwait(false);
        }
        catch (ShardStoreException e) when (e.Kind == ShardStoreErrorKind.Corrupt)
        {
            // An unreadable progress.json: the manifests still name the model (check-alignment reports the file).
        }

        return await ModelFromProgressAsync(store, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The model name of the store given its progress document, already read (null: none or unreadable): its model, else the only model with manifests.</summary>
    internal static async Task<string> ModelFromProgressAsync(IShardStore store, BuildProgressDocument? progress, CancellationToken cancellationToken)
    {
        if (progress is not null)
        {
            return progress.Model;
        }

        var models = new SortedSet<string>(StringComparer.Ordinal);
        await foreach (var (m, _) in FindManifestsAsync(store, cancellationToken).ConfigureAwait(false))
        {
            models.Add(m);
        }

        return models.Count switch
        {
            1 => models.Min!,
            0 => throw new ShardStoreException(ShardStoreErrorKind.NotFound, ShardStoreLayout.ProgressName, $"{store.Location} holds no sharded index (no progress.json and no manifest)."),
            _ => throw new InvalidOperationException($"{store.Location} holds several models ({string.Join(", ", models)}); name one."),
        };
    }

    private static void CheckVersion(int version, string name)
    {
        if (version < 1 || version > ShardStoreLayout.FormatVersion)
        {
            throw new ShardStoreException(ShardStoreErrorKind.Corrupt, name, $"'{name}' has format version {version}; this library reads versions 1 to {ShardStoreLayout.FormatVersion}.");
        }
    }
}
