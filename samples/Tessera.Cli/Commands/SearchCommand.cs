using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Indexing.Gdal.Images;
using Tessera.Indexing.Numpy;
using Tessera.Indexing.Mosaics.Search;
using Tessera.Indexing.Rasters;

namespace Tessera.Cli.Commands;

/// <summary>
/// <c>tessera search</c>: similarity search over one indexed viewport, by pixel, point or vector;
/// top-k, threshold or top-percent; JSON, GeoJSON or CSV on stdout, optionally a heat-map PNG.
/// </summary>
internal static class SearchCommand
{
    public static Command Create()
    {
        var indexDir = new Option<string>("--index-dir") { Description = "The viewport folder <root>/<viewport_id> (embeddings.index, all_embeddings.npy, metadata.json).", Required = true };
        var pixel = new Option<string?>("--pixel") { Description = "Query pixel as ROW,COL." };
        var lat = new Option<double?>("--lat") { Description = "Query WGS84 latitude (with --lon), transformed into the viewport's CRS." };
        var lon = new Option<double?>("--lon") { Description = "Query WGS84 longitude (with --lat)." };
        var vector = new Option<string?>("--vector") { Description = "Query vector: a float32 .npy of shape (D,) or (1, D), in the indexed space." };
        var k = new Option<int>("--k") { Description = "Neighbours for a top-k search (1 to 10,000).", DefaultValueFactory = _ => 10 };
        var threshold = new Option<float?>("--threshold") { Description = "Every pixel with cosine ≥ T (or L2 distance ≤ T)." };
        var topPercent = new Option<double?>("--top-percent") { Description = "The top P percent most similar pixels (0 < P ≤ 100)." };
        var metric = new Option<string>("--metric") { Description = "cosine or l2.", DefaultValueFactory = _ => "cosine" };
        var nprobe = new Option<int>("--nprobe") { Description = "IVF lists FAISS visits (0: the index's own setting).", DefaultValueFactory = _ => 0 };
        var limit = new Option<int>("--limit") { Description = "Most results of a threshold or percent search, 1 to 1,000,000 (the total counts them all).", DefaultValueFactory = _ => 1000 };
        var format = new Option<string>("--format") { Description = "json, geojson or csv.", DefaultValueFactory = _ => "json" };
        var json = new Option<bool>("--json") { Description = "Print JSON (the default; the same as --format json, like every command's --json)." };
        var geometry = new Option<string>("--geometry") { Description = "GeoJSON geometry: point or square.", DefaultValueFactory = _ => "point" };
        var strategy = new Option<string>("--strategy") { Description = "auto, exact_scan, faiss_top_k or faiss_range_candidates.", DefaultValueFactory = _ => "auto" };
        var distribution = new Option<bool>("--distribution") { Description = "Also report the viewport's score distribution for the query." };
        var heatmap = new Option<string?>("--heatmap") { Description = "Write a similarity heat-map PNG of the viewport here." };
        var heatmapSize = new Option<int>("--heatmap-size") { Description = "Longest side of the heat map in pixels (large viewports are reduced).", DefaultValueFactory = _ => 1024 };

        var command = new Command("search", "Similarity search over an indexed viewport: top-k, threshold or top percent, by pixel, lat/lon or vector.")
        {
            indexDir, pixel, lat, lon, vector, k, threshold, topPercent, metric, nprobe, limit, format, json, geometry, strategy, distribution, heatmap, heatmapSize,
        };

        command.SetAction((parse, cancellationToken) =>
        {
            var arguments = new Arguments(
                parse.GetValue(indexDir)!,
                parse.GetValue(pixel),
                parse.GetValue(lat),
                parse.GetValue(lon),
                parse.GetValue(vector),
                parse.GetValue(k),
                parse.GetValue(threshold),
                parse.GetValue(topPercent),
                parse.GetValue(metric)!,
                parse.GetValue(nprobe),
                parse.GetValue(limit),
                parse.GetValue(format)!,
                parse.GetValue(geometry)!,
                parse.GetValue(strategy)!,
                parse.GetValue(distribution),
                parse.GetValue(heatmap),
                parse.GetValue(heatmapSize),
                parse.GetValue(json));
            return Task.FromResult(Run(arguments, cancellationToken));
        });
        return command;
    }

    private static int Run(Arguments a, CancellationToken cancellationToken)
    {
        try
        {
            var query = ParseQuery(a);
            if (!SearchNames.TryParseMetric(a.Metric, out var metric))
            {
                return Usage($"--metric must be cosine or l2, not '{a.Metric}'.");
            }

            if (!SearchNames.TryParseStrategy(a.Strategy, out var strategy))
            {
                return Usage($"--strategy must be auto, exact_scan, faiss_top_k or faiss_range_candidates, not '{a.Strategy}'.");
            }

            var format = a.Format.ToLowerInvariant();
            if (a.Json && format != "json")
            {
                return Usage($"--json prints JSON; it cannot be combined with --format {a.Format}.");
            }

            if (format is not ("json" or "geojson" or "csv"))
            {
                return Usage($"--format must be json, geojson or csv, not '{a.Format}'.");
            }

            var geometry = a.Geometry.ToLowerInvariant() switch
            {
                "point" => SearchGeometry.Point,
                "square" or "pixel" or "polygon" => SearchGeometry.PixelSquare,
                _ => (SearchGeometry?)null,
            };
            if (geometry is null)
            {
                return Usage($"--geometry must be point or square, not '{a.Geometry}'.");
            }

            var request = new SimilaritySearchRequest(query)
            {
                Metric = metric,
                K = a.K,
                Threshold = a.Threshold,
                TopPercent = a.TopPercent,
                NProbe = a.NProbe,
                Limit = a.Limit,
                Strategy = strategy,
                IncludeDistribution = a.Distribution,
            };
            request.Validate();
            if (a.Heatmap is not null && Path.GetDirectoryName(Path.GetFullPath(a.Heatmap)) is { } heatmapFolder && !Directory.Exists(heatmapFolder))
            {
                throw new ArgumentException($"--heatmap: the folder '{heatmapFolder}' does not exist.");
            }

            using var services = new ServiceCollection().AddTesseraIndexing().AddGdal().Services.BuildServiceProvider();
            using var searcher = ViewportSearcher.Open(a.IndexDir, new ViewportSearcherOptions { CoordinateTransforms = services.GetRequiredService<ICoordinateTransformFactory>() });
            var result = searcher.Search(request, cancellationToken);
            var stdout = Console.OpenStandardOutput();
            switch (format)
            {
                case "json":
                    using (var writer = new Utf8JsonWriter(stdout))
                    {
                        SearchResultJson.Write(writer, result, searcher.ViewportId);
                    }

                    break;
                case "geojson":
                    using (var writer = new Utf8JsonWriter(stdout))
                    {
                        SearchResultGeoJson.Write(writer, result, searcher.Georeference, geometry.Value);
                    }

                    break;
                default:
                    using (var text = new StreamWriter(stdout))
                    {
                        SearchResultCsv.Write(text, result);
                    }

                    break;
            }

            Console.Out.Flush();
            Console.Error.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{result.Total} match(es), {result.Matches.Count} returned, {SearchNames.Of(result.Strategy)}, {result.Elapsed.TotalMilliseconds:F1} ms"));

            if (a.Heatmap is not null)
            {
                var map = searcher.RenderHeatmap(query, metric, a.HeatmapSize, cancellationToken);
                GdalPngWriter.Write(a.Heatmap, map.Image.Width, map.Image.Height, 3, map.Image.Pixels.Span);
                Console.Error.WriteLine($"heat map {map.Image.Width}x{map.Image.Height} (1:{map.Factor}) written to {a.Heatmap}");
            }

            return 0;
        }
        catch (ViewportSearchException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return e.Kind is ViewportSearchErrorKind.InvalidRequest or ViewportSearchErrorKind.OutsideMosaic or ViewportSearchErrorKind.NoDataAtQuery or ViewportSearchErrorKind.CoordinatesUnavailable ? 2 : 1;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or NpyFormatException or IOException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
    }

    private static ViewportQuery ParseQuery(Arguments a)
    {
        var given = (a.Pixel is not null ? 1 : 0) + (a.Lat is not null || a.Lon is not null ? 1 : 0) + (a.Vector is not null ? 1 : 0);
        if (given != 1)
        {
            throw new ArgumentException("Give exactly one query: --pixel ROW,COL, --lat Y --lon X, or --vector FILE.npy.");
        }

        if (a.Pixel is not null)
        {
            var parts = a.Pixel.Split(',', StringSplitOptions.TrimEntries);
            if (parts.Length != 2
                || !int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var row)
                || !int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var col)
                || row < 0 || col < 0)
            {
                throw new ArgumentException($"--pixel must be ROW,COL with non-negative integers, not '{a.Pixel}'.");
            }

            return ViewportQuery.AtPixel(row, col);
        }

        if (a.Lat is not null || a.Lon is not null)
        {
            if (a.Lat is null || a.Lon is null)
            {
                throw new ArgumentException("--lat and --lon go together.");
            }

            return ViewportQuery.AtLatLon(a.Lat.Value, a.Lon.Value);
        }

        using var array = NpyMemoryMappedArray.Open(a.Vector!);
        if (array.DataType != NpyDataType.Float32 || !(array.Shape.Count == 1 || (array.Shape.Count == 2 && array.Shape[0] == 1)) || array.ElementCount == 0)
        {
            throw new ArgumentException($"'{a.Vector}' must hold one float32 vector, shape (D,) or (1, D); it holds {array.DataType} ({string.Join(", ", array.Shape)}).");
        }

        return ViewportQuery.FromVector(array.GetElements<float>(0, checked((int)array.ElementCount)));
    }

    private static int Usage(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return 2;
    }

    private sealed record Arguments(
        string IndexDir,
        string? Pixel,
        double? Lat,
        double? Lon,
        string? Vector,
        int K,
        float? Threshold,
        double? TopPercent,
        string Metric,
        int NProbe,
        int Limit,
        string Format,
        string Geometry,
        string Strategy,
        bool Distribution,
        string? Heatmap,
        int HeatmapSize,
        bool Json);
}
