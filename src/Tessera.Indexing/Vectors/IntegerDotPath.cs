namespace Tessera.Indexing.Vectors;

/// <summary>
/// Which instructions compute the integer dot products (uint8 rows × int8 query codes) of the
/// quantised scan. Every path gives the same exact int32 sums; they differ only in speed and in the
/// largest query code they accept (<see cref="ScanKernels.MaxCode"/>).
/// </summary>
public enum IntegerDotPath
{
    /// <summary>Plain scalar loops.</summary>
    Scalar = 0,

    /// <summary>AVX2 <c>vpmaddubsw</c> + <c>vpmaddwd</c>, 32 bytes a step (codes within ±64 so the int16 pair sums never saturate).</summary>
    Avx2 = 1,

    /// <summary>AVX-VNNI <c>vpdpbusd</c> on 256-bit vectors, 32 bytes a step (codes within ±127).</summary>
    AvxVnni = 2,

    /// <summary>AVX-512BW <c>vpmaddubsw</c> + <c>vpmaddwd</c>, 64 bytes a step (codes within ±64).</summary>
    Avx512BW = 3,
}
