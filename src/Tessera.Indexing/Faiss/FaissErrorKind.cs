namespace Tessera.Indexing.Faiss;

/// <summary>What kind of failure a <see cref="FaissException"/> reports.</summary>
public enum FaissErrorKind
{
    /// <summary>An error of unknown origin.</summary>
    Unknown = 0,

    /// <summary>FAISS itself refused the operation (<c>faiss::FaissException</c>).</summary>
    Faiss = 1,

    /// <summary>A C++ runtime error inside FAISS (for example out of memory).</summary>
    Runtime = 2,

    /// <summary>The shim rejected an argument before calling FAISS.</summary>
    InvalidArgument = 4,

    /// <summary>The index type does not support the operation (for example IVF calls on a flat index).</summary>
    NotSupported = 5,

    /// <summary>
    /// An index file or buffer is not a well-formed FAISS index: truncated, a field out of range
    /// (metric, dimension, <c>M</c>, <c>nbits</c>, <c>nprobe</c>, …), or sizes that disagree with each
    /// other or with the bytes present. Found before FAISS reads anything.
    /// </summary>
    CorruptIndex = 6,

    /// <summary>
    /// An index file or buffer holds a FAISS index type (or variant) that this library does not
    /// validate and therefore does not load: legacy formats, fast-scan, LSH, refinement, additive
    /// quantizers, metrics other than L2 and inner product.
    /// </summary>
    UnsupportedIndex = 7,

    /// <summary>
    /// Loading or creating the index would need more memory than
    /// <see cref="FaissIndexOptions.MaxMemoryBytes"/> allows (estimated before anything is allocated).
    /// </summary>
    MemoryBudgetExceeded = 8,

    /// <summary>
    /// A factory string was refused before FAISS saw it: not understood, a zero or absurd size
    /// (<c>IVF0</c>, <c>PQ0</c>, <c>HNSW0</c>, <c>PCA0</c>), sizes that do not fit the dimension, or
    /// a type whose results are meaningless for the metric (for example <c>LSH</c>).
    /// </summary>
    InvalidFactoryString = 9,
}
