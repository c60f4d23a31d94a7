using Microsoft.Win32.SafeHandles;

namespace Tessera.Indexing.Interop.OnnxRuntime;

/// <summary>Owns an <c>OrtValue*</c>; released with <c>ReleaseValue</c>.</summary>
internal sealed class OrtValueHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public OrtValueHandle()
        : base(ownsHandle: true)
    {
    }

    internal OrtValueHandle(IntPtr existing)
        : base(ownsHandle: true)
    {
        SetHandle(existing);
    }

    protected override bool ReleaseHandle()
    {
        OrtApi.ReleaseValue(handle);
        return true;
    }
}
