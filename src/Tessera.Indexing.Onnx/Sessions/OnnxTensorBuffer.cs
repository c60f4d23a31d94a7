using Microsoft.ML.OnnxRuntime;
using Tessera.Indexing.Onnx.Runtime;

namespace Tessera.Indexing.Onnx.Sessions;

/// <summary>
/// A reusable tensor in pinned managed memory, handed to ONNX Runtime without copying (an <see cref="OrtValue"/> over
/// the buffer's own memory). The tensor view is created once per shape and kept until the shape changes, so a loop
/// that reuses a buffer allocates nothing per run. Use a buffer in one run at a time.
/// </summary>
public abstract class OnnxTensorBuffer : IDisposable
{
    private long[] _shape = [];
    private OrtValue? _value;
    private bool _disposed;

    private protected OnnxTensorBuffer(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        Capacity = capacity;
    }

    /// <summary>The number of elements the buffer can hold.</summary>
    public int Capacity { get; }

    /// <summary>The element type.</summary>
    public abstract OnnxElementType ElementType { get; }

    /// <summary>The current shape (empty until <see cref="SetShape"/> is called).</summary>
    public ReadOnlySpan<long> Shape => _shape;

    /// <summary>The number of elements of the current shape.</summary>
    public int ElementCount { get; private set; }

    /// <summary>Changes whenever the tensor view is replaced (a new shape), so a binding knows to bind it again.</summary>
    internal int Version { get; private set; }

    /// <summary>Sets the shape of the tensor; its element count must fit in <see cref="Capacity"/>.</summary>
    /// <param name="shape">The dimensions, each zero or more.</param>
    /// <exception cref="ArgumentException">A dimension is negative or the shape needs more than <see cref="Capacity"/> elements.</exception>
    public void SetShape(params ReadOnlySpan<long> shape)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (shape.SequenceEqual(_shape) && (_shape.Length > 0 || _value is not null))
        {
            return;
        }

        long count = 1;
        foreach (var dimension in shape)
        {
            if (dimension < 0)
            {
                throw new ArgumentException($"Dimension {dimension} is negative; every dimension of a tensor buffer must be zero or more.", nameof(shape));
            }

            count = checked(count * dimension);
        }

        if (count > Capacity)
        {
            throw new ArgumentException($"The shape needs {count} elements but the buffer holds {Capacity}.", nameof(shape));
        }

        if (_shape.Length != shape.Length)
        {
            _shape = new long[shape.Length];
        }

        shape.CopyTo(_shape);
        ElementCount = (int)count;
        _value?.Dispose();
        _value = null;
        Version++;
    }

    /// <summary>The ONNX Runtime tensor over this buffer's memory for the current shape, created on first use.</summary>
    internal OrtValue GetOrCreateValue()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_value is null)
        {
            OnnxRuntimeEnvironment.EnsureCreated();
            _value = CreateValue(_shape, ElementCount);
        }

        return _value;
    }

    private protected abstract OrtValue CreateValue(long[] shape, int elementCount);

    /// <summary>Releases the tensor view.</summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the tensor view.</summary>
    /// <param name="disposing">Whether called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (disposing)
        {
            _value?.Dispose();
            _value = null;
        }
    }
}
