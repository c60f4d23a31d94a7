using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Tessera.Indexing.Vectors;

/// <summary>What the running machine offers.</summary>
internal static class Simd
{
    /// <summary>The widest level this machine accelerates.</summary>
    public static SimdLevel Best { get; } = Vector512.IsHardwareAccelerated && Avx512F.IsSupported
        ? SimdLevel.Vector512
        : Vector256.IsHardwareAccelerated && Fma.IsSupported ? SimdLevel.Vector256 : SimdLevel.Scalar;

    /// <summary>Levels this machine can run, narrowest first.</summary>
    public static IReadOnlyList<SimdLevel> Available { get; } = Best switch
    {
        SimdLevel.Vector512 => [SimdLevel.Scalar, SimdLevel.Vector256, SimdLevel.Vector512],
        SimdLevel.Vector256 => [SimdLevel.Scalar, SimdLevel.Vector256],
        _ => [SimdLevel.Scalar],
    };

    /// <summary>A human-readable description for benchmark output and logs.</summary>
    public static string Describe(SimdLevel level) => level switch
    {
        SimdLevel.Vector512 => "AVX-512 (16 floats per vector, FMA)",
        SimdLevel.Vector256 => "AVX2 (8 floats per vector, FMA)",
        _ => "scalar",
    };

    /// <summary>Clamps a requested level to what the machine can run.</summary>
    public static SimdLevel Clamp(SimdLevel requested) => requested > Best ? Best : requested;
}
