using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Tessera.Indexing.Images.Embeddings;
using Tessera.Indexing.Imaging;

namespace Microsoft.Extensions.DependencyInjection;

public static partial class TesseraImagesServiceCollectionExtensions
{
    /// <summary>
    /// Registers the model-free <see cref="ColorHistogramEmbedder"/> as the <c>color</c> index type (unless
    /// one is registered already), and <c>structure</c> and <c>combined</c> derived from whatever
    /// <c>color</c> is (see <see cref="AddDerivedImageIndexTypes"/>).
    /// </summary>
    /// <param name="builder">The Tessera builder.</param>
    /// <param name="options">Histogram settings; <see langword="null"/> for 8×8×8 bins.</param>
    /// <returns>The builder.</returns>
    public static ITesseraIndexingBuilder AddColorHistogramEmbedder(this ITesseraIndexingBuilder builder, ColorHistogramOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        options?.Validate();
        builder.Services.TryAddKeyedSingleton<IEmbeddingGenerator<RgbImage, Embedding<float>>>(
            ImageIndexTypes.Color, (_, _) => new ColorHistogramEmbedder(options));
        return builder.AddDerivedImageIndexTypes();
    }

    /// <summary>
    /// Registers <c>structure</c> (the keyed <c>color</c> embedder behind a <see cref="GrayscaleEmbeddingGenerator"/>)
    /// and <c>combined</c> (a <see cref="CombinedEmbeddingGenerator{TInput}"/> of <c>color</c> and
    /// <c>structure</c>), each only when not registered already. Whatever embedder is registered as
    /// <c>color</c> (a histogram, an ONNX model) is the one they wrap.
    /// </summary>
    /// <param name="builder">The Tessera builder.</param>
    /// <returns>The builder.</returns>
    public static ITesseraIndexingBuilder AddDerivedImageIndexTypes(this ITesseraIndexingBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddKeyedSingleton<IEmbeddingGenerator<RgbImage, Embedding<float>>>(
            ImageIndexTypes.Structure,
            (services, _) => new GrayscaleEmbeddingGenerator(services.GetRequiredKeyedService<IEmbeddingGenerator<RgbImage, Embedding<float>>>(ImageIndexTypes.Color)));
        builder.Services.TryAddKeyedSingleton<IEmbeddingGenerator<RgbImage, Embedding<float>>>(
            ImageIndexTypes.Combined,
            (services, _) => new CombinedEmbeddingGenerator<RgbImage>(
                services.GetRequiredKeyedService<IEmbeddingGenerator<RgbImage, Embedding<float>>>(ImageIndexTypes.Color),
                services.GetRequiredKeyedService<IEmbeddingGenerator<RgbImage, Embedding<float>>>(ImageIndexTypes.Structure)));
        return builder;
    }

    /// <summary>Registers an index type under <paramref name="name"/> (replacing an earlier registration of that name).</summary>
    /// <param name="builder">The Tessera builder.</param>
    /// <param name="name">The type's name: ASCII letters, digits, <c>-</c> and <c>.</c>.</param>
    /// <param name="factory">Creates the embedder (once; it is a singleton).</param>
    /// <returns>The builder.</returns>
    public static ITesseraIndexingBuilder AddImageIndexType(
        this ITesseraIndexingBuilder builder,
        string name,
        Func<IServiceProvider, IEmbeddingGenerator<RgbImage, Embedding<float>>> factory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        if (!ImageIndexTypes.IsValidName(name))
        {
            throw new ArgumentException($"'{name}' is not a valid index type name: use ASCII letters, digits, '-' and '.'.", nameof(name));
        }

        builder.Services.AddKeyedSingleton(name, (services, _) => factory(services));
        return builder;
    }
}
