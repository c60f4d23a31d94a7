using Microsoft.Win32.SafeHandles;

namespace Tessera.Indexing.Interop.Faiss;

/// <summary>Owns a <c>TfIndex*</c>; released with <c>tf_index_free</c>.</summary>
internal sealed class FaissIndexHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public FaissIndexHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        FaissNative.IndexFree(handle);
        return true;
    }
}
