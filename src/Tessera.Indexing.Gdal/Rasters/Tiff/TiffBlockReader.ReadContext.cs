using System.Buffers;
using System.Collections.Concurrent;

namespace Tessera.Indexing.Gdal.Rasters.Tiff;

internal unsafe partial class TiffBlockReader
{
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
