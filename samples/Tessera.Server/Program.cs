using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Tessera.Indexing.Mosaics.Pipeline;
using Tessera.Indexing.Mosaics.Search;
using Tessera.Server;
using Tessera.Server.Endpoints;
using Tessera.Server.Pipeline;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddProblemDetails();
builder.Services.AddOptions<ServerOptions>().Bind(builder.Configuration.GetSection(ServerOptions.Section)).ValidateOnStart();
builder.Services.AddSingleton<IValidateOptions<ServerOptions>, ServerOptionsValidator>();

builder.Services.AddTesseraIndexing()
    .AddGdal()
    .AddViewportPipeline();

// A second post-processor, run in parallel with index creation (the seed's pyramids).
builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IViewportPostProcessor, MosaicPreviewPostProcessor>());

// The pipeline writes where the server reads: one indices root, from the server's settings.
builder.Services.AddOptions<ViewportPipelineOptions>()
    .Bind(builder.Configuration.GetSection("Tessera:Pipeline"))
    .Configure<IOptions<ServerOptions>, IHostEnvironment>((pipeline, server, environment) =>
        pipeline.IndicesRoot = Path.GetFullPath(server.Value.IndicesRoot, environment.ContentRootPath));
builder.Services.AddSingleton(sp =>
{
    var server = sp.GetRequiredService<IOptions<ServerOptions>>().Value;
    var root = Path.GetFullPath(server.IndicesRoot, sp.GetRequiredService<IHostEnvironment>().ContentRootPath);
    return new ViewportSearcherPool(root, new ViewportSearcherOptions(), sp.GetRequiredService<ILoggerFactory>());
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
