namespace Tessera.Indexing.Mosaics.Search;

/// <summary>How one value of a row of <c>all_embeddings.npy</c> is stored.</summary>
internal enum EmbeddingElementType
{
    /// <summary>Little-endian float32 (<c>&lt;f4</c>).</summary>
    Float32,

    /// <summary>Unsigned byte (<c>|u1</c>), multiplied by the scale to give the indexed value.</summary>
    UInt8,
}
