using Microsoft.Extensions.AI;
using Tessera.Indexing.Images.Embeddings;
using Tessera.Indexing.Imaging;
using Tessera.Indexing.Images.Tests.Sharding;

namespace Tessera.Indexing.Images.Tests.Embeddings;

public sealed class ColorHistogramEmbedderTests
{
    [Theory]
    [InlineData(2, true, 1, 1)]
    [InlineData(4, false, 5, 3)]
    [InlineData(8, true, 16, 1)]
    [InlineData(8, true, 37, 23)]
    [InlineData(8, false, 64, 64)]
    [InlineData(16, true, 31, 17)]
    public void Matches_the_plain_histogram(int bins, bool squareRoot, int width, int height)
    {
        var image = TestImages.Noise(width * 31 + height, width, height);
        var embedder = new ColorHistogramEmbedder(new ColorHistogramOptions { BinsPerChannel = bins, SquareRoot = squareRoot });
        var vector = new float[embedder.Dimensions];

        embedder.Embed(image, vector);

        var expected = PlainHistogram.Embed(image.Pixels.Span, bins, squareRoot);
        Assert.Equal(bins * bins * bins, vector.Length);
        for (var i = 0; i < vector.Length; i++)
        {
            Assert.Equal(expected[i], vector[i], 5);
        }
    }

    [Fact]
    public void A_single_colour_image_fills_exactly_its_bin()
    {
        var embedder = new ColorHistogramEmbedder();
        var vector = new float[512];

        embedder.Embed(TestImages.Solid(255, 0, 130, 19, 7), vector);

        // r=255 -> 7, g=0 -> 0, b=130 -> 4: bin 7*64 + 0*8 + 4.
        Assert.Equal(1f, vector[(7 * 64) + 4], 6);
        Assert.Equal(1f, vector.Sum(), 6);
    }

    [Fact]
    public async Task GenerateAsync_returns_one_normalised_embedding_per_image_in_order()
    {
        using var embedder = new ColorHistogramEmbedder();
        var images = Enumerable.Range(0, 9).Select(i => TestImages.Blocks(i)).ToArray();

        var embeddings = await embedder.GenerateAsync(images);

        Assert.Equal(images.Length, embeddings.Count);
        for (var i = 0; i < images.Length; i++)
        {
            var single = new float[512];
            embedder.Embed(images[i], single);
            Assert.Equal(single, embeddings[i].Vector.ToArray());
            Assert.Equal(1.0, Math.Sqrt(embeddings[i].Vector.ToArray().Sum(v => (double)v * v)), 5);
            Assert.Equal("color-histogram-8", embeddings[i].ModelId);
        }
    }

    [Fact]
    public async Task Concurrent_calls_give_the_same_embeddings_as_sequential_ones()
    {
        using var embedder = new ColorHistogramEmbedder();
        var images = Enumerable.Range(0, 32).Select(i => TestImages.Noise(i, 40 + i, 30)).ToArray();
        var sequential = new List<float[]>();
        foreach (var image in images)
        {
            sequential.Add((await embedder.GenerateAsync([image]))[0].Vector.ToArray());
        }

        var concurrent = await Task.WhenAll(images.Select(image => Task.Run(async () => (await embedder.GenerateAsync([image]))[0].Vector.ToArray())));

        for (var i = 0; i < images.Length; i++)
        {
            Assert.Equal(sequential[i], concurrent[i]);
        }
    }

    [Fact]
    public void Metadata_and_preferred_decoding_come_through_GetService()
    {
        using var embedder = new ColorHistogramEmbedder(new ColorHistogramOptions { BinsPerChannel = 4 });

        var metadata = embedder.GetService<EmbeddingGeneratorMetadata>();
        var decode = embedder.GetService(typeof(ImageDecodeOptions)) as ImageDecodeOptions;

        Assert.Equal("color-histogram-4", metadata!.DefaultModelId);
        Assert.Equal(64, metadata.DefaultModelDimensions);
        Assert.Equal(256, decode!.ShortestSide);
        Assert.Same(embedder, embedder.GetService<ColorHistogramEmbedder>());
    }

    [Fact]
    public void Unsupported_bin_counts_are_refused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new ColorHistogramEmbedder(new ColorHistogramOptions { BinsPerChannel = 6 }));

        Assert.Contains("BinsPerChannel", error.Message);
    }
}
