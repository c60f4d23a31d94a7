using System.Runtime.InteropServices;

namespace Tessera.Indexing.Onnx.Sessions;

/// <summary>A model output that ONNX Runtime allocated, copied into managed memory.</summary>
public sealed class OnnxOutputTensor
{
    private readonly byte[] _bytes;

    internal OnnxOutputTensor(string name, OnnxElementType elementType, long[] shape, byte[] bytes)
    {
        Name = name;
        ElementType = elementType;
        Shape = shape;
        _bytes = bytes;
    }

    /// <summary>The output name.</summary>
    public string Name { get; }

    /// <summary>The element type.</summary>
    public OnnxElementType ElementType { get; }

    /// <summary>The shape of the tensor.</summary>
    public IReadOnlyList<long> Shape { get; }

    /// <summary>The elements, row-major, as <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">An element type of the same size as <see cref="ElementType"/> (for example <see cref="float"/> for <see cref="OnnxElementType.Float"/>).</typeparam>
    /// <returns>The elements.</returns>
    /// <exception cref="InvalidOperationException"><typeparamref name="T"/> does not match <see cref="ElementType"/>.</exception>
    public ReadOnlySpan<T> GetData<T>()
        where T : unmanaged
    {
        if (OnnxElementTypes.Of<T>() != ElementType)
        {
            throw new InvalidOperationException($"Output '{Name}' holds {ElementType} elements, which cannot be read as {typeof(T).Name}.");
        }

        return MemoryMarshal.Cast<byte, T>(_bytes);
    }
}
