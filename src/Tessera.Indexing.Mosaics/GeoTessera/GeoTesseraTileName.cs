using System.Globalization;
using System.Text.RegularExpressions;
using Tessera.Indexing.Rasters;

namespace Tessera.Indexing.Mosaics.GeoTessera;

/// <summary>
/// A GeoTessera tile's name, <c>grid_{lon:.2f}_{lat:.2f}</c>: the centre of a 0.1° cell on the
/// 0.05° offset grid (for example <c>grid_0.15_52.05</c> covers longitude 0.1..0.2, latitude 52.0..52.1),
/// and the georeferencing GeoTessera gives such a cell.
/// </summary>
/// <param name="Longitude">The cell centre's longitude.</param>
/// <param name="Latitude">The cell centre's latitude.</param>
public readonly partial record struct GeoTesseraTileName(double Longitude, double Latitude)
{
    /// <summary>The cell's size in degrees.</summary>
    public const double CellDegrees = 0.1;

    /// <summary>GeoTessera's pixel size in metres.</summary>
    public const double PixelMetres = 10;

    /// <summary>The name, <c>grid_{lon:.2f}_{lat:.2f}</c>.</summary>
    public string Name => string.Create(CultureInfo.InvariantCulture, $"grid_{Longitude:F2}_{Latitude:F2}");

    /// <summary>The UTM zone of the cell centre (1..60, by longitude alone, as GeoTessera's landmasks are).</summary>
    public int UtmZone => Math.Clamp((int)Math.Floor((Longitude + 180) / 6) + 1, 1, 60);

    /// <summary>The EPSG code of the cell's WGS84 / UTM zone: 326zz north of the equator, 327zz south.</summary>
    public int UtmEpsgCode => (Latitude >= 0 ? 32600 : 32700) + UtmZone;

    /// <summary>Parses a tile file or folder name (<c>grid_0.15_52.05</c>, <c>grid_0.15_52.05.npy</c>, <c>grid_0.15_52.05_scales.npy</c>).</summary>
    /// <param name="pathOrName">A path or a name.</param>
    /// <param name="name">The parsed name.</param>
    /// <returns>Whether the name is a GeoTessera cell centre.</returns>
    public static bool TryParse(string pathOrName, out GeoTesseraTileName name)
    {
        name = default;
        var match = NamePattern().Match(Path.GetFileName(pathOrName));
        if (!match.Success
            || !double.TryParse(match.Groups[1].ValueSpan, NumberStyles.Float, CultureInfo.InvariantCulture, out var lon)
            || !double.TryParse(match.Groups[2].ValueSpan, NumberStyles.Float, CultureInfo.InvariantCulture, out var lat)
            || !OnCentreGrid(lon) || !OnCentreGrid(lat) || Math.Abs(lon) > 180 || Math.Abs(lat) > 90)
        {
            return false;
        }

        name = new GeoTesseraTileName(lon, lat);
        return true;
    }

    /// <summary>
    /// The georeferencing GeoTessera gives the cell when no landmask says otherwise: WGS84 / UTM zone
    /// of the cell centre (<see cref="UtmEpsgCode"/>), 10 m north-up pixels, origin at the cell's
    /// north-west corner projected into that zone and rounded to the nearest 10 m (halves up).
    /// </summary>
    /// <param name="transforms">Projects the corner (GDAL's OSR).</param>
    /// <returns>The geotransform and the CRS.</returns>
    /// <exception cref="CoordinateTransformException">The corner cannot be projected.</exception>
    public (GeoTransform GeoTransform, RasterSpatialReference SpatialReference) DeriveGeoreference(ICoordinateTransformFactory transforms)
    {
        ArgumentNullException.ThrowIfNull(transforms);
        var crs = RasterSpatialReference.FromEpsg(UtmEpsgCode);
        using var toUtm = transforms.Create(RasterSpatialReference.Wgs84, crs);
        var (x, y) = toUtm.Transform(Longitude - (CellDegrees / 2), Latitude + (CellDegrees / 2));
        var originX = Math.Floor((x / PixelMetres) + 0.5) * PixelMetres;
        var originY = Math.Floor((y / PixelMetres) + 0.5) * PixelMetres;
        return (new GeoTransform(originX, PixelMetres, 0, originY, 0, -PixelMetres), crs);
    }

    /// <inheritdoc />
    public override string ToString() => Name;

    private static bool OnCentreGrid(double value)
    {
        var steps = (value - 0.05) / CellDegrees;
        return Math.Abs(steps - Math.Round(steps)) < 1e-6;
    }

    [GeneratedRegex(@"^grid_(-?\d+\.\d+)_(-?\d+\.\d+)(?:_scales)?(?:\.npy|\.tiff?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
