using Microsoft.Extensions.AI;

namespace Tessera.Indexing.Images.Embeddings;

/// <summary>
/// The <c>combined</c> view: the mean of several embedders' L2-normalised embeddings of the same
/// input, normalised again (dividing by max(norm, 1e-12)). With the <c>color</c> embedder and its
/// <see cref="GrayscaleEmbeddingGenerator"/> view, it weighs colour and structure equally.
/// </summary>
/// <typeparam name="TInput">The input type all parts embed.</typeparam>
/// <remarks>
/// The parts run one after another on the whole batch; thread-safe when they are. The parts are
/// not disposed with this generator (they are usually shared keyed services).
/// </remarks>
public sealed class CombinedEmbeddingGenerator<TInput> : IEmbeddingGenerator<TInput, Embedding<float>>
{
    private readonly IEmbeddingGenerator<TInput, Embedding<float>>[] _parts;
    private readonly EmbeddingGeneratorMetadata _metadata;

    /// <summary>Combines <paramref name="parts"/>, which must produce embeddings of one dimension.</summary>
    /// <param name="parts">Two or more embedders.</param>
    public CombinedEmbeddingGenerator(params IEmbeddingGenerator<TInput, Embedding<float>>[] parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Length < 2 || Array.Exists(parts, p => p is null))
        {
            throw new ArgumentException("Combining needs at least two non-null embedders.", nameof(parts));
        }

        _parts = parts;
        var metadata = parts.Select(p => p.GetService(typeof(EmbeddingGeneratorMetadata)) as EmbeddingGeneratorMetadata).ToArray();
        _metadata = new EmbeddingGeneratorMetadata(
            metadata[0]?.ProviderName ?? "tessera",
            metadata[0]?.ProviderUri,
            "mean(" + string.Join(",", metadata.Select(m => m?.DefaultModelId ?? "embedder")) + ")",
            metadata[0]?.DefaultModelDimensions);
    }

    /// <inheritdoc />
    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<TInput> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var inputs = values as IReadOnlyList<TInput> ?? values.ToArray();
        float[][]? sums = null;
        foreach (var part in _parts)
        {
            var embeddings = await part.GenerateAsync(inputs, options, cancellationToken).ConfigureAwait(false);
            if (embeddings.Count != inputs.Count)
            {
                throw new InvalidOperationException($"An embedder returned {embeddings.Count} embeddings for {inputs.Count} inputs.");
            }

            sums ??= new float[inputs.Count][];
            for (var i = 0; i < inputs.Count; i++)
            {
                var vector = embeddings[i].Vector.Span;
                sums[i] ??= new float[vector.Length];
                if (sums[i].Length != vector.Length)
                {
                    throw new InvalidOperationException($"Cannot combine embeddings of {sums[i].Length} and {vector.Length} dimensions.");
                }

                // Each part is normalised before it counts, so no part outweighs another.
                var norm = MathF.Max(System.Numerics.Tensors.TensorPrimitives.Norm(vector), Vectors.EmbeddingKernels.DefaultMinimumNorm);
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(vector, 1f / norm, sums[i], sums[i]);
            }
        }

        var result = new GeneratedEmbeddings<Embedding<float>>(inputs.Count);
        var created = DateTimeOffset.UtcNow;
        foreach (var sum in sums ?? [])
        {
            // The mean's direction is the sum's; normalising the sum is normalising the mean.
            Vectors.EmbeddingKernels.NormalizeL2(sum);
            result.Add(new Embedding<float>(sum) { ModelId = _metadata.DefaultModelId, CreatedAt = created });
        }

        return result;
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

        return _parts[0].GetService(serviceType, serviceKey);
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
