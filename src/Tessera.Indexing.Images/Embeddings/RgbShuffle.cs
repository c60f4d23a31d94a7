using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Tessera.Indexing.Images.Embeddings;

/// <summary>SSSE3 (pshufb) split of 16 interleaved RGB pixels (48 bytes) into R, G and B vectors, and back.</summary>
internal static unsafe class RgbShuffle
{
    private const byte Z = 0x80;

    /// <summary>Loads 48 bytes at <paramref name="p"/> and gathers their red, green and blue bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Deinterleave(byte* p, out Vector128<byte> r, out Vector128<byte> g, out Vector128<byte> b)
    {
        var v0 = Sse2.LoadVector128(p);
        var v1 = Sse2.LoadVector128(p + 16);
        var v2 = Sse2.LoadVector128(p + 32);
        r = Sse2.Or(Sse2.Or(Ssse3.Shuffle(v0, Vector128.Create((byte)0, 3, 6, 9, 12, 15, Z, Z, Z, Z, Z, Z, Z, Z, Z, Z)),
                            Ssse3.Shuffle(v1, Vector128.Create(Z, Z, Z, Z, Z, Z, 2, 5, 8, 11, 14, Z, Z, Z, Z, Z))),
                    Ssse3.Shuffle(v2, Vector128.Create(Z, Z, Z, Z, Z, Z, Z, Z, Z, Z, Z, 1, 4, 7, 10, 13)));
        g = Sse2.Or(Sse2.Or(Ssse3.Shuffle(v0, Vector128.Create((byte)1, 4, 7, 10, 13, Z, Z, Z, Z, Z, Z, Z, Z, Z, Z, Z)),
                            Ssse3.Shuffle(v1, Vector128.Create(Z, Z, Z, Z, Z, 0, 3, 6, 9, 12, 15, Z, Z, Z, Z, Z))),
                    Ssse3.Shuffle(v2, Vector128.Create(Z, Z, Z, Z, Z, Z, Z, Z, Z, Z, Z, 2, 5, 8, 11, 14)));
        b = Sse2.Or(Sse2.Or(Ssse3.Shuffle(v0, Vector128.Create((byte)2, 5, 8, 11, 14, Z, Z, Z, Z, Z, Z, Z, Z, Z, Z, Z)),
                            Ssse3.Shuffle(v1, Vector128.Create(Z, Z, Z, Z, Z, 1, 4, 7, 10, 13, Z, Z, Z, Z, Z, Z))),
                    Ssse3.Shuffle(v2, Vector128.Create(Z, Z, Z, Z, Z, Z, Z, Z, Z, Z, 0, 3, 6, 9, 12, 15)));
    }

    /// <summary>Writes 16 gray values as 48 bytes (each value three times) at <paramref name="p"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreTripled(byte* p, Vector128<byte> y)
    {
        Sse2.Store(p, Ssse3.Shuffle(y, Vector128.Create((byte)0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5)));
        Sse2.Store(p + 16, Ssse3.Shuffle(y, Vector128.Create((byte)5, 5, 6, 6, 6, 7, 7, 7, 8, 8, 8, 9, 9, 9, 10, 10)));
        Sse2.Store(p + 32, Ssse3.Shuffle(y, Vector128.Create((byte)10, 11, 11, 11, 12, 12, 12, 13, 13, 13, 14, 14, 14, 15, 15, 15)));
    }
}
