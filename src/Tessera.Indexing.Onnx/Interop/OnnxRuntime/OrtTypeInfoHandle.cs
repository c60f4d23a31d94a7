using Microsoft.Win32.SafeHandles;

namespace Tessera.Indexing.Interop.OnnxRuntime;

/// <summary>Owns an <c>OrtTypeInfo*</c>; released with <c>ReleaseTypeInfo</c>.</summary>
internal sealed class OrtTypeInfoHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public OrtTypeInfoHandle()
        : base(ownsHandle: true)
    {
    }

    internal OrtTypeInfoHandle(IntPtr existing)
        : base(ownsHandle: true)
    {
        SetHandle(existing);
    }

    protected override bool ReleaseHandle()
    {
        OrtApi.ReleaseTypeInfo(handle);
        return true;
    }
}
