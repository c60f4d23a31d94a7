using Tessera.Indexing.Onnx.Preprocessing;
using Tessera.Indexing.Onnx.Sessions;
using Tessera.Indexing.Onnx.Tests.Models;
using Tessera.Indexing.Onnx.Tests.Reference;

namespace Tessera.Indexing.Onnx.Tests;

/// <summary>The hot paths allocate nothing on the managed heap once their buffers exist.</summary>
public sealed class AllocationTests
{
    private static readonly OnnxSessionOptions Cpu = new() { ExecutionProvider = ExecutionProvider.Cpu, IntraOpNumThreads = 1 };

    [Fact]
    public void Running_a_binding_over_reused_buffers_allocates_nothing_after_the_first_run()
    {
        using var model = OnnxModel.Load(new TinyImageEncoder(imageSize: 8).ToOnnx(), Cpu);
        using var pixels = new OnnxTensorBuffer<float>(4L, 3L, 8L, 8L);
        using var embeddings = new OnnxTensorBuffer<float>(4L, 5L);
        using var binding = model.CreateBinding();
        binding.BindInput(TinyImageEncoder.InputName, pixels);
        binding.BindOutput(TinyImageEncoder.OutputName, embeddings);
        pixels.Span.Fill(0.5f);
        binding.Run();

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 20; i++)
        {
            binding.Run();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Running_by_name_allocates_a_few_small_arrays_whatever_the_tensor_size()
    {
        using var small = OnnxModel.Load(new TinyImageEncoder(imageSize: 8).ToOnnx(), Cpu);
        using var large = OnnxModel.Load(new TinyImageEncoder(imageSize: 64).ToOnnx(), Cpu);

        var perRunSmall = BytesPerRun(small, batch: 1, size: 8);
        var perRunLarge = BytesPerRun(large, batch: 16, size: 64);

        // 16 × 3 × 64 × 64 floats are 786 KB: any copy of the tensor would show.
        Assert.InRange(perRunSmall, 1, 2048);
        Assert.InRange(perRunLarge, 1, 2048);
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

    private static long BytesPerRun(OnnxModel model, int batch, int size)
    {
        using var pixels = new OnnxTensorBuffer<float>(batch, 3L, size, size);
        using var embeddings = new OnnxTensorBuffer<float>(batch, 5L);
        pixels.Span.Fill(0.25f);
        model.Run([new(TinyImageEncoder.InputName, pixels)], [new(TinyImageEncoder.OutputName, embeddings)]);

        const int Runs = 10;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Runs; i++)
        {
            model.Run([new(TinyImageEncoder.InputName, pixels)], [new(TinyImageEncoder.OutputName, embeddings)]);
        }

        return (GC.GetAllocatedBytesForCurrentThread() - before) / Runs;
    }
}
