using Microsoft.Extensions.AI;
using Tessera.Indexing.Imaging;
using Tessera.Indexing.Images.Embeddings;
using Tessera.Indexing.Testing.Contracts;

namespace Tessera.Indexing.Images.Tests.Contracts;

/// <summary>The embedder contract for the <c>combined</c> view (mean of colour and structure), as registered.</summary>
public sealed class CombinedEmbeddingGeneratorContractTests : EmbeddingGeneratorContract
{
    protected override IEmbeddingGenerator<RgbImage, Embedding<float>> CreateGenerator()
    {
        var color = new ColorHistogramEmbedder();
        return new CombinedEmbeddingGenerator<RgbImage>(color, new GrayscaleEmbeddingGenerator(color));
    }
}
