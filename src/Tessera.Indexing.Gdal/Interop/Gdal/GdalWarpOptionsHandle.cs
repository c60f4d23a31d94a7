using Microsoft.Win32.SafeHandles;

namespace Tessera.Indexing.Gdal.Interop.Gdal;

/// <summary>Owns a <c>GDALWarpAppOptions*</c>; released with <c>GDALWarpAppOptionsFree</c>.</summary>
internal sealed class GdalWarpOptionsHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public GdalWarpOptionsHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        GdalNative.WarpAppOptionsFree(handle);
        return true;
    }
}
