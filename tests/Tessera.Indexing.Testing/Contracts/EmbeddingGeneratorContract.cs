using Microsoft.Extensions.AI;
using Tessera.Indexing.Imaging;
using Xunit;

namespace Tessera.Indexing.Testing.Contracts;

/// <summary>
/// What every image embedder (<see cref="IEmbeddingGenerator{TInput,TEmbedding}"/> of <see cref="RgbImage"/>) must do,
/// from <c>Microsoft.Extensions.AI</c>'s contract as the style guide states it and from what the sharded builder,
/// the alignment checker and image search rely on: one embedding per input, in input order; batching inside one
/// call gives what one-by-one calls give; thread-safe; metadata through
/// <c>GetService(typeof(EmbeddingGeneratorMetadata))</c> that agrees with the embeddings; cancellation surfaces as
/// <see cref="OperationCanceledException"/> (never wrapped); an empty input gives an empty result; bad arguments
/// throw <see cref="ArgumentException"/>.
/// </summary>
/// <remarks>A concrete test class fills in <see cref="CreateGenerator"/> and, when it holds resources, <see cref="Dispose()"/>.</remarks>
public abstract class EmbeddingGeneratorContract : IDisposable
{
    /// <summary>A new generator. Disposed by the test that asked for it.</summary>
    /// <returns>The generator.</returns>
    protected abstract IEmbeddingGenerator<RgbImage, Embedding<float>> CreateGenerator();

    /// <summary>How far one value of an embedding may move between a batched and a one-by-one call.</summary>
    protected virtual float Tolerance => 1e-6f;

    /// <summary>How many images a "large" call gets: enough for several of the generator's internal batches.</summary>
    protected virtual int LargeBatch => 40;

    [Fact]
    public async Task One_embedding_comes_per_input_in_input_order()
    {
        using var generator = CreateGenerator();
        var images = ContractImages.Assorted(5);
        var singles = new List<float[]>();
        foreach (var image in images)
        {
            singles.Add((await generator.GenerateAsync([image]))[0].Vector.ToArray());
        }

        var batch = await generator.GenerateAsync(images);

        Assert.Equal(images.Length, batch.Count);
        for (var i = 0; i < images.Length; i++)
        {
            AssertClose(singles[i], batch[i].Vector.Span, $"input {i}");
        }

        // The inputs embed differently, so a reordering could not pass the loop above.
        for (var i = 1; i < images.Length; i++)
        {
            Assert.False(AreClose(singles[0], singles[i]), $"inputs 0 and {i} embed alike; the order test would prove nothing");
        }
    }

    [Fact]
    public async Task A_large_call_gives_what_one_by_one_calls_give()
    {
        using var generator = CreateGenerator();
        var distinct = ContractImages.Assorted(7, firstSeed: 100);
        var images = Enumerable.Range(0, LargeBatch).Select(i => distinct[(i * 3) % distinct.Length]).ToArray();
        var singles = new Dictionary<RgbImage, float[]>();
        foreach (var image in distinct)
        {
            singles[image] = (await generator.GenerateAsync([image]))[0].Vector.ToArray();
        }

        var batch = await generator.GenerateAsync(images);

        Assert.Equal(images.Length, batch.Count);
        for (var i = 0; i < images.Length; i++)
        {
            AssertClose(singles[images[i]], batch[i].Vector.Span, $"input {i}");
        }
    }

    [Fact]
    public async Task Any_enumerable_of_inputs_is_accepted()
    {
        using var generator = CreateGenerator();
        var images = ContractImages.Assorted(4, firstSeed: 7);

        var fromArray = await generator.GenerateAsync(images);
        var fromLazy = await generator.GenerateAsync(images.Select(i => i));

        Assert.Equal(fromArray.Count, fromLazy.Count);
        for (var i = 0; i < images.Length; i++)
        {
            AssertClose(fromArray[i].Vector.Span, fromLazy[i].Vector.Span, $"input {i}");
        }
    }

    [Fact]
    public async Task Every_embedding_has_the_same_finite_dimension_as_the_metadata_says()
    {
        using var generator = CreateGenerator();

        var embeddings = await generator.GenerateAsync(ContractImages.Assorted(8, firstSeed: 30));
        var metadata = generator.GetService(typeof(EmbeddingGeneratorMetadata)) as EmbeddingGeneratorMetadata;

        var dimension = embeddings[0].Vector.Length;
        Assert.True(dimension > 0);
        Assert.All(embeddings, e => Assert.Equal(dimension, e.Vector.Length));
        Assert.All(embeddings, e => Assert.True(System.Numerics.Tensors.TensorPrimitives.IsFiniteAll(e.Vector.Span), "an embedding holds NaN or infinity"));
        Assert.NotNull(metadata);
        if (metadata.DefaultModelDimensions is { } declared)
        {
            Assert.Equal(dimension, declared);
        }
    }

    [Fact]
    public async Task Metadata_names_the_model_that_the_embeddings_carry()
    {
        using var generator = CreateGenerator();

        var metadata = Assert.IsType<EmbeddingGeneratorMetadata>(generator.GetService(typeof(EmbeddingGeneratorMetadata)));
        var embeddings = await generator.GenerateAsync(ContractImages.Assorted(2));

        Assert.False(string.IsNullOrWhiteSpace(metadata.ProviderName));
        Assert.False(string.IsNullOrWhiteSpace(metadata.DefaultModelId));
        Assert.All(embeddings, e => Assert.True(e.ModelId is null || e.ModelId == metadata.DefaultModelId, $"an embedding says model '{e.ModelId}', the metadata '{metadata.DefaultModelId}'"));
    }

    [Fact]
    public void GetService_returns_the_generator_for_its_own_type_and_null_for_unknown_services()
    {
        using var generator = CreateGenerator();

        Assert.Same(generator, generator.GetService(generator.GetType()));
        Assert.Same(generator, generator.GetService(typeof(IEmbeddingGenerator<RgbImage, Embedding<float>>)));
        Assert.Null(generator.GetService(typeof(Uri)));
        Assert.Null(generator.GetService(typeof(EmbeddingGeneratorMetadata), serviceKey: "some-key"));
        Assert.Throws<ArgumentNullException>(() => generator.GetService(null!));
    }

    [Fact]
    public async Task An_empty_input_gives_an_empty_result()
    {
        using var generator = CreateGenerator();

        var embeddings = await generator.GenerateAsync([]);

        Assert.Empty(embeddings);
    }

    [Fact]
    public async Task Concurrent_calls_give_the_same_embeddings_as_sequential_ones()
    {
        using var generator = CreateGenerator();
        var images = ContractImages.Assorted(6, firstSeed: 50);
        var expected = await generator.GenerateAsync(images);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            // Rotated, so concurrent calls hold different inputs at each position.
            var rotated = images.Skip(i % images.Length).Concat(images.Take(i % images.Length)).ToArray();
            return (Rotation: i % images.Length, Embeddings: await generator.GenerateAsync(rotated));
        })));

        foreach (var (rotation, embeddings) in results)
        {
            Assert.Equal(images.Length, embeddings.Count);
            for (var j = 0; j < images.Length; j++)
            {
                AssertClose(expected[(j + rotation) % images.Length].Vector.Span, embeddings[j].Vector.Span, $"rotation {rotation}, position {j}");
            }
        }
    }

    [Fact]
    public async Task A_cancelled_token_throws_OperationCanceledException_unwrapped()
    {
        using var generator = CreateGenerator();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        var error = await Record.ExceptionAsync(() => generator.GenerateAsync(ContractImages.Assorted(LargeBatch), null, cancelled.Token));

        Assert.IsAssignableFrom<OperationCanceledException>(error);
    }

    [Fact]
    public async Task A_null_input_list_throws_ArgumentNullException()
    {
        using var generator = CreateGenerator();

        await Assert.ThrowsAsync<ArgumentNullException>(() => generator.GenerateAsync(null!));
    }

    [Fact]
    public async Task A_null_image_in_the_inputs_throws_ArgumentException_unwrapped()
    {
        using var generator = CreateGenerator();
        var images = ContractImages.Assorted(3);

        var error = await Record.ExceptionAsync(() => generator.GenerateAsync([images[0], null!, images[2]]));

        Assert.IsAssignableFrom<ArgumentException>(error);
    }

    [Fact]
    public async Task Asking_for_another_dimension_count_throws_ArgumentException()
    {
        using var generator = CreateGenerator();
        var images = ContractImages.Assorted(2);
        var dimension = (await generator.GenerateAsync(images))[0].Vector.Length;

        var error = await Record.ExceptionAsync(() => generator.GenerateAsync(images, new EmbeddingGenerationOptions { Dimensions = dimension + 1 }));
        var same = await generator.GenerateAsync(images, new EmbeddingGenerationOptions { Dimensions = dimension });

        Assert.IsAssignableFrom<ArgumentException>(error);
        Assert.Equal(2, same.Count);
    }

    [Fact]
    public void Disposing_twice_is_harmless()
    {
        var generator = CreateGenerator();

        generator.Dispose();
        generator.Dispose();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases what the concrete test class holds.</summary>
    /// <param name="disposing">Whether called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
    }

    private bool AreClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        if (expected.Length != actual.Length)
        {
            return false;
        }

        for (var i = 0; i < expected.Length; i++)
        {
            if (!(Math.Abs(expected[i] - actual[i]) <= Tolerance))
            {
                return false;
            }
        }

        return true;
    }

    private void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= Tolerance, $"{what}, value {i}: expected {expected[i]}, got {actual[i]} (tolerance {Tolerance})");
        }
    }
}
