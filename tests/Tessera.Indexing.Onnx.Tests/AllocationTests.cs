using Tessera.Indexing.Onnx.Preprocessing;
using Tessera.Indexing.Onnx.Sessions;
using Tessera.Indexing.Onnx.Tests.Models;
using Tessera.Indexing.Onnx.Tests.Reference;

namespace Tessera.Indexing.Onnx.Tests;

/// <summary>The hot paths allocate nothing on the managed heap once their buffers exist.</summary>
public sealed class AllocationTests
{
    [Fact]
    public void Running_with_reused_buffers_allocates_nothing_after_the_first_run()
    {
        using var model = OnnxModel.Load(new TinyImageEncoder(imageSize: 8).ToOnnx(), new OnnxSessionOptions { ExecutionProvider = ExecutionProvider.Cpu, IntraOpNumThreads = 1 });
        using var pixels = new OnnxTensorBuffer<float>(4L, 3L, 8L, 8L);
        using var embeddings = new OnnxTensorBuffer<float>(4L, 5L);
        pixels.Span.Fill(0.5f);
        model.Run([new(TinyImageEncoder.InputName, pixels)], [new(TinyImageEncoder.OutputName, embeddings)]);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 20; i++)
        {
            model.Run([new(TinyImageEncoder.InputName, pixels)], [new(TinyImageEncoder.OutputName, embeddings)]);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Preprocessing_allocates_nothing_after_the_first_image()
    {
        var preprocessor = new ClipPreprocessor(224, 224, ReferencePreprocessing.ClipMean, ReferencePreprocessing.ClipStd);
        var resized = TestImages.Random(640, 480, seed: 1);
        var exact = TestImages.Random(224, 224, seed: 2);
        var output = new float[preprocessor.OutputLength];
        preprocessor.Process(resized, output);
        preprocessor.Process(exact, output);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 5; i++)
        {
            preprocessor.Process(resized, output);
            preprocessor.Process(exact, output);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
