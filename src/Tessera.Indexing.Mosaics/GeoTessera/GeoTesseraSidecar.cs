using System.Globalization;
using System.Text.Json;
using Tessera.Indexing.Rasters;

namespace Tessera.Indexing.Mosaics.GeoTessera;

/// <summary>
/// The optional <c>grid_X_Y.geo.json</c> sidecar:
/// <c>{"geotransform": [originX, pixelWidth, 0, originY, 0, -pixelHeight], "crs": "EPSG:32630", "crs_wkt": "...", "nodata": null}</c>
/// in GDAL's coefficient order. A transform in rasterio's <c>Affine</c> order
/// (<c>[pixelWidth, 0, originX, 0, -pixelHeight, originY]</c>, or its nine-value form) is refused with
/// the GDAL order it should have been written in.
/// </summary>
internal static class GeoTesseraSidecar
{
    public static (GeoTransform? Transform, RasterSpatialReference? Reference, double? NoData) Read(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = document.RootElement;
            GeoTransform? transform = null;
            if (root.TryGetProperty("geotransform", out var gt) && gt.ValueKind == JsonValueKind.Array)
            {
                var values = new double[gt.GetArrayLength()];
                var i = 0;
                foreach (var item in gt.EnumerateArray())
                {
                    values[i++] = item.GetDouble();
                }

                transform = Validate(path, values);
            }

            string? crs = root.TryGetProperty("crs", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
            string? wkt = root.TryGetProperty("crs_wkt", out var w) && w.ValueKind == JsonValueKind.String ? w.GetString() : null;
            double? noData = root.TryGetProperty("nodata", out var n) && n.ValueKind == JsonValueKind.Number ? n.GetDouble() : null;
            return (transform, RasterSpatialReference.Parse(crs, wkt), noData);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"The georeferencing sidecar '{path}' is malformed: {e.Message}", e);
        }
    }

    private static GeoTransform Validate(string path, double[] v)
    {
        if (v.Length == 9 && v[6] == 0 && v[7] == 0 && v[8] == 1)
        {
            throw AffineOrder(path, v);
        }

        if (v.Length != 6)
        {
            throw new InvalidDataException($"The georeferencing sidecar '{path}' has a geotransform of {v.Length} values; GDAL's has six: [originX, pixelWidth, rowRotation, originY, columnRotation, pixelHeight].");
        }

        // rasterio's Affine(a, b, c, d, e, f) is [pixelWidth, rowRotation, originX, columnRotation, pixelHeight, originY]:
        // north up, that puts zeros at GDAL's pixel-width and origin-Y positions and the pixel sizes at 0 and 4.
        if (v[1] == 0 && v[3] == 0 && v[0] != 0 && v[4] != 0)
        {
            throw AffineOrder(path, v);
        }

        var transform = GeoTransform.FromArray(v);
        if (!transform.IsInvertible)
        {
            throw new InvalidDataException(
                FormattableString.Invariant($"The georeferencing sidecar '{path}' has a geotransform [{string.Join(", ", v)}] that maps every pixel onto a line (pixel width or height 0); GDAL's order is [originX, pixelWidth, rowRotation, originY, columnRotation, pixelHeight]."));
        }

        return transform;
    }

    private static InvalidDataException AffineOrder(string path, double[] v)
    {
        string F(double d) => d.ToString("R", CultureInfo.InvariantCulture);
        var gdal = $"[{F(v[2])}, {F(v[0])}, {F(v[1])}, {F(v[5])}, {F(v[3])}, {F(v[4])}]";
        return new InvalidDataException(
            $"The georeferencing sidecar '{path}' holds its geotransform in rasterio's Affine order [{string.Join(", ", v.Select(F))}]; "
            + $"Tessera reads GDAL's order [originX, pixelWidth, rowRotation, originY, columnRotation, pixelHeight]: write \"geotransform\": {gdal} (rasterio: transform.to_gdal()).");
    }
}
