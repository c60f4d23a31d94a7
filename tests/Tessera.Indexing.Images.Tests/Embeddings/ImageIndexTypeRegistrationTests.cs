using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Indexing.Images.Embeddings;
using Tessera.Indexing.Imaging;
using Tessera.Indexing.Images.Sharding;
using Tessera.Indexing.Storage;

namespace Tessera.Indexing.Images.Tests.Embeddings;

public sealed class ImageIndexTypeRegistrationTests
{
    [Fact]
    public void AddColorHistogramEmbedder_registers_color_structure_and_combined_as_keyed_services()
    {
        var services = new ServiceCollection();
        services.AddTesseraIndexing().AddColorHistogramEmbedder();
        using var provider = services.BuildServiceProvider();

        var embedders = ImageIndexTypes.Resolve(provider, ImageIndexTypes.All);

        Assert.IsType<ColorHistogramEmbedder>(embedders["color"]);
        Assert.IsType<GrayscaleEmbeddingGenerator>(embedders["structure"]);
        Assert.IsType<CombinedEmbeddingGenerator<RgbImage>>(embedders["combined"]);
        Assert.Same(embedders["color"], embedders["structure"].GetService<ColorHistogramEmbedder>());
    }

    [Fact]
    public void A_color_embedder_registered_first_is_the_one_structure_wraps()
    {
        var mine = new ColorHistogramEmbedder(new ColorHistogramOptions { BinsPerChannel = 4, ModelId = "mine" });
        var services = new ServiceCollection();
        services.AddKeyedSingleton<IEmbeddingGenerator<RgbImage, Embedding<float>>>("color", mine);
        services.AddTesseraIndexing().AddColorHistogramEmbedder();
        using var provider = services.BuildServiceProvider();

        var structure = provider.GetRequiredKeyedService<IEmbeddingGenerator<RgbImage, Embedding<float>>>("structure");

        Assert.Same(mine, provider.GetRequiredKeyedService<IEmbeddingGenerator<RgbImage, Embedding<float>>>("color"));
        Assert.Same(mine, structure.GetService<ColorHistogramEmbedder>());
    }

    [Fact]
    public void Any_other_name_can_be_registered_and_unknown_names_fail_clearly()
    {
        var services = new ServiceCollection();
        services.AddTesseraIndexing().AddImageIndexType("tiny", _ => new ColorHistogramEmbedder(new ColorHistogramOptions { BinsPerChannel = 2 }));
        using var provider = services.BuildServiceProvider();

        var embedders = ImageIndexTypes.Resolve(provider, ["tiny"]);
        var error = Assert.Throws<InvalidOperationException>(() => ImageIndexTypes.Resolve(provider, ["nope"]));

        Assert.Equal(8, ((ColorHistogramEmbedder)embedders["tiny"]).Dimensions);
        Assert.Contains("'nope'", error.Message);
    }

    [Fact]
    public void Index_type_names_with_underscores_or_slashes_are_refused()
    {
        var builder = new ServiceCollection().AddTesseraIndexing();

        Assert.Throws<ArgumentException>(() => builder.AddImageIndexType("my_type", _ => new ColorHistogramEmbedder()));
        Assert.Throws<ArgumentException>(() => builder.AddImageIndexType("a/b", _ => new ColorHistogramEmbedder()));
    }

    [Fact]
    public void The_local_shard_store_factory_is_registered_and_opens_paths()
    {
        var services = new ServiceCollection();
        services.AddTesseraIndexing().AddShardedImageIndexing(o => o.ItemsPerShard = 5);
        using var provider = services.BuildServiceProvider();

        var factory = provider.GetRequiredService<ShardedImageIndexBuilderFactory>();
        var store = factory.OpenStore(Path.Combine(Path.GetTempPath(), "tessera-unused-store"));

        Assert.IsType<LocalShardStore>(store);
        Assert.Single(provider.GetServices<IShardStoreFactory>());
    }

    [Fact]
    public void Invalid_sharding_options_fail_at_start_naming_the_setting()
    {
        var services = new ServiceCollection();
        services.AddTesseraIndexing().AddShardedImageIndexing(o => o.ItemsPerShard = 0);
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(
            () => provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<ShardedIndexOptions>>().Value);

        Assert.Contains("ItemsPerShard", error.Message);
    }
}
