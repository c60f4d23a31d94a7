using System.Runtime.InteropServices;
using Tessera.Indexing.Vectors;

namespace Tessera.Indexing.Mosaics.Building;

/// <summary>Stored mosaic values to the float32 vectors that are written and indexed.</summary>
internal static class VectorConversion
{
    /// <summary>Stored values to float32 vectors (before normalisation): Byte ÷ 255, Int8 × scale, Float32 as is.</summary>
    public static void ToVectors<T>(ReadOnlySpan<T> values, ReadOnlySpan<float> pixelScales, Span<float> destination)
        where T : unmanaged
    {
        if (typeof(T) == typeof(byte))
        {
            EmbeddingKernels.ConvertUInt8(MemoryMarshal.Cast<T, byte>(values), destination);
        }
        else if (typeof(T) == typeof(sbyte))
        {
            var stored = MemoryMarshal.Cast<T, sbyte>(values);
            if (pixelScales.IsEmpty)
            {
                EmbeddingKernels.DequantizeInt8(stored, 1f, destination);
            }
            else
            {
                EmbeddingKernels.DequantizeInt8Rows(stored, pixelScales, destination);
            }
        }
        else
        {
            MemoryMarshal.Cast<T, float>(values).CopyTo(destination);
        }
    }
}
