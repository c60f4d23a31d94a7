using System.Buffers;
using System.Globalization;
using Tessera.Indexing.Gdal.Interop.Gdal;
using Tessera.Indexing.Rasters;

namespace Tessera.Indexing.Gdal.Rasters;

/// <summary>
/// Merges georeferenced tiles (any <see cref="IRasterSource"/>, for example GeoTessera's int8 tiles,
/// each in its own UTM zone) into one float32 GeoTIFF in one CRS, the way GeoTessera's
/// <c>fetch_mosaic_for_region</c> does: each tile dequantised, reprojected with GDAL's warper
/// (bilinear by default), later tiles over earlier ones where they overlap, all-zero pixels as no data.
/// </summary>
/// <remarks>
/// Memory stays bounded: a tile is converted to a temporary float32 GeoTIFF a block of rows at a time
/// (opened only while it is converted, with the path overload), and the warper works in
/// <see cref="GdalRegionMosaicOptions.WarpMemoryMiB"/> over tiled output. The temporaries take about
/// four times the int8 tiles' size on disk while the merge runs.
/// No data: a source pixel whose bands are all 0 is no data (<c>-srcnodata 0</c> with
/// <c>UNIFIED_SRC_NODATA</c>), and the output declares nodata 0, which the mosaic indexer honours.
/// </remarks>
public static class GdalRegionMosaic
{
    private const int RowsPerBlock = 64;

    /// <summary>Writes the merged raster from open tiles.</summary>
    /// <param name="tiles">The tiles, each with a geotransform and a CRS.</param>
    /// <param name="destination">The GeoTIFF to write (replaced).</param>
    /// <param name="options">Target CRS, resolution, bounds, resampling.</param>
    /// <param name="cancellationToken">Stops between tiles and between row blocks.</param>
    /// <exception cref="ArgumentException">No tiles, a tile without georeferencing, or tiles with different band counts.</exception>
    /// <exception cref="GdalException">GDAL could not write or warp.</exception>
    public static void Write(IReadOnlyList<IRasterSource> tiles, string destination, GdalRegionMosaicOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tiles);
        WriteCore(tiles.Count, i => tiles[i], owned: false, destination, options, cancellationToken);
    }

    /// <summary>
    /// Writes the merged raster from tile paths, opening each with <paramref name="opener"/> only
    /// while it is converted (so a region of many tiles holds one open at a time).
    /// </summary>
    /// <param name="tilePaths">The tiles' paths.</param>
    /// <param name="opener">Opens a tile (for example GeoTessera's tile factory, which georeferences it by its landmask).</param>
    /// <param name="destination">The GeoTIFF to write (replaced).</param>
    /// <param name="options">Target CRS, resolution, bounds, resampling.</param>
    /// <param name="cancellationToken">Stops between tiles and between row blocks.</param>
    /// <exception cref="ArgumentException">No tiles, a tile without georeferencing, or tiles with different band counts.</exception>
    /// <exception cref="GdalException">GDAL could not write or warp.</exception>
    public static void Write(IReadOnlyList<string> tilePaths, IRasterSourceFactory opener, string destination, GdalRegionMosaicOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tilePaths);
        ArgumentNullException.ThrowIfNull(opener);
        WriteCore(tilePaths.Count, i => opener.Open(tilePaths[i]), owned: true, destination, options, cancellationToken);
    }

    private static void WriteCore(int count, Func<int, IRasterSource> tile, bool owned, string destination, GdalRegionMosaicOptions? options, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(destination);
        options ??= new GdalRegionMosaicOptions();
        if (count == 0)
        {
            throw new ArgumentException("A region needs at least one tile.", nameof(count));
        }

        var scratch = Path.Combine(options.ScratchFolder ?? Path.GetDirectoryName(Path.GetFullPath(destination))!, $".region-{Guid.NewGuid():N}");
        Directory.CreateDirectory(scratch);
        try
        {
            var converted = new List<string>(count);
            int? bands = null;
            string? firstPath = null;
            for (var i = 0; i < count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var source = tile(i);
                try
                {
                    if (source.GeoTransform is null || source.SpatialReference is null)
                    {
                        throw new ArgumentException($"Tile '{source.Path}' has no geotransform or CRS, so it cannot be placed in a region.");
                    }

                    if (bands is { } expected && source.BandCount != expected)
                    {
                        throw new ArgumentException($"Tile '{source.Path}' has {source.BandCount} bands; '{firstPath}' has {expected}.");
                    }

                    (bands, firstPath) = (source.BandCount, firstPath ?? source.Path);
                    var path = Path.Combine(scratch, $"tile{i}.tif");
                    WriteFloat(source, path, cancellationToken);
                    converted.Add(path);
                }
                finally
                {
                    if (owned)
                    {
                        source.Dispose();
                    }
                }
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (File.Exists(destination))
            {
                File.Delete(destination);
            }

            GdalWarp.Run(destination, converted, WarpArguments(options));
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    private static string[] WarpArguments(GdalRegionMosaicOptions options)
    {
        string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        var target = options.TargetCrs;
        var targetText = target.ToString(); // EPSG:nnnn where known, else the WKT
        var resolution = options.Resolution ?? (target.IsWgs84Geographic ? 0.0001 : 10);
        var arguments = new List<string>
        {
            "-of", "GTiff", "-t_srs", targetText, "-tr", F(resolution), F(resolution),
            "-r", options.Resampling, "-srcnodata", "0", "-dstnodata", "0", "-wo", "UNIFIED_SRC_NODATA=YES",
            "-wm", options.WarpMemoryMiB.ToString(CultureInfo.InvariantCulture), "-ot", "Float32",
            "-co", "TILED=YES", "-co", "INTERLEAVE=PIXEL", "-co", "BIGTIFF=IF_SAFER",
        };
        if (options.Bounds is { } b)
        {
            arguments.AddRange(["-te", F(b.West), F(b.South), F(b.East), F(b.North), "-te_srs", "EPSG:4326"]);
        }
        else
        {
            arguments.Add("-tap"); // the union's edges on whole multiples of the resolution
        }

        return [.. arguments];
    }

    private static void WriteFloat(IRasterSource tile, string path, CancellationToken cancellationToken)
    {
        var reference = tile.SpatialReference!;
        var writeOptions = new GeoTiffWriteOptions
        {
            GeoTransform = tile.GeoTransform,
            EpsgCode = reference.EpsgCode,
            SpatialReferenceWkt = reference.Wkt, // the writer takes the EPSG code when there is one
            TileSize = (256, 256),
            NoDataValue = 0,
        };
        var rowValues = tile.Width * tile.BandCount;
        var buffer = ArrayPool<float>.Shared.Rent(RowsPerBlock * rowValues);
        try
        {
            using var writer = GdalRasterWriter.CreateGeoTiff(path, tile.Width, tile.Height, tile.BandCount, RasterDataType.Float32, writeOptions);
            for (var y = 0; y < tile.Height; y += RowsPerBlock)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var rows = Math.Min(RowsPerBlock, tile.Height - y);
                var block = buffer.AsSpan(0, rows * rowValues);
                tile.ReadWindow<float>(0, y, tile.Width, rows, block);
                for (var i = 0; i < block.Length; i++)
                {
                    if (float.IsNaN(block[i]))
                    {
                        block[i] = 0; // GeoTessera's NaN-scale pixels: no data, as the indexer treats them.
                    }
                }

                writer.WriteWindow<float>(0, y, tile.Width, rows, block);
            }

            writer.Complete();
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }
}
