using Microsoft.Win32.SafeHandles;

namespace Tessera.Indexing.Interop.OnnxRuntime;

/// <summary>Owns an <c>OrtMemoryInfo*</c>; released with <c>ReleaseMemoryInfo</c>.</summary>
internal sealed class OrtMemoryInfoHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public OrtMemoryInfoHandle()
        : base(ownsHandle: true)
    {
    }

    internal OrtMemoryInfoHandle(IntPtr existing)
        : base(ownsHandle: true)
    {
        SetHandle(existing);
    }

    protected override bool ReleaseHandle()
    {
        OrtApi.ReleaseMemoryInfo(handle);
        return true;
    }
}
