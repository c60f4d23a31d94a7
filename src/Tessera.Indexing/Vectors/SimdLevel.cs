namespace Tessera.Indexing.Vectors;

/// <summary>Which vector width a kernel runs with. Kernels take it as a parameter so tests can exercise every path the machine has.</summary>
public enum SimdLevel
{
    /// <summary>Plain scalar loops.</summary>
    Scalar = 0,

    /// <summary>256-bit vectors (AVX2 with FMA on x86).</summary>
    Vector256 = 1,

    /// <summary>512-bit vectors (AVX-512).</summary>
    Vector512 = 2,
}
