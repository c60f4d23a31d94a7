using System.Numerics;
using Microsoft.Extensions.AI;
using Tessera.Indexing.Imaging;

namespace Tessera.Indexing.Images.Embeddings;

/// <summary>
/// A model-free image embedder: the joint RGB histogram of an image (8×8×8 = 512 bins by default),
/// square-rooted and L2-normalised (dividing by max(norm, 1e-12)), so the inner product of two
/// embeddings measures how alike their colour distributions are. Needs no model file and no network,
/// so the sharded pipeline runs offline and in demos.
/// </summary>
/// <remarks>
/// Follows <see cref="IEmbeddingGenerator{TInput,TEmbedding}"/>: one embedding per input, in input
/// order; a call's images are embedded in parallel; thread-safe (no mutable state).
/// </remarks>
public sealed class ColorHistogramEmbedder : IEmbeddingGenerator<RgbImage, Embedding<float>>
{
    private readonly ColorHistogramOptions _options;
    private readonly int _bits;
    private readonly EmbeddingGeneratorMetadata _metadata;

    /// <summary>Creates the embedder.</summary>
    /// <param name="options">Bins and normalisation; <see langword="null"/> for the defaults.</param>
    public ColorHistogramEmbedder(ColorHistogramOptions? options = null)
    {
        _options = options ?? new ColorHistogramOptions();
        _options.Validate();
        _bits = BitOperations.Log2((uint)_options.BinsPerChannel);
        Dimensions = 1 << (3 * _bits);
        ModelId = _options.ModelId ?? $"color-histogram-{_options.BinsPerChannel}";
        _metadata = new EmbeddingGeneratorMetadata("tessera", null, ModelId, Dimensions);
    }

    /// <summary>The embedding length: <c>BinsPerChannel³</c>.</summary>
    public int Dimensions { get; }

    /// <summary>The model id reported in embeddings and metadata.</summary>
    public string ModelId { get; }

    /// <summary>Embeds one image into <paramref name="destination"/> synchronously.</summary>
    /// <param name="image">The image.</param>
    /// <param name="destination"><see cref="Dimensions"/> floats.</param>
    public void Embed(RgbImage image, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (destination.Length != Dimensions)
        {
            throw new ArgumentException($"The destination needs {Dimensions} floats, got {destination.Length}.", nameof(destination));
        }

        Span<int> counts = Dimensions <= 4096 ? stackalloc int[Dimensions] : new int[Dimensions];
        counts.Clear();
        ColorHistogramKernel.Accumulate(image.Pixels.Span, counts, _bits);
        ColorHistogramKernel.Finish(counts, destination, _options.SquareRoot);
    }

    /// <inheritdoc />
    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<RgbImage> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var images = values as IReadOnlyList<RgbImage> ?? values.ToArray();
        if (options?.Dimensions is { } wanted && wanted != Dimensions)
        {
            throw new ArgumentException($"This embedder produces {Dimensions} dimensions; {wanted} were asked for.", nameof(options));
        }

        // Checked here: inside Parallel.For the ArgumentNullException would come out wrapped in an AggregateException.
        for (var i = 0; i < images.Count; i++)
        {
            if (images[i] is null)
            {
                throw new ArgumentException($"Image {i} is null.", nameof(values));
            }
        }

        var vectors = new float[images.Count][];
        var created = DateTimeOffset.UtcNow;
        Parallel.For(0, images.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            var vector = new float[Dimensions];
            Embed(images[i], vector);
            vectors[i] = vector;
        });

        var result = new GeneratedEmbeddings<Embedding<float>>(images.Count);
        foreach (var vector in vectors)
        {
            result.Add(new Embedding<float>(vector) { ModelId = ModelId, CreatedAt = created });
        }

        return Task.FromResult(result);
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(EmbeddingGeneratorMetadata))
        {
            return _metadata;
        }

        if (serviceType == typeof(ImageDecodeOptions))
        {
            return _options.DecodeOptions;
        }

        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
