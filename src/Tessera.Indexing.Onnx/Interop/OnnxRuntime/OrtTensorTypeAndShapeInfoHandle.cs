using Microsoft.Win32.SafeHandles;

namespace Tessera.Indexing.Interop.OnnxRuntime;

/// <summary>Owns an <c>OrtTensorTypeAndShapeInfo*</c>; released with <c>ReleaseTensorTypeAndShapeInfo</c>.</summary>
internal sealed class OrtTensorTypeAndShapeInfoHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public OrtTensorTypeAndShapeInfoHandle()
        : base(ownsHandle: true)
    {
    }

    internal OrtTensorTypeAndShapeInfoHandle(IntPtr existing)
        : base(ownsHandle: true)
    {
        SetHandle(existing);
    }

    protected override bool ReleaseHandle()
    {
        OrtApi.ReleaseTensorTypeAndShapeInfo(handle);
        return true;
    }
}
