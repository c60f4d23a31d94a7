using System.Text;
using System.Text.Json;
using Tessera.Indexing.Rasters;

namespace Tessera.Indexing.Mosaics.Search;

/// <summary>
/// Writes matches as a GeoJSON <c>FeatureCollection</c> (RFC 7946 coordinate order: x/longitude
/// first): one feature per match, a point at the pixel centre or the pixel's square footprint,
/// with <c>pixel_index</c>, <c>row</c>, <c>col</c>, <c>score</c> and <c>rank</c> properties.
/// </summary>
public static class SearchResultGeoJson
{
    /// <summary>Writes the feature collection.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="result">The result.</param>
    /// <param name="transform">The viewport's geotransform (corners of pixel squares).</param>
    /// <param name="geometry">Points or pixel squares.</param>
    public static void Write(Utf8JsonWriter writer, SimilaritySearchResult result, GeoTransform transform, SearchGeometry geometry = SearchGeometry.Point)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(result);
        writer.WriteStartObject();
        writer.WriteString("type", "FeatureCollection");
        writer.WriteStartObject("properties");
        writer.WriteString("metric", SearchNames.Of(result.Metric));
        writer.WriteString("mode", SearchNames.Of(result.Mode));
        writer.WriteString("strategy", SearchNames.Of(result.Strategy));
        writer.WriteNumber("total", result.Total);
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
                WriteCorner(writer, transform, m.Col, m.Row);
                WriteCorner(writer, transform, m.Col, m.Row + 1);
                WriteCorner(writer, transform, m.Col + 1, m.Row + 1);
                WriteCorner(writer, transform, m.Col + 1, m.Row);
                WriteCorner(writer, transform, m.Col, m.Row);
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
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>The feature collection as a string.</summary>
    /// <param name="result">The result.</param>
    /// <param name="transform">The viewport's geotransform.</param>
    /// <param name="geometry">Points or pixel squares.</param>
    /// <returns>The GeoJSON text.</returns>
    public static string ToGeoJson(SimilaritySearchResult result, GeoTransform transform, SearchGeometry geometry = SearchGeometry.Point)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, result, transform, geometry);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteCorner(Utf8JsonWriter writer, GeoTransform transform, int col, int row)
    {
        var (x, y) = transform.PixelToWorld(col, row);
        writer.WriteStartArray();
        writer.WriteNumberValue(x);
        writer.WriteNumberValue(y);
        writer.WriteEndArray();
    }
}
