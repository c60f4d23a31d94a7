using Microsoft.Extensions.AI;
using Tessera.Indexing.Imaging;
using Tessera.Indexing.Images.Embeddings;
using Tessera.Indexing.Testing.Contracts;

namespace Tessera.Indexing.Images.Tests.Contracts;

/// <summary>The embedder contract for the model-free colour histogram.</summary>
public sealed class ColorHistogramEmbedderContractTests : EmbeddingGeneratorContract
{
    protected override IEmbeddingGenerator<RgbImage, Embedding<float>> CreateGenerator() => new ColorHistogramEmbedder();
}
