using Microsoft.Win32.SafeHandles;

namespace Tessera.Indexing.Gdal.Interop.Gdal;

/// <summary>Owns an <c>OGRCoordinateTransformationH</c>; released with <c>OCTDestroyCoordinateTransformation</c>.</summary>
internal sealed class OgrCoordinateTransformationHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public OgrCoordinateTransformationHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        GdalNative.DestroyCoordinateTransformation(handle);
        return true;
    }
}
