namespace Tessera.Indexing.Faiss;

/// <summary>What an IVF index (possibly wrapped) is made of.</summary>
/// <param name="NList">Number of inverted lists (coarse centroids).</param>
/// <param name="NProbe">The index's default number of lists visited per query.</param>
/// <param name="CodeSize">Bytes per vector in the inverted lists.</param>
/// <param name="IsProductQuantized">Whether it is an IVF-PQ index.</param>
/// <param name="PqSubQuantizers">PQ sub-quantizers (M), 0 when not PQ.</param>
/// <param name="PqBitsPerCode">Bits per sub-quantizer code, 0 when not PQ.</param>
/// <param name="ByResidual">Whether PQ encodes the residual to the coarse centroid.</param>
/// <param name="PolysemousTraining">Whether training reorders PQ centroids (factory strings without <c>np</c>).</param>
/// <param name="IsBare">Whether the IVF index is the index itself, not inside a wrapper.</param>
public sealed record FaissIvfInfo(
    long NList,
    long NProbe,
    int CodeSize,
    bool IsProductQuantized,
    int PqSubQuantizers,
    int PqBitsPerCode,
    bool ByResidual,
    bool PolysemousTraining,
    bool IsBare)
{
    /// <summary>Centroids per PQ sub-quantizer (<c>2^bits</c>).</summary>
    public int PqCentroidsPerSubQuantizer => IsProductQuantized ? 1 << PqBitsPerCode : 0;
}
