using Tessera.Indexing.Imaging;
using Tessera.Indexing.Indexes;
using Tessera.Indexing.Items;
using Tessera.Indexing.Images.Items;

namespace Tessera.Indexing.Images.Sharding;

/// <summary>How <see cref="ShardedImageIndexBuilder"/> builds: model name, index kind, shard limits, batching, partition.</summary>
public sealed class ShardedIndexOptions
{
    /// <summary>The default <see cref="MaxShardBytes"/>: 45,000,000 bytes, under Supabase Storage's 50 MB object limit.</summary>
    public const long DefaultMaxShardBytes = 45_000_000;

    /// <summary>The model name, the first part of every object name (<c>{model}_{type}_shard_00001.index</c>); default <c>histogram</c>.</summary>
    public string ModelName { get; set; } = ImageModelNames.Histogram;

    /// <summary>
    /// The key of the keyed <see cref="IVectorIndexBuilder"/> that creates, trains and reads the shards
    /// (default <see cref="VectorIndexBuilderKeys.Faiss"/>: FAISS itself). Any builder that writes
    /// FAISS files works on the same stores; <c>managed-flat</c> (<see cref="FlatIndexes.ManagedFlatIndexBuilder"/>)
    /// builds and searches <c>Flat</c> shards without the native library.
    /// </summary>
    public string IndexBuilder { get; set; } = VectorIndexBuilderKeys.Faiss;

    /// <summary>The FAISS factory string of each shard (default <c>Flat</c>: exact search). Types that need training are trained on the first batch that opens each shard.</summary>
    public string FactoryString { get; set; } = "Flat";

    /// <summary>The metric (default inner product: over L2-normalised vectors, exact cosine similarity).</summary>
    public VectorMetric Metric { get; set; } = VectorMetric.InnerProduct;

    /// <summary>Whether vectors are L2-normalised (max(norm, 1e-12)) before they are added (default <see langword="true"/>).</summary>
    public bool NormalizeVectors { get; set; } = true;

    /// <summary>A shard is closed and a new one started once it holds this many vectors (default 1000).</summary>
    public int ItemsPerShard { get; set; } = 1000;

    /// <summary>A shard is closed before its serialised size would pass this many bytes (default 45,000,000).</summary>
    public long MaxShardBytes { get; set; } = DefaultMaxShardBytes;

    /// <summary>Items per batch: decoded and embedded together, then flushed, uploaded and recorded (default 32).</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>Images decoded at once (default: the processor count).</summary>
    public int DecodeParallelism { get; set; } = Environment.ProcessorCount;

    /// <summary>Decoding (resize/crop in the read); <see langword="null"/> asks the first embedder (<c>GetService(typeof(ImageDecodeOptions))</c>), else full size.</summary>
    public ImageDecodeOptions? DecodeOptions { get; set; }

    /// <summary>When set, only this partition's items are built, into the store's <c>part-i-of-N/</c> namespace with labels from <c>i &lt;&lt; 40</c>.</summary>
    public ItemPartition? Partition { get; set; }

    /// <summary>Whether items that failed in an earlier run are tried again (default <see langword="false"/>: they stay recorded as failed).</summary>
    public bool RetryFailed { get; set; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (!ShardStoreLayout.IsValidName(ModelName))
        {
            throw new ArgumentException($"{nameof(ModelName)} '{ModelName}' is not valid: use ASCII letters, digits, '-' and '.' (it becomes part of object names).", nameof(ModelName));
        }

        if (string.IsNullOrWhiteSpace(FactoryString))
        {
            throw new ArgumentException($"{nameof(FactoryString)} must not be empty.", nameof(FactoryString));
        }

        if (string.IsNullOrWhiteSpace(IndexBuilder))
        {
            throw new ArgumentException($"{nameof(IndexBuilder)} must name a registered IVectorIndexBuilder key (for example '{VectorIndexBuilderKeys.Faiss}').", nameof(IndexBuilder));
        }

        if (!Enum.IsDefined(Metric))
        {
            throw new ArgumentOutOfRangeException(nameof(Metric), Metric, $"{nameof(Metric)} is not a known metric.");
        }

        if (ItemsPerShard < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ItemsPerShard), ItemsPerShard, $"{nameof(ItemsPerShard)} must be at least 1.");
        }

        if (MaxShardBytes < 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxShardBytes), MaxShardBytes, $"{nameof(MaxShardBytes)} must be at least 1024.");
        }

        if (BatchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, $"{nameof(BatchSize)} must be at least 1.");
        }

        if (DecodeParallelism < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(DecodeParallelism), DecodeParallelism, $"{nameof(DecodeParallelism)} must be at least 1.");
        }

        Partition?.Validate();
    }
}
