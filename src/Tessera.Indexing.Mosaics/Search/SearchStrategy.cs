namespace Tessera.Indexing.Mosaics.Search;

/// <summary>How a search was (or is to be) carried out.</summary>
public enum SearchStrategy
{
    /// <summary>Choose: FAISS for top-k when an index is present, the exact scan for thresholds and percentiles (it measured faster and is exact).</summary>
    Auto,

    /// <summary>An exact scan of every pixel of the memory-mapped <c>all_embeddings.npy</c>, SIMD, parallel over cores.</summary>
    ExactScan,

    /// <summary>FAISS k-nearest-neighbour search on the (sampled) index, candidates re-scored exactly. Approximate.</summary>
    FaissTopK,

    /// <summary>FAISS range search for candidates (sampled pixels, widened radius), each candidate's sampling cell filtered exactly. Approximate unless the index is flat over every pixel.</summary>
    FaissRangeCandidates,
}
