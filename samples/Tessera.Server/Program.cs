using Microsoft.Extensions.Options;
using Tessera.Indexing.Indexes;
using Tessera.Indexing.Mosaics.Pipeline;
using Tessera.Indexing.Mosaics.Search;
using Tessera.Indexing.Rasters;
using Tessera.Server;
using Tessera.Server.Endpoints;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddProblemDetails();
builder.Services.AddOptions<ServerOptions>().Bind(builder.Configuration.GetSection(ServerOptions.Section)).ValidateOnStart();
builder.Services.AddSingleton<IValidateOptions<ServerOptions>, ServerOptionsValidator>();

// The viewport pipeline, with the preview post-processor run in parallel with index creation (the seed's pyramids).
builder.Services.AddTesseraIndexing()
    .AddGdal()
    .AddViewportPipeline()
    .AddMosaicPreviews();

// The pipeline writes where the server reads: the roots come from the server's settings, the index
// settings from Tessera:Pipeline:Index.
builder.Services.AddOptions<ViewportPipelineOptions>()
    .Bind(builder.Configuration.GetSection(MovedPipelineSettingsValidator.Section))
    .Configure<IOptions<ServerOptions>, IHostEnvironment>((pipeline, server, environment) =>
    {
        pipeline.IndicesRoot = Path.GetFullPath(server.Value.IndicesRoot, environment.ContentRootPath);

        // A viewport the server cannot search is a failed job, not a ready one.
        if (!pipeline.RequiredFeatures.Contains(MosaicIndexPostProcessor.FeatureName))
        {
            pipeline.RequiredFeatures.Add(MosaicIndexPostProcessor.FeatureName);
        }
    });
builder.Services.AddSingleton<IValidateOptions<ViewportPipelineOptions>, MovedPipelineSettingsValidator>();
builder.Services.AddOptions<MosaicPreviewOptions>()
    .Configure<IOptions<ServerOptions>, IHostEnvironment>((previews, server, environment) =>
        previews.PreviewsRoot = Path.GetFullPath(server.Value.PreviewsRoot, environment.ContentRootPath));
builder.Services.AddSingleton(sp =>
{
    var server = sp.GetRequiredService<IOptions<ServerOptions>>().Value;
    var root = Path.GetFullPath(server.IndicesRoot, sp.GetRequiredService<IHostEnvironment>().ContentRootPath);
    var searchOptions = new ViewportSearcherOptions { CoordinateTransforms = sp.GetService<ICoordinateTransformFactory>() };
    return new ViewportSearcherPool(root, searchOptions, sp.GetRequiredService<ILoggerFactory>(), sp.GetRequiredService<IVectorIndexBuilder>());
});

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseDefaultFiles();
app.UseStaticFiles();
app.MapGet("/healthz", () => Results.Ok(new { status = "ok" }));
app.MapViewportEndpoints();
app.MapSearchEndpoints();
app.Run();

/// <summary>Entry point type, visible to the test host.</summary>
public partial class Program
{
}
