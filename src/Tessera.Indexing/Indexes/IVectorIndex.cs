namespace Tessera.Indexing.Indexes;

/// <summary>
/// A similarity-search index over fixed-dimension float vectors. Vectors are passed row-major:
/// a span of <c>n * Dimension</c> floats holds <c>n</c> vectors.
/// </summary>
/// <remarks>
/// Searches may run concurrently from many threads; <see cref="Train"/>, <see cref="Add(ReadOnlySpan{float})"/>
/// and <see cref="Reset"/> must not run concurrently with anything else on the same index.
/// </remarks>
public interface IVectorIndex : IDisposable
{
    /// <summary>Vector dimension.</summary>
    int Dimension { get; }

    /// <summary>Number of vectors held.</summary>
    long Count { get; }

    /// <summary>Whether the index is trained (ready for <see cref="Add(ReadOnlySpan{float})"/>).</summary>
    bool IsTrained { get; }

    /// <summary>The metric.</summary>
    VectorMetric Metric { get; }

    /// <summary>Trains the index on <paramref name="vectors"/>.</summary>
    /// <param name="vectors">Training vectors, row-major.</param>
    void Train(ReadOnlySpan<float> vectors);

    /// <summary>Adds vectors labelled with consecutive ids starting at <see cref="Count"/>.</summary>
    /// <param name="vectors">Vectors, row-major.</param>
    void Add(ReadOnlySpan<float> vectors);

    /// <summary>Adds vectors with explicit labels.</summary>
    /// <param name="vectors">Vectors, row-major.</param>
    /// <param name="ids">One label per vector.</param>
    void Add(ReadOnlySpan<float> vectors, ReadOnlySpan<long> ids);

    /// <summary>k-nearest-neighbour search for a batch of queries.</summary>
    /// <param name="queries">Query vectors, row-major.</param>
    /// <param name="k">Neighbours per query.</param>
    /// <param name="distances">Output, <c>queries * k</c> entries.</param>
    /// <param name="labels">Output, <c>queries * k</c> entries; -1 where fewer than k exist.</param>
    /// <param name="nprobe">IVF lists to visit for this call; 0 keeps the index's setting.</param>
    void Search(ReadOnlySpan<float> queries, int k, Span<float> distances, Span<long> labels, int nprobe = 0);

    /// <summary>All vectors within <paramref name="radius"/> (L2: distance &lt; radius; inner product: similarity &gt; radius).</summary>
    /// <param name="queries">Query vectors, row-major.</param>
    /// <param name="radius">The radius, in the metric's units.</param>
    /// <param name="nprobe">IVF lists to visit for this call; 0 keeps the index's setting.</param>
    /// <returns>The hits of every query.</returns>
    RangeSearchResult RangeSearch(ReadOnlySpan<float> queries, float radius, int nprobe = 0);

    /// <summary>Removes all vectors, keeping the training.</summary>
    void Reset();

    /// <summary>Writes the index to <paramref name="path"/> in its native file format.</summary>
    /// <param name="path">Destination file.</param>
    void Save(string path);

    /// <summary>Serialises the index to bytes in its native file format.</summary>
    /// <returns>The bytes of the index file.</returns>
    byte[] Serialize();
}
