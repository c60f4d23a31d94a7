using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tessera.Indexing.Diagnostics;
using Tessera.Indexing.Imaging;
using Tessera.Indexing.Onnx;
using Tessera.Indexing.Onnx.Diagnostics;
using Tessera.Indexing.Onnx.Embeddings;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Tessera.Indexing.Onnx's embedders.</summary>
public static class TesseraOnnxServiceCollectionExtensions
{
    /// <summary>
    /// Registers an <see cref="OnnxImageEmbedder"/> as the keyed <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>
    /// of <see cref="RgbImage"/> under <paramref name="key"/> (for example <c>"color"</c>), with its options named
    /// <paramref name="key"/> and validated at start (the model file exists, sizes are positive; a failure names the
    /// setting). Added with <c>TryAdd</c>: an embedder registered earlier under the same key wins. ONNX Runtime's own log
    /// messages go to the container's <see cref="ILoggerFactory"/> (category <see cref="OnnxRuntimeLogging.CategoryName"/>)
    /// unless <see cref="OnnxRuntimeLogging.Logger"/> was set.
    /// </summary>
    /// <param name="builder">The builder <c>AddTesseraIndexing()</c> returned.</param>
    /// <param name="key">The service key (the index type, for example <c>color</c>).</param>
    /// <param name="configure">Sets the model path and preprocessing.</param>
    /// <returns>The builder.</returns>
    public static ITesseraIndexingBuilder AddOnnxImageEmbedder(this ITesseraIndexingBuilder builder, string key, Action<OnnxImageEmbedderOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(configure);

        var services = builder.Services;
        services.AddOptions<OnnxImageEmbedderOptions>(key).Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OnnxImageEmbedderOptions>, OnnxImageEmbedderOptionsValidator>());
        services.TryAddKeyedSingleton<IEmbeddingGenerator<RgbImage, Embedding<float>>>(key, static (provider, serviceKey) =>
        {
            var name = (string)serviceKey!;
            var options = provider.GetRequiredService<IOptionsMonitor<OnnxImageEmbedderOptions>>().Get(name);
            OnnxRuntimeLogging.UseIfUnset(provider.GetService<ILoggerFactory>());
            return new OnnxImageEmbedder(options, provider.GetService<ILogger<OnnxImageEmbedder>>());
        });
        return builder.AddOnnxDiagnostics();
    }

    /// <summary>
    /// Adds ONNX Runtime to <c>TesseraDiagnostics</c>' report (<see cref="OnnxComponentDiagnostics"/>: version, path,
    /// execution providers, CUDA). <see cref="AddOnnxImageEmbedder"/> calls it; call it directly to report ONNX
    /// Runtime without registering an embedder.
    /// </summary>
    /// <param name="builder">The builder <c>AddTesseraIndexing()</c> returned.</param>
    /// <returns>The same builder.</returns>
    public static ITesseraIndexingBuilder AddOnnxDiagnostics(this ITesseraIndexingBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<INativeComponentDiagnostics, OnnxComponentDiagnostics>());
        return builder;
    }
}
