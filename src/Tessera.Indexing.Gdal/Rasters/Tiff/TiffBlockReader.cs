using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using Microsoft.Win32.SafeHandles;
using Tessera.Indexing.Gdal.Interop.Gdal;

namespace Tessera.Indexing.Gdal.Rasters.Tiff;

/// <summary>
/// Reads windows of a GeoTIFF straight from the file, block by block, into a pixel-interleaved buffer
/// of the file's own sample type: uncompressed blocks with positional reads (<c>pread</c>) straight into
/// the destination (band-interleaved ones through a pooled buffer and a SIMD transpose); compressed
/// blocks read whole, decoded (GDAL's decompressors, or <see cref="TiffLzw"/>) and un-predicted on all
/// cores. A block it cannot read this way (never written, shorter than its layout says, corrupt, old
/// LZW) is read through GDAL instead, so the pixels are always GDAL's.
/// </summary>
/// <remarks>
/// Thread-safe: the file is read with positional reads only; block locations and GDAL reads go
/// through the two callbacks, which the owner serialises.
/// </remarks>
internal sealed unsafe partial class TiffBlockReader : IDisposable
{
    /// <summary>The largest decoded block (all planes) decoded here; larger ones are left to GDAL.</summary>
    public const long MaxDecodedBlockBytes = 1L << 30;

    // Uncompressed work items are cut to about this many destination bytes, so wide blocks still spread over cores.
    private const long TargetItemBytes = 4L << 20;

    // Cached block locations are dropped wholesale beyond this many (bounds memory for huge band-interleaved files).
    private const int MaxCachedLocations = 1 << 22;

    private readonly TiffLayout _layout;
    private readonly SafeFileHandle _file;
    private readonly CplDecompressor? _decompressor;
    private readonly LocateBlocks _locate;
    private readonly ReadThroughGdal _fallback;
    private readonly int _maxParallelism;
    private readonly DecodedBlockCache? _cache;
    private readonly Dictionary<int, BlockRow> _locations = [];
    private readonly Lock _locationsGate = new();
    private readonly long _fileLength;
    private int _cachedLocations;
    private long _blocksReadThroughGdal;

    /// <summary>Creates a reader over an open file.</summary>
    /// <param name="layout">The file's layout.</param>
    /// <param name="file">The file, opened for reading; the reader owns it.</param>
    /// <param name="decompressor">GDAL's decompressor for <see cref="TiffLayout.Codec"/> (not for none or LZW).</param>
    /// <param name="locate">Fills the locations of one block row of one plane (GDAL's <c>BLOCK_OFFSET_x_y</c>).</param>
    /// <param name="fallback">Reads a region through GDAL into the destination.</param>
    /// <param name="maxParallelism">Blocks read at once.</param>
    /// <param name="cacheBytes">Budget for decoded blocks kept between windows; 0 for none.</param>
    public TiffBlockReader(TiffLayout layout, SafeFileHandle file, CplDecompressor? decompressor, LocateBlocks locate, ReadThroughGdal fallback, int maxParallelism, long cacheBytes)
    {
        _layout = layout;
        _file = file;
        _fileLength = RandomAccess.GetLength(file);
        _decompressor = decompressor;
        _locate = locate;
        _fallback = fallback;
        _maxParallelism = Math.Max(1, maxParallelism);
        _cache = layout.Codec != TiffCodec.None && cacheBytes > 0 ? new DecodedBlockCache(cacheBytes) : null;
    }

    /// <summary>Fills the offsets and sizes (-1: none) of block row <paramref name="blockY"/> of <paramref name="plane"/>.</summary>
    public delegate void LocateBlocks(int plane, int blockY, Span<long> offsets, Span<long> sizes);

    /// <summary>Reads <paramref name="region"/> through GDAL into <paramref name="destination"/> (pixel-interleaved, <paramref name="lineBytes"/> from row to row).</summary>
    public delegate void ReadThroughGdal((int X, int Y, int Width, int Height) region, Span<byte> destination, long lineBytes);

    /// <summary>The layout read.</summary>
    public TiffLayout Layout => _layout;

    /// <summary>Block pieces this reader handed to GDAL so far (blocks never written, truncated or corrupt).</summary>
    public long BlocksReadThroughGdal => Interlocked.Read(ref _blocksReadThroughGdal);

    /// <summary>Bytes of decoded blocks held between windows now.</summary>
    public long CachedBytes => _cache?.Bytes ?? 0;

    /// <summary>Reads a window (already checked to lie inside the image) into <paramref name="destination"/>.</summary>
    /// <param name="window">The window.</param>
    /// <param name="destination">At least <c>width * height * bands * sampleSize</c> bytes.</param>
    public void Read((int X, int Y, int Width, int Height) window, Span<byte> destination)
    {
        var layout = _layout;
        var bx0 = window.X / layout.BlockWidth;
        var bx1 = (window.X + window.Width - 1) / layout.BlockWidth;
        var by0 = window.Y / layout.BlockHeight;
        var by1 = (window.Y + window.Height - 1) / layout.BlockHeight;
        var rows = new BlockRow[by1 - by0 + 1];
        for (var by = by0; by <= by1; by++)
        {
            rows[by - by0] = Locations(by);
        }

        var items = Plan(window, bx0, bx1, by0, by1);
        var failed = new ConcurrentBag<WorkItem>();
        fixed (byte* target = destination)
        {
            var context = new ReadContext(this, window, (nint)target, rows, by0, failed);
            if (items.Count == 1 || _maxParallelism == 1)
            {
                foreach (var item in items)
                {
                    context.Run(item);
                }
            }
            else
            {
                try
                {
                    Parallel.ForEach(items, new ParallelOptions { MaxDegreeOfParallelism = _maxParallelism }, context.Run);
                }
                catch (AggregateException e) when (e.InnerExceptions.Count >= 1)
                {
                    ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
                }
            }

            foreach (var item in failed)
            {
                Interlocked.Increment(ref _blocksReadThroughGdal);
                var (x0, x1, y0, y1) = context.Clip(item);
                var pixelBytes = (long)layout.PixelBytes;
                var lineBytes = window.Width * pixelBytes;
                var start = ((y0 - window.Y) * lineBytes) + ((x0 - window.X) * pixelBytes);
                var length = ((y1 - y0 - 1) * lineBytes) + ((x1 - x0) * pixelBytes);
                _fallback((x0, y0, x1 - x0, y1 - y0), new Span<byte>(target + start, checked((int)length)), lineBytes);
            }
        }
    }

    /// <summary>Closes the file and drops the decoded blocks.</summary>
    public void Dispose()
    {
        _file.Dispose();
        _cache?.Dispose();
    }

    /// <summary>The offsets and sizes of one block row, plane after plane.</summary>
    private sealed record BlockRow(long[] Offsets, long[] Sizes);

    /// <summary>Rows <c>[Top, Bottom)</c> of the window that lie in block (<c>BlockX</c>, <c>BlockY</c>).</summary>
    private readonly record struct WorkItem(int BlockX, int BlockY, int Top, int Bottom);

}
