namespace Tessera.Indexing.Gdal.Interop.Gdal;

/// <summary>
/// One of GDAL's registered decompressors (<c>cpl_compressor.h</c>, GDAL 3.4 and later): <c>zlib</c>
/// (libdeflate when GDAL has it), <c>zstd</c>, <c>lzma</c>. Each call decodes one buffer into a caller
/// buffer and keeps no state, so one instance serves every thread.
/// </summary>
internal sealed unsafe class CplDecompressor
{
    private readonly GdalNative.CplCompressorInfo* _info;

    private CplDecompressor(string id, GdalNative.CplCompressorInfo* info)
    {
        Id = id;
        _info = info;
    }

    /// <summary>The decompressor's id (<c>zlib</c>, <c>zstd</c>…).</summary>
    public string Id { get; }

    /// <summary>The decompressor GDAL registered under <paramref name="id"/>, or <see langword="null"/> when this GDAL has none.</summary>
    public static CplDecompressor? Find(string id)
    {
        using var scope = GdalErrorScope.Enter();
        var info = GdalNative.GetDecompressor(id);
        return info is null || info->StructVersion < 1 || info->Function is null ? null : new CplDecompressor(id, info);
    }

    /// <summary>
    /// Decodes <paramref name="input"/> into <paramref name="output"/>; <see langword="false"/> when the
    /// data is corrupt or decodes to more than <paramref name="output"/> holds (GDAL's message is dropped:
    /// the caller then lets GDAL read the block, which reports it).
    /// </summary>
    public bool TryDecompress(ReadOnlySpan<byte> input, Span<byte> output, out int written)
    {
        written = 0;
        if (input.IsEmpty || output.IsEmpty)
        {
            return false;
        }

        using var scope = GdalErrorScope.Enter();
        fixed (byte* source = input)
        fixed (byte* target = output)
        {
            void* buffer = target;
            var size = (nuint)output.Length;
            if (_info->Function(source, (nuint)input.Length, &buffer, &size, null, _info->UserData) == 0 || buffer != target || size > (nuint)output.Length)
            {
                return false;
            }

            written = (int)size;
            return true;
        }
    }
}
