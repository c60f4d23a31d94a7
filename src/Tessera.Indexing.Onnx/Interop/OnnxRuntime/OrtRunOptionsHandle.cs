using Microsoft.Win32.SafeHandles;

namespace Tessera.Indexing.Interop.OnnxRuntime;

/// <summary>Owns an <c>OrtRunOptions*</c>; released with <c>ReleaseRunOptions</c>.</summary>
internal sealed class OrtRunOptionsHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public OrtRunOptionsHandle()
        : base(ownsHandle: true)
    {
    }

    internal OrtRunOptionsHandle(IntPtr existing)
        : base(ownsHandle: true)
    {
        SetHandle(existing);
    }

    protected override bool ReleaseHandle()
    {
        OrtApi.ReleaseRunOptions(handle);
        return true;
    }
}
