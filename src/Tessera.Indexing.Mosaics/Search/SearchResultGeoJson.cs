using System.Text;
using System.Text.Json;
using Tessera.Indexing.Rasters;

namespace Tessera.Indexing.Mosaics.Search;

/// <summary>
/// Writes matches as a GeoJSON <c>FeatureCollection</c> per RFC 7946: WGS84 longitude/latitude (in
/// that order) through the viewport's CRS, one feature per match, a point at the pixel centre or the
/// pixel's footprint (its four corners transformed, so a UTM pixel is a slightly rotated
/// quadrilateral), with <c>rank</c>, <c>pixel_index</c>, <c>row</c>, <c>col</c>, <c>score</c> and the
/// centre's native <c>x</c>/<c>y</c> as properties; the collection's properties name the native <c>crs</c>.
/// </summary>
public static class SearchResultGeoJson
{
    /// <summary>
    /// Throws unless GeoJSON can be written for a viewport with this georeference (it needs WGS84
    /// longitude/latitude): a server calls it before a streamed response starts.
    /// </summary>
    /// <param name="georeference">The viewport's georeference.</param>
    /// <exception cref="ViewportSearchException">The viewport has no latitude/longitude (<see cref="ViewportSearchErrorKind.CoordinatesUnavailable"/>).</exception>
    public static void EnsureWritable(RasterGeoreference georeference)
    {
        ArgumentNullException.ThrowIfNull(georeference);
        if (!georeference.HasLatLon)
        {
            throw new ViewportSearchException(
                ViewportSearchErrorKind.CoordinatesUnavailable,
                $"GeoJSON needs WGS84 longitude/latitude: {georeference.LatLonUnavailableReason}",
                "format");
        }
    }

    /// <summary>Writes the feature collection.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="result">The result.</param>
    /// <param name="georeference">The viewport's georeference (<see cref="ViewportSearcher.Georeference"/>).</param>
    /// <param name="geometry">Points or pixel squares.</param>
    /// <exception cref="ViewportSearchException">The viewport has no latitude/longitude (<see cref="ViewportSearchErrorKind.CoordinatesUnavailable"/>): GeoJSON cannot be written in its CRS.</exception>
    public static void Write(Utf8JsonWriter writer, SimilaritySearchResult result, RasterGeoreference georeference, SearchGeometry geometry = SearchGeometry.Point)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(result);
        EnsureWritable(georeference);

        writer.WriteStartObject();
        writer.WriteString("type", "FeatureCollection");
        writer.WriteStartObject("properties");
        writer.WriteString("metric", SearchNames.Of(result.Metric));
        writer.WriteString("mode", SearchNames.Of(result.Mode));
        writer.WriteString("strategy", SearchNames.Of(result.Strategy));
        writer.WriteNumber("total", result.Total);
        if (georeference.SpatialReference is { } crs)
        {
            writer.WriteString("crs", crs.ToString());
        }

        writer.WriteEndObject();
        writer.WriteStartArray("features");
        var rank = 0;
        foreach (var m in result.Matches)
        {
            writer.WriteStartObject();
            writer.WriteString("type", "Feature");
            writer.WriteStartObject("geometry");
            if (geometry == SearchGeometry.Point)
            {
                writer.WriteString("type", "Point");
                writer.WriteStartArray("coordinates");
                writer.WriteNumberValue(m.Longitude);
                writer.WriteNumberValue(m.Latitude);
                writer.WriteEndArray();
            }
            else
            {
                writer.WriteString("type", "Polygon");
                writer.WriteStartArray("coordinates");
                writer.WriteStartArray();
                WriteCorner(writer, georeference, m.Col, m.Row);
                WriteCorner(writer, georeference, m.Col, m.Row + 1);
                WriteCorner(writer, georeference, m.Col + 1, m.Row + 1);
                WriteCorner(writer, georeference, m.Col + 1, m.Row);
                WriteCorner(writer, georeference, m.Col, m.Row);
                writer.WriteEndArray();
                writer.WriteEndArray();
            }

            writer.WriteEndObject();
            writer.WriteStartObject("properties");
            writer.WriteNumber("rank", ++rank);
            writer.WriteNumber("pixel_index", m.PixelIndex);
            writer.WriteNumber("row", m.Row);
            writer.WriteNumber("col", m.Col);
            writer.WriteNumber("score", m.Score);
            writer.WriteNumber("x", m.X);
            writer.WriteNumber("y", m.Y);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>The feature collection as a string.</summary>
    /// <param name="result">The result.</param>
    /// <param name="georeference">The viewport's georeference.</param>
    /// <param name="geometry">Points or pixel squares.</param>
    /// <returns>The GeoJSON text.</returns>
    /// <exception cref="ViewportSearchException">The viewport has no latitude/longitude.</exception>
    public static string ToGeoJson(SimilaritySearchResult result, RasterGeoreference georeference, SearchGeometry geometry = SearchGeometry.Point)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, result, georeference, geometry);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteCorner(Utf8JsonWriter writer, RasterGeoreference georeference, int col, int row)
    {
        var (lat, lon) = georeference.PixelToLatLon(col, row);
        writer.WriteStartArray();
        writer.WriteNumberValue(lon);
        writer.WriteNumberValue(lat);
        writer.WriteEndArray();
    }
}
