using Microsoft.Win32.SafeHandles;

namespace Tessera.Indexing.Interop.Faiss;

/// <summary>Owns a <c>TfBuffer*</c> (a serialised index); released with <c>tf_buffer_free</c>.</summary>
internal sealed class FaissBufferHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public FaissBufferHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        FaissNative.BufferFree(handle);
        return true;
    }
}
