using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Tessera.Indexing.Vectors;

/// <summary>What the running machine offers.</summary>
public static class Simd
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

    /// <summary>
    /// Integer dot-product paths this machine can run, scalar first. .NET 10 exposes <c>vpdpbusd</c>
    /// only as <see cref="AvxVnni"/> (256-bit); the 512-bit form has no managed intrinsic, so
    /// 512-bit vectors use <c>vpmaddubsw</c> + <c>vpmaddwd</c>.
    /// </summary>
    public static IReadOnlyList<IntegerDotPath> IntegerDotPaths { get; } = ListIntegerDotPaths();

    /// <summary>The integer dot-product path the scan uses by default (see <c>docs/search.md</c> for the measurements behind the choice).</summary>
    public static IntegerDotPath BestIntegerDotPath { get; } =
        IntegerDotPaths.Contains(IntegerDotPath.AvxVnni) ? IntegerDotPath.AvxVnni
        : IntegerDotPaths.Contains(IntegerDotPath.Avx512BW) ? IntegerDotPath.Avx512BW
        : IntegerDotPaths.Contains(IntegerDotPath.Avx2) ? IntegerDotPath.Avx2
        : IntegerDotPath.Scalar;

    /// <summary>A human-readable description for benchmark output and logs.</summary>
    public static string Describe(SimdLevel level) => level switch
    {
        SimdLevel.Vector512 => "AVX-512 (16 floats per vector, FMA)",
        SimdLevel.Vector256 => "AVX2 (8 floats per vector, FMA)",
        _ => "scalar",
    };

    /// <summary>Clamps a requested level to what the machine can run.</summary>
    public static SimdLevel Clamp(SimdLevel requested) => requested > Best ? Best : requested;

    /// <summary>The requested path when the machine runs it, else the best it has.</summary>
    public static IntegerDotPath Clamp(IntegerDotPath requested) => IntegerDotPaths.Contains(requested) ? requested : BestIntegerDotPath;

    private static IntegerDotPath[] ListIntegerDotPaths()
    {
        var paths = new List<IntegerDotPath> { IntegerDotPath.Scalar };
        if (Avx2.IsSupported)
        {
            paths.Add(IntegerDotPath.Avx2);
        }

        if (AvxVnni.IsSupported)
        {
            paths.Add(IntegerDotPath.AvxVnni);
        }

        if (Avx512BW.IsSupported && Vector512.IsHardwareAccelerated)
        {
            paths.Add(IntegerDotPath.Avx512BW);
        }

        return [.. paths];
    }
}
