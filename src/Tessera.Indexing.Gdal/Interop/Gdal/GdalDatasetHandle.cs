using Microsoft.Win32.SafeHandles;

namespace Tessera.Indexing.Gdal.Interop.Gdal;

/// <summary>Owns a <c>GDALDatasetH</c>; released with <c>GDALClose</c> (which also flushes a dataset being written).</summary>
internal sealed class GdalDatasetHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public GdalDatasetHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        GdalNative.Close(handle);
        return true;
    }
}
