using System.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;
using Tessera.Indexing.Images.Embeddings;
using Tessera.Indexing.Images.Items;
using Tessera.Indexing.Faiss;
using Tessera.Indexing.Imaging;
using Tessera.Indexing.Indexes;
using Tessera.Indexing.Items;
using Tessera.Indexing.Storage;

namespace Tessera.Indexing.Images.Sharding;

/// <summary>
/// Builds sharded, resumable vector indexes of images, one per index type (<c>color</c>,
/// <c>structure</c>, <c>combined</c>, …), into any <see cref="IShardStore"/>.
/// </summary>
/// <remarks>
/// <para>
/// Items are read, decoded and embedded in batches. Each type's vectors go into its current shard,
/// which closes at <see cref="ShardedIndexOptions.ItemsPerShard"/> vectors or before it would pass
/// <see cref="ShardedIndexOptions.MaxShardBytes"/>. Shards are created, trained and read through an
/// <see cref="IVectorIndexBuilder"/> (by default <see cref="FaissIndexBuilder"/>; the factory picks the
/// one <see cref="ShardedIndexOptions.IndexBuilder"/> names). After every batch what changed is
/// uploaded: a shard whole (after its id-map segment) when it is new, full or the run ends, and
/// otherwise only the batch's vectors as a batch object (after its ids); then the manifests, then
/// <c>progress.json</c>, so progress never claims what the store lacks; then the id map's count is
/// checked against the shards' vector counts and the build stops with a
/// <see cref="ShardAlignmentException"/> if they differ.
/// </para>
/// <para>
/// A new run against the same store reads its state, reconciles what a crash left (a shard uploaded
/// after the last manifest), skips indexed and failed items, and continues: no vector is lost or
/// added twice. Images that cannot be decoded (<see cref="ImageDecodeException"/>) or embedded are
/// recorded with their reasons and never stop the run. One builder runs at a time per store
/// namespace; run partitions (<see cref="ShardedIndexOptions.Partition"/>) to build in parallel.
/// </para>
/// </remarks>
public sealed class ShardedImageIndexBuilder
{
    private readonly IShardStore _store;
    private readonly IImageDecoder _decoder;
    private readonly IReadOnlyDictionary<string, IEmbeddingGenerator<RgbImage, Embedding<float>>> _embedders;
    private readonly ShardedIndexOptions _options;
    private readonly IVectorIndexBuilder _indexBuilder;
    private readonly ILogger _logger;

    /// <summary>Creates a builder.</summary>
    /// <param name="store">Where shards, id maps, manifests and progress go.</param>
    /// <param name="decoder">Decodes the items' images.</param>
    /// <param name="embedders">The index types to build and their embedders, e.g. from <see cref="ImageIndexTypes.Resolve"/>.</param>
    /// <param name="options">Model name, index kind, limits; <see langword="null"/> for the defaults.</param>
    /// <param name="logger">Logs progress, reconciliation and failures.</param>
    /// <param name="indexBuilder">Creates, trains and reads the shards; <see langword="null"/> for <see cref="FaissIndexBuilder"/>.</param>
    public ShardedImageIndexBuilder(
        IShardStore store,
        IImageDecoder decoder,
        IReadOnlyDictionary<string, IEmbeddingGenerator<RgbImage, Embedding<float>>> embedders,
        ShardedIndexOptions? options = null,
        ILogger<ShardedImageIndexBuilder>? logger = null,
        IVectorIndexBuilder? indexBuilder = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(decoder);
        ArgumentNullException.ThrowIfNull(embedders);
        if (embedders.Count == 0)
        {
            throw new ArgumentException("Name at least one index type and its embedder.", nameof(embedders));
        }

        foreach (var type in embedders.Keys)
        {
            if (!ShardStoreLayout.IsValidName(type))
            {
                throw new ArgumentException($"'{type}' is not a valid index type name: use ASCII letters, digits, '-' and '.'.", nameof(embedders));
            }
        }

        _options = options ?? new ShardedIndexOptions();
        _options.Validate();
        _store = store;
        _decoder = decoder;
        _embedders = embedders;
        _indexBuilder = indexBuilder ?? new FaissIndexBuilder();
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>The store namespace this builder writes: the store, or the partition's <c>part-i-of-N/</c> inside it.</summary>
    public IShardStore TargetStore => _options.Partition is { } p ? new PrefixedShardStore(_store, ShardStoreLayout.PartitionPrefix(p)) : _store;

    /// <summary>Builds (or resumes building) the indexes of <paramref name="items"/>.</summary>
    /// <param name="items">The items; with <see cref="ShardedIndexOptions.Partition"/> set, only that partition's are taken.</param>
    /// <param name="progress">Receives a report after every batch.</param>
    /// <param name="cancellationToken">Stops after the current step; what was committed stays committed, and a new run resumes.</param>
    /// <returns>What the run did and what the store holds.</returns>
    /// <exception cref="ShardAlignmentException">The id map and the shards disagree, or the store's state cannot be reconciled.</exception>
    /// <exception cref="InvalidOperationException">The store was built with another model, factory string, metric, dimension or partition.</exception>
    public async Task<ShardedBuildResult> BuildAsync(IItemSource items, IProgress<ShardedBuildProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        var watch = Stopwatch.StartNew();
        var store = TargetStore;
        var source = _options.Partition is { Count: > 1 } partition ? new PartitionedItemSource(items, partition) : items;
        var types = _embedders.Keys.ToArray();
        using var state = await ShardedBuildState.LoadAsync(store, types, _options, _indexBuilder, _logger, cancellationToken).ConfigureAwait(false);
        state.Source = source.Description;
        var decodeOptions = _options.DecodeOptions
            ?? _embedders[types[0]].GetService(typeof(ImageDecodeOptions)) as ImageDecodeOptions;
        _logger.LogInformation(
            "Building {Types} ({Model}, {Factory}) from {Source} into {Store}; run {Run}",
            string.Join(",", types), _options.ModelName, _options.FactoryString, source.Description, store.Location, state.Runs);

        var stats = new RunStats();
        var newFailures = new List<FailedItem>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var batch = new List<(ImageItem Item, uint Need)>(_options.BatchSize);
        await foreach (var item in source.ReadAsync(null, cancellationToken).ConfigureAwait(false))
        {
            stats.Read++;
            if (!seen.Add(item.Id))
            {
                stats.Duplicates++;
                _logger.LogWarning("The item id '{Id}' appears again in {Source}; indexed once", item.Id, source.Description);
                continue;
            }

            if (!_options.RetryFailed && state.IsFailed(item.Id))
            {
                stats.Skipped++;
                continue;
            }

            var need = state.Needed(item.Id);
            if (need == 0)
            {
                stats.Skipped++;
                continue;
            }

            batch.Add((item, need));
            if (batch.Count == _options.BatchSize)
            {
                await ProcessBatchAsync(state, batch, decodeOptions, stats, newFailures, cancellationToken).ConfigureAwait(false);
                batch.Clear();
                Report(progress, state, stats, watch);
            }
        }

        if (batch.Count > 0)
        {
            await ProcessBatchAsync(state, batch, decodeOptions, stats, newFailures, cancellationToken).ConfigureAwait(false);
            Report(progress, state, stats, watch);
        }

        stats.Uploads += await state.FinishAsync(cancellationToken).ConfigureAwait(false);
        _logger.LogInformation(
            "Done: {Indexed} indexed, {Skipped} already done, {Failed} failed in {Seconds:F1} s; {Shards} shards in {Store}",
            stats.Indexed, stats.Skipped, stats.Failed, watch.Elapsed.TotalSeconds, state.ShardCount, store.Location);
        return new ShardedBuildResult
        {
            Store = store.Location,
            Model = _options.ModelName,
            Types = types,
            Partition = _options.Partition?.ToString(),
            ItemsRead = stats.Read,
            Indexed = stats.Indexed,
            Skipped = stats.Skipped,
            Duplicates = stats.Duplicates,
            NewFailures = newFailures,
            TotalFailed = state.FailedCount,
            ShardUploads = stats.Uploads,
            Vectors = state.Sets.ToDictionary(s => s.Type, s => s.Count),
            Shards = state.Sets.ToDictionary(s => s.Type, s => s.Shards.Count),
            Brands = new SortedDictionary<string, long>(state.Brands.ToDictionary(), StringComparer.Ordinal),
            Repairs = state.Repairs,
            Completed = true,
            Elapsed = watch.Elapsed,
        };
    }

    private async Task ProcessBatchAsync(
        ShardedBuildState state,
        List<(ImageItem Item, uint Need)> batch,
        ImageDecodeOptions? decodeOptions,
        RunStats stats,
        List<FailedItem> newFailures,
        CancellationToken cancellationToken)
    {
        var n = batch.Count;
        var images = new RgbImage?[n];
        var reasons = new string?[n];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, n),
            new ParallelOptions { MaxDegreeOfParallelism = _options.DecodeParallelism, CancellationToken = cancellationToken },
            async (i, token) =>
            {
                if (InvalidItems.IsInvalid(batch[i].Item, out var invalid))
                {
                    reasons[i] = invalid;
                    return;
                }

                try
                {
                    images[i] = await _decoder.DecodeAsync(batch[i].Item.ImageLocation, decodeOptions, token).ConfigureAwait(false);
                }
                catch (ImageDecodeException e)
                {
                    reasons[i] = e.Reason;
                }
            }).ConfigureAwait(false);

        // Embed per type; an item that fails in any type is indexed in none, so the types stay aligned.
        var types = state.Types;
        var vectors = new float[types.Count][][];
        for (var t = 0; t < types.Count; t++)
        {
            var positions = new List<int>(n);
            for (var i = 0; i < n; i++)
            {
                if (reasons[i] is null && (batch[i].Need & (1u << t)) != 0)
                {
                    positions.Add(i);
                }
            }

            vectors[t] = new float[n][];
            if (positions.Count == 0)
            {
                continue;
            }

            var embedded = await EmbedAsync(types[t], positions.Select(i => images[i]!).ToArray(), cancellationToken).ConfigureAwait(false);
            var set = state.Sets[t];
            for (var k = 0; k < positions.Count; k++)
            {
                var i = positions[k];
                var (vector, error) = embedded[k];
                if (error is not null)
                {
                    reasons[i] ??= error;
                    continue;
                }

                set.EnsureDimension(vector!.Length);
                if (!float.IsFinite(System.Numerics.Tensors.TensorPrimitives.Sum(vector)))
                {
                    reasons[i] ??= $"the '{types[t]}' embedding has non-finite values";
                    continue;
                }

                if (_options.NormalizeVectors)
                {
                    Vectors.EmbeddingKernels.NormalizeL2(vector);
                }

                vectors[t][i] = vector;
            }
        }

        var indexed = new List<(ImageItem Item, uint Added)>(n);
        var failures = new List<FailedItem>();
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < n; i++)
        {
            if (reasons[i] is { } reason)
            {
                var failure = new FailedItem(batch[i].Item.Id, batch[i].Item.ImageLocation, reason, now);
                failures.Add(failure);
                _logger.LogWarning("Skipping {Id}: {Reason}", failure.Id, reason);
            }
            else
            {
                indexed.Add((batch[i].Item, batch[i].Need));
            }
        }

        for (var t = 0; t < types.Count; t++)
        {
            var set = state.Sets[t];
            var rows = new List<int>(n);
            for (var i = 0; i < n; i++)
            {
                if (reasons[i] is null && vectors[t][i] is not null)
                {
                    rows.Add(i);
                }
            }

            if (rows.Count == 0)
            {
                continue;
            }

            var flat = new float[rows.Count * set.Dimension];
            var rowItems = new ImageItem[rows.Count];
            for (var k = 0; k < rows.Count; k++)
            {
                vectors[t][rows[k]].CopyTo(flat.AsSpan(k * set.Dimension));
                rowItems[k] = batch[rows[k]].Item;
            }

            set.Add(flat, rowItems);
        }

        stats.Uploads += await state.CommitAsync(indexed, failures, batch[^1].Item.Id, cancellationToken).ConfigureAwait(false);
        stats.Indexed += indexed.Count;
        stats.Failed += failures.Count;
        stats.LastId = batch[^1].Item.Id;
        newFailures.AddRange(failures);
    }

    /// <summary>Embeds a batch; when the batch call fails, each image alone, so one bad image fails alone.</summary>
    private async Task<(float[]? Vector, string? Error)[]> EmbedAsync(string type, RgbImage[] images, CancellationToken cancellationToken)
    {
        var embedder = _embedders[type];
        var result = new (float[]?, string?)[images.Length];
        try
        {
            var embeddings = await embedder.GenerateAsync(images, null, cancellationToken).ConfigureAwait(false);
            if (embeddings.Count != images.Length)
            {
                throw new InvalidOperationException($"The '{type}' embedder returned {embeddings.Count} embeddings for {images.Length} images.");
            }

            for (var i = 0; i < images.Length; i++)
            {
                result[i] = (embeddings[i].Vector.ToArray(), null);
            }

            return result;
        }
        catch (Exception e) when (e is not OperationCanceledException && images.Length > 1)
        {
            _logger.LogWarning(e, "The '{Type}' embedder failed on a batch of {Count}; embedding them one by one", type, images.Length);
        }

        for (var i = 0; i < images.Length; i++)
        {
            try
            {
                var one = await embedder.GenerateAsync([images[i]], null, cancellationToken).ConfigureAwait(false);
                result[i] = one.Count == 1 ? (one[0].Vector.ToArray(), null) : (null, $"the '{type}' embedder returned {one.Count} embeddings for one image");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                result[i] = (null, $"the '{type}' embedder failed: {e.Message}");
            }
        }

        return result;
    }

    private static void Report(IProgress<ShardedBuildProgress>? progress, ShardedBuildState state, RunStats stats, Stopwatch watch) =>
        progress?.Report(new ShardedBuildProgress
        {
            ItemsRead = stats.Read,
            Indexed = stats.Indexed,
            Skipped = stats.Skipped,
            Failed = stats.Failed,
            ShardUploads = stats.Uploads,
            Shards = state.ShardCount,
            Elapsed = watch.Elapsed,
            LastId = stats.LastId,
        });

    private sealed class RunStats
    {
        public long Read;
        public long Indexed;
        public long Skipped;
        public long Failed;
        public long Duplicates;
        public long Uploads;
        public string? LastId;
    }
}
