using Tessera.Indexing.Indexes;

namespace Tessera.Indexing.Faiss;

/// <summary>The default <see cref="IVectorIndexBuilder"/>: FAISS trains, encodes and stores.</summary>
public sealed class FaissIndexBuilder : IVectorIndexBuilder
{
    /// <inheritdoc />
    public IVectorIndex Create(VectorIndexSpec spec) => FaissIndex.Create(spec);

    /// <inheritdoc />
    public void Train(IVectorIndex index, ReadOnlySpan<float> vectors, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        cancellationToken.ThrowIfCancellationRequested();
        index.Train(vectors);
    }

    /// <inheritdoc />
    public void Add(IVectorIndex index, ReadOnlySpan<float> vectors, ReadOnlySpan<long> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        const int chunk = 65_536;
        var d = index.Dimension;
        var n = ids.Length;
        if (vectors.Length != (long)n * d)
        {
            throw new ArgumentException($"Expected {n} vectors of {d} values (one per id), got {vectors.Length} values.", nameof(vectors));
        }

        for (var start = 0; start < n; start += chunk)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = Math.Min(chunk, n - start);
            index.Add(vectors.Slice(start * d, count * d), ids.Slice(start, count));
        }
    }

    /// <inheritdoc />
    public IVectorIndex Load(string path) => FaissIndex.Load(path);

    /// <inheritdoc />
    public IVectorIndex Deserialize(ReadOnlySpan<byte> data) => FaissIndex.Deserialize(data);
}
