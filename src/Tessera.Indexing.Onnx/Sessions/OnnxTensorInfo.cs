namespace Tessera.Indexing.Onnx.Sessions;

/// <summary>A model input or output as the model declares it.</summary>
/// <param name="Name">The name to pass to <see cref="OnnxModel.Run(ReadOnlySpan{OnnxNamedBuffer}, ReadOnlySpan{OnnxNamedBuffer}, CancellationToken)"/>.</param>
/// <param name="ElementType">The element type (<see cref="OnnxElementType.Undefined"/> for non-tensor values).</param>
/// <param name="Dimensions">The declared shape; -1 for a dimension the model leaves open (for example the batch).</param>
/// <param name="SymbolicDimensions">The declared name of each dimension (for example <c>batch</c>), or an empty string.</param>
public sealed record OnnxTensorInfo(
    string Name,
    OnnxElementType ElementType,
    IReadOnlyList<long> Dimensions,
    IReadOnlyList<string> SymbolicDimensions)
{
    /// <summary>The number of dimensions.</summary>
    public int Rank => Dimensions.Count;

    /// <summary>Whether dimension <paramref name="axis"/> is open (decided per run).</summary>
    /// <param name="axis">The dimension index.</param>
    /// <returns><see langword="true"/> when the dimension has no fixed size.</returns>
    public bool IsDynamic(int axis) => Dimensions[axis] < 0;

    /// <summary>The shape as text, for example <c>[batch, 3, 224, 224]</c>.</summary>
    /// <returns>The shape.</returns>
    public string FormatShape()
    {
        var parts = new string[Dimensions.Count];
        for (var i = 0; i < parts.Length; i++)
        {
            parts[i] = Dimensions[i] >= 0
                ? Dimensions[i].ToString(System.Globalization.CultureInfo.InvariantCulture)
                : (SymbolicDimensions[i].Length > 0 ? SymbolicDimensions[i] : "?");
        }

        return "[" + string.Join(", ", parts) + "]";
    }
}
