namespace Tessera.Indexing.Mosaics.Search;

/// <summary>
/// A read-only view of the rows of <c>all_embeddings.npy</c> (one row per pixel, row-major), wherever
/// they live: a memory-mapped file or native memory. The owner keeps the memory alive.
/// The indexed vector of row <c>i</c> is <c>stored × Scale</c>. <see cref="Norms"/>, when present, holds
/// each row's norm in stored units (<c>all_norms.npy</c>); without it the scan computes norms on the fly.
/// </summary>
internal readonly unsafe struct EmbeddingMatrix
{
    public EmbeddingMatrix(byte* data, long rows, int dimension, EmbeddingElementType elementType, float scale, float* norms = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if (!(scale > 0) || float.IsInfinity(scale))
        {
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "The scale must be a positive finite number.");
        }

        Data = data;
        Rows = rows;
        Dimension = dimension;
        ElementType = elementType;
        Scale = scale;
        Norms = norms;
        RowBytes = dimension * (elementType == EmbeddingElementType.Float32 ? sizeof(float) : sizeof(byte));
    }

    /// <summary>First byte of row 0.</summary>
    public byte* Data { get; }

    /// <summary>One float32 norm per row in stored units (<c>√Σ stored²</c>, as <see cref="Tessera.Indexing.Vectors.ScanKernels"/> computes it), or null.</summary>
    public float* Norms { get; }

    /// <summary>Number of rows (pixels).</summary>
    public long Rows { get; }

    /// <summary>Values per row.</summary>
    public int Dimension { get; }

    /// <summary>Storage type.</summary>
    public EmbeddingElementType ElementType { get; }

    /// <summary>Stored value × Scale = indexed value.</summary>
    public float Scale { get; }

    /// <summary>Bytes per row.</summary>
    public int RowBytes { get; }

    /// <summary>Total bytes of the rows.</summary>
    public long TotalBytes => Rows * RowBytes;

    /// <summary>This matrix with <paramref name="norms"/> as its norms.</summary>
    public EmbeddingMatrix WithNorms(float* norms) => new(Data, Rows, Dimension, ElementType, Scale, norms);

    /// <summary>The first byte of row <paramref name="row"/>.</summary>
    public byte* RowPointer(long row) => Data + (row * RowBytes);

    /// <summary>Copies the indexed vector of <paramref name="row"/> (stored × Scale) into <paramref name="destination"/>.</summary>
    public void ReadVector(long row, Span<float> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, Rows);
        if (destination.Length < Dimension)
        {
            throw new ArgumentException($"The destination needs {Dimension} floats.", nameof(destination));
        }

        var p = RowPointer(row);
        if (ElementType == EmbeddingElementType.Float32)
        {
            var values = new ReadOnlySpan<float>(p, Dimension);
            if (Scale == 1f)
            {
                values.CopyTo(destination);
            }
            else
            {
                System.Numerics.Tensors.TensorPrimitives.Multiply(values, Scale, destination[..Dimension]);
            }
        }
        else
        {
            var values = new ReadOnlySpan<byte>(p, Dimension);
            for (var i = 0; i < values.Length; i++)
            {
                destination[i] = values[i] * Scale;
            }
        }
    }
}
