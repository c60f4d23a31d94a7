using System.Globalization;

namespace Tessera.Indexing.Rasters;

/// <summary>A raster's coordinate reference system.</summary>
/// <param name="Wkt">The CRS as WKT (or any definition GDAL's <c>OSRSetFromUserInput</c> takes, such as <c>EPSG:32630</c>).</param>
/// <param name="EpsgCode">The EPSG code where one is known (for example 4326).</param>
public sealed record RasterSpatialReference(string Wkt, int? EpsgCode)
{
    private const string Wgs84Wkt =
        "GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,298.257223563,AUTHORITY[\"EPSG\",\"7030\"]],AUTHORITY[\"EPSG\",\"6326\"]],"
        + "PRIMEM[\"Greenwich\",0,AUTHORITY[\"EPSG\",\"8901\"]],UNIT[\"degree\",0.0174532925199433,AUTHORITY[\"EPSG\",\"9122\"]],"
        + "AXIS[\"Latitude\",NORTH],AXIS[\"Longitude\",EAST],AUTHORITY[\"EPSG\",\"4326\"]]";

    /// <summary>WGS84 latitude/longitude (EPSG:4326), the CRS of every latitude/longitude Tessera reads or prints.</summary>
    public static RasterSpatialReference Wgs84 { get; } = new(Wgs84Wkt, 4326);

    /// <summary>
    /// Whether this is WGS84 geographic (EPSG:4326 or OGC:CRS84), so that a raster's world X/Y are
    /// longitude/latitude without any transform.
    /// </summary>
    public bool IsWgs84Geographic
    {
        get
        {
            if (EpsgCode is { } code)
            {
                return code == 4326;
            }

            var text = Wkt.Trim();
            return text.Equals("EPSG:4326", StringComparison.OrdinalIgnoreCase)
                || text.Equals("OGC:CRS84", StringComparison.OrdinalIgnoreCase)
                || text.Equals("CRS:84", StringComparison.OrdinalIgnoreCase)
                || text.Equals(Wgs84Wkt, StringComparison.Ordinal);
        }
    }

    /// <summary>The CRS of an EPSG code.</summary>
    /// <param name="code">The code, for example 32630.</param>
    /// <returns>A reference whose <see cref="Wkt"/> is <c>EPSG:code</c> (a definition GDAL resolves).</returns>
    public static RasterSpatialReference FromEpsg(int code)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(code);
        return code == 4326 ? Wgs84 : new RasterSpatialReference(string.Create(CultureInfo.InvariantCulture, $"EPSG:{code}"), code);
    }

    /// <summary>
    /// The CRS as a viewport's metadata writes it: <paramref name="crs"/> (<c>EPSG:nnnn</c> or WKT) and
    /// the optional <paramref name="wkt"/>; <see langword="null"/> when both are empty.
    /// </summary>
    /// <param name="crs">The short form, for example <c>EPSG:32630</c>.</param>
    /// <param name="wkt">The WKT, when known.</param>
    /// <returns>The reference, or <see langword="null"/>.</returns>
    public static RasterSpatialReference? Parse(string? crs, string? wkt)
    {
        int? epsg = null;
        if (crs is not null && crs.StartsWith("EPSG:", StringComparison.OrdinalIgnoreCase)
            && int.TryParse(crs.AsSpan(5), NumberStyles.Integer, CultureInfo.InvariantCulture, out var code) && code > 0)
        {
            epsg = code;
        }

        if (!string.IsNullOrWhiteSpace(wkt))
        {
            return new RasterSpatialReference(wkt, epsg);
        }

        if (string.IsNullOrWhiteSpace(crs))
        {
            return null;
        }

        return epsg is { } known ? FromEpsg(known) : new RasterSpatialReference(crs, null);
    }

    /// <summary>A short name: <c>EPSG:nnnn</c> where known, else the WKT.</summary>
    public override string ToString() => EpsgCode is { } code ? $"EPSG:{code}" : Wkt;

    /// <summary><see cref="ToString"/> cut to 80 characters (a WKT ends in "..."), for error messages.</summary>
    /// <returns>At most 80 characters.</returns>
    public string ToShortString()
    {
        var text = ToString();
        return text.Length <= 80 ? text : text[..77] + "...";
    }
}
