namespace Tessera.Indexing.Indexes;

/// <summary>
/// Creates, trains and fills vector indexes. The default implementation lets FAISS do all three;
/// others may train and encode in managed code while producing the same kind of index.
/// </summary>
public interface IVectorIndexBuilder
{
    /// <summary>Creates an empty index.</summary>
    /// <param name="spec">Dimension, factory string and metric.</param>
    /// <returns>The untrained (or training-free) index.</returns>
    IVectorIndex Create(VectorIndexSpec spec);

    /// <summary>Trains <paramref name="index"/> on <paramref name="vectors"/> (row-major).</summary>
    /// <param name="index">An index created by this builder.</param>
    /// <param name="vectors">Training vectors.</param>
    /// <param name="cancellationToken">Cancels training where the implementation can stop part-way.</param>
    void Train(IVectorIndex index, ReadOnlySpan<float> vectors, CancellationToken cancellationToken = default);

    /// <summary>Adds <paramref name="vectors"/> (row-major) with labels <paramref name="ids"/>.</summary>
    /// <param name="index">A trained index created by this builder.</param>
    /// <param name="vectors">Vectors.</param>
    /// <param name="ids">One label per vector.</param>
    /// <param name="cancellationToken">Cancels between chunks.</param>
    void Add(IVectorIndex index, ReadOnlySpan<float> vectors, ReadOnlySpan<long> ids, CancellationToken cancellationToken = default);

    /// <summary>Trains <paramref name="index"/>, reporting each step to <paramref name="progress"/>.</summary>
    /// <param name="index">An index created by this builder.</param>
    /// <param name="vectors">Training vectors.</param>
    /// <param name="progress">Receives the steps; builders that cannot report steps report nothing.</param>
    /// <param name="cancellationToken">Cancels training where the implementation can stop part-way.</param>
    void Train(IVectorIndex index, ReadOnlySpan<float> vectors, IProgress<IndexBuildProgress>? progress, CancellationToken cancellationToken) =>
        Train(index, vectors, cancellationToken);

    /// <summary>Adds <paramref name="vectors"/> with labels <paramref name="ids"/>, reporting each step to <paramref name="progress"/>.</summary>
    /// <param name="index">A trained index created by this builder.</param>
    /// <param name="vectors">Vectors.</param>
    /// <param name="ids">One label per vector.</param>
    /// <param name="progress">Receives the steps; builders that cannot report steps report nothing.</param>
    /// <param name="cancellationToken">Cancels between chunks.</param>
    void Add(IVectorIndex index, ReadOnlySpan<float> vectors, ReadOnlySpan<long> ids, IProgress<IndexBuildProgress>? progress, CancellationToken cancellationToken) =>
        Add(index, vectors, ids, cancellationToken);

    /// <summary>Opens an index file written by this builder (or by FAISS).</summary>
    /// <param name="path">The file.</param>
    /// <returns>The index.</returns>
    IVectorIndex Load(string path);

    /// <summary>Opens an index file as <paramref name="options"/> asks; implementations that cannot map a file read it into memory (the default).</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">How to open it.</param>
    /// <returns>The index.</returns>
    IVectorIndex Load(string path, VectorIndexLoadOptions options) => Load(path);

    /// <summary>Reads an index from the bytes of an index file.</summary>
    /// <param name="data">The bytes.</param>
    /// <returns>The index.</returns>
    IVectorIndex Deserialize(ReadOnlySpan<byte> data);
}
