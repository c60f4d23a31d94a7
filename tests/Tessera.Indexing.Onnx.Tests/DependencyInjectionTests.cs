using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tessera.Indexing.Imaging;
using Tessera.Indexing.Onnx.Embeddings;
using Tessera.Indexing.Onnx.Sessions;
using Tessera.Indexing.Onnx.Tests.Models;
using Tessera.Indexing.Onnx.Tests.Reference;
using Tessera.Indexing.Testing;

namespace Tessera.Indexing.Onnx.Tests;

public sealed class DependencyInjectionTests : IDisposable
{
    private readonly TempDirectory _dir = new("onnx-di");

    public void Dispose() => _dir.Dispose();

    private string WriteModel(int dimension = 5)
    {
        var path = _dir.File($"encoder-{dimension}.onnx");
        File.WriteAllBytes(path, new TinyImageEncoder(imageSize: 8, dimension: dimension).ToOnnx());
        return path;
    }

    private static void Configure(OnnxImageEmbedderOptions options, string path)
    {
        options.ModelPath = path;
        options.ImageSize = 8;
        options.Session = new OnnxSessionOptions { ExecutionProvider = ExecutionProvider.Cpu, IntraOpNumThreads = 1 };
    }

    [Fact]
    public async Task AddOnnxImageEmbedder_registers_a_keyed_image_embedder_that_embeds()
    {
        var path = WriteModel();
        var services = new ServiceCollection();
        services.AddTesseraIndexing().AddOnnxImageEmbedder("color", o => Configure(o, path));
        await using var provider = services.BuildServiceProvider();

        var embedder = provider.GetRequiredKeyedService<IEmbeddingGenerator<RgbImage, Embedding<float>>>("color");
        var embeddings = await embedder.GenerateAsync([TestImages.Random(8, 8, seed: 1)]);

        Assert.IsType<OnnxImageEmbedder>(embedder);
        Assert.Equal(5, Assert.Single(embeddings).Vector.Length);
        Assert.Equal("encoder-5", embedder.GetService<EmbeddingGeneratorMetadata>()!.DefaultModelId);
    }

    [Fact]
    public async Task Two_keys_get_two_embedders_with_their_own_options()
    {
        var five = WriteModel(5);
        var seven = WriteModel(7);
        var services = new ServiceCollection();
        services.AddTesseraIndexing()
            .AddOnnxImageEmbedder("color", o => Configure(o, five))
            .AddOnnxImageEmbedder("structure", o => Configure(o, seven));
        await using var provider = services.BuildServiceProvider();

        var color = provider.GetRequiredKeyedService<IEmbeddingGenerator<RgbImage, Embedding<float>>>("color");
        var structure = provider.GetRequiredKeyedService<IEmbeddingGenerator<RgbImage, Embedding<float>>>("structure");

        Assert.Equal(5, color.GetService<EmbeddingGeneratorMetadata>()!.DefaultModelDimensions);
        Assert.Equal(7, structure.GetService<EmbeddingGeneratorMetadata>()!.DefaultModelDimensions);
        Assert.Same(color, provider.GetRequiredKeyedService<IEmbeddingGenerator<RgbImage, Embedding<float>>>("color"));
    }

    [Fact]
    public async Task An_embedder_registered_earlier_under_the_same_key_wins()
    {
        var path = WriteModel();
        var services = new ServiceCollection();
        using var mine = new OnnxImageEmbedder(new OnnxImageEmbedderOptions { ModelPath = path, ImageSize = 8, Session = new() { ExecutionProvider = ExecutionProvider.Cpu } });
        services.AddKeyedSingleton<IEmbeddingGenerator<RgbImage, Embedding<float>>>("color", mine);
        services.AddTesseraIndexing().AddOnnxImageEmbedder("color", o => Configure(o, path));
        await using var provider = services.BuildServiceProvider();

        Assert.Same(mine, provider.GetRequiredKeyedService<IEmbeddingGenerator<RgbImage, Embedding<float>>>("color"));
    }

    [Fact]
    public async Task A_missing_model_file_fails_validation_at_start_naming_the_setting_and_key()
    {
        var services = new ServiceCollection();
        services.AddTesseraIndexing().AddOnnxImageEmbedder("color", o => Configure(o, _dir.File("missing.onnx")));
        await using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("OnnxImageEmbedderOptions.ModelPath", error.Message, StringComparison.Ordinal);
        Assert.Contains("'color'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_non_positive_image_size_fails_validation_at_start_naming_the_setting()
    {
        var path = WriteModel();
        var services = new ServiceCollection();
        services.AddTesseraIndexing().AddOnnxImageEmbedder("color", o =>
        {
            Configure(o, path);
            o.ImageSize = 0;
        });
        await using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("OnnxImageEmbedderOptions.ImageSize", error.Message, StringComparison.Ordinal);
    }
}
