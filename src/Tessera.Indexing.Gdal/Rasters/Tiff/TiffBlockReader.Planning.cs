namespace Tessera.Indexing.Gdal.Rasters.Tiff;

internal unsafe partial class TiffBlockReader
{
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
}
