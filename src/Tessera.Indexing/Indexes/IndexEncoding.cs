namespace Tessera.Indexing.Indexes;

/// <summary>How an index stores each vector.</summary>
public enum IndexEncoding
{
    /// <summary>The full float32 vector (<c>Flat</c>).</summary>
    Flat = 0,

    /// <summary>A product-quantizer code of <c>M</c> sub-codes of <c>nbits</c> each (<c>PQ{M}[x{nbits}]</c>).</summary>
    ProductQuantizer = 1,

    /// <summary>A scalar-quantizer code of 4, 6, 8 or 16 bits per dimension (<c>SQ4</c>, <c>SQ6</c>, <c>SQ8</c>, <c>SQfp16</c>).</summary>
    ScalarQuantizer = 2,

    /// <summary>Locality-sensitive hashing: one bit per dimension, compared by Hamming distance (<c>LSH</c>).</summary>
    Lsh = 3,
}
