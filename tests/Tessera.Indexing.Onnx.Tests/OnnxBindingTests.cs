using Tessera.Indexing.Onnx.Sessions;
using Tessera.Indexing.Onnx.Tests.Models;

namespace Tessera.Indexing.Onnx.Tests;

public sealed class OnnxBindingTests
{
    private static readonly OnnxSessionOptions Cpu = new() { ExecutionProvider = ExecutionProvider.Cpu, IntraOpNumThreads = 1 };

    [Fact]
    public void A_binding_reads_new_input_values_on_every_run()
    {
        using var model = OnnxModel.Load(AddMulModel.ToOnnx(), Cpu);
        using var a = new OnnxTensorBuffer<float>(1L, 4L);
        using var b = new OnnxTensorBuffer<float>(1L, 4L);
        using var sum = new OnnxTensorBuffer<float>(1L, 4L);
        using var binding = model.CreateBinding();
        binding.BindInput("a", a);
        binding.BindInput("b", b);
        binding.BindOutput("sum", sum);

        for (var round = 0; round < 3; round++)
        {
            a.Span.Fill(round);
            b.Span.Fill(10);
            binding.Run();
            Assert.All(sum.Span.ToArray(), v => Assert.Equal(10f + round, v));
        }
    }

    [Fact]
    public void A_binding_follows_a_buffer_whose_shape_changed()
    {
        using var model = OnnxModel.Load(AddMulModel.ToOnnx(), Cpu);
        using var a = new OnnxTensorBuffer<float>(capacity: 12);
        using var product = new OnnxTensorBuffer<float>(capacity: 12);
        using var binding = model.CreateBinding();
        binding.BindInput("a", a);
        binding.BindInput("b", a);
        binding.BindOutput("product", product);

        a.SetShape(3, 4);
        product.SetShape(3, 4);
        a.Span.Fill(3);
        binding.Run();
        Assert.All(product.Span.ToArray(), v => Assert.Equal(9f, v));

        a.SetShape(1, 4);
        product.SetShape(1, 4);
        a.Span.Fill(5);
        binding.Run();

        Assert.Equal(4, product.Span.Length);
        Assert.All(product.Span.ToArray(), v => Assert.Equal(25f, v));
    }

    [Fact]
    public void Binding_an_unknown_name_throws_naming_the_model_outputs()
    {
        using var model = OnnxModel.Load(AddMulModel.ToOnnx(), Cpu);
        using var buffer = new OnnxTensorBuffer<float>(1L, 4L);
        using var binding = model.CreateBinding();

        var error = Assert.Throws<ArgumentException>(() => binding.BindOutput("difference", buffer));

        Assert.Contains("sum, product", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Binding_a_buffer_of_the_wrong_element_type_throws()
    {
        using var model = OnnxModel.Load(AddMulModel.ToOnnx(), Cpu);
        using var buffer = new OnnxTensorBuffer<long>(1L, 4L);
        using var binding = model.CreateBinding();

        var error = Assert.Throws<ArgumentException>(() => binding.BindInput("a", buffer));

        Assert.Contains("Int64", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_binding_with_a_wrong_input_shape_throws_onnx_runtime_invalid_argument()
    {
        using var model = OnnxModel.Load(new TinyImageEncoder(imageSize: 8).ToOnnx(), Cpu);
        using var pixels = new OnnxTensorBuffer<float>(1L, 3L, 7L, 8L);
        using var embeddings = new OnnxTensorBuffer<float>(1L, 5L);
        using var binding = model.CreateBinding();
        binding.BindInput(TinyImageEncoder.InputName, pixels);
        binding.BindOutput(TinyImageEncoder.OutputName, embeddings);

        var error = Assert.Throws<OnnxRuntimeException>(() => binding.Run());

        Assert.Equal(OnnxRuntimeErrorCode.InvalidArgument, error.ErrorCode);
        Assert.Contains(TinyImageEncoder.InputName, error.NativeMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Cancelling_a_bound_run_stops_it_and_the_same_binding_runs_to_completion_afterwards()
    {
        // 800 products of 512 × 512 on one thread: about 0.2 TFLOP, far longer than the 100 ms before the cancel.
        using var model = OnnxModel.Load(SlowChainModel.ToOnnx(steps: 800), Cpu);
        using var x = new OnnxTensorBuffer<float>((long)SlowChainModel.Size, SlowChainModel.Size);
        using var y = new OnnxTensorBuffer<float>((long)SlowChainModel.Size, SlowChainModel.Size);
        using var binding = model.CreateBinding();
        binding.BindInput("x", x);
        binding.BindOutput("y", y);
        x.Span.Fill(1f);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        var error = Assert.Throws<OperationCanceledException>(() => binding.Run(cts.Token));

        Assert.IsType<OnnxRuntimeException>(error.InnerException);
        y.Span.Clear();
        using var never = new CancellationTokenSource();
        binding.Run(never.Token);
        Assert.All(y.Span.ToArray(), v => Assert.Equal(1f, v));
    }
}
