using Tessera.Indexing.Onnx.Sessions;
using Tessera.Indexing.Onnx.Tests.Models;
using Tessera.Indexing.Testing;

namespace Tessera.Indexing.Onnx.Tests;

public sealed class OnnxModelTests
{
    private static readonly OnnxSessionOptions Cpu = new() { ExecutionProvider = ExecutionProvider.Cpu, IntraOpNumThreads = 1, InterOpNumThreads = 1 };

    [Fact]
    public void Load_reports_input_and_output_names_shapes_and_element_types()
    {
        using var model = OnnxModel.Load(new TinyImageEncoder(imageSize: 8, dimension: 5).ToOnnx(), Cpu);

        var input = Assert.Single(model.Inputs);
        Assert.Equal(TinyImageEncoder.InputName, input.Name);
        Assert.Equal(OnnxElementType.Float, input.ElementType);
        Assert.Equal([-1L, 3, 8, 8], input.Dimensions);
        Assert.Equal("batch", input.SymbolicDimensions[0]);
        Assert.Equal("[batch, 3, 8, 8]", input.FormatShape());
        var output = Assert.Single(model.Outputs);
        Assert.Equal(TinyImageEncoder.OutputName, output.Name);
        Assert.Equal([-1L, 5], output.Dimensions);
        Assert.Equal(ExecutionProvider.Cpu, model.ExecutionProvider);
    }

    [Fact]
    public void Run_binds_inputs_and_outputs_by_name_whatever_their_order()
    {
        using var model = OnnxModel.Load(AddMulModel.ToOnnx(), Cpu);
        using var a = new OnnxTensorBuffer<float>(2L, 4L);
        using var b = new OnnxTensorBuffer<float>(2L, 4L);
        using var sum = new OnnxTensorBuffer<float>(2L, 4L);
        using var product = new OnnxTensorBuffer<float>(2L, 4L);
        for (var i = 0; i < 8; i++)
        {
            a.Span[i] = i;
            b.Span[i] = 10 + i;
        }

        model.Run([new("b", b), new("a", a)], [new("product", product), new("sum", sum)]);

        for (var i = 0; i < 8; i++)
        {
            Assert.Equal(i + 10f + i, sum.Span[i]);
            Assert.Equal(i * (10f + i), product.Span[i]);
        }
    }

    [Fact]
    public void Run_reuses_buffers_across_calls_and_sees_new_input_values()
    {
        using var model = OnnxModel.Load(AddMulModel.ToOnnx(), Cpu);
        using var a = new OnnxTensorBuffer<float>(1L, 4L);
        using var b = new OnnxTensorBuffer<float>(1L, 4L);
        using var sum = new OnnxTensorBuffer<float>(1L, 4L);
        for (var round = 0; round < 3; round++)
        {
            a.Span.Fill(round);
            b.Span.Fill(100);
            model.Run([new("a", a), new("b", b)], [new("sum", sum)]);
            Assert.All(sum.Span.ToArray(), v => Assert.Equal(100f + round, v));
        }
    }

    [Fact]
    public void Run_returns_outputs_allocated_by_onnx_runtime_when_asked_by_name()
    {
        using var model = OnnxModel.Load(AddMulModel.ToOnnx(), Cpu);
        using var a = new OnnxTensorBuffer<float>(3L, 4L);
        using var b = new OnnxTensorBuffer<float>(3L, 4L);
        a.Span.Fill(2);
        b.Span.Fill(5);

        var outputs = model.RunAndCopyOutputs([new("a", a), new("b", b)], ["product"]);

        var product = Assert.Single(outputs);
        Assert.Equal("product", product.Name);
        Assert.Equal([3L, 4], product.Shape);
        Assert.All(product.GetData<float>().ToArray(), v => Assert.Equal(10f, v));
    }

    [Fact]
    public void Run_with_an_unknown_input_name_throws_naming_the_model_inputs()
    {
        using var model = OnnxModel.Load(AddMulModel.ToOnnx(), Cpu);
        using var a = new OnnxTensorBuffer<float>(1L, 4L);
        using var sum = new OnnxTensorBuffer<float>(1L, 4L);

        var error = Assert.Throws<ArgumentException>(() => model.Run([new("a", a), new("c", a)], [new("sum", sum)]));

        Assert.Contains("no input named 'c'", error.Message, StringComparison.Ordinal);
        Assert.Contains("a, b", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_with_a_wrong_input_shape_throws_onnx_runtime_invalid_argument_naming_the_input()
    {
        using var model = OnnxModel.Load(new TinyImageEncoder(imageSize: 8).ToOnnx(), Cpu);
        using var pixels = new OnnxTensorBuffer<float>(1L, 3L, 7L, 8L);

        var error = Assert.Throws<OnnxRuntimeException>(() => model.RunAndCopyOutputs([new(TinyImageEncoder.InputName, pixels)], [TinyImageEncoder.OutputName]));

        Assert.Equal(OnnxRuntimeErrorCode.InvalidArgument, error.ErrorCode);
        Assert.Contains(TinyImageEncoder.InputName, error.NativeMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_with_a_buffer_of_the_wrong_element_type_throws()
    {
        using var model = OnnxModel.Load(AddMulModel.ToOnnx(), Cpu);
        using var a = new OnnxTensorBuffer<double>(1L, 4L);
        using var b = new OnnxTensorBuffer<float>(1L, 4L);

        var error = Assert.Throws<ArgumentException>(() => model.RunAndCopyOutputs([new("a", a), new("b", b)], ["sum"]));

        Assert.Contains("Double", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_of_a_corrupt_model_file_throws_onnx_runtime_exception_with_its_message()
    {
        using var dir = new TempDirectory("onnx");
        var path = dir.File("corrupt.onnx");
        File.WriteAllBytes(path, [0x08, 0x07, 0x12, 0xFF, 0xFF, 0x01, 0x02, 0x03, 0x42]);

        var error = Assert.Throws<OnnxRuntimeException>(() => OnnxModel.Load(path, Cpu));

        Assert.Equal(OnnxRuntimeErrorCode.InvalidProtobuf, error.ErrorCode);
        Assert.False(string.IsNullOrWhiteSpace(error.NativeMessage));
        Assert.Contains(error.NativeMessage, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_of_a_missing_file_throws_onnx_runtime_exception()
    {
        using var dir = new TempDirectory("onnx");

        var error = Assert.Throws<OnnxRuntimeException>(() => OnnxModel.Load(dir.File("missing.onnx"), Cpu));

        Assert.Equal(OnnxRuntimeErrorCode.NoSuchFile, error.ErrorCode);
    }

    [Fact]
    public void Cancelling_during_a_run_stops_it_and_the_model_runs_again_afterwards()
    {
        using var model = OnnxModel.Load(SlowChainModel.ToOnnx(), Cpu);
        using var x = new OnnxTensorBuffer<float>((long)SlowChainModel.Size, SlowChainModel.Size);
        using var y = new OnnxTensorBuffer<float>((long)SlowChainModel.Size, SlowChainModel.Size);
        x.Span.Fill(1f);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        var error = Assert.Throws<OperationCanceledException>(() => model.Run([new("x", x)], [new("y", y)], cts.Token));

        Assert.IsType<OnnxRuntimeException>(error.InnerException);
        using var small = OnnxModel.Load(AddMulModel.ToOnnx(), Cpu);
        using var a = new OnnxTensorBuffer<float>(1L, 4L);
        using var sum = new OnnxTensorBuffer<float>(1L, 4L);
        a.Span.Fill(2);
        small.Run([new("a", a), new("b", a)], [new("sum", sum)], new CancellationTokenSource().Token);
        Assert.All(sum.Span.ToArray(), v => Assert.Equal(4f, v));
    }
}
