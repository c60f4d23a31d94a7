using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Tessera.Indexing.Onnx.Sessions;

/// <summary>
/// A reusable tensor of <typeparamref name="T"/> in pinned memory (the pinned object heap), passed to ONNX Runtime
/// without copying. Supported element types: <see cref="float"/>, <see cref="double"/>, <see cref="Half"/>,
/// <see cref="byte"/>, <see cref="sbyte"/>, <see cref="short"/>, <see cref="ushort"/>, <see cref="int"/>,
/// <see cref="uint"/>, <see cref="long"/>, <see cref="ulong"/> and <see cref="bool"/>.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class OnnxTensorBuffer<T> : OnnxTensorBuffer
    where T : unmanaged
{
    private readonly T[] _data;

    /// <summary>Allocates a buffer of <paramref name="capacity"/> elements; call <see cref="OnnxTensorBuffer.SetShape"/> before use.</summary>
    /// <param name="capacity">The most elements any shape will need.</param>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is not a supported element type.</exception>
    public OnnxTensorBuffer(int capacity)
        : base(capacity)
    {
        ElementType = ElementTypeOf();
        _data = GC.AllocateArray<T>(capacity, pinned: true);
    }

    /// <summary>Allocates a buffer exactly large enough for <paramref name="shape"/> and sets that shape.</summary>
    /// <param name="shape">The dimensions.</param>
    public OnnxTensorBuffer(params ReadOnlySpan<long> shape)
        : this(Product(shape))
    {
        SetShape(shape);
    }

    /// <inheritdoc />
    public override OnnxElementType ElementType { get; }

    /// <summary>The elements of the current shape, row-major.</summary>
    public Span<T> Span => _data.AsSpan(0, ElementCount);

    private protected override unsafe OrtValue CreateValue(long[] shape, int elementCount)
    {
        // The array lives on the pinned object heap: its address never changes while the buffer exists.
        var data = (IntPtr)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_data));
        return OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, (TensorElementType)ElementType, shape, data, (long)elementCount * sizeof(T));
    }

    private static int Product(ReadOnlySpan<long> shape)
    {
        long count = 1;
        foreach (var dimension in shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(dimension, nameof(shape));
            count = checked(count * dimension);
        }

        return checked((int)count);
    }

    private static OnnxElementType ElementTypeOf()
    {
        var type = OnnxElementTypes.Of<T>();
        return type != OnnxElementType.Undefined
            ? type
            : throw new NotSupportedException($"{typeof(T).Name} is not an ONNX tensor element type this buffer supports.");
    }
}
