using Microsoft.Extensions.Options;
using Tessera.Indexing.Indexes;
using Tessera.Indexing.Mosaics;
using Tessera.Indexing.Mosaics.Pipeline;
using Tessera.Indexing.Mosaics.Search;
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
var pipelineSection = builder.Configuration.GetSection("Tessera:Pipeline");
var movedKeys = pipelineSection.GetChildren().Select(c => c.Key)
    .Where(key => typeof(MosaicIndexOptions).GetProperty(key) is not null && typeof(ViewportPipelineOptions).GetProperty(key) is null)
    .ToArray();
if (movedKeys.Length > 0)
{
    throw new InvalidOperationException(
        $"The index settings {string.Join(", ", movedKeys.Select(k => "Tessera:Pipeline:" + k))} moved to Tessera:Pipeline:Index (for example Tessera:Pipeline:Index:{movedKeys[0]}).");
}

builder.Services.AddOptions<ViewportPipelineOptions>()
    .Bind(pipelineSection)
    .Configure<IOptions<ServerOptions>, IHostEnvironment>((pipeline, server, environment) =>
        pipeline.IndicesRoot = Path.GetFullPath(server.Value.IndicesRoot, environment.ContentRootPath));
builder.Services.AddOptions<MosaicPreviewOptions>()
    .Configure<IOptions<ServerOptions>, IHostEnvironment>((previews, server, environment) =>
        previews.PreviewsRoot = Path.GetFullPath(server.Value.PreviewsRoot, environment.ContentRootPath));
builder.Services.AddSingleton(sp =>
{
    var server = sp.GetRequiredService<IOptions<ServerOptions>>().Value;
    var root = Path.GetFullPath(server.IndicesRoot, sp.GetRequiredService<IHostEnvironment>().ContentRootPath);
    return new ViewportSearcherPool(root, new ViewportSearcherOptions(), sp.GetRequiredService<ILoggerFactory>(), sp.GetRequiredService<IVectorIndexBuilder>());
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
