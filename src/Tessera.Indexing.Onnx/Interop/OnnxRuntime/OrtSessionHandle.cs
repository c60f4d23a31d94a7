using Microsoft.Win32.SafeHandles;

namespace Tessera.Indexing.Interop.OnnxRuntime;

/// <summary>Owns an <c>OrtSession*</c>; released with <c>ReleaseSession</c>.</summary>
internal sealed class OrtSessionHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public OrtSessionHandle()
        : base(ownsHandle: true)
    {
    }

    internal OrtSessionHandle(IntPtr existing)
        : base(ownsHandle: true)
    {
        SetHandle(existing);
    }

    protected override bool ReleaseHandle()
    {
        OrtApi.ReleaseSession(handle);
        return true;
    }
}
