using Microsoft.Win32.SafeHandles;

namespace Tessera.Indexing.Interop.Faiss;

/// <summary>Owns a <c>TfRangeResult*</c>; released with <c>tf_range_result_free</c>.</summary>
internal sealed class FaissRangeResultHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public FaissRangeResultHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        FaissNative.RangeResultFree(handle);
        return true;
    }
}
