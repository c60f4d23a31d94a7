using Tessera.Indexing.Faiss;
using Tessera.Indexing.Gdal.Rasters;
using Tessera.Indexing.Indexes;
using Tessera.Indexing.Mosaics;
using Tessera.Indexing.Rasters;

namespace Tessera.Indexing.Testing;

/// <summary>
/// Generated embedding mosaics (GeoTIFFs written through GDAL) and viewports built from them by
/// the real mosaic indexer: the fixtures of the search, pipeline, CLI and server tests.
/// </summary>
public static class ViewportFixtures
{
    /// <summary>Longitude of the mosaics' west edge.</summary>
    public const double OriginLon = 77.5566;

    /// <summary>Latitude of the mosaics' north edge.</summary>
    public const double OriginLat = 13.1039;

    /// <summary>Degrees per pixel.</summary>
    public const double Step = 0.0000899;

    /// <summary>The mosaics' geotransform (EPSG:4326, north up).</summary>
    public static GeoTransform GeoTransform => new(OriginLon, Step, 0, OriginLat, 0, -Step);

    /// <summary>
    /// Writes a Byte GeoTIFF of blobby "land-cover" classes (values 1..255) with an all-zero
    /// (no-data) rectangle at rows 2..4, columns 2..6.
    /// </summary>
    /// <param name="path">The GeoTIFF to write.</param>
    /// <param name="width">Columns.</param>
    /// <param name="height">Rows.</param>
    /// <param name="bands">Bands.</param>
    /// <param name="seed">Seeds the values.</param>
    /// <param name="geoTransform">The geotransform; default <see cref="GeoTransform"/> (EPSG:4326).</param>
    /// <param name="epsgCode">The CRS; default 4326.</param>
    /// <returns><paramref name="path"/>.</returns>
    public static string WriteMosaic(string path, int width, int height, int bands, int seed = 7, GeoTransform? geoTransform = null, int epsgCode = 4326)
    {
        var random = new Random(seed);
        const int classes = 5;
        var prototypes = new byte[classes * bands];
        for (var i = 0; i < prototypes.Length; i++)
        {
            prototypes[i] = (byte)random.Next(20, 236);
        }

        var data = new byte[width * height * bands];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                if (y is >= 2 and < 5 && x is >= 2 and < 7)
                {
                    continue;
                }

                // Blobs: a class per coarse cell, bent by a wave so the regions are not plain squares.
                var c = (((x + (int)(4 * Math.Sin(y / 5.0))) / 10) + (y / 9 * 2)) % classes;
                var pixel = (y * width) + x;
                for (var b = 0; b < bands; b++)
                {
                    data[(pixel * bands) + b] = (byte)Math.Clamp(prototypes[(c * bands) + b] + random.Next(-12, 13), 1, 255);
                }
            }
        }

        using var writer = GdalRasterWriter.CreateGeoTiff(path, width, height, bands, RasterDataType.Byte, new GeoTiffWriteOptions { GeoTransform = geoTransform ?? GeoTransform, EpsgCode = epsgCode });
        writer.WriteWindow<byte>(0, 0, width, height, data);
        writer.Complete();
        return path;
    }

    /// <summary>Builds a viewport from <paramref name="mosaicPath"/> with the real mosaic indexer and returns its folder.</summary>
    public static string BuildViewport(
        string mosaicPath,
        string indicesRoot,
        string viewportId,
        int factor = 2,
        string indexFactory = "IVF8,Flat",
        MosaicEmbeddingsType allEmbeddings = MosaicEmbeddingsType.UInt8,
        VectorMetric metric = VectorMetric.L2,
        bool normalize = false)
    {
        var indexer = new MosaicIndexer(new FaissIndexBuilder(), new GdalRasterSourceFactory());
        var result = indexer.Build(mosaicPath, new MosaicIndexOptions
        {
            ViewportId = viewportId,
            OutputRoot = indicesRoot,
            SamplingFactor = factor,
            IndexFactory = indexFactory,
            AllEmbeddingsType = allEmbeddings,
            Metric = metric,
            Normalize = normalize,
            TrainSize = 4096,
        });
        return result.Directory;
    }
}
