namespace Tessera.Indexing.Indexes;

/// <summary>How an index finds candidates (the part of a FAISS factory string before the encoding).</summary>
public enum IndexStructure
{
    /// <summary>Every stored code is compared with the query (<c>Flat</c>, <c>PQ16</c>, <c>SQ8</c>).</summary>
    Flat = 0,

    /// <summary>An inverted file: a coarse quantizer picks <c>nprobe</c> of <c>nlist</c> lists (<c>IVF1024,…</c>).</summary>
    InvertedFile = 1,

    /// <summary>A hierarchical navigable small-world graph (<c>HNSW32</c>).</summary>
    Hnsw = 2,
}
