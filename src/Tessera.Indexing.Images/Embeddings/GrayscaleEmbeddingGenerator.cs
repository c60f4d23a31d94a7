using System.Buffers;
using Microsoft.Extensions.AI;
using Tessera.Indexing.Imaging;

namespace Tessera.Indexing.Images.Embeddings;

/// <summary>
/// The <c>structure</c> view of any image embedder: each image is converted to luminance (BT.601),
/// copied to three equal channels, and embedded by the inner generator, so colour no longer counts
/// and shape, texture and contrast do.
/// </summary>
/// <remarks>
/// Thread-safe when the inner generator is. Pixel buffers come from <see cref="ArrayPool{T}"/> and
/// are returned when the call ends. The inner generator is not disposed with this one (it is
/// usually shared, for example as the keyed <c>color</c> service).
/// </remarks>
public sealed class GrayscaleEmbeddingGenerator : IEmbeddingGenerator<RgbImage, Embedding<float>>
{
    private readonly IEmbeddingGenerator<RgbImage, Embedding<float>> _inner;
    private readonly EmbeddingGeneratorMetadata _metadata;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    /// <param name="inner">The embedder that sees the grayscale images.</param>
    public GrayscaleEmbeddingGenerator(IEmbeddingGenerator<RgbImage, Embedding<float>> inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
        var innerMetadata = inner.GetService(typeof(EmbeddingGeneratorMetadata)) as EmbeddingGeneratorMetadata;
        _metadata = new EmbeddingGeneratorMetadata(
            innerMetadata?.ProviderName ?? "tessera",
            innerMetadata?.ProviderUri,
            $"{innerMetadata?.DefaultModelId ?? "embedder"}+grayscale",
            innerMetadata?.DefaultModelDimensions);
    }

    /// <summary>Returns the grayscale version of <paramref name="image"/> (three equal channels).</summary>
    /// <param name="image">The image.</param>
    /// <returns>A new image of the same size.</returns>
    public static RgbImage ToGrayscale(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var pixels = new byte[image.Pixels.Length];
        Luminance.ToGrayRgb(image.Pixels.Span, pixels);
        return new RgbImage(image.Width, image.Height, pixels);
    }

    /// <inheritdoc />
    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<RgbImage> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var images = values as IReadOnlyList<RgbImage> ?? values.ToArray();
        var rented = new byte[images.Count][];
        var grays = new RgbImage[images.Count];
        try
        {
            for (var i = 0; i < images.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var image = images[i] ?? throw new ArgumentException($"Image {i} is null.", nameof(values));
                var length = image.Pixels.Length;
                rented[i] = ArrayPool<byte>.Shared.Rent(length);
                Luminance.ToGrayRgb(image.Pixels.Span, rented[i]);
                grays[i] = new RgbImage(image.Width, image.Height, rented[i].AsMemory(0, length));
            }

            var result = await _inner.GenerateAsync(grays, options, cancellationToken).ConfigureAwait(false);
            if (result.Count != images.Count)
            {
                throw new InvalidOperationException($"The inner embedder returned {result.Count} embeddings for {images.Count} images.");
            }

            // The embeddings are this view's, not the inner model's: label them as the metadata does.
            foreach (var embedding in result)
            {
                embedding.ModelId = _metadata.DefaultModelId;
            }

            return result;
        }
        finally
        {
            foreach (var buffer in rented)
            {
                if (buffer is not null)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is null && serviceType == typeof(EmbeddingGeneratorMetadata))
        {
            return _metadata;
        }

        if (serviceKey is null && serviceType.IsInstanceOfType(this))
        {
            return this;
        }

        return _inner.GetService(serviceType, serviceKey);
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
