using Tessera.Indexing.Interop.Faiss;

namespace Tessera.Indexing.Faiss;

public unsafe partial class FaissIndex
{
    /// <summary>The IVF structure of the index, or <see langword="null"/> when it is not an IVF index.</summary>
    /// <returns>The IVF description or <see langword="null"/>.</returns>
    public FaissIvfInfo? TryGetIvfInfo()
    {
        if (FaissNative.IvfInfo(_handle, out var info) != 0)
        {
            return null;
        }

        return new FaissIvfInfo(
            info.NList,
            info.NProbe,
            checked((int)info.CodeSize),
            info.IsPq != 0,
            info.PqM,
            info.PqNBits,
            info.ByResidual != 0,
            info.Polysemous != 0,
            info.IsDirect != 0);
    }

    /// <summary>The IVF structure of the index.</summary>
    /// <returns>The IVF description.</returns>
    /// <exception cref="FaissException">The index is not an IVF index.</exception>
    public FaissIvfInfo GetIvfInfo()
    {
        FaissStatus.Check(FaissNative.IvfInfo(_handle, out _), "ivf_info");
        return TryGetIvfInfo()!;
    }

    /// <summary>Sets the default number of IVF lists visited per query.</summary>
    /// <param name="nprobe">Lists to visit.</param>
    public void SetNProbe(int nprobe)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nprobe, 1);
        FaissStatus.Check(FaissNative.IvfSetNprobe(_handle, nprobe), "set_nprobe");
    }

    /// <summary>Replaces the coarse quantizer's centroids of an empty IVF index (<c>nlist * Dimension</c> floats).</summary>
    /// <param name="centroids">The centroids, row-major.</param>
    public void SetCoarseCentroids(ReadOnlySpan<float> centroids)
    {
        var info = GetIvfInfo();
        ExpectLength(centroids.Length, info.NList * Dimension, nameof(centroids));
        fixed (float* c = centroids)
        {
            FaissStatus.Check(FaissNative.IvfSetCentroids(_handle, c, info.NList), "set_centroids");
        }
    }

    /// <summary>The coarse quantizer's centroids (<c>nlist * Dimension</c> floats).</summary>
    /// <returns>The centroids, row-major.</returns>
    public float[] GetCoarseCentroids()
    {
        var info = GetIvfInfo();
        var result = new float[checked((int)(info.NList * Dimension))];
        fixed (float* c = result)
        {
            FaissStatus.Check(FaissNative.IvfGetCentroids(_handle, c), "get_centroids");
        }

        return result;
    }

    /// <summary>Sets the PQ codebooks of an empty IVF-PQ index: layout (M, 2^bits, Dimension / M).</summary>
    /// <param name="codebooks">The codebooks.</param>
    public void SetPqCodebooks(ReadOnlySpan<float> codebooks)
    {
        var info = GetIvfInfo();
        ExpectLength(codebooks.Length, PqCodebookLength(info), nameof(codebooks));
        fixed (float* c = codebooks)
        {
            FaissStatus.Check(FaissNative.IvfPqSetCentroids(_handle, c), "set_pq_centroids");
        }
    }

    /// <summary>The PQ codebooks of an IVF-PQ index: layout (M, 2^bits, Dimension / M).</summary>
    /// <returns>The codebooks.</returns>
    public float[] GetPqCodebooks()
    {
        var info = GetIvfInfo();
        var result = new float[PqCodebookLength(info)];
        fixed (float* c = result)
        {
            FaissStatus.Check(FaissNative.IvfPqGetCentroids(_handle, c), "get_pq_centroids");
        }

        return result;
    }

    /// <summary>Marks an IVF index trained once its centroids (and codebooks) were set from outside.</summary>
    public void MarkTrained() => FaissStatus.Check(FaissNative.IvfSetTrained(_handle), "set_trained");

    /// <summary>
    /// Appends entries encoded outside FAISS to a bare, trained IVF index: for entry <c>i</c>, list
    /// <paramref name="listNumbers"/>[i], code bytes <paramref name="codes"/>[i * CodeSize ..], label <paramref name="ids"/>[i].
    /// </summary>
    /// <param name="listNumbers">Inverted list of each entry.</param>
    /// <param name="codes">Codes, <see cref="FaissIvfInfo.CodeSize"/> bytes each.</param>
    /// <param name="ids">Labels.</param>
    public void AddPreEncoded(ReadOnlySpan<long> listNumbers, ReadOnlySpan<byte> codes, ReadOnlySpan<long> ids)
    {
        var info = GetIvfInfo();
        var n = listNumbers.Length;
        if (ids.Length != n)
        {
            throw new ArgumentException($"Expected {n} ids, got {ids.Length}.", nameof(ids));
        }

        ExpectLength(codes.Length, (long)n * info.CodeSize, nameof(codes));
        if (n == 0)
        {
            return;
        }

        fixed (long* l = listNumbers)
        fixed (byte* c = codes)
        fixed (long* i = ids)
        {
            FaissStatus.Check(FaissNative.IvfAddPreEncoded(_handle, n, l, c, i), "add_preencoded");
        }
    }

    /// <summary>FAISS's own IVF encoding of <paramref name="vectors"/>: coarse list numbers and codes.</summary>
    /// <param name="vectors">Vectors, row-major.</param>
    /// <param name="listNumbers">Output, one per vector.</param>
    /// <param name="codes">Output, <see cref="FaissIvfInfo.CodeSize"/> bytes per vector.</param>
    public void EncodeIvf(ReadOnlySpan<float> vectors, Span<long> listNumbers, Span<byte> codes)
    {
        var n = RowCount(vectors, nameof(vectors));
        var info = GetIvfInfo();
        if (listNumbers.Length < n || codes.Length < (long)n * info.CodeSize)
        {
            throw new ArgumentException("The output spans are too small.");
        }

        if (n == 0)
        {
            return;
        }

        fixed (float* x = vectors)
        fixed (long* l = listNumbers)
        fixed (byte* c = codes)
        {
            FaissStatus.Check(FaissNative.IvfEncode(_handle, n, x, l, c), "encode");
        }
    }

    /// <summary>Number of entries in one inverted list.</summary>
    /// <param name="listNumber">The list.</param>
    /// <returns>Its size.</returns>
    public long GetListSize(long listNumber)
    {
        FaissStatus.Check(FaissNative.IvfListSize(_handle, listNumber, out var size), "list_size");
        return size;
    }

    /// <summary>Copies the labels and codes of one inverted list.</summary>
    /// <param name="listNumber">The list.</param>
    /// <returns>Labels and codes (<see cref="FaissIvfInfo.CodeSize"/> bytes each).</returns>
    public (long[] Ids, byte[] Codes) GetList(long listNumber)
    {
        var info = GetIvfInfo();
        var size = checked((int)GetListSize(listNumber));
        var ids = new long[size];
        var codes = new byte[checked(size * info.CodeSize)];
        fixed (long* i = ids)
        fixed (byte* c = codes)
        {
            FaissStatus.Check(FaissNative.IvfGetList(_handle, listNumber, i, c), "get_list");
        }

        return (ids, codes);
    }
}
