using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tessera.Indexing.Embeddings;
using Tessera.Indexing.Sharding;

namespace Tessera.Cli.Imaging;

/// <summary>What the image commands share: the service container, the model choice, JSON output.</summary>
internal static class ImageCli
{
    /// <summary>The model name of the model-free colour histogram embedders.</summary>
    public const string HistogramModel = "histogram";

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>
    /// The services: core (local stores), GDAL (image decoding), Supabase (<c>supabase://bucket/prefix</c>
    /// stores, URL and key from SUPABASE_URL and SUPABASE_KEY), the colour histogram embedders as the
    /// color/structure/combined index types, and sharded index building. Logs go to stderr.
    /// </summary>
    public static ServiceProvider CreateServices(bool verbose)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging =>
        {
            logging.SetMinimumLevel(verbose ? LogLevel.Information : LogLevel.Warning);
            logging.AddSimpleConsole(o => o.SingleLine = true);
            logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
            logging.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        });
        services.AddTesseraIndexing()
            .AddGdal()
            .AddSupabase()
            .AddColorHistogramEmbedder()
            .AddShardedImageIndexing();
        return services.BuildServiceProvider();
    }

    /// <summary>
    /// Checks the embedding model choice. Without <c>--model</c> the model-free histogram embedders run;
    /// the ONNX image embedder is not part of this build yet.
    /// </summary>
    /// <returns>An error message, or <see langword="null"/> when the choice can run.</returns>
    public static string? CheckModel(string? modelPath, string provider)
    {
        if (provider is not ("auto" or "cpu" or "cuda"))
        {
            return $"--provider must be auto, cpu or cuda (got '{provider}').";
        }

        if (modelPath is not null)
        {
            return $"--model {modelPath}: the ONNX image embedder (OnnxImageEmbedder) is not available in this build yet. "
                + "Run without --model to use the model-free colour histogram embedders.";
        }

        return null;
    }

    public static string[] ParseTypes(string? value)
    {
        var types = (value ?? ImageIndexTypes.Color).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var type in types)
        {
            if (!ImageIndexTypes.IsValidName(type))
            {
                throw new ArgumentException($"'{type}' is not a valid index type (letters, digits, '-' and '.').");
            }
        }

        return types.Distinct(StringComparer.Ordinal).ToArray();
    }

    public static IShardStore OpenStore(IServiceProvider services, string location) =>
        ShardStores.Open(services.GetServices<IShardStoreFactory>(), location);

    public static void WriteJson<T>(T value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, Json));

    public static int Fail(string message, int code = 1)
    {
        Console.Error.WriteLine($"tessera: {message}");
        return code;
    }
}
