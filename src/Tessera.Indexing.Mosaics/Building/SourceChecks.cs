using Tessera.Indexing.Rasters;

namespace Tessera.Indexing.Mosaics.Building;

/// <summary>Refuses a mosaic the build cannot index, before anything is written.</summary>
internal static class SourceChecks
{
    public static void Validate(IRasterSource source, MosaicIndexOptions options)
    {
        if (source.DataType is not (RasterDataType.Byte or RasterDataType.Int8 or RasterDataType.Float32))
        {
            throw new MosaicIndexException(
                MosaicIndexErrorKind.UnsupportedDataType,
                $"'{source.Path}' has {source.DataType} bands; mosaics must be Byte (uint8, divided by 255), Int8 (with per-pixel scales) or Float32.");
        }

        if (source.Width < 1 || source.Height < 1 || source.BandCount < 1)
        {
            throw new MosaicIndexException(MosaicIndexErrorKind.NotARaster, $"'{source.Path}' is empty ({source.Width}x{source.Height}, {source.BandCount} bands).");
        }

        if (options.ExpectedDimension is { } expected && expected != source.BandCount)
        {
            throw new MosaicIndexException(
                MosaicIndexErrorKind.DimensionMismatch,
                $"'{source.Path}' has {source.BandCount} bands, but the embedding dimension is declared as {expected}.");
        }

        if (source.GeoTransform is null)
        {
            throw new MosaicIndexException(
                MosaicIndexErrorKind.MissingGeoTransform,
                source.Path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase)
                    ? $"'{source.Path}' has no geotransform, so its pixels cannot be mapped to coordinates: put its landmask where GeoTessera keeps it (global_0.1_degree_tiff_all/grid_X_Y.tiff beside global_0.1_degree_representation/), give the landmask's path (--landmask), name the tile grid_<lon>_<lat>.npy with GDAL registered to derive it, or write a grid_X_Y.geo.json sidecar in GDAL's order."
                    : $"'{source.Path}' has no geotransform, so its pixels cannot be mapped to coordinates; georeference it first (for example with gdal_translate -a_ullr).");
        }

        if (options.AllEmbeddingsType == MosaicEmbeddingsType.UInt8 && source.DataType != RasterDataType.Byte)
        {
            throw new MosaicIndexException(
                MosaicIndexErrorKind.InvalidOptions,
                $"all_embeddings can be stored as uint8 only for a Byte mosaic; '{source.Path}' has {source.DataType} bands (use float32).");
        }

        if ((long)source.Width * source.BandCount > Array.MaxLength)
        {
            throw new MosaicIndexException(MosaicIndexErrorKind.NotARaster, $"'{source.Path}' has rows too long to read ({source.Width} pixels x {source.BandCount} bands).");
        }
    }
}
