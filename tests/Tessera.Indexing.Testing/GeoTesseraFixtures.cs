using System.Globalization;

namespace Tessera.Indexing.Testing;

/// <summary>
/// Tiles in GeoTessera's on-disk layout, written by NumPy and GDAL's Python bindings:
/// <c>{base}/global_0.1_degree_representation/{year}/grid_X_Y/grid_X_Y.npy</c> and <c>_scales.npy</c>,
/// and the landmask <c>{base}/global_0.1_degree_tiff_all/grid_X_Y.tiff</c> (Byte, UTM zone of the cell
/// centre, 10 m, origin at the cell's north-west corner rounded to 10 m, computed by Python's osr).
/// </summary>
public static class GeoTesseraFixtures
{
    private const string Script = """
        import sys, json, os, numpy as np
        from osgeo import gdal, osr
        base, lon, lat, year = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
        h, w, d = int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7])
        scales_mode, landmask_mode, seed = sys.argv[8], sys.argv[9], int(sys.argv[10])
        shift_x, shift_y, pattern = float(sys.argv[11]), float(sys.argv[12]), sys.argv[13]
        name = "grid_%.2f_%.2f" % (lon, lat)
        zone = int(np.floor((lon + 180) / 6)) + 1
        epsg = (32600 if lat >= 0 else 32700) + zone
        wgs = osr.SpatialReference(); wgs.ImportFromEPSG(4326); wgs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
        utm = osr.SpatialReference(); utm.ImportFromEPSG(epsg); utm.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
        to_utm = osr.CoordinateTransformation(wgs, utm)
        x, y, _ = to_utm.TransformPoint(lon - 0.05, lat + 0.05)
        gt = [float(np.floor(x / 10 + 0.5) * 10) + shift_x, 10.0, 0.0, float(np.floor(y / 10 + 0.5) * 10) + shift_y, 0.0, -10.0]
        if h == 0:
            # The whole cell east and south of the origin, as a real tile covers it.
            corners = [to_utm.TransformPoint(lon + dx, lat + dy) for dx in (-0.05, 0.05) for dy in (-0.05, 0.05)]
            w = int(np.ceil((max(c[0] for c in corners) - gt[0]) / 10))
            h = int(np.ceil((gt[3] - min(c[1] for c in corners)) / 10))
        tile_dir = os.path.join(base, "global_0.1_degree_representation", year, name)
        os.makedirs(tile_dir, exist_ok=True)
        rng = np.random.default_rng(seed)
        if pattern == "blocks":
            prototypes = rng.integers(-127, 128, size=(4, d), dtype=np.int8)
            rows, cols = np.meshgrid(np.arange(h), np.arange(w), indexing="ij")
            q = prototypes[((rows // 50) + (cols // 50) * 3) % 4]
        else:
            q = rng.integers(-127, 128, size=(h, w, d), dtype=np.int8)
        if pattern == "blocks":
            s = np.full((h, w), 0.01, dtype=np.float32)
            deq = q.astype(np.float32) * s[..., np.newaxis]
        elif scales_mode == "3d":
            s = (rng.random((h, w, d)) * 0.05 + 0.001).astype(np.float32)
            deq = q.astype(np.float32) * s
        else:
            s = (rng.random((h, w)) * 0.05 + 0.001).astype(np.float32)
            deq = q.astype(np.float32) * s[..., np.newaxis]
        np.save(os.path.join(tile_dir, name + ".npy"), q)
        np.save(os.path.join(tile_dir, name + "_scales.npy"), s)
        deq.astype(np.float32).tofile(os.path.join(tile_dir, name + ".f32"))
        water = 0
        if landmask_mode != "none":
            mask_dir = os.path.join(base, "global_0.1_degree_tiff_all")
            os.makedirs(mask_dir, exist_ok=True)
            ds = gdal.GetDriverByName("GTiff").Create(os.path.join(mask_dir, name + ".tiff"), w, h, 1, gdal.GDT_Byte)
            ds.SetGeoTransform(gt)
            ds.SetProjection(utm.ExportToWkt())
            m = np.ones((h, w), dtype=np.uint8)
            if landmask_mode == "water":
                m[:, : w // 4] = 0
                water = int((m == 0).sum())
            ds.GetRasterBand(1).WriteArray(m)
            ds = None
        # Pixel centres' WGS84 lat/lon, for queries.
        back = osr.CoordinateTransformation(utm, wgs)
        centres = []
        for r, c in [(0, 0), (h // 2, w // 3), (h - 1, w - 1)]:
            px, py, _ = back.TransformPoint(gt[0] + (c + 0.5) * 10, gt[3] - (r + 0.5) * 10)
            centres.append({"row": r, "col": c, "lat": py, "lon": px})
        print(json.dumps({"npy": os.path.join(tile_dir, name + ".npy"), "reference": os.path.join(tile_dir, name + ".f32"),
                          "geotransform": gt, "epsg": epsg, "water": water, "centres": centres, "height": h, "width": w}))
        """;

    /// <summary>Writes one tile (and, unless <paramref name="landmask"/> is <c>none</c>, its landmask) under <paramref name="baseFolder"/>.</summary>
    /// <param name="baseFolder">The folder holding GeoTessera's two folders.</param>
    /// <param name="lon">The cell centre's longitude (on the 0.05 grid).</param>
    /// <param name="lat">The cell centre's latitude.</param>
    /// <param name="height">Rows.</param>
    /// <param name="width">Columns.</param>
    /// <param name="bands">Bands.</param>
    /// <param name="perBandScales">Scales of shape (H, W, bands) instead of (H, W).</param>
    /// <param name="landmask"><c>land</c> (all 1), <c>water</c> (the west quarter 0) or <c>none</c>.</param>
    /// <param name="seed">Seeds the values.</param>
    /// <param name="shiftX">Added to the landmask's origin X (to tell a landmask's georeferencing from a derived one).</param>
    /// <param name="shiftY">Added to the landmask's origin Y.</param>
    /// <param name="year">The year folder.</param>
    /// <param name="blocks">Values in 50-pixel blocks of four prototype vectors (same seed, same blocks) instead of random per pixel.</param>
    /// <returns>What was written.</returns>
    /// <remarks>A <paramref name="height"/> of 0 sizes the tile to cover its whole cell east and south of the origin, as a real tile does.</remarks>
    public static GeoTesseraTile WriteTile(
        string baseFolder, double lon, double lat, int height, int width, int bands,
        bool perBandScales = false, string landmask = "land", int seed = 3, double shiftX = 0, double shiftY = 0, int year = 2024, bool blocks = false)
    {
        var json = Python.RunJson(
            Script,
            baseFolder, InvariantText.Of(lon), InvariantText.Of(lat), year.ToString(CultureInfo.InvariantCulture),
            height.ToString(CultureInfo.InvariantCulture), width.ToString(CultureInfo.InvariantCulture), bands.ToString(CultureInfo.InvariantCulture),
            perBandScales ? "3d" : "2d", landmask, seed.ToString(CultureInfo.InvariantCulture), InvariantText.Of(shiftX), InvariantText.Of(shiftY), blocks ? "blocks" : "random");
        var centres = json.GetProperty("centres").EnumerateArray()
            .Select(c => new GeoTesseraPixel(c.GetProperty("row").GetInt32(), c.GetProperty("col").GetInt32(), c.GetProperty("lat").GetDouble(), c.GetProperty("lon").GetDouble()))
            .ToArray();
        return new GeoTesseraTile(
            json.GetProperty("npy").GetString()!,
            json.GetProperty("reference").GetString()!,
            json.GetProperty("geotransform").EnumerateArray().Select(e => e.GetDouble()).ToArray(),
            json.GetProperty("epsg").GetInt32(),
            json.GetProperty("water").GetInt32(),
            centres,
            json.GetProperty("height").GetInt32(),
            json.GetProperty("width").GetInt32());
    }

    /// <summary>The dequantised embeddings NumPy computed (<c>q.astype(float32) * scales</c>), row-major (H, W, bands).</summary>
    /// <param name="tile">The tile.</param>
    /// <returns>The values.</returns>
    public static float[] Reference(GeoTesseraTile tile) =>
        System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(tile.ReferencePath)).ToArray();
}

/// <summary>A tile written by <see cref="GeoTesseraFixtures.WriteTile"/>.</summary>
/// <param name="NpyPath">The int8 tile.</param>
/// <param name="ReferencePath">NumPy's dequantised float32 values (raw).</param>
/// <param name="GeoTransform">The geotransform GeoTessera's rule gives the cell (plus any shift written into the landmask).</param>
/// <param name="Epsg">The UTM zone's EPSG code.</param>
/// <param name="WaterPixels">Pixels the landmask marks as water.</param>
/// <param name="Centres">Some pixels' centres in WGS84, from Python's osr.</param>
/// <param name="Height">Rows.</param>
/// <param name="Width">Columns.</param>
public sealed record GeoTesseraTile(string NpyPath, string ReferencePath, double[] GeoTransform, int Epsg, int WaterPixels, GeoTesseraPixel[] Centres, int Height, int Width);

/// <summary>A pixel and the WGS84 latitude/longitude of its centre.</summary>
/// <param name="Row">Row.</param>
/// <param name="Col">Column.</param>
/// <param name="Latitude">Latitude.</param>
/// <param name="Longitude">Longitude.</param>
public sealed record GeoTesseraPixel(int Row, int Col, double Latitude, double Longitude);
