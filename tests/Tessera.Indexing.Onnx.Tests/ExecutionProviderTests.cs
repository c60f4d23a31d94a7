using Microsoft.Extensions.Logging;
using Tessera.Indexing.Onnx.Sessions;
using Tessera.Indexing.Onnx.Tests.Models;
using Tessera.Indexing.Testing;

namespace Tessera.Indexing.Onnx.Tests;

/// <summary>
/// The tests reference ONNX Runtime's CPU package (Microsoft.ML.OnnxRuntime), which has no CUDA execution provider, so
/// CUDA can only be seen failing: <see cref="ExecutionProvider.Cuda"/> must say so, <see cref="ExecutionProvider.Auto"/>
/// must fall back. The checks of the CUDA provider's own libraries are in <see cref="CudaProviderProbeTests"/>.
/// </summary>
public sealed class ExecutionProviderTests
{
    [Fact]
    public void Auto_falls_back_to_the_cpu_and_logs_exactly_one_warning_naming_what_is_missing()
    {
        var logger = new ListLogger();

        using var model = OnnxModel.Load(AddMulModel.ToOnnx(), new OnnxSessionOptions { ExecutionProvider = ExecutionProvider.Auto }, logger);

        Assert.Equal(ExecutionProvider.Cpu, model.ExecutionProvider);
        var warning = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.StartsWith("The CUDA execution provider is not available", warning.Message, StringComparison.Ordinal);
        Assert.Contains("Microsoft.ML.OnnxRuntime.Gpu.Linux", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Auto_fallback_still_runs_the_model()
    {
        using var model = OnnxModel.Load(AddMulModel.ToOnnx(), new OnnxSessionOptions { ExecutionProvider = ExecutionProvider.Auto });
        using var a = new OnnxTensorBuffer<float>(1L, 4L);
        using var b = new OnnxTensorBuffer<float>(1L, 4L);
        using var sum = new OnnxTensorBuffer<float>(1L, 4L);
        a.Span.Fill(1);
        b.Span.Fill(2);

        model.Run([new("a", a), new("b", b)], [new("sum", sum)]);

        Assert.All(sum.Span.ToArray(), v => Assert.Equal(3f, v));
    }

    [Fact]
    public void Cuda_when_unavailable_throws_a_clear_onnx_runtime_exception_naming_what_is_missing()
    {
        var error = Assert.Throws<OnnxRuntimeException>(() =>
            OnnxModel.Load(AddMulModel.ToOnnx(), new OnnxSessionOptions { ExecutionProvider = ExecutionProvider.Cuda }));

        Assert.StartsWith("The CUDA execution provider is not available", error.Message, StringComparison.Ordinal);
        Assert.Contains(error.NativeMessage, error.Message, StringComparison.Ordinal);
        Assert.Contains("CUDAExecutionProvider", error.NativeMessage, StringComparison.Ordinal);
        Assert.Contains("Microsoft.ML.OnnxRuntime.Gpu.Linux", error.NativeMessage, StringComparison.Ordinal);
        Assert.Equal(OnnxRuntimeErrorCode.ExecutionProviderFailed, error.ErrorCode);
        Assert.Equal("AppendExecutionProvider_CUDA", error.Operation);
    }

    [Fact]
    public void Cpu_logs_nothing()
    {
        var logger = new ListLogger();

        using var model = OnnxModel.Load(AddMulModel.ToOnnx(), new OnnxSessionOptions { ExecutionProvider = ExecutionProvider.Cpu }, logger);

        Assert.Empty(logger.Entries);
        Assert.Equal(ExecutionProvider.Cpu, model.ExecutionProvider);
    }

    [Fact]
    public void Negative_thread_count_is_rejected_naming_the_setting()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            OnnxModel.Load(AddMulModel.ToOnnx(), new OnnxSessionOptions { IntraOpNumThreads = -1 }));

        Assert.Equal(nameof(OnnxSessionOptions.IntraOpNumThreads), error.ParamName);
    }

    [Fact]
    public void Negative_cuda_device_id_is_rejected_naming_the_setting()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            OnnxModel.Load(AddMulModel.ToOnnx(), new OnnxSessionOptions { CudaDeviceId = -1 }));

        Assert.Equal(nameof(OnnxSessionOptions.CudaDeviceId), error.ParamName);
    }

    [Fact]
    public void An_undefined_graph_optimization_level_is_rejected_naming_the_setting()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            OnnxModel.Load(AddMulModel.ToOnnx(), new OnnxSessionOptions { GraphOptimizationLevel = (OnnxGraphOptimizationLevel)5 }));

        Assert.Equal(nameof(OnnxSessionOptions.GraphOptimizationLevel), error.ParamName);
    }

    [Theory]
    [InlineData(OnnxGraphOptimizationLevel.Disabled)]
    [InlineData(OnnxGraphOptimizationLevel.Basic)]
    [InlineData(OnnxGraphOptimizationLevel.Extended)]
    [InlineData(OnnxGraphOptimizationLevel.All)]
    public void Every_graph_optimization_level_gives_the_same_results(OnnxGraphOptimizationLevel level)
    {
        var encoder = new TinyImageEncoder(imageSize: 8);
        using var model = OnnxModel.Load(encoder.ToOnnx(), new OnnxSessionOptions { ExecutionProvider = ExecutionProvider.Cpu, GraphOptimizationLevel = level, IntraOpNumThreads = 1 });
        using var pixels = new OnnxTensorBuffer<float>(1L, 3L, 8L, 8L);
        using var embedding = new OnnxTensorBuffer<float>(1L, (long)encoder.Dimension);
        var random = new Random(3);
        for (var i = 0; i < pixels.Span.Length; i++)
        {
            pixels.Span[i] = (float)random.NextDouble();
        }

        model.Run([new(TinyImageEncoder.InputName, pixels)], [new(TinyImageEncoder.OutputName, embedding)]);

        var expected = encoder.Forward(pixels.Span);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], embedding.Span[i], 1e-4f);
        }
    }
}
