using Tessera.Indexing.Images.Embeddings;
using Tessera.Indexing.Images.Tests.Sharding;

namespace Tessera.Indexing.Images.Tests.Embeddings;

public sealed class LuminanceTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(15, 1)]
    [InlineData(16, 1)]
    [InlineData(17, 3)]
    [InlineData(64, 64)]
    [InlineData(6 * 512 + 7, 1)]
    public void Matches_the_plain_bt601_formula_for_every_pixel(int width, int height)
    {
        var image = TestImages.Noise(width + height, width, height);
        var gray = GrayscaleEmbeddingGenerator.ToGrayscale(image);

        Assert.Equal(PlainHistogram.Gray(image.Pixels.Span), gray.Pixels.ToArray());
    }

    [Fact]
    public void Extremes_stay_in_range()
    {
        var white = GrayscaleEmbeddingGenerator.ToGrayscale(TestImages.Solid(255, 255, 255, 20, 1));
        var black = GrayscaleEmbeddingGenerator.ToGrayscale(TestImages.Solid(0, 0, 0, 20, 1));

        Assert.All(white.Pixels.ToArray(), v => Assert.Equal(255, v));
        Assert.All(black.Pixels.ToArray(), v => Assert.Equal(0, v));
    }
}
