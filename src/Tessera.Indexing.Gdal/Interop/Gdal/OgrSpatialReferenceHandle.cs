using Microsoft.Win32.SafeHandles;

namespace Tessera.Indexing.Gdal.Interop.Gdal;

/// <summary>Owns an <c>OGRSpatialReferenceH</c>; released with <c>OSRDestroySpatialReference</c>.</summary>
internal sealed class OgrSpatialReferenceHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public OgrSpatialReferenceHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        GdalNative.DestroySpatialReference(handle);
        return true;
    }
}
