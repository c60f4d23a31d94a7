using System.Runtime.InteropServices;

namespace Tessera.Indexing.Interop.OnnxRuntime;

/// <summary>
/// Holds a reference on each <see cref="SafeHandle"/> used by one native call, so none is released while the call
/// runs even if another thread disposes its owner; <see cref="ReleaseAll"/> gives them back.
/// </summary>
internal ref struct HandleRefs
{
    private readonly SafeHandle?[] _handles;
    private int _count;

    public HandleRefs(int capacity)
    {
        _handles = System.Buffers.ArrayPool<SafeHandle?>.Shared.Rent(capacity);
        _count = 0;
    }

    /// <summary>Adds a reference to <paramref name="handle"/> and returns its raw value.</summary>
    /// <exception cref="ObjectDisposedException">The handle was already released.</exception>
    public IntPtr Add(SafeHandle handle)
    {
        var added = false;
        handle.DangerousAddRef(ref added);
        if (added)
        {
            _handles[_count++] = handle;
        }

        return handle.DangerousGetHandle();
    }

    /// <summary>Releases every reference taken.</summary>
    public void ReleaseAll()
    {
        if (_handles is null)
        {
            return;
        }

        for (var i = 0; i < _count; i++)
        {
            _handles[i]!.DangerousRelease();
            _handles[i] = null;
        }

        _count = 0;
        System.Buffers.ArrayPool<SafeHandle?>.Shared.Return(_handles);
        this = default;
    }
}
