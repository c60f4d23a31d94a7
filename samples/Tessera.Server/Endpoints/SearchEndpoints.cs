using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Tessera.Indexing.Gdal.Images;
using Tessera.Indexing.Mosaics.Search;
using Tessera.Server.Api;

namespace Tessera.Server.Endpoints;

/// <summary>Search routes: <c>POST /api/faiss/search</c> and the similarity heat map.</summary>
internal static class SearchEndpoints
{
    public static void MapSearchEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/faiss/search", Search);
        app.MapGet("/api/viewports/{id}/similarity.png", Heatmap);
    }

    private static async Task<IResult> Search(HttpRequest request, ViewportSearcherPool pool, IOptions<ServerOptions> options, CancellationToken cancellationToken)
    {
        var (body, bodyError) = await ApiJson.ReadAsync<SearchBody>(request, cancellationToken);
        if (body is null)
        {
            return Problems.BadRequest("body", bodyError!);
        }

        if (!ViewportIds.IsValid(body.ViewportId, out var idError))
        {
            return Problems.BadRequest("viewport_id", idError);
        }

        var metric = SimilarityMetric.Cosine;
        if (body.Metric is not null && !SearchNames.TryParseMetric(body.Metric, out metric))
        {
            return Problems.BadRequest("metric", "metric must be cosine or l2.");
        }

        var strategy = SearchStrategy.Auto;
        if (body.Strategy is not null && !SearchNames.TryParseStrategy(body.Strategy, out strategy))
        {
            return Problems.BadRequest("strategy", "strategy must be auto, exact_scan, faiss_top_k or faiss_range_candidates.");
        }

        var format = (body.Format ?? "json").ToLowerInvariant();
        if (format is not ("json" or "geojson" or "csv"))
        {
            return Problems.BadRequest("format", "format must be json, geojson or csv.");
        }

        var geometry = (body.Geometry ?? "point").ToLowerInvariant() switch
        {
            "point" => SearchGeometry.Point,
            "square" or "polygon" => SearchGeometry.PixelSquare,
            _ => (SearchGeometry?)null,
        };
        if (geometry is null)
        {
            return Problems.BadRequest("geometry", "geometry must be point or square.");
        }

        var hasTopLevel = body.Row is not null || body.Col is not null || body.Lat is not null || body.Lon is not null || body.Vector is not null;
        if (body.Queries is not null && hasTopLevel)
        {
            return Problems.BadRequest("queries", "Give either one query (row/col, lat/lon or vector) or a queries array, not both.");
        }

        if (body.Queries is { Length: 0 or > 64 })
        {
            return Problems.BadRequest("queries", "queries must hold 1 to 64 queries.");
        }

        if (body.Queries is not null && format != "json")
        {
            return Problems.BadRequest("format", "A batch of queries is answered in JSON only.");
        }

        var queryBodies = body.Queries ?? [body];
        var requests = new SimilaritySearchRequest[queryBodies.Length];
        for (var i = 0; i < queryBodies.Length; i++)
        {
            var prefix = body.Queries is null ? string.Empty : $"queries[{i}].";
            if (!TryQuery(queryBodies[i], prefix, out var query, out var problem))
            {
                return problem!;
            }

            requests[i] = new SimilaritySearchRequest(query!)
            {
                Metric = metric,
                K = body.K ?? 10,
                Threshold = body.Threshold,
                TopPercent = body.TopPercent,
                NProbe = body.Nprobe ?? 0,
                Limit = body.Limit ?? 1000,
                Strategy = strategy,
                IncludeDistribution = body.Distribution ?? false,
            };
        }

        try
        {
            requests[0].Validate();
            if (RequestBudget.Check(requests, format, options.Value) is { } tooMuch)
            {
                return tooMuch;
            }

            var searcher = pool.Get(body.ViewportId!);
            var results = searcher.SearchBatch(requests, cancellationToken);
            if (body.Queries is not null)
            {
                // Streamed: each search is written and flushed in turn, so the answer is never held twice.
                return Results.Stream(
                    async stream =>
                    {
                        await using var writer = new Utf8JsonWriter(stream);
                        writer.WriteStartObject();
                        writer.WriteString("viewport_id", searcher.ViewportId);
                        writer.WriteStartArray("searches");
                        foreach (var result in results)
                        {
                            SearchResultJson.Write(writer, result);
                            await writer.FlushAsync(cancellationToken);
                        }

                        writer.WriteEndArray();
                        writer.WriteEndObject();
                        await writer.FlushAsync(cancellationToken);
                    },
                    "application/json");
            }

            if (format == "geojson")
            {
                // Refused before the response starts streaming (GeoJSON is WGS84 lon/lat only).
                SearchResultGeoJson.EnsureWritable(searcher.Georeference);
            }

            return format switch
            {
                "geojson" => Streamed(writer => SearchResultGeoJson.Write(writer, results[0], searcher.Georeference, geometry.Value), "application/geo+json", cancellationToken),
                "csv" => Results.Text(Csv(results[0]), "text/csv", Encoding.UTF8),
                _ => Streamed(writer => SearchResultJson.Write(writer, results[0], searcher.ViewportId), "application/json", cancellationToken),
            };
        }
        catch (ViewportSearchException e)
        {
            return Problems.From(e);
        }
    }

    private static IResult Heatmap(
        string id,
        string? row,
        string? col,
        string? lat,
        string? lon,
        string? metric,
        string? size,
        ViewportSearcherPool pool,
        IOptions<ServerOptions> options,
        CancellationToken cancellationToken)
    {
        if (!ViewportIds.IsValid(id, out var error))
        {
            return Problems.BadRequest("viewport_id", error);
        }

        var similarity = SimilarityMetric.Cosine;
        if (metric is not null && !SearchNames.TryParseMetric(metric, out similarity))
        {
            return Problems.BadRequest("metric", "metric must be cosine or l2.");
        }

        if (!QueryParameters.TryInt(size, 1024, 16, options.Value.MaxImageSize, "size", out var maxSize, out var problem)
            || !QueryParameters.TryInt(row, -1, 0, int.MaxValue, "row", out var r, out problem)
            || !QueryParameters.TryInt(col, -1, 0, int.MaxValue, "col", out var c, out problem)
            || !QueryParameters.TryDouble(lat, "lat", out var latitude, out problem)
            || !QueryParameters.TryDouble(lon, "lon", out var longitude, out problem))
        {
            return problem!;
        }

        if (!TryQuery(new QueryBody { Row = r >= 0 ? r : null, Col = c >= 0 ? c : null, Lat = latitude, Lon = longitude }, string.Empty, out var query, out problem))
        {
            return problem!;
        }

        try
        {
            var map = pool.Get(id).RenderHeatmap(query!, similarity, maxSize, cancellationToken);
            return Results.File(GdalPngWriter.Encode(map.Image.Width, map.Image.Height, 3, map.Image.Pixels.Span), "image/png");
        }
        catch (ViewportSearchException e)
        {
            return Problems.From(e);
        }
    }

    private static bool TryQuery(QueryBody body, string prefix, out ViewportQuery? query, out IResult? problem)
    {
        query = null;
        problem = null;
        var kinds = (body.Row is not null || body.Col is not null ? 1 : 0) + (body.Lat is not null || body.Lon is not null ? 1 : 0) + (body.Vector is not null ? 1 : 0);
        if (kinds != 1)
        {
            problem = Problems.BadRequest(prefix + "query", "Give exactly one query: row and col, lat and lon, or vector.");
            return false;
        }

        if (body.Row is not null || body.Col is not null)
        {
            if (body.Row is not { } row || body.Col is not { } col || row < 0 || col < 0)
            {
                problem = Problems.BadRequest(prefix + "row", "row and col must both be given, as non-negative integers.");
                return false;
            }

            query = ViewportQuery.AtPixel(row, col);
            return true;
        }

        if (body.Lat is not null || body.Lon is not null)
        {
            if (body.Lat is not { } lat || body.Lon is not { } lon || !double.IsFinite(lat) || !double.IsFinite(lon))
            {
                problem = Problems.BadRequest(prefix + "lat", "lat and lon must both be given, as finite numbers.");
                return false;
            }

            query = ViewportQuery.AtLatLon(lat, lon);
            return true;
        }

        if (body.Vector is not { Length: > 0 and <= 4096 } vector || vector.Any(v => !float.IsFinite(v)))
        {
            problem = Problems.BadRequest(prefix + "vector", "vector must hold 1 to 4096 finite numbers.");
            return false;
        }

        query = ViewportQuery.FromVector(vector);
        return true;
    }

    private static IResult Streamed(Action<Utf8JsonWriter> write, string contentType, CancellationToken cancellationToken) =>
        Results.Stream(
            async stream =>
            {
                await using var writer = new Utf8JsonWriter(stream);
                write(writer);
                await writer.FlushAsync(cancellationToken);
            },
            contentType);

    private static string Csv(SimilaritySearchResult result)
    {
        using var writer = new StringWriter();
        SearchResultCsv.Write(writer, result);
        return writer.ToString();
    }
}
