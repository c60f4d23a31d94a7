using Microsoft.Extensions.AI;
using Tessera.Indexing.Imaging;
using Tessera.Indexing.Onnx.Embeddings;
using Tessera.Indexing.Onnx.Sessions;
using Tessera.Indexing.Onnx.Tests.Models;
using Tessera.Indexing.Onnx.Tests.Reference;
using Tessera.Indexing.Testing;

namespace Tessera.Indexing.Onnx.Tests;

public sealed class OnnxImageEmbedderTests
{
    private const int Size = 8;
    private static readonly OnnxSessionOptions Cpu = new() { ExecutionProvider = ExecutionProvider.Cpu, IntraOpNumThreads = 1 };
    private static readonly TinyImageEncoder Encoder = new(imageSize: Size, convChannels: 4, dimension: 5);

    private static OnnxImageEmbedderOptions Options(int batchSize = 32) => new()
    {
        ImageSize = Size,
        BatchSize = batchSize,
        ModelId = "tiny",
        Session = Cpu,
    };

    private static RgbImage[] Images() =>
    [
        TestImages.Random(8, 8, seed: 1), // exactly the model's size: no resize, no crop
        TestImages.Random(13, 8, seed: 2), // shortest side right: crop only
        TestImages.Random(37, 23, seed: 3), // reduced
        TestImages.Random(5, 6, seed: 4), // enlarged
        TestImages.Smooth(64, 48, seed: 5),
        TestImages.Random(9, 30, seed: 6),
        TestImages.Smooth(20, 20, seed: 7),
    ];

    /// <summary>The expected embedding, computed plainly: reference preprocessing, the model's arithmetic in C#, L2 normalisation.</summary>
    private static float[] Expected(RgbImage image)
    {
        var pixels = ReferencePreprocessing.Preprocess(TestImages.Bytes(image), image.Width, image.Height, Size, Size);
        var raw = Encoder.Forward(pixels);
        var norm = Math.Sqrt(raw.Sum(v => (double)v * v));
        return raw.Select(v => (float)(v / Math.Max(norm, 1e-12))).ToArray();
    }

    private static OnnxImageEmbedder Create(OnnxModel model, int batchSize = 32) => new(model, Options(batchSize));

    private static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, float tolerance = 1e-4f)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"element {i}: expected {expected[i]}, got {actual[i]}");
        }
    }

    [Fact]
    public async Task Embeddings_equal_the_same_arithmetic_done_plainly_in_csharp()
    {
        using var model = OnnxModel.Load(Encoder.ToOnnx(), Cpu);
        using var embedder = Create(model);
        var images = Images();

        var embeddings = await embedder.GenerateAsync(images);

        Assert.Equal(images.Length, embeddings.Count);
        for (var i = 0; i < images.Length; i++)
        {
            AssertClose(Expected(images[i]), embeddings[i].Vector.Span);
        }
    }

    [Fact]
    public async Task Embeddings_are_unit_length()
    {
        using var model = OnnxModel.Load(Encoder.ToOnnx(), Cpu);
        using var embedder = Create(model);

        var embeddings = await embedder.GenerateAsync(Images());

        Assert.All(embeddings, e => Assert.Equal(1.0, Math.Sqrt(e.Vector.ToArray().Sum(v => (double)v * v)), 5));
    }

    [Fact]
    public async Task Batched_embeddings_equal_single_ones_in_input_order()
    {
        using var model = OnnxModel.Load(Encoder.ToOnnx(), Cpu);
        using var batched = Create(model, batchSize: 3);
        using var single = Create(model, batchSize: 1);
        var images = Images();

        var all = await batched.GenerateAsync(images);

        for (var i = 0; i < images.Length; i++)
        {
            var one = await single.GenerateAsync([images[i]]);
            AssertClose(one[0].Vector.Span, all[i].Vector.Span, 1e-6f);
        }

        // The images differ, so a reordering would show.
        Assert.NotEqual(all[0].Vector.ToArray(), all[1].Vector.ToArray());
    }

    [Fact]
    public async Task Reversed_input_gives_reversed_output()
    {
        using var model = OnnxModel.Load(Encoder.ToOnnx(), Cpu);
        using var embedder = Create(model, batchSize: 2);
        var images = Images();

        var forward = await embedder.GenerateAsync(images);
        var backward = await embedder.GenerateAsync(images.Reverse());

        for (var i = 0; i < images.Length; i++)
        {
            AssertClose(forward[i].Vector.Span, backward[images.Length - 1 - i].Vector.Span, 1e-6f);
        }
    }

    [Fact]
    public async Task Many_threads_embedding_at_once_get_the_same_results_as_one()
    {
        using var model = OnnxModel.Load(Encoder.ToOnnx(), Cpu);
        using var embedder = Create(model, batchSize: 3);
        var images = Images();
        var expected = await embedder.GenerateAsync(images);

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(t => Task.Run(async () =>
        {
            var rotated = images.Skip(t % images.Length).Concat(images.Take(t % images.Length)).ToArray();
            var list = new List<(int Shift, GeneratedEmbeddings<Embedding<float>> Embeddings)>();
            for (var round = 0; round < 5; round++)
            {
                list.Add((t % images.Length, await embedder.GenerateAsync(rotated)));
            }

            return list;
        })));

        foreach (var (shift, embeddings) in results.SelectMany(r => r))
        {
            for (var i = 0; i < images.Length; i++)
            {
                AssertClose(expected[(i + shift) % images.Length].Vector.Span, embeddings[i].Vector.Span, 1e-6f);
            }
        }
    }

    [Fact]
    public async Task A_model_with_a_fixed_batch_size_embeds_any_number_of_images()
    {
        using var model = OnnxModel.Load(Encoder.ToOnnx(batchDimension: 4L), Cpu);
        using var embedder = Create(model, batchSize: 32);
        var images = Images();

        var embeddings = await embedder.GenerateAsync(images);

        Assert.Equal(images.Length, embeddings.Count);
        for (var i = 0; i < images.Length; i++)
        {
            AssertClose(Expected(images[i]), embeddings[i].Vector.Span);
        }
    }

    [Fact]
    public void Metadata_names_onnxruntime_the_model_and_its_dimensions()
    {
        using var model = OnnxModel.Load(Encoder.ToOnnx(), Cpu);
        using var embedder = Create(model);

        var metadata = embedder.GetService<EmbeddingGeneratorMetadata>();

        Assert.NotNull(metadata);
        Assert.Equal("onnxruntime", metadata.ProviderName);
        Assert.Equal("tiny", metadata.DefaultModelId);
        Assert.Equal(5, metadata.DefaultModelDimensions);
        Assert.Same(model, embedder.GetService<OnnxModel>());
        Assert.Null(embedder.GetService(typeof(EmbeddingGeneratorMetadata), serviceKey: "other"));
    }

    [Fact]
    public async Task Each_embedding_carries_the_model_id()
    {
        using var model = OnnxModel.Load(Encoder.ToOnnx(), Cpu);
        using var embedder = Create(model);

        var embeddings = await embedder.GenerateAsync(Images().Take(2));

        Assert.All(embeddings, e => Assert.Equal("tiny", e.ModelId));
    }

    [Fact]
    public async Task No_images_give_no_embeddings()
    {
        using var model = OnnxModel.Load(Encoder.ToOnnx(), Cpu);
        using var embedder = Create(model);

        var embeddings = await embedder.GenerateAsync([]);

        Assert.Empty(embeddings);
    }

    [Fact]
    public async Task A_cancelled_token_stops_the_call()
    {
        using var model = OnnxModel.Load(Encoder.ToOnnx(), Cpu);
        using var embedder = Create(model);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => embedder.GenerateAsync(Images(), cancellationToken: cts.Token));
    }

    [Fact]
    public void A_model_whose_input_is_not_the_configured_image_size_is_rejected_naming_the_input()
    {
        using var model = OnnxModel.Load(new TinyImageEncoder(imageSize: 16).ToOnnx(), Cpu);

        var error = Assert.Throws<InvalidOperationException>(() => new OnnxImageEmbedder(model, Options()));

        Assert.Contains(TinyImageEncoder.InputName, error.Message, StringComparison.Ordinal);
        Assert.Contains("[batch, 3, 16, 16]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_output_name_is_rejected_naming_the_outputs()
    {
        using var model = OnnxModel.Load(Encoder.ToOnnx(), Cpu);

        var error = Assert.Throws<ArgumentException>(() => new OnnxImageEmbedder(model, Options() with { OutputName = "text_embeds" }));

        Assert.Contains(TinyImageEncoder.OutputName, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_model_file_is_rejected_naming_the_setting()
    {
        using var dir = new TempDirectory("onnx");

        var error = Assert.Throws<ArgumentException>(() => new OnnxImageEmbedder(Options() with { ModelPath = dir.File("none.onnx") }));

        Assert.Contains("OnnxImageEmbedderOptions.ModelPath", error.Message, StringComparison.Ordinal);
        Assert.Contains("none.onnx", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_non_positive_batch_size_is_rejected_naming_the_setting()
    {
        using var model = OnnxModel.Load(Encoder.ToOnnx(), Cpu);

        var error = Assert.Throws<ArgumentException>(() => new OnnxImageEmbedder(model, Options(batchSize: 0)));

        Assert.Contains("OnnxImageEmbedderOptions.BatchSize", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_embedder_opened_from_a_model_file_owns_and_runs_it()
    {
        using var dir = new TempDirectory("onnx");
        var path = dir.File("tiny-encoder.onnx");
        await File.WriteAllBytesAsync(path, Encoder.ToOnnx());

        using var embedder = new OnnxImageEmbedder(Options() with { ModelPath = path, ModelId = null });
        var embeddings = await embedder.GenerateAsync(Images().Take(1));

        Assert.Equal("tiny-encoder", embedder.ModelId);
        AssertClose(Expected(Images()[0]), embeddings[0].Vector.Span);
    }

    [Fact]
    public void Normalising_a_zero_vector_leaves_zeros_not_nans()
    {
        var vector = new float[7];

        Tessera.Indexing.Vectors.EmbeddingKernels.NormalizeL2(vector);

        Assert.All(vector, v => Assert.Equal(0f, v));
    }

    [Fact]
    public async Task A_model_whose_embedding_size_is_known_only_after_a_run_is_embedded_through_runtime_allocated_outputs()
    {
        using var model = OnnxModel.Load(Encoder.FeatureMapToOnnx(), Cpu);
        using var embedder = new OnnxImageEmbedder(model, Options(batchSize: 3) with { OutputName = "features" });
        var images = Images();
        Assert.Null(embedder.Dimensions);

        var embeddings = await embedder.GenerateAsync(images);

        for (var i = 0; i < images.Length; i++)
        {
            var pixels = ReferencePreprocessing.Preprocess(TestImages.Bytes(images[i]), images[i].Width, images[i].Height, Size, Size);
            var raw = Encoder.FeatureMap(pixels);
            var norm = Math.Sqrt(raw.Sum(v => (double)v * v));
            AssertClose(raw.Select(v => (float)(v / norm)).ToArray(), embeddings[i].Vector.Span);
        }

        Assert.Equal(4 * Size * Size, embedder.GetService<EmbeddingGeneratorMetadata>()!.DefaultModelDimensions);
    }
}
