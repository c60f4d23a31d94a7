using Microsoft.Win32.SafeHandles;

namespace Tessera.Indexing.Interop.OnnxRuntime;

/// <summary>Owns an <c>OrtSessionOptions*</c>; released with <c>ReleaseSessionOptions</c>.</summary>
internal sealed class OrtSessionOptionsHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public OrtSessionOptionsHandle()
        : base(ownsHandle: true)
    {
    }

    internal OrtSessionOptionsHandle(IntPtr existing)
        : base(ownsHandle: true)
    {
        SetHandle(existing);
    }

    protected override bool ReleaseHandle()
    {
        OrtApi.ReleaseSessionOptions(handle);
        return true;
    }
}
