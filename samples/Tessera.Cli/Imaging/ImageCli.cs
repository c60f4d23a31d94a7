using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tessera.Indexing.Images.Embeddings;
using Tessera.Indexing.Images.Sharding;
using Tessera.Indexing.Onnx.Sessions;
using Tessera.Indexing.Storage;

namespace Tessera.Cli.Imaging;

/// <summary>What the image commands share: the service container, the checks of the model flags, JSON output.</summary>
internal static class ImageCli
{
    /// <summary>JSON as every command prints it: snake_case names and enum values, like <c>metadata.json</c>.</summary>
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>
    /// The services: core (local stores), GDAL (image decoding), Supabase (<c>supabase://bucket/prefix</c>
    /// stores, URL and key from SUPABASE_URL and SUPABASE_KEY), the color/structure/combined index
    /// types and sharded image indexing with the model name of <paramref name="modelPath"/>
    /// (<see cref="ImageModelNames.FromModelFile"/>). With <paramref name="modelPath"/>, <c>color</c> is
    /// the ONNX image encoder at that path (and <c>structure</c>/<c>combined</c> wrap it); without it,
    /// the model-free colour histogram. Options are validated when first used (a bad setting throws
    /// <see cref="OptionsValidationException"/> naming it; Supabase's only for <c>supabase://</c> stores). Logs go to stderr.
    /// </summary>
    public static ServiceProvider CreateServices(bool verbose, string? modelPath = null, string provider = "auto")
    {
        var services = new ServiceCollection();
        services.AddCliLogging(verbose);
        var model = ImageModelNames.FromModelFile(modelPath);
        var tessera = services.AddTesseraIndexing().AddGdal().AddSupabase();
        if (modelPath is not null)
        {
            tessera.AddOnnxImageEmbedder(ImageIndexTypes.Color, o =>
            {
                o.ModelPath = Path.GetFullPath(modelPath);
                o.ModelId = model;
                o.Session = new OnnxSessionOptions { ExecutionProvider = ParseProvider(provider) ?? ExecutionProvider.Auto };
            });
        }

        tessera.AddColorHistogramEmbedder().AddShardedImageIndexing(o => o.ModelName = model);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    /// <summary>
    /// Checks the flags that choose the embedding model: the provider name, and that an ONNX model
    /// file exists. Without <c>--model</c> the model-free histogram embedders run.
    /// </summary>
    /// <returns>An error message, or <see langword="null"/> when the flags can run.</returns>
    public static string? CheckModelFlags(string? modelPath, string provider)
    {
        if (ParseProvider(provider) is null)
        {
            return $"--provider must be auto, cpu or cuda (got '{provider}').";
        }

        return modelPath is not null && !File.Exists(modelPath) ? $"--model {modelPath}: no such ONNX model file." : null;
    }

    /// <summary>The library's model mismatch, said in terms of the <c>--model</c> flag.</summary>
    public static string DescribeModelMismatch(ImageModelMismatchException e) => e.StoreModel == ImageModelNames.Histogram
        ? $"the store was built with the model-free '{ImageModelNames.Histogram}' embedders; run without --model."
        : $"the store was built with the ONNX model '{e.StoreModel}'; pass --model with that model file (got '{e.ExpectedModel}').";

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
        services.GetRequiredService<ShardedImageIndexBuilderFactory>().OpenStore(location);

    public static void WriteJson<T>(T value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, Json));

    public static int Fail(string message, int code = 1)
    {
        Console.Error.WriteLine($"tessera: {message}");
        return code;
    }

    private static ExecutionProvider? ParseProvider(string provider) => provider switch
    {
        "auto" => ExecutionProvider.Auto,
        "cpu" => ExecutionProvider.Cpu,
        "cuda" => ExecutionProvider.Cuda,
        _ => null,
    };
}
