using Tessera.Indexing.Onnx.Sessions;

namespace Tessera.Indexing.Onnx.Tests;

public sealed class OnnxTensorBufferTests
{
    [Fact]
    public void A_shape_larger_than_the_capacity_is_rejected()
    {
        using var buffer = new OnnxTensorBuffer<float>(capacity: 10);

        var error = Assert.Throws<ArgumentException>(() => buffer.SetShape(3, 4));

        Assert.Contains("12 elements", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_negative_dimension_is_rejected()
    {
        using var buffer = new OnnxTensorBuffer<float>(capacity: 10);

        Assert.Throws<ArgumentException>(() => buffer.SetShape(-1, 2));
    }

    [Fact]
    public void Span_covers_the_elements_of_the_current_shape()
    {
        using var buffer = new OnnxTensorBuffer<long>(capacity: 24);

        buffer.SetShape(2, 3);

        Assert.Equal(6, buffer.Span.Length);
        Assert.Equal(OnnxElementType.Int64, buffer.ElementType);
        Assert.Equal([2L, 3], buffer.Shape.ToArray());
    }

    [Fact]
    public void An_unsupported_element_type_is_rejected()
    {
        Assert.Throws<NotSupportedException>(() => new OnnxTensorBuffer<decimal>(capacity: 1));
    }
}
