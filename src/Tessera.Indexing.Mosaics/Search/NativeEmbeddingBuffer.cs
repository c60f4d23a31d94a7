using System.Runtime.InteropServices;

namespace Tessera.Indexing.Mosaics.Search;

/// <summary>Rows of embeddings in native memory (aligned, outside the GC heap): for tests, benchmarks and in-memory viewports.</summary>
internal sealed unsafe class NativeEmbeddingBuffer : IDisposable
{
    private byte* _data;

    public NativeEmbeddingBuffer(long rows, int dimension, EmbeddingElementType elementType, float scale = 1f)
    {
        var bytes = (nuint)(rows * dimension * (elementType == EmbeddingElementType.Float32 ? 4 : 1));
        _data = (byte*)NativeMemory.AlignedAlloc(Math.Max(bytes, 1), 64);
        Matrix = new EmbeddingMatrix(_data, rows, dimension, elementType, scale);
    }

    public EmbeddingMatrix Matrix { get; }

    public Span<float> AsFloats() => new(_data, checked((int)(Matrix.TotalBytes / 4)));

    public Span<byte> AsBytes() => new(_data, checked((int)Matrix.TotalBytes));

    public Span<float> FloatRow(long row) => new(Matrix.RowPointer(row), Matrix.Dimension);

    public Span<byte> ByteRow(long row) => new(Matrix.RowPointer(row), Matrix.Dimension);

    public void Dispose()
    {
        if (_data != null)
        {
            NativeMemory.AlignedFree(_data);
            _data = null;
        }
    }
}
