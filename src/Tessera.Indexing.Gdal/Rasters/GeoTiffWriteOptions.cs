using Tessera.Indexing.Rasters;

namespace Tessera.Indexing.Gdal.Rasters;

/// <summary>How <see cref="GdalRasterWriter"/> lays out, compresses and georeferences a new GeoTIFF.</summary>
public sealed record GeoTiffWriteOptions
{
    /// <summary>PIXEL (default) or BAND interleave.</summary>
    public GeoTiffInterleave Interleave { get; init; } = GeoTiffInterleave.Pixel;

    /// <summary>Tile size (multiples of 16); <see langword="null"/> (default) writes strips.</summary>
    public (int Width, int Height)? TileSize { get; init; }

    /// <summary>Rows per strip of a striped file; <see langword="null"/> lets GDAL choose (about 8 KB per strip).</summary>
    public int? RowsPerStrip { get; init; }

    /// <summary>Compression; none by default.</summary>
    public GeoTiffCompression Compression { get; init; } = GeoTiffCompression.None;

    /// <summary>The nodata value set on every band; <see langword="null"/> for none.</summary>
    public double? NoDataValue { get; init; }

    /// <summary>The geotransform; <see langword="null"/> writes none.</summary>
    public GeoTransform? GeoTransform { get; init; }

    /// <summary>The CRS as an EPSG code (for example 4326); <see langword="null"/> for none, or see <see cref="SpatialReferenceWkt"/>.</summary>
    public int? EpsgCode { get; init; }

    /// <summary>The CRS as WKT, used when <see cref="EpsgCode"/> is <see langword="null"/>.</summary>
    public string? SpatialReferenceWkt { get; init; }

    /// <summary>
    /// Further GDAL GTiff creation options as <c>NAME=VALUE</c> (for example <c>NUM_THREADS=ALL_CPUS</c>);
    /// they come after, and so override, the ones derived from the other properties. <c>BIGTIFF=IF_SAFER</c>
    /// is the default, so files over 4 GB work.
    /// </summary>
    public IReadOnlyList<string> CreationOptions { get; init; } = [];
}
