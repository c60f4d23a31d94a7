using Microsoft.Extensions.AI;
using Tessera.Indexing.Imaging;
using Tessera.Indexing.Onnx.Embeddings;
using Tessera.Indexing.Onnx.Sessions;
using Tessera.Indexing.Onnx.Tests.Models;
using Tessera.Indexing.Testing;
using Tessera.Indexing.Testing.Contracts;

namespace Tessera.Indexing.Onnx.Tests.Contracts;

/// <summary>
/// The embedder contract for the ONNX image embedder over the tests' small hand-made CLIP-shaped encoder, opened from a
/// file (so the embedder owns and disposes its model), with batches of 4 so a call spans several runs.
/// </summary>
public sealed class OnnxImageEmbedderContractTests : EmbeddingGeneratorContract
{
    private readonly TempDirectory _directory = new("tessera-onnx-contract");
    private readonly string _modelPath;

    public OnnxImageEmbedderContractTests()
    {
        _modelPath = _directory.File("tiny-encoder.onnx");
        File.WriteAllBytes(_modelPath, new TinyImageEncoder(imageSize: 8, convChannels: 4, dimension: 5).ToOnnx());
    }

    // Batched and single runs of the same image go through different ONNX Runtime kernels' loop orders.
    protected override float Tolerance => 1e-5f;

    protected override IEmbeddingGenerator<RgbImage, Embedding<float>> CreateGenerator() => new OnnxImageEmbedder(new OnnxImageEmbedderOptions
    {
        ModelPath = _modelPath,
        ImageSize = 8,
        BatchSize = 4,
        Session = new OnnxSessionOptions { ExecutionProvider = ExecutionProvider.Cpu, IntraOpNumThreads = 1 },
    });

    protected override void Dispose(bool disposing)
    {
        _directory.Dispose();
        base.Dispose(disposing);
    }
}
