using Microsoft.Extensions.Logging;
using Tessera.Indexing.Onnx.Sessions;
using Tessera.Indexing.Onnx.Tests.Models;

namespace Tessera.Indexing.Onnx.Tests;

/// <summary>
/// The CUDA execution provider's libraries are not installed here (they are not obtainable), so CUDA can only be
/// seen failing: <see cref="ExecutionProvider.Cuda"/> must say so, <see cref="ExecutionProvider.Auto"/> must fall back.
/// </summary>
public sealed class ExecutionProviderTests
{
    [Fact]
    public void Auto_falls_back_to_the_cpu_and_logs_exactly_one_warning()
    {
        var logger = new ListLogger();

        using var model = OnnxModel.Load(AddMulModel.ToOnnx(), new OnnxSessionOptions { ExecutionProvider = ExecutionProvider.Auto }, logger);

        Assert.Equal(ExecutionProvider.Cpu, model.ExecutionProvider);
        var warning = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("CUDA", warning.Message, StringComparison.Ordinal);
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
    public void Cuda_when_unavailable_throws_a_clear_onnx_runtime_exception()
    {
        var error = Assert.Throws<OnnxRuntimeException>(() =>
            OnnxModel.Load(AddMulModel.ToOnnx(), new OnnxSessionOptions { ExecutionProvider = ExecutionProvider.Cuda }));

        Assert.StartsWith("The CUDA execution provider is not available", error.Message, StringComparison.Ordinal);
        Assert.Contains(error.NativeMessage, error.Message, StringComparison.Ordinal);
        Assert.Equal("SessionOptionsAppendExecutionProvider_CUDA", error.Operation);
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
}
