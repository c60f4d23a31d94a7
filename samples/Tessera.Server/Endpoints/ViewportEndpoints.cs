using Microsoft.Extensions.Options;
using Tessera.Indexing.Gdal.Images;
using Tessera.Indexing.Mosaics;
using Tessera.Indexing.Mosaics.Pipeline;
using Tessera.Indexing.Mosaics.Search;
using Tessera.Server.Api;

namespace Tessera.Server.Endpoints;

/// <summary>Viewport routes: list, info, processing jobs and their status, RGB preview.</summary>
internal static class ViewportEndpoints
{
    public static void MapViewportEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/viewports");
        group.MapGet("/", (ViewportSearcherPool pool) => Results.Json(new { viewports = pool.List() }, ApiJson.Options));
        group.MapGet("/{id}", Info);
        group.MapPost("/{id}/process", Process);
        group.MapDelete("/{id}/process", Cancel);
        group.MapGet("/{id}/status", Status);
        group.MapGet("/{id}/preview.png", Preview);
        group.MapGet("/{id}/mosaic-preview.png", MosaicPreview);
    }

    private static IResult Info(string id, ViewportSearcherPool pool)
    {
        if (!ViewportIds.IsValid(id, out var error))
        {
            return Problems.BadRequest("viewport_id", error);
        }

        try
        {
            var s = pool.Get(id);
            var (x0, y0) = s.GeoTransform.PixelToWorld(0, 0);
            var (x1, y1) = s.GeoTransform.PixelToWorld(s.Width, s.Height);
            object? latLonBounds = null;
            if (s.Georeference.HasLatLon)
            {
                var (west, south, east, north) = s.Georeference.LatLonBounds(s.Width, s.Height);
                latLonBounds = new { west, east, south, north };
            }

            return Results.Json(
                new
                {
                    viewport_id = s.ViewportId,
                    width = s.Width,
                    height = s.Height,
                    dimension = s.Dimension,
                    crs = s.Crs,
                    geotransform = s.GeoTransform.ToArray(),
                    bounds = latLonBounds,
                    native_bounds = new { min_x = Math.Min(x0, x1), max_x = Math.Max(x0, x1), min_y = Math.Min(y0, y1), max_y = Math.Max(y0, y1) },
                    has_index = s.HasIndex,
                    indexed_vectors = s.IndexedCount,
                    normalized = s.Normalized,
                    embeddings_dtype = s.StoresBytes ? "uint8" : "float32",
                },
                ApiJson.Options);
        }
        catch (ViewportSearchException e)
        {
            return Problems.From(e);
        }
    }

    private static async Task<IResult> Process(string id, HttpRequest request, IViewportJobQueue queue, IOptions<ServerOptions> options, IHostEnvironment environment, CancellationToken cancellationToken)
    {
        if (!ViewportIds.IsValid(id, out var error))
        {
            return Problems.BadRequest("viewport_id", error);
        }

        var (body, bodyError) = await ApiJson.ReadAsync<ProcessBody>(request, cancellationToken);
        if (body is null)
        {
            return Problems.BadRequest("body", bodyError!);
        }

        if (!ContainedPath.TryResolve(Path.GetFullPath(options.Value.MosaicsRoot, environment.ContentRootPath), body.MosaicPath, out var mosaic, out var pathError))
        {
            return Problems.BadRequest("mosaic_path", pathError);
        }

        if (!File.Exists(mosaic))
        {
            return Problems.BadRequest("mosaic_path", $"The mosaic '{body.MosaicPath}' does not exist in the mosaics root.");
        }

        if (queue.IsActive(id))
        {
            return Problems.Conflict($"Viewport '{id}' already has a job queued or running.");
        }

        if (!queue.TryEnqueue(new ViewportJob(id, mosaic) { Force = body.Force ?? false }))
        {
            return queue.IsActive(id)
                ? Problems.Conflict($"Viewport '{id}' already has a job queued or running.")
                : Problems.Unavailable("The processing queue is full.");
        }

        return Results.Accepted($"/api/viewports/{id}/status", new { viewport_id = id, stage = "queued", status_url = $"/api/viewports/{id}/status" });
    }

    private static IResult Cancel(string id, IViewportJobQueue queue)
    {
        if (!ViewportIds.IsValid(id, out var error))
        {
            return Problems.BadRequest("viewport_id", error);
        }

        return queue.TryCancel(id) ? Results.Accepted($"/api/viewports/{id}/status") : Problems.NotFound($"Viewport '{id}' has no queued or running job.");
    }

    private static IResult Status(string id, IViewportStatusStore statuses, ViewportSearcherPool pool)
    {
        if (!ViewportIds.IsValid(id, out var error))
        {
            return Problems.BadRequest("viewport_id", error);
        }

        if (statuses.TryGet(id, out var status))
        {
            return Results.Json(ToJson(status), ApiJson.Options);
        }

        if (pool.Exists(id))
        {
            // Built before this process started: ready, with whatever files it has.
            var hasIndex = File.Exists(Path.Combine(pool.IndicesRoot, id, MosaicLayout.IndexFileName));
            var ready = new ViewportStatus(
                id,
                ViewportStage.Ready,
                100,
                "✓ Viewport ready for exploration",
                [new ViewportFeatureStatus(MosaicIndexPostProcessor.FeatureName, hasIndex ? ViewportFeatureState.Cached : ViewportFeatureState.Failed, 100)],
                null,
                DateTimeOffset.UtcNow);
            return Results.Json(ToJson(ready), ApiJson.Options);
        }

        return Problems.NotFound($"No viewport '{id}'.");
    }

    private static IResult Preview(string id, string? mode, string? size, ViewportSearcherPool pool, IOptions<ServerOptions> options, CancellationToken cancellationToken)
    {
        if (!ViewportIds.IsValid(id, out var error))
        {
            return Problems.BadRequest("viewport_id", error);
        }

        var previewMode = (mode ?? "rgb").ToLowerInvariant() switch
        {
            "rgb" or "bands" => ViewportPreviewMode.Bands123,
            "pca" => ViewportPreviewMode.Pca,
            _ => (ViewportPreviewMode?)null,
        };
        if (previewMode is null)
        {
            return Problems.BadRequest("mode", "mode must be rgb or pca.");
        }

        if (!QueryParameters.TryInt(size, 1024, 16, options.Value.MaxImageSize, "size", out var maxSize, out var problem))
        {
            return problem!;
        }

        try
        {
            var (image, _) = pool.Get(id).RenderPreview(previewMode.Value, maxSize, cancellationToken);
            return Results.File(GdalPngWriter.Encode(image.Width, image.Height, 3, image.Pixels.Span), "image/png");
        }
        catch (ViewportSearchException e)
        {
            return Problems.From(e);
        }
    }

    private static IResult MosaicPreview(string id, IOptions<MosaicPreviewOptions> previews)
    {
        if (!ViewportIds.IsValid(id, out var error))
        {
            return Problems.BadRequest("viewport_id", error);
        }

        var path = previews.Value.GetPreviewPath(id);
        return File.Exists(path) ? Results.File(path, "image/png") : Problems.NotFound($"Viewport '{id}' has no mosaic preview (the preview feature has not run).");
    }

    private static object ToJson(ViewportStatus status) => new
    {
        viewport_id = status.ViewportId,
        stage = status.Stage,
        percent = status.Percent,
        message = status.Message,
        error = status.Error,
        finished = status.IsFinished,
        features = status.Features.Select(f => new { feature = f.Feature, state = f.State, percent = f.Percent, error = f.Error }),
        missing_features = status.MissingFeatures,
        updated_utc = status.UpdatedUtc,
    };
}
