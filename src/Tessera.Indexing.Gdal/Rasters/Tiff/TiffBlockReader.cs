using System.Buffers;
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
internal sealed unsafe class TiffBlockReader : IDisposable
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

    private List<WorkItem> Plan((int X, int Y, int Width, int Height) window, int bx0, int bx1, int by0, int by1)
    {
        var layout = _layout;
        var items = new List<WorkItem>((bx1 - bx0 + 1) * (by1 - by0 + 1));
        for (var by = by0; by <= by1; by++)
        {
            var top = Math.Max(window.Y, by * layout.BlockHeight);
            var bottom = Math.Min(window.Y + window.Height, (by + 1) * layout.BlockHeight);
            for (var bx = bx0; bx <= bx1; bx++)
            {
                if (layout.Codec != TiffCodec.None)
                {
                    items.Add(new WorkItem(bx, by, top, bottom));
                    continue;
                }

                // Uncompressed: cut tall blocks into row chunks so that one block still uses every core.
                var columns = Math.Min(window.X + window.Width, (bx + 1) * layout.BlockWidth) - Math.Max(window.X, bx * layout.BlockWidth);
                // Band-interleaved rows are read a whole block row per plane (then transposed): count those bytes.
                var rowBytes = Math.Max(1L, layout.Planar ? layout.BlockRowBytes * layout.Planes : (long)columns * layout.PixelBytes);
                var chunk = (int)Math.Clamp(TargetItemBytes / rowBytes, 1, int.MaxValue);
                for (var y = top; y < bottom; y += chunk)
                {
                    items.Add(new WorkItem(bx, by, y, Math.Min(bottom, y + chunk)));
                }
            }
        }

        return items;
    }

    private BlockRow Locations(int blockY)
    {
        lock (_locationsGate)
        {
            if (_locations.TryGetValue(blockY, out var row))
            {
                return row;
            }

            var across = _layout.BlocksAcross;
            var planes = _layout.Planes;
            if (_cachedLocations + (across * planes) > MaxCachedLocations)
            {
                _locations.Clear();
                _cachedLocations = 0;
            }

            row = new BlockRow(new long[across * planes], new long[across * planes]);
            for (var plane = 0; plane < planes; plane++)
            {
                _locate(plane, blockY, row.Offsets.AsSpan(plane * across, across), row.Sizes.AsSpan(plane * across, across));
            }

            _locations[blockY] = row;
            _cachedLocations += across * planes;
            return row;
        }
    }

    /// <summary>The offsets and sizes of one block row, plane after plane.</summary>
    private sealed record BlockRow(long[] Offsets, long[] Sizes);

    /// <summary>Rows <c>[Top, Bottom)</c> of the window that lie in block (<c>BlockX</c>, <c>BlockY</c>).</summary>
    private readonly record struct WorkItem(int BlockX, int BlockY, int Top, int Bottom);

    /// <summary>One window read: what every work item needs, shared by the workers.</summary>
    private sealed class ReadContext(TiffBlockReader reader, (int X, int Y, int Width, int Height) window, nint destination, BlockRow[] rows, int firstBlockY, ConcurrentBag<WorkItem> failed)
    {
        private readonly TiffLayout _layout = reader._layout;

        /// <summary>Columns <c>[x0, x1)</c> and rows <c>[y0, y1)</c> of the image the item covers.</summary>
        public (int X0, int X1, int Y0, int Y1) Clip(WorkItem item)
        {
            var x0 = Math.Max(window.X, item.BlockX * _layout.BlockWidth);
            var x1 = Math.Min(window.X + window.Width, (item.BlockX + 1) * _layout.BlockWidth);
            return (x0, x1, item.Top, item.Bottom);
        }

        public void Run(WorkItem item)
        {
            var done = _layout.Codec == TiffCodec.None
                ? (_layout.Planar ? ReadPlanes(item) : ReadPixels(item))
                : ReadDecoded(item);
            if (!done)
            {
                failed.Add(item);
            }
        }

        /// <summary>
        /// Where a block plane lies, or offset -1 when it is not in the file: never written, or (like
        /// libtiff, which reads a block whole) running past the end of a truncated file.
        /// </summary>
        private (long Offset, long Size) Location(WorkItem item, int plane)
        {
            var row = rows[item.BlockY - firstBlockY];
            var index = (plane * _layout.BlocksAcross) + item.BlockX;
            var (offset, size) = (row.Offsets[index], row.Sizes[index]);
            return offset < 0 || size <= 0 || offset > reader._fileLength - size ? (-1, -1) : (offset, size);
        }

        private byte* DestinationOf(int x, int y) =>
            (byte*)destination + ((((long)(y - window.Y) * window.Width) + (x - window.X)) * _layout.PixelBytes);

        /// <summary>Uncompressed, pixel-interleaved: each block row segment is read straight into place.</summary>
        private bool ReadPixels(WorkItem item)
        {
            var (x0, x1, y0, y1) = Clip(item);
            var (offset, size) = Location(item, 0);
            if (offset < 0)
            {
                return false;
            }

            var left = item.BlockX * _layout.BlockWidth;
            var top = item.BlockY * _layout.BlockHeight;
            var pixelBytes = (long)_layout.PixelBytes;
            var segment = (x1 - x0) * pixelBytes;
            var start = ((y0 - top) * _layout.BlockRowBytes) + ((x0 - left) * pixelBytes);
            var end = ((y1 - 1 - top) * _layout.BlockRowBytes) + ((x1 - left) * pixelBytes);
            if (end > size)
            {
                return false;
            }

            if (x1 - x0 == _layout.BlockWidth && window.Width == _layout.BlockWidth)
            {
                // Whole block rows into whole window rows: one read for all of them.
                return ReadExactly(offset + start, DestinationOf(x0, y0), end - start);
            }

            for (var y = y0; y < y1; y++)
            {
                if (!ReadExactly(offset + start + ((y - y0) * _layout.BlockRowBytes), DestinationOf(x0, y), segment))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>Uncompressed, band-interleaved: each plane's rows into a pooled buffer, then transposed into place.</summary>
        private bool ReadPlanes(WorkItem item)
        {
            var (x0, x1, y0, y1) = Clip(item);
            var left = item.BlockX * _layout.BlockWidth;
            var top = item.BlockY * _layout.BlockHeight;
            var sample = _layout.SampleSize;
            var start = (((y0 - top) * (long)_layout.BlockWidth) + (x0 - left)) * sample;
            var end = (((y1 - 1 - top) * (long)_layout.BlockWidth) + (x1 - left)) * sample;
            var planeBytes = end - start;
            var planeStride = TiffLayout.PadPlaneStride(planeBytes);
            var scratch = ArrayPool<byte>.Shared.Rent(checked((int)(planeStride * _layout.Planes)));
            try
            {
                fixed (byte* planes = scratch)
                {
                    for (var plane = 0; plane < _layout.Planes; plane++)
                    {
                        var (offset, size) = Location(item, plane);
                        if (offset < 0 || end > size || !ReadExactly(offset + start, planes + (plane * planeStride), planeBytes))
                        {
                            return false;
                        }
                    }

                    var rowStride = (long)_layout.BlockWidth * sample;
                    for (var y = y0; y < y1; y++)
                    {
                        PlaneInterleaver.Interleave(planes + ((y - y0) * rowStride), planeStride, _layout.Bands, sample, x1 - x0, DestinationOf(x0, y));
                    }
                }

                return true;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(scratch);
            }
        }

        /// <summary>Compressed: the whole block decoded (or taken from the cache), then its rows copied or transposed into place.</summary>
        private bool ReadDecoded(WorkItem item)
        {
            var cache = reader._cache;
            var key = (item.BlockX, item.BlockY);
            var blockBottom = Math.Min(_layout.Height, (item.BlockY + 1) * _layout.BlockHeight);
            var moreRowsBelow = window.Y + window.Height < blockBottom;
            using (var cached = cache?.TryGet(key))
            {
                if (cached is not null)
                {
                    CopyOut(item, cached.Data);
                    if (!moreRowsBelow)
                    {
                        cache!.Remove(key);
                    }

                    return true;
                }
            }

            var length = checked((int)_layout.DecodedBlockBytes);
            var decoded = ArrayPool<byte>.Shared.Rent(length);
            var owned = true;
            try
            {
                if (!Decode(item, decoded.AsSpan(0, length)))
                {
                    return false;
                }

                if (moreRowsBelow && cache?.TryAdd(key, decoded, length) is { } lease)
                {
                    owned = false;
                    using (lease)
                    {
                        CopyOut(item, lease.Data);
                    }
                }
                else
                {
                    CopyOut(item, decoded.AsSpan(0, length));
                }

                return true;
            }
            finally
            {
                if (owned)
                {
                    ArrayPool<byte>.Shared.Return(decoded);
                }
            }
        }

        private bool Decode(WorkItem item, Span<byte> decoded)
        {
            var planeBytes = (int)_layout.BlockPlaneBytes;
            var planeStride = (int)_layout.DecodedPlaneStride;
            var rowBytes = (int)_layout.BlockRowBytes;
            var rowsInside = _layout.RowsInside(item.BlockY);
            var needed = rowsInside * rowBytes;
            byte[]? raw = null;
            try
            {
                for (var plane = 0; plane < _layout.Planes; plane++)
                {
                    var (offset, size) = Location(item, plane);
                    if (offset < 0 || size > int.MaxValue)
                    {
                        return false;
                    }

                    if (raw is null || raw.Length < size)
                    {
                        if (raw is not null)
                        {
                            ArrayPool<byte>.Shared.Return(raw);
                        }

                        raw = ArrayPool<byte>.Shared.Rent((int)size);
                    }

                    var target = decoded.Slice(plane * planeStride, planeBytes);
                    fixed (byte* rawBytes = raw)
                    {
                        if (!ReadExactly(offset, rawBytes, size))
                        {
                            return false;
                        }
                    }

                    var input = raw.AsSpan(0, (int)size);
                    int written;
                    if (_layout.Codec == TiffCodec.Lzw)
                    {
                        written = TiffLzw.Decode(input, target);
                    }
                    else if (!reader._decompressor!.TryDecompress(input, target, out written))
                    {
                        return false;
                    }

                    if (written < needed)
                    {
                        return false;
                    }

                    if (_layout.Predictor != TiffPredictor.None)
                    {
                        var scratch = _layout.Predictor == TiffPredictor.FloatingPoint ? ArrayPool<byte>.Shared.Rent(rowBytes) : null;
                        try
                        {
                            TiffPredictors.Undo(target, _layout.Predictor, rowBytes, rowsInside, _layout.SamplesPerPixel, _layout.SampleSize, scratch);
                        }
                        finally
                        {
                            if (scratch is not null)
                            {
                                ArrayPool<byte>.Shared.Return(scratch);
                            }
                        }
                    }
                }

                return true;
            }
            finally
            {
                if (raw is not null)
                {
                    ArrayPool<byte>.Shared.Return(raw);
                }
            }
        }

        private void CopyOut(WorkItem item, ReadOnlySpan<byte> decoded)
        {
            var (x0, x1, y0, y1) = Clip(item);
            var left = item.BlockX * _layout.BlockWidth;
            var top = item.BlockY * _layout.BlockHeight;
            var rowBytes = _layout.BlockRowBytes;
            fixed (byte* block = decoded)
            {
                if (_layout.Planar)
                {
                    var sample = _layout.SampleSize;
                    for (var y = y0; y < y1; y++)
                    {
                        var first = block + ((y - top) * rowBytes) + ((x0 - left) * (long)sample);
                        PlaneInterleaver.Interleave(first, _layout.DecodedPlaneStride, _layout.Bands, sample, x1 - x0, DestinationOf(x0, y));
                    }

                    return;
                }

                var pixelBytes = (long)_layout.PixelBytes;
                var segment = (x1 - x0) * pixelBytes;
                for (var y = y0; y < y1; y++)
                {
                    Buffer.MemoryCopy(block + ((y - top) * rowBytes) + ((x0 - left) * pixelBytes), DestinationOf(x0, y), segment, segment);
                }
            }
        }

        private bool ReadExactly(long offset, byte* target, long count)
        {
            while (count > 0)
            {
                var chunk = (int)Math.Min(count, int.MaxValue / 2);
                var read = RandomAccess.Read(reader._file, new Span<byte>(target, chunk), offset);
                if (read <= 0)
                {
                    return false;
                }

                offset += read;
                target += read;
                count -= read;
            }

            return true;
        }
    }
}
