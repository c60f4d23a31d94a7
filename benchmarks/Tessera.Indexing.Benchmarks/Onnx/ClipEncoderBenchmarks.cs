using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.ML.OnnxRuntime;
using Tessera.Indexing.Imaging;
using Tessera.Indexing.Onnx.Embeddings;
using Tessera.Indexing.Onnx.Sessions;

namespace Tessera.Indexing.Benchmarks.Onnx;

/// <summary>
/// A CLIP ViT-B/32-shaped image encoder (random weights, <see cref="ClipModel"/>) on the CPU, one batch per invocation.
/// <see cref="SessionRun"/> (baseline) is a bare <c>InferenceSession.Run</c> of an already preprocessed batch: ONNX
/// Runtime alone. <see cref="Embed224"/> is the whole <see cref="OnnxImageEmbedder"/> pipeline on images that are
/// already 224 × 224 (crop-only normalisation, batching, I/O binding, L2 normalisation, one <c>Embedding</c> per image),
/// so its ratio to the baseline is the pipeline's overhead; <see cref="Embed640x480"/> adds the resize of 640 × 480
/// images. Both use the same session (ONNX Runtime's default threads: one per core). On a busy machine the run-to-run
/// noise of a ViT-B/32 batch hides a difference of a few percent, so <see cref="PipelineOnly224"/> and
/// <see cref="PipelineOnly640x480"/> time the same pipeline around a stub model with the same input and output and almost
/// no compute: their ratio to the baseline is the overhead, measured directly.
/// </summary>
[Config(typeof(Columns))]
public class ClipEncoderBenchmarks
{
    private const int Size = 224;

    private OnnxModel _model = null!;
    private OnnxImageEmbedder _embedder = null!;
    private OnnxModel _stubModel = null!;
    private OnnxImageEmbedder _stubEmbedder = null!;
    private RgbImage[] _images224 = [];
    private RgbImage[] _images640 = [];
    private RunOptions _runOptions = null!;
    private float[] _output = [];
    private OrtValue[] _inputValues = [];
    private OrtValue[] _outputValues = [];
    private string[] _inputNames = [];
    private string[] _outputNames = [];

    /// <summary>Images per batch (one model run): 1, 8 and 32, or the comma-separated list in <c>TESSERA_BENCH_BATCHES</c>.</summary>
    [ParamsSource(nameof(Batches))]
    public int Batch { get; set; } = 8;

    /// <summary>The batch sizes to measure.</summary>
    public static IEnumerable<int> Batches =>
        Environment.GetEnvironmentVariable("TESSERA_BENCH_BATCHES") is { Length: > 0 } list
            ? list.Split(',').Select(b => int.Parse(b, System.Globalization.CultureInfo.InvariantCulture))
            : [1, 8, 32];

    [GlobalSetup]
    public void Setup()
    {
        _model = OnnxModel.Load(ClipModel.EnsureGenerated(), new OnnxSessionOptions { ExecutionProvider = ExecutionProvider.Cpu });
        _embedder = new OnnxImageEmbedder(_model, new OnnxImageEmbedderOptions { BatchSize = Batch, ModelId = "clip-vit-b32-random" });
        _stubModel = OnnxModel.Load(ClipModel.EnsureGenerated(stub: true), new OnnxSessionOptions { ExecutionProvider = ExecutionProvider.Cpu });
        _stubEmbedder = new OnnxImageEmbedder(_stubModel, new OnnxImageEmbedderOptions { BatchSize = Batch, ModelId = "clip-io-stub" });
        var random = new Random(42);
        _images224 = Images(random, Size, Size);
        _images640 = Images(random, 640, 480);

        var input = new float[Batch * 3 * Size * Size];
        for (var i = 0; i < input.Length; i++)
        {
            input[i] = (float)((random.NextDouble() * 4) - 2);
        }

        _output = new float[Batch * 512];
        _inputNames = [_model.Inputs[0].Name];
        _outputNames = [_model.Outputs[0].Name];
        _inputValues = [OrtValue.CreateTensorValueFromMemory(input, [Batch, 3, Size, Size])];
        _outputValues = [OrtValue.CreateTensorValueFromMemory(_output, [Batch, 512])];
        _runOptions = new RunOptions();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _embedder.Dispose();
        _stubEmbedder.Dispose();
        _stubModel.Dispose();
        foreach (var value in _inputValues.Concat(_outputValues))
        {
            value.Dispose();
        }

        _runOptions.Dispose();
        _model.Dispose();
    }

    [Benchmark(Baseline = true)]
    public float SessionRun()
    {
        _model.Session.Run(_runOptions, _inputNames, _inputValues, _outputNames, _outputValues);
        return _output[0];
    }

    [Benchmark]
    public int Embed224() => _embedder.GenerateAsync(_images224).GetAwaiter().GetResult().Count;

    [Benchmark]
    public int Embed640x480() => _embedder.GenerateAsync(_images640).GetAwaiter().GetResult().Count;

    [Benchmark]
    public int PipelineOnly224() => _stubEmbedder.GenerateAsync(_images224).GetAwaiter().GetResult().Count;

    [Benchmark]
    public int PipelineOnly640x480() => _stubEmbedder.GenerateAsync(_images640).GetAwaiter().GetResult().Count;

    private RgbImage[] Images(Random random, int width, int height)
    {
        var images = new RgbImage[Batch];
        for (var i = 0; i < images.Length; i++)
        {
            var pixels = new byte[width * height * 3];
            random.NextBytes(pixels);
            images[i] = new RgbImage(width, height, pixels);
        }

        return images;
    }

    /// <summary>Adds the images/s column.</summary>
    private sealed class Columns : ManualConfig
    {
        public Columns() => AddColumn(new ImagesPerSecondColumn());
    }
}
