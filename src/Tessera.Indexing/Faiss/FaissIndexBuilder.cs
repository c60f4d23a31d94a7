using System.Diagnostics;
using Tessera.Indexing.Indexes;

namespace Tessera.Indexing.Faiss;

/// <summary>The native <see cref="IVectorIndexBuilder"/>: FAISS trains, encodes and stores.</summary>
public sealed class FaissIndexBuilder : IVectorIndexBuilder
{
    private const int AddChunk = 65_536;

    /// <inheritdoc />
    public IVectorIndex Create(VectorIndexSpec spec) => FaissIndex.Create(spec);

    /// <inheritdoc />
    public void Train(IVectorIndex index, ReadOnlySpan<float> vectors, CancellationToken cancellationToken = default) =>
        Train(index, vectors, null, cancellationToken);

    /// <inheritdoc />
    public void Train(IVectorIndex index, ReadOnlySpan<float> vectors, IProgress<IndexBuildProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(index);
        cancellationToken.ThrowIfCancellationRequested();
        var watch = Stopwatch.StartNew();
        index.Train(vectors);
        progress?.Report(new IndexBuildProgress(IndexBuildStage.NativeTraining, 1, 1, watch.Elapsed));
    }

    /// <inheritdoc />
    public void Add(IVectorIndex index, ReadOnlySpan<float> vectors, ReadOnlySpan<long> ids, CancellationToken cancellationToken = default) =>
        Add(index, vectors, ids, null, cancellationToken);

    /// <inheritdoc />
    public void Add(IVectorIndex index, ReadOnlySpan<float> vectors, ReadOnlySpan<long> ids, IProgress<IndexBuildProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(index);
        var d = index.Dimension;
        var n = ids.Length;
        if (vectors.Length != (long)n * d)
        {
            throw new ArgumentException($"Expected {n} vectors of {d} values (one per id), got {vectors.Length} values.", nameof(vectors));
        }

        for (var start = 0; start < n; start += AddChunk)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var watch = Stopwatch.StartNew();
            var count = Math.Min(AddChunk, n - start);
            index.Add(vectors.Slice(start * d, count * d), ids.Slice(start, count));
            progress?.Report(new IndexBuildProgress(IndexBuildStage.NativeAdding, start + count, n, watch.Elapsed));
        }
    }

    /// <inheritdoc />
    public IVectorIndex Load(string path) => FaissIndex.Load(path);

    /// <inheritdoc />
    public IVectorIndex Load(string path, VectorIndexLoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return FaissIndex.Load(path, options.MemoryMap ? FaissIoFlags.MemoryMap | FaissIoFlags.ReadOnly : FaissIoFlags.None);
    }

    /// <inheritdoc />
    public IVectorIndex Deserialize(ReadOnlySpan<byte> data) => FaissIndex.Deserialize(data);
}
