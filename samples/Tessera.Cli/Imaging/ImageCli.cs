using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tessera.Indexing.Images.Embeddings;
using Tessera.Indexing.Onnx.Sessions;
using Tessera.Indexing.Images.Sharding;
using Tessera.Indexing.Storage;

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
    /// stores, URL and key from SUPABASE_URL and SUPABASE_KEY), the color/structure/combined index
    /// types and sharded index building. With <paramref name="modelPath"/>, <c>color</c> is the ONNX
    /// image encoder at that path (and <c>structure</c>/<c>combined</c> wrap it); without it, the
    /// model-free colour histogram. Logs go to stderr.
    /// </summary>
    public static ServiceProvider CreateServices(bool verbose, string? modelPath = null, string provider = "auto")
    {
        var services = new ServiceCollection();
        services.AddCliLogging(verbose);
        var tessera = services.AddTesseraIndexing().AddGdal().AddSupabase();
        if (modelPath is not null)
        {
            tessera.AddOnnxImageEmbedder(ImageIndexTypes.Color, o =>
            {
                o.ModelPath = Path.GetFullPath(modelPath);
                o.ModelId = ModelName(modelPath);
                o.Session = new OnnxSessionOptions { ExecutionProvider = ParseProvider(provider) };
            });
        }

        tessera.AddColorHistogramEmbedder().AddShardedImageIndexing();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    /// <summary>The model name recorded in shard names and progress: <c>histogram</c>, or the ONNX file's name without extension.</summary>
    public static string ModelName(string? modelPath)
    {
        if (modelPath is null)
        {
            return HistogramModel;
        }

        var stem = Path.GetFileNameWithoutExtension(modelPath);
        var chars = stem.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? c : '-').ToArray();
        var name = new string(chars).Trim('-', '.');
        return name.Length == 0 ? "onnx" : name;
    }

    /// <summary>
    /// Checks the embedding model choice: the provider name, and that an ONNX model file exists.
    /// Without <c>--model</c> the model-free histogram embedders run.
    /// </summary>
    /// <returns>An error message, or <see langword="null"/> when the choice can run.</returns>
    public static string? CheckModel(string? modelPath, string provider)
    {
        if (provider is not ("auto" or "cpu" or "cuda"))
        {
            return $"--provider must be auto, cpu or cuda (got '{provider}').";
        }

        if (modelPath is not null && !File.Exists(modelPath))
        {
            return $"--model {modelPath}: no such ONNX model file.";
        }

        return null;
    }

    /// <summary>Checks that the embedder chosen on the command line can embed queries for a store built with <paramref name="storeModel"/>.</summary>
    /// <returns>An error message, or <see langword="null"/> when they match.</returns>
    public static string? CheckStoreModel(string storeModel, string? modelPath)
    {
        var chosen = ModelName(modelPath);
        if (string.Equals(storeModel, chosen, StringComparison.Ordinal))
        {
            return null;
        }

        return storeModel == HistogramModel
            ? $"the store was built with the model-free '{HistogramModel}' embedders; run without --model."
            : $"the store was built with the ONNX model '{storeModel}'; pass --model with that model file (got '{chosen}').";
    }

    private static ExecutionProvider ParseProvider(string provider) => provider switch
    {
        "cpu" => ExecutionProvider.Cpu,
        "cuda" => ExecutionProvider.Cuda,
        _ => ExecutionProvider.Auto,
    };

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
