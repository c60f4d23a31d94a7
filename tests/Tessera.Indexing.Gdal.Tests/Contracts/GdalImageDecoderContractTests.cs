using Tessera.Indexing.Gdal.Images;
using Tessera.Indexing.Imaging;
using Tessera.Indexing.Testing.Contracts;

namespace Tessera.Indexing.Gdal.Tests.Contracts;

/// <summary>GDAL's image decoder meets the <see cref="IImageDecoder"/> contract (PNG through GDAL's own writer).</summary>
public sealed class GdalImageDecoderContractTests : ImageDecoderContract
{
    /// <inheritdoc />
    protected override IImageDecoder CreateDecoder() => new GdalImageDecoder();

    /// <inheritdoc />
    protected override byte[] EncodeLossless(RgbImage image) => GdalPngWriter.Encode(image.Width, image.Height, 3, image.Pixels.Span);
}
