using Microsoft.Extensions.AI;
using Tessera.Indexing.Images.Embeddings;
using Tessera.Indexing.Imaging;
using Tessera.Indexing.Images.Tests.Sharding;

namespace Tessera.Indexing.Images.Tests.Embeddings;

public sealed class ImageViewEmbeddingTests
{
    [Fact]
    public async Task Structure_embeds_the_luminance_image_copied_to_three_channels()
    {
        var inner = new ColorHistogramEmbedder();
        using var structure = new GrayscaleEmbeddingGenerator(inner);
        var image = TestImages.Noise(5, 33, 21);

        var embedding = (await structure.GenerateAsync([image]))[0].Vector.ToArray();

        var expected = PlainHistogram.Embed(PlainHistogram.Gray(image.Pixels.Span), 8, squareRoot: true);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], embedding[i], 5);
        }
    }

    [Fact]
    public async Task Structure_ignores_hue_when_luminance_is_equal()
    {
        using var structure = new GrayscaleEmbeddingGenerator(new ColorHistogramEmbedder());

        // Pure red (77*255/256 = 76.7) and a green giving the same luma: 150*g/256 = 76.7 -> g = 131.
        var red = TestImages.Solid(255, 0, 0);
        var green = TestImages.Solid(0, 131, 0);
        var embeddings = await structure.GenerateAsync([red, green]);

        Assert.Equal(embeddings[0].Vector.ToArray(), embeddings[1].Vector.ToArray());
    }

    [Fact]
    public async Task Combined_is_the_normalised_mean_of_the_normalised_parts()
    {
        var color = new ColorHistogramEmbedder();
        var structure = new GrayscaleEmbeddingGenerator(color);
        using var combined = new CombinedEmbeddingGenerator<RgbImage>(color, structure);
        var images = new[] { TestImages.Noise(1, 20, 20), TestImages.Blocks(7) };

        var result = await combined.GenerateAsync(images);

        for (var n = 0; n < images.Length; n++)
        {
            var a = PlainHistogram.Embed(images[n].Pixels.Span, 8, true);
            var b = PlainHistogram.Embed(PlainHistogram.Gray(images[n].Pixels.Span), 8, true);
            var expected = PlainHistogram.Normalize(a.Zip(b, (x, y) => (x + y) / 2.0).ToArray());
            var actual = result[n].Vector.ToArray();
            for (var i = 0; i < expected.Length; i++)
            {
                Assert.Equal(expected[i], actual[i], 5);
            }
        }
    }

    [Fact]
    public async Task Combined_refuses_parts_of_different_dimensions()
    {
        using var combined = new CombinedEmbeddingGenerator<RgbImage>(
            new ColorHistogramEmbedder(new ColorHistogramOptions { BinsPerChannel = 4 }),
            new ColorHistogramEmbedder(new ColorHistogramOptions { BinsPerChannel = 8 }));

        await Assert.ThrowsAsync<InvalidOperationException>(() => combined.GenerateAsync([TestImages.Solid(1, 2, 3)]));
    }

    [Fact]
    public void Views_report_their_own_metadata_and_pass_other_services_to_the_inner_embedder()
    {
        var inner = new ColorHistogramEmbedder();
        using var structure = new GrayscaleEmbeddingGenerator(inner);

        Assert.Equal("color-histogram-8+grayscale", structure.GetService<EmbeddingGeneratorMetadata>()!.DefaultModelId);
        Assert.Same(inner, structure.GetService<ColorHistogramEmbedder>());
        Assert.NotNull(structure.GetService(typeof(ImageDecodeOptions)));
    }
}
