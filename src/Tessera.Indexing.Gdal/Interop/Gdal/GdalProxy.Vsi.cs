namespace Tessera.Indexing.Gdal.Interop.Gdal;

internal static unsafe partial class GdalProxy
{
    /// <summary>
    /// Exposes <paramref name="data"/> (which must stay pinned until <see cref="Unlink"/>) as the
    /// in-memory file <paramref name="path"/> (<c>VSIFileFromMemBuffer</c>, GDAL does not take ownership).
    /// </summary>
    public static void CreateMemoryFile(string path, byte* data, long length)
    {
        using var scope = GdalErrorScope.Enter();
        using var file = GdalErrors.CheckHandle(GdalNative.FileFromMemBuffer(path, data, (ulong)length, 0), $"create in-memory file '{path}'");
    }

    /// <summary>
    /// Runs <paramref name="body"/> with <paramref name="data"/> visible to GDAL as a uniquely named
    /// <c>/vsimem/</c> file (<c>VSIFileFromMemBuffer</c>, no copy: the bytes stay pinned), unlinked afterwards.
    /// </summary>
    public static TResult WithMemoryFile<TState, TResult>(ReadOnlySpan<byte> data, string extension, TState state, Func<string, TState, TResult> body)
    {
        var path = $"/vsimem/tessera-{Guid.NewGuid():N}{extension}";
        fixed (byte* pointer = data)
        {
            // GDAL rejects a null buffer; an empty input still needs a (zero-length) file to fail on.
            byte empty = 0;
            CreateMemoryFile(path, pointer is null ? &empty : pointer, data.Length);
            try
            {
                return body(path, state);
            }
            finally
            {
                Unlink(path);
            }
        }
    }

    /// <summary>Drops what <c>/vsicurl/</c> cached about URLs starting with <paramref name="pathPrefix"/> (<c>VSICurlPartialClearCache</c>).</summary>
    public static void ClearCurlCache(string pathPrefix)
    {
        using var scope = GdalErrorScope.Enter();
        GdalNative.CurlPartialClearCache(pathPrefix);
    }

    /// <summary>Deletes a file (<c>VSIUnlink</c>); for <c>/vsimem/</c> this releases GDAL's hold on the buffer.</summary>
    public static void Unlink(string path)
    {
        using var scope = GdalErrorScope.Enter();
        _ = GdalNative.Unlink(path);
    }

    /// <summary>Takes an in-memory file's bytes out of GDAL (<c>VSIGetMemFileBuffer</c> with unlink-and-seize) and frees GDAL's copy.</summary>
    public static byte[] SeizeMemoryFile(string path)
    {
        using var scope = GdalErrorScope.Enter();
        using var memory = GdalNative.GetMemFileBuffer(path, out var length, 1);
        if (memory.IsInvalid)
        {
            throw GdalErrors.Last($"read in-memory file '{path}'");
        }

        return new ReadOnlySpan<byte>((void*)memory.DangerousGetHandle(), checked((int)length)).ToArray();
    }
}
