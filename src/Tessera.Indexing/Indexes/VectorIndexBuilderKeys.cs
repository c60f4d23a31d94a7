namespace Tessera.Indexing.Indexes;

/// <summary>Service keys of the registered <see cref="IVectorIndexBuilder"/> implementations (<c>GetRequiredKeyedService&lt;IVectorIndexBuilder&gt;(key)</c>).</summary>
public static class VectorIndexBuilderKeys
{
    /// <summary>FAISS trains, encodes and stores (<see cref="Faiss.FaissIndexBuilder"/>).</summary>
    public const string Faiss = "faiss";

    /// <summary>Managed SIMD training and encoding of IVF-Flat/IVF-PQ, FAISS for everything else (<see cref="Quantization.ManagedIvfIndexBuilder"/>); the default.</summary>
    public const string Managed = "managed";
}
