using Microsoft.Extensions.AI;
using Tessera.Indexing.Imaging;
using Tessera.Indexing.Images.Embeddings;
using Tessera.Indexing.Testing.Contracts;

namespace Tessera.Indexing.Images.Tests.Contracts;

/// <summary>The embedder contract for the <c>structure</c> view (grayscale, then the colour histogram).</summary>
public sealed class GrayscaleEmbeddingGeneratorContractTests : EmbeddingGeneratorContract
{
    protected override IEmbeddingGenerator<RgbImage, Embedding<float>> CreateGenerator() =>
        new GrayscaleEmbeddingGenerator(new ColorHistogramEmbedder());
}
