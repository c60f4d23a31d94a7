using Tessera.Indexing.Mosaics.Search;
using Tessera.Indexing.Vectors;

namespace Tessera.Indexing.Mosaics.Tests.Search;

/// <summary>A buffer's rows with their norms computed as the build writes them (<c>all_norms.npy</c>).</summary>
internal sealed unsafe class NormsBuffer : IDisposable
{
    private readonly float* _norms;

    public NormsBuffer(EmbeddingMatrix matrix)
    {
        _norms = (float*)System.Runtime.InteropServices.NativeMemory.Alloc((nuint)(matrix.Rows * sizeof(float)));
        if (matrix.ElementType == EmbeddingElementType.UInt8)
        {
            ScanKernels.Norms(matrix.Data, matrix.Dimension, (int)matrix.Rows, _norms);
        }
        else
        {
            ScanKernels.Norms((float*)matrix.Data, matrix.Dimension, (int)matrix.Rows, _norms, Simd.Best);
        }

        Matrix = matrix.WithNorms(_norms);
    }

    public EmbeddingMatrix Matrix { get; }

    public void Dispose() => System.Runtime.InteropServices.NativeMemory.Free(_norms);

    /// <summary>Writes one seeded row of values in 0..255: rounded to bytes, or as floats scaled by 1/255.</summary>
    public static void WriteRow(NativeEmbeddingBuffer buffer, int row, float[] values, bool bytes)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (bytes)
            {
                buffer.ByteRow(row)[i] = (byte)MathF.Round(values[i]);
            }
            else
            {
                buffer.FloatRow(row)[i] = values[i] / 255f;
            }
        }
    }
}
