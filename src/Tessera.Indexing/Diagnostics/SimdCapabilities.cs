using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using Tessera.Indexing.Vectors;

namespace Tessera.Indexing.Diagnostics;

/// <summary>What the managed hot paths (k-means, PQ encoding, distance scans) can use on this machine, as the JIT sees it.</summary>
public sealed class SimdCapabilities
{
    private SimdCapabilities()
    {
        Vector128Accelerated = Vector128.IsHardwareAccelerated;
        Vector256Accelerated = Vector256.IsHardwareAccelerated;
        Vector512Accelerated = Vector512.IsHardwareAccelerated;
        VectorByteCount = Vector<byte>.Count;
        KernelWidthBits = Simd.Best switch
        {
            SimdLevel.Vector512 => 512,
            SimdLevel.Vector256 => 256,
            _ => 0,
        };
        KernelLevel = Simd.Describe(Simd.Best);

        var sets = new List<string>();
        void Add(bool supported, string name)
        {
            if (supported)
            {
                sets.Add(name);
            }
        }

        Add(Sse42.IsSupported, "SSE4.2");
        Add(Avx.IsSupported, "AVX");
        Add(Avx2.IsSupported, "AVX2");
        Add(Fma.IsSupported, "FMA");
        Add(Avx512F.IsSupported, "AVX-512F");
        Add(Avx512BW.IsSupported, "AVX-512BW");
        Add(Avx512DQ.IsSupported, "AVX-512DQ");
        Add(Avx512Vbmi.IsSupported, "AVX-512VBMI");
        Add(AvxVnni.IsSupported, "AVX-VNNI");
        Add(AvxVnniInt8.IsSupported, "AVX-VNNI-INT8");
        Add(Avx10v1.IsSupported, "AVX10.1");
        Add(AdvSimd.IsSupported, "AdvSIMD");
        InstructionSets = sets;
    }

    /// <summary>The capabilities of this process (computed once).</summary>
    public static SimdCapabilities Current { get; } = new();

    /// <summary>Whether 128-bit vectors are hardware accelerated.</summary>
    public bool Vector128Accelerated { get; }

    /// <summary>Whether 256-bit vectors are hardware accelerated.</summary>
    public bool Vector256Accelerated { get; }

    /// <summary>Whether 512-bit vectors are hardware accelerated (AVX-512 and not disabled by <c>DOTNET_EnableAVX512F=0</c>).</summary>
    public bool Vector512Accelerated { get; }

    /// <summary>The size of <see cref="Vector{T}"/> in bytes.</summary>
    public int VectorByteCount { get; }

    /// <summary>The vector width Tessera's kernels run with: 512, 256, or 0 for scalar loops.</summary>
    public int KernelWidthBits { get; }

    /// <summary>A description of that level (for example <c>AVX-512 (16 floats per vector, FMA)</c>).</summary>
    public string KernelLevel { get; }

    /// <summary>The relevant instruction sets the JIT may use here (for example <c>AVX2</c>, <c>AVX-512F</c>, <c>AVX-VNNI</c>).</summary>
    public IReadOnlyList<string> InstructionSets { get; }
}
