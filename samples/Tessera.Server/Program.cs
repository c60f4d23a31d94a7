var builder = WebApplication.CreateBuilder(args);
builder.Services.AddTesseraIndexing();
var app = builder.Build();
app.MapGet("/healthz", () => Results.Ok(new { status = "ok" }));
app.Run();

/// <summary>Entry point type, visible to the test host.</summary>
public partial class Program
{
}
