using Microsoft.Win32.SafeHandles;

namespace Tessera.Indexing.Gdal.Interop.Gdal;

/// <summary>Owns a <c>GDALTranslateOptions*</c>; released with <c>GDALTranslateOptionsFree</c>.</summary>
internal sealed class GdalTranslateOptionsHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public GdalTranslateOptionsHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        GdalNative.TranslateOptionsFree(handle);
        return true;
    }
}
