using Microsoft.Win32.SafeHandles;

namespace Tessera.Indexing.Interop.OnnxRuntime;

/// <summary>Owns an <c>OrtStatus*</c> (non-null means an error); released with <c>ReleaseStatus</c>.</summary>
internal sealed class OrtStatusHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public OrtStatusHandle(IntPtr status)
        : base(ownsHandle: true)
    {
        SetHandle(status);
    }

    protected override bool ReleaseHandle()
    {
        OrtApi.ReleaseStatus(handle);
        return true;
    }
}
