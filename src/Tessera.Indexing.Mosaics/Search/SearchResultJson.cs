using System.Text;
using System.Text.Json;

namespace Tessera.Indexing.Mosaics.Search;

/// <summary>
/// Writes a result as the one JSON object the CLI prints and the HTTP API returns:
/// <c>{"query":…, "metric":…, "mode":…, "total":N, "strategy":…, "exact":…, "threshold":…,
/// "elapsed_ms":…, "distribution":{…}, "results":[{"pixel_index","row","col","lat","lon","score","x","y"}…]}</c>.
/// <c>lat</c>/<c>lon</c> are WGS84 degrees (through the viewport's CRS), <see langword="null"/> when the
/// viewport has no latitude/longitude; <c>x</c>/<c>y</c> are the pixel centre in the viewport's own CRS.
/// </summary>
public static class SearchResultJson
{
    /// <summary>Writes <paramref name="result"/> as one JSON object.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="result">The result.</param>
    /// <param name="viewportId">Written as <c>viewport_id</c> when given.</param>
    public static void Write(Utf8JsonWriter writer, SimilaritySearchResult result, string? viewportId = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(result);
        writer.WriteStartObject();
        if (viewportId is not null)
        {
            writer.WriteString("viewport_id", viewportId);
        }

        writer.WritePropertyName("query");
        WriteQuery(writer, result.Query);
        writer.WriteString("metric", SearchNames.Of(result.Metric));
        writer.WriteString("mode", SearchNames.Of(result.Mode));
        writer.WriteNumber("total", result.Total);
        writer.WriteString("strategy", SearchNames.Of(result.Strategy));
        writer.WriteBoolean("exact", result.IsExact);
        if (result.Threshold is { } threshold)
        {
            writer.WriteNumber("threshold", threshold);
        }
        else
        {
            writer.WriteNull("threshold");
        }

        writer.WriteNumber("elapsed_ms", Math.Round(result.Elapsed.TotalMilliseconds, 3));
        if (result.Distribution is { } d)
        {
            writer.WriteStartObject("distribution");
            writer.WriteNumber("count", d.Count);
            writer.WriteNumber("min", d.Min);
            writer.WriteNumber("p1", d.P1);
            writer.WriteNumber("p5", d.P5);
            writer.WriteNumber("p25", d.P25);
            writer.WriteNumber("p50", d.P50);
            writer.WriteNumber("p75", d.P75);
            writer.WriteNumber("p95", d.P95);
            writer.WriteNumber("p99", d.P99);
            writer.WriteNumber("max", d.Max);
            writer.WriteEndObject();
        }

        writer.WriteStartArray("results");
        foreach (var m in result.Matches)
        {
            writer.WriteStartObject();
            writer.WriteNumber("pixel_index", m.PixelIndex);
            writer.WriteNumber("row", m.Row);
            writer.WriteNumber("col", m.Col);
            WriteCoordinate(writer, "lat", m.Latitude);
            WriteCoordinate(writer, "lon", m.Longitude);
            writer.WriteNumber("score", m.Score);
            writer.WriteNumber("x", m.X);
            writer.WriteNumber("y", m.Y);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>The result as a JSON string.</summary>
    /// <param name="result">The result.</param>
    /// <param name="viewportId">Written as <c>viewport_id</c> when given.</param>
    /// <param name="indented">Indent the output.</param>
    /// <returns>The JSON text.</returns>
    public static string ToJson(SimilaritySearchResult result, string? viewportId = null, bool indented = false)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented }))
        {
            Write(writer, result, viewportId);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteCoordinate(Utf8JsonWriter writer, string name, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumber(name, value);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static void WriteQuery(Utf8JsonWriter writer, ResolvedQuery query)
    {
        writer.WriteStartObject();
        writer.WriteString("kind", SearchNames.Of(query.Kind));
        if (query.PixelIndex is { } pixel)
        {
            writer.WriteNumber("pixel_index", pixel);
            writer.WriteNumber("row", query.Row!.Value);
            writer.WriteNumber("col", query.Col!.Value);
            WriteCoordinate(writer, "lat", query.Latitude ?? double.NaN);
            WriteCoordinate(writer, "lon", query.Longitude ?? double.NaN);
            if (query.X is { } x && query.Y is { } y)
            {
                writer.WriteNumber("x", x);
                writer.WriteNumber("y", y);
            }
        }

        writer.WriteEndObject();
    }
}
