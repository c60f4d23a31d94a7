using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;
using Tessera.Indexing.Faiss;
using Tessera.Indexing.Images.Embeddings;
using Tessera.Indexing.Images.Items;
using Tessera.Indexing.Imaging;
using Tessera.Indexing.Indexes;
using Tessera.Indexing.Items;
using Tessera.Indexing.Storage;

namespace Tessera.Indexing.Images.Sharding;

/// <summary>
/// Verifies a sharded index against its id map: every shard's <c>ntotal</c> equals its manifest
/// count and its id-map slice, no id appears twice, label ranges are consistent, SHA-256 checksums
/// match, progress.json claims nothing the store lacks, every item of a given source is indexed
/// exactly once or recorded as failed, and a random sample of items, re-embedded, finds itself as
/// nearest neighbour at similarity ~1 (distance ~0).
/// </summary>
public sealed class AlignmentChecker
{
    private const int MaxReportedPerKind = 20;
    private readonly IShardStore _store;
    private readonly ILogger _logger;

    /// <summary>Creates a checker for <paramref name="store"/> (the root of a merged store, an unpartitioned store, or one partition's namespace).</summary>
    /// <param name="store">The store.</param>
    /// <param name="logger">Logs each problem as it is found.</param>
    public AlignmentChecker(IShardStore store, ILogger<AlignmentChecker>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>Runs the checks.</summary>
    /// <param name="options">Types, sample size, embedders; <see langword="null"/> for the structural checks only.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>The report; <see cref="AlignmentReport.IsAligned"/> when no problem was found.</returns>
    public async Task<AlignmentReport> CheckAsync(AlignmentCheckOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new AlignmentCheckOptions();
        var problems = new List<AlignmentProblem>();
        var warnings = new List<string>();
        var counts = new Dictionary<(AlignmentProblemKind, string?), int>();
        void Problem(AlignmentProblemKind kind, string? type, string? name, string message)
        {
            var key = (kind, type);
            counts[key] = counts.GetValueOrDefault(key) + 1;
            if (counts[key] <= MaxReportedPerKind)
            {
                problems.Add(new AlignmentProblem(kind, type, name, message));
                _logger.LogError("{Kind} ({Type}): {Message}", kind, type, message);
            }
        }

        var model = await ShardedStoreReader.ResolveModelAsync(_store, options.Model, cancellationToken).ConfigureAwait(false);
        var progress = await ShardedStoreReader.ReadProgressAsync(_store, cancellationToken).ConfigureAwait(false);
        var types = options.Types?.ToList();
        if (types is null)
        {
            types = [];
            await foreach (var (m, t) in ShardedStoreReader.FindManifestsAsync(_store, cancellationToken).ConfigureAwait(false))
            {
                if (m == model)
                {
                    types.Add(t);
                }
            }

            foreach (var t in progress?.Types ?? [])
            {
                if (!types.Contains(t))
                {
                    types.Add(t);
                }
            }
        }

        if (progress is null)
        {
            warnings.Add($"{_store.Location} has no {ShardStoreLayout.ProgressName}; progress checks skipped.");
        }

        var failed = new Dictionary<string, FailedItem>(StringComparer.Ordinal);
        foreach (var failure in progress?.Failed ?? [])
        {
            failed[failure.Id] = failure;
        }

        List<ImageItem>? sourceItems = null;
        if (options.Items is { } items)
        {
            sourceItems = [];
            var source = progress?.Partition is { } p && ItemPartition.TryParse(p, out var partition) && partition.Count > 1
                ? new PartitionedItemSource(items, partition)
                : items;
            await foreach (var item in source.ReadAsync(null, cancellationToken).ConfigureAwait(false))
            {
                sourceItems.Add(item);
            }
        }

        var shardsChecked = 0;
        long vectors = 0;
        var samples = 0;
        var idSets = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var type in types)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var typeResult = await CheckTypeAsync(model, type, progress, failed, sourceItems, options, Problem, warnings, cancellationToken).ConfigureAwait(false);
            shardsChecked += typeResult.Shards;
            vectors += typeResult.Vectors;
            samples += typeResult.Samples;
            if (typeResult.Ids is not null)
            {
                idSets[type] = typeResult.Ids;
            }
        }

        // Types built together should hold the same items; after a crash they may differ until a resume.
        if (idSets.Count > 1)
        {
            var first = idSets.First();
            foreach (var (type, ids) in idSets.Skip(1))
            {
                if (!ids.SetEquals(first.Value))
                {
                    warnings.Add($"'{type}' and '{first.Key}' do not index the same items ({ids.Count} vs {first.Value.Count}); a resumed build aligns them.");
                }
            }
        }

        foreach (var ((kind, type), count) in counts)
        {
            if (count > MaxReportedPerKind)
            {
                problems.Add(new AlignmentProblem(kind, type, null, $"... and {count - MaxReportedPerKind} more {kind} problems."));
            }
        }

        return new AlignmentReport
        {
            Store = _store.Location,
            Model = model,
            Types = types,
            Shards = shardsChecked,
            Vectors = vectors,
            SamplesChecked = samples,
            Problems = problems,
            Warnings = warnings,
        };
    }

    private async Task<TypeResult> CheckTypeAsync(
        string model,
        string type,
        BuildProgressDocument? progress,
        Dictionary<string, FailedItem> failed,
        List<ImageItem>? sourceItems,
        AlignmentCheckOptions options,
        Action<AlignmentProblemKind, string?, string?, string> problem,
        List<string> warnings,
        CancellationToken cancellationToken)
    {
        var manifestName = ShardStoreLayout.ManifestName(model, type);
        ShardManifest? manifest;
        try
        {
            manifest = await ShardedStoreReader.ReadManifestAsync(_store, model, type, cancellationToken).ConfigureAwait(false);
        }
        catch (ShardStoreException e)
        {
            problem(AlignmentProblemKind.MissingManifest, type, manifestName, e.Message);
            return default;
        }

        if (manifest is null)
        {
            if (progress is not null && progress.Indexed.GetValueOrDefault(type) == 0)
            {
                // A build that has not indexed anything yet (or whose every item failed) writes no manifest.
                warnings.Add($"'{type}' has no vectors yet (no {manifestName}).");
            }
            else
            {
                problem(AlignmentProblemKind.MissingManifest, type, manifestName, $"'{type}' has no manifest ({manifestName}).");
            }

            return default;
        }

        var loaded = new List<ShardedIndex.LoadedShard>();
        var images = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var owner = new Dictionary<string, string>(StringComparer.Ordinal);
        var labels = new Dictionary<long, string>();
        long total = 0;
        try
        {
            var expectedByPartition = new Dictionary<string, long>(StringComparer.Ordinal);
            var ranges = new List<(long First, long Last, string Name)>();
            foreach (var entry in manifest.Shards)
            {
                cancellationToken.ThrowIfCancellationRequested();
                total += entry.Count;
                if (entry.LastLabel != entry.FirstLabel + entry.Count - 1)
                {
                    problem(AlignmentProblemKind.LabelMismatch, type, entry.Name, $"{entry.Name}: labels {entry.FirstLabel}..{entry.LastLabel} do not span its {entry.Count} vectors.");
                }

                // Inside one namespace (a partition, or an unpartitioned build) labels run on without gaps.
                var group = entry.Partition ?? string.Empty;
                var expected = expectedByPartition.TryGetValue(group, out var next)
                    ? next
                    : ShardStoreLayout.LabelBase(entry.Partition is { } p && ItemPartition.TryParse(p, out var partition) ? partition : null);
                if (entry.FirstLabel != expected)
                {
                    problem(AlignmentProblemKind.LabelMismatch, type, entry.Name, $"{entry.Name} starts at label {entry.FirstLabel}; the previous shard ends at {expected - 1}.");
                }

                expectedByPartition[group] = entry.FirstLabel + entry.Count;
                ranges.Add((entry.FirstLabel, entry.LastLabel, entry.Name));

                var blob = await _store.GetAsync(entry.Name, cancellationToken).ConfigureAwait(false);
                if (blob is null)
                {
                    problem(AlignmentProblemKind.MissingShard, type, entry.Name, $"{entry.Name} is listed in {manifestName} but missing from the store.");
                    continue;
                }

                var sha = ShardingJson.Sha256(blob.Content.Span);
                if (blob.Content.Length != entry.Bytes || sha != entry.Sha256)
                {
                    problem(AlignmentProblemKind.ChecksumMismatch, type, entry.Name,
                        $"{entry.Name}: {blob.Content.Length:N0} bytes with SHA-256 {sha}; the manifest records {entry.Bytes:N0} bytes with {entry.Sha256}.");
                }

                FaissIndex? index = null;
                try
                {
                    index = FaissIndex.Deserialize(blob.Content.Span);
                }
                catch (FaissException e)
                {
                    problem(AlignmentProblemKind.UnreadableShard, type, entry.Name, $"{entry.Name} is not a readable FAISS index: {e.Message}");
                }

                if (index is not null && (index.Dimension != manifest.Dimension || index.Metric != manifest.Metric))
                {
                    problem(AlignmentProblemKind.UnreadableShard, type, entry.Name,
                        $"{entry.Name} is a {index.Dimension}-d {index.Metric} index; the manifest says {manifest.Dimension}-d {manifest.Metric}.");
                }

                IdMapSegment? segment = null;
                try
                {
                    segment = await ShardedStoreReader.ReadSegmentAsync(_store, entry.IdMap, cancellationToken).ConfigureAwait(false);
                    if (segment is null)
                    {
                        problem(AlignmentProblemKind.MissingIdMap, type, entry.IdMap, $"{entry.IdMap} (the id map of {entry.Name}) is missing.");
                    }
                }
                catch (ShardStoreException e)
                {
                    problem(AlignmentProblemKind.MissingIdMap, type, entry.IdMap, e.Message);
                }

                var ntotal = index?.Count ?? entry.Count;
                if (index is not null && index.Count != entry.Count)
                {
                    problem(AlignmentProblemKind.CountMismatch, type, entry.Name, $"{entry.Name} holds {index.Count} vectors (ntotal); the manifest says {entry.Count}.");
                }

                if (segment is not null)
                {
                    if (segment.Ids.Count != ntotal)
                    {
                        problem(AlignmentProblemKind.CountMismatch, type, entry.IdMap, $"{entry.Name} holds {ntotal} vectors (ntotal) but its id-map slice names {segment.Ids.Count} items.");
                    }

                    if (segment.FirstLabel != entry.FirstLabel)
                    {
                        problem(AlignmentProblemKind.LabelMismatch, type, entry.IdMap, $"{entry.IdMap} starts at label {segment.FirstLabel}; the manifest says {entry.FirstLabel}.");
                    }

                    for (var i = 0; i < segment.Ids.Count; i++)
                    {
                        var id = segment.Ids[i];
                        labels[segment.FirstLabel + i] = id;
                        if (!owner.TryAdd(id, entry.Name))
                        {
                            problem(AlignmentProblemKind.DuplicateId, type, entry.Name, $"The item id '{id}' is in {owner[id]} and again in {entry.Name}.");
                        }
                    }
                }

                if (index is not null && segment is not null && segment.Ids.Count == index.Count)
                {
                    loaded.Add(new ShardedIndex.LoadedShard(entry, index, segment.Ids.ToArray()));
                    images[entry.Name] = segment.Images?.ToArray() ?? [];
                }
                else
                {
                    index?.Dispose();
                }
            }

            ranges.Sort();
            for (var i = 1; i < ranges.Count; i++)
            {
                if (ranges[i].First <= ranges[i - 1].Last)
                {
                    problem(AlignmentProblemKind.LabelMismatch, type, ranges[i].Name, $"{ranges[i].Name}'s labels overlap {ranges[i - 1].Name}'s.");
                }
            }

            if (manifest.Count != total)
            {
                problem(AlignmentProblemKind.CountMismatch, type, manifestName, $"{manifestName} says {manifest.Count} vectors; its shards add up to {total}.");
            }

            await CheckLeftoversAsync(model, type, manifest, warnings, cancellationToken).ConfigureAwait(false);
            CheckProgress(type, progress, owner, failed, problem, warnings);
            await CheckWholeIdMapAsync(model, type, labels, problem, cancellationToken).ConfigureAwait(false);
            if (sourceItems is not null)
            {
                foreach (var item in sourceItems)
                {
                    if (!owner.ContainsKey(item.Id) && !failed.ContainsKey(item.Id))
                    {
                        problem(AlignmentProblemKind.MissingItem, type, null, $"The item '{item.Id}' is neither in the '{type}' index nor recorded as failed.");
                    }
                }
            }

            var samples = 0;
            if (options.SampleSize > 0 && loaded.Count > 0)
            {
                var index = new ShardedIndex(manifest, loaded, []);
                samples = await CheckSamplesAsync(type, index, images, options, problem, warnings, cancellationToken).ConfigureAwait(false);
            }

            return new TypeResult(manifest.Shards.Count, total, samples, owner.Keys.ToHashSet(StringComparer.Ordinal));
        }
        finally
        {
            foreach (var shard in loaded)
            {
                shard.Index.Dispose();
            }
        }
    }

    private async Task CheckLeftoversAsync(string model, string type, ShardManifest manifest, List<string> warnings, CancellationToken cancellationToken)
    {
        if (manifest.Merged)
        {
            return;
        }

        var referenced = new HashSet<string>(manifest.Shards.SelectMany(e => new[] { e.Name, e.IdMap }), StringComparer.Ordinal);
        await foreach (var info in _store.ListAsync($"{model}_{type}_shard_", cancellationToken).ConfigureAwait(false))
        {
            if (!referenced.Contains(info.Name))
            {
                warnings.Add($"{info.Name} is in the store but not in the manifest (left by an interrupted run; resuming the build reconciles it).");
            }
        }
    }

    private static void CheckProgress(
        string type,
        BuildProgressDocument? progress,
        Dictionary<string, string> owner,
        Dictionary<string, FailedItem> failed,
        Action<AlignmentProblemKind, string?, string?, string> problem,
        List<string> warnings)
    {
        if (progress is null)
        {
            return;
        }

        if (progress.Indexed.TryGetValue(type, out var claimed))
        {
            if (claimed > owner.Count)
            {
                problem(AlignmentProblemKind.ProgressMismatch, type, ShardStoreLayout.ProgressName, $"progress.json claims {claimed} '{type}' vectors; the id map holds {owner.Count}.");
            }
            else if (claimed < owner.Count)
            {
                warnings.Add($"'{type}' holds {owner.Count} vectors, progress.json {claimed}: a batch was uploaded before an interruption; resuming records it.");
            }
        }
        else if (progress.Types.Contains(type) && owner.Count > 0)
        {
            warnings.Add($"progress.json has no count for '{type}'.");
        }

        if (progress.Checkpoint.Indexed > owner.Count)
        {
            problem(AlignmentProblemKind.ProgressMismatch, type, ShardStoreLayout.ProgressName,
                $"progress.json's checkpoint claims {progress.Checkpoint.Indexed} items indexed; the '{type}' id map holds {owner.Count}.");
        }

        foreach (var id in failed.Keys)
        {
            if (owner.TryGetValue(id, out var shard))
            {
                problem(AlignmentProblemKind.FailedItemIndexed, type, shard, $"The item '{id}' is recorded as failed but is indexed in {shard}.");
            }
        }
    }

    private async Task CheckWholeIdMapAsync(
        string model, string type, Dictionary<long, string> labels, Action<AlignmentProblemKind, string?, string?, string> problem, CancellationToken cancellationToken)
    {
        var name = ShardStoreLayout.IdMapName(model, type);
        var blob = await _store.GetAsync(name, cancellationToken).ConfigureAwait(false);
        if (blob is null)
        {
            return;
        }

        IdMapDocument document;
        try
        {
            document = ShardingJson.Deserialize<IdMapDocument>(blob.Content, name);
        }
        catch (ShardStoreException e)
        {
            problem(AlignmentProblemKind.IdMapMismatch, type, name, e.Message);
            return;
        }

        if (document.Labels.Count != labels.Count || document.Count != labels.Count)
        {
            problem(AlignmentProblemKind.IdMapMismatch, type, name, $"{name} maps {document.Labels.Count} labels (count {document.Count}); the shards' segments map {labels.Count}.");
        }

        foreach (var (label, id) in document.Labels)
        {
            if (!labels.TryGetValue(label, out var expected) || expected != id)
            {
                problem(AlignmentProblemKind.IdMapMismatch, type, name, $"{name} maps label {label} to '{id}'; the segments map it to '{expected ?? "nothing"}'.");
            }
        }
    }

    private async Task<int> CheckSamplesAsync(
        string type,
        ShardedIndex index,
        Dictionary<string, string[]> images,
        AlignmentCheckOptions options,
        Action<AlignmentProblemKind, string?, string?, string> problem,
        List<string> warnings,
        CancellationToken cancellationToken)
    {
        if (options.Embedders is null || !options.Embedders.TryGetValue(type, out var embedder) || options.Decoder is null)
        {
            warnings.Add($"'{type}': no embedder or decoder given; the re-embedding sample check was skipped.");
            return 0;
        }

        // Pick labels uniformly over all loaded shards, repeatably.
        var random = new Random(options.Seed);
        var all = new List<(ShardedIndex.LoadedShard Shard, int Position)>();
        var total = index.Manifest.Shards.Sum(e => e.Count);
        var wanted = (int)Math.Min(options.SampleSize, total);
        var picked = new HashSet<(string, int)>();
        var shards = index.Shards;
        while (all.Count < wanted && picked.Count < total)
        {
            var shard = shards[random.Next(shards.Count)];
            var position = random.Next(shard.Ids.Length);
            if (picked.Add((shard.Entry.Name, position)))
            {
                all.Add((shard, position));
            }
        }

        var decodeOptions = options.DecodeOptions ?? embedder.GetService(typeof(ImageDecodeOptions)) as ImageDecodeOptions;
        var decoded = new List<(string Id, string Shard, RgbImage Image)>();
        foreach (var (shard, position) in all)
        {
            var id = shard.Ids[position];
            var location = images.TryGetValue(shard.Entry.Name, out var locations) && position < locations.Length ? locations[position] : null;
            if (string.IsNullOrEmpty(location))
            {
                warnings.Add($"'{type}': the image of '{id}' is not recorded; sample skipped.");
                continue;
            }

            try
            {
                decoded.Add((id, shard.Entry.Name, await options.Decoder.DecodeAsync(location, decodeOptions, cancellationToken).ConfigureAwait(false)));
            }
            catch (ImageDecodeException e)
            {
                warnings.Add($"'{type}': cannot re-read the image of '{id}' ({e.Reason}); sample skipped.");
            }
        }

        if (decoded.Count == 0)
        {
            return 0;
        }

        var embeddings = await embedder.GenerateAsync(decoded.Select(d => d.Image).ToArray(), null, cancellationToken).ConfigureAwait(false);
        var higherIsBetter = index.Metric == VectorMetric.InnerProduct;
        for (var i = 0; i < decoded.Count; i++)
        {
            var query = embeddings[i].Vector.ToArray();
            if (query.Length != index.Dimension)
            {
                problem(AlignmentProblemKind.SampleMismatch, type, decoded[i].Shard, $"The '{type}' embedder produces {query.Length}-d vectors; the index is {index.Dimension}-d.");
                continue;
            }

            if (higherIsBetter)
            {
                Vectors.EmbeddingKernels.NormalizeL2(query);
            }

            var hits = index.Search(query, 10);
            var own = hits.FirstOrDefault(h => h.ItemId == decoded[i].Id);
            var best = hits.Count > 0 ? hits[0].Score : float.NaN;
            var ideal = higherIsBetter ? 1f : 0f;
            var ok = own is not null
                && Math.Abs(own.Score - ideal) <= options.Tolerance
                && Math.Abs(own.Score - best) <= options.Tolerance;
            if (!ok)
            {
                var top = hits.Count > 0 ? $"'{hits[0].ItemId}' at {hits[0].Score:F5}" : "nothing";
                problem(AlignmentProblemKind.SampleMismatch, type, decoded[i].Shard,
                    $"Re-embedded '{decoded[i].Id}' finds {top}; itself {(own is null ? "not in the top 10" : $"at {own.Score:F5}")} (expected {(higherIsBetter ? "similarity" : "distance")} ~{ideal}).");
            }
        }

        return decoded.Count;
    }

    private readonly record struct TypeResult(int Shards, long Vectors, int Samples, HashSet<string>? Ids);
}
