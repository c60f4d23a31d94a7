using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Tessera.Indexing.Imaging;
using Tessera.Indexing.Onnx;
using Tessera.Indexing.Onnx.Embeddings;
using Tessera.Indexing.Onnx.Sessions;

// Embeds the same seeded images with the CLIP ViT-B/32-shaped encoder on CUDA and on the CPU, prints both
// throughputs and whether the embeddings agree (every cosine >= 0.999). Exit codes: 0 agree, 1 disagree,
// 2 CUDA unavailable (the reason names what is missing), 64 bad arguments.
var options = GpuCheckOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine("usage: Tessera.Indexing.GpuCheck --model FILE.onnx [--images 512] [--batch 32] [--device 0] [--json OUT.json] [--first cuda|cpu]");
    return 64;
}

using var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
OnnxRuntimeLogging.Logger = loggerFactory.CreateLogger(OnnxRuntimeLogging.CategoryName);
var logger = loggerFactory.CreateLogger("gpu-check");

Console.WriteLine($"ONNX Runtime {OnnxRuntimeInfo.Version}; providers: {string.Join(", ", OnnxRuntimeInfo.GetAvailableExecutionProviders())}");
var cudaProblem = OnnxRuntimeInfo.GetCudaUnavailableReason();
Console.WriteLine(cudaProblem is null ? "CUDA: provider and libraries load" : $"CUDA: unavailable: {cudaProblem}");

var random = new Random(2024);
var images = new RgbImage[options.Images];
for (var i = 0; i < images.Length; i++)
{
    var pixels = new byte[640 * 480 * 3];
    random.NextBytes(pixels);
    images[i] = new RgbImage(640, 480, pixels);
}

Run cuda;
try
{
    // --first cpu runs the whole check with the CPU in the CUDA slot: a dry run of this program on a machine without a GPU.
    cuda = Measure(options.FirstProvider);
}
catch (OnnxRuntimeException e) when (e.Operation == "AppendExecutionProvider_CUDA")
{
    Console.WriteLine($"CUDA: {e.Message}");
    Write(new { cudaAvailable = false, reason = e.NativeMessage });
    return 2;
}

var cpu = Measure(ExecutionProvider.Cpu);
var minimum = double.MaxValue;
double total = 0;
for (var i = 0; i < images.Length; i++)
{
    var cosine = Cosine(cuda.Embeddings[i].Vector.Span, cpu.Embeddings[i].Vector.Span);
    minimum = Math.Min(minimum, cosine);
    total += cosine;
}

var agree = minimum >= 0.999;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{(options.FirstProvider == ExecutionProvider.Cuda ? "CUDA" : "CPU (dry run in the CUDA slot)")}: {cuda.ImagesPerSecond:F1} images/s ({cuda.Seconds:F2} s for {images.Length} images, batch {options.Batch}, model load {cuda.LoadSeconds:F1} s)"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"CPU:  {cpu.ImagesPerSecond:F1} images/s ({cpu.Seconds:F2} s, {Environment.ProcessorCount} logical cores, model load {cpu.LoadSeconds:F1} s)"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"agreement: min cosine {minimum:F6}, mean {total / images.Length:F6} -> {(agree ? "AGREE" : "DISAGREE")} (>= 0.999 required)"));
Write(new
{
    cudaAvailable = true,
    firstProvider = options.FirstProvider.ToString(),
    onnxRuntime = OnnxRuntimeInfo.Version,
    images = images.Length,
    batch = options.Batch,
    cudaImagesPerSecond = cuda.ImagesPerSecond,
    cpuImagesPerSecond = cpu.ImagesPerSecond,
    minCosine = minimum,
    meanCosine = total / images.Length,
    agree,
});
return agree ? 0 : 1;

Run Measure(ExecutionProvider provider)
{
    var load = Stopwatch.StartNew();
    using var model = OnnxModel.Load(options.Model, new OnnxSessionOptions { ExecutionProvider = provider, CudaDeviceId = options.Device }, logger);
    using var embedder = new OnnxImageEmbedder(model, new OnnxImageEmbedderOptions { BatchSize = options.Batch, ModelId = "clip-vit-b32-random" });
    var loadSeconds = load.Elapsed.TotalSeconds;
    _ = embedder.GenerateAsync(images.Take(options.Batch)).GetAwaiter().GetResult(); // warm-up: kernels, arenas, cuDNN autotuning
    var watch = Stopwatch.StartNew();
    var embeddings = embedder.GenerateAsync(images).GetAwaiter().GetResult();
    var seconds = watch.Elapsed.TotalSeconds;
    return new Run(embeddings, seconds, images.Length / seconds, loadSeconds);
}

static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
{
    double dot = 0, na = 0, nb = 0;
    for (var i = 0; i < a.Length; i++)
    {
        dot += (double)a[i] * b[i];
        na += (double)a[i] * a[i];
        nb += (double)b[i] * b[i];
    }

    return dot / Math.Sqrt(Math.Max(na * nb, 1e-300));
}

void Write(object result)
{
    var json = JsonSerializer.Serialize(result);
    Console.WriteLine(json);
    if (options.Json is { } path)
    {
        File.WriteAllText(path, json);
    }
}

/// <summary>One provider's embeddings and timings.</summary>
internal sealed record Run(GeneratedEmbeddings<Embedding<float>> Embeddings, double Seconds, double ImagesPerSecond, double LoadSeconds);

/// <summary>The command line.</summary>
internal sealed record GpuCheckOptions(string Model, int Images, int Batch, int Device, string? Json, ExecutionProvider FirstProvider)
{
    public static GpuCheckOptions? Parse(string[] args)
    {
        string? model = null, json = null;
        int images = 512, batch = 32, device = 0;
        var first = ExecutionProvider.Cuda;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = args[i + 1];
            switch (args[i])
            {
                case "--model": model = value; break;
                case "--json": json = value; break;
                case "--first" when value is "cuda" or "cpu": first = value == "cpu" ? ExecutionProvider.Cpu : ExecutionProvider.Cuda; break;
                case "--images" when int.TryParse(value, CultureInfo.InvariantCulture, out images) && images > 0: break;
                case "--batch" when int.TryParse(value, CultureInfo.InvariantCulture, out batch) && batch > 0: break;
                case "--device" when int.TryParse(value, CultureInfo.InvariantCulture, out device) && device >= 0: break;
                default: return null;
            }
        }

        return args.Length % 2 == 0 && model is not null && File.Exists(model) ? new GpuCheckOptions(model, images, batch, device, json, first) : null;
    }
}
