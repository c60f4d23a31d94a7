using Microsoft.Win32.SafeHandles;

namespace Tessera.Indexing.Gdal.Interop.Gdal;

/// <summary>Owns a <c>VSILFILE*</c>; released with <c>VSIFCloseL</c>.</summary>
internal sealed class VsiFileHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public VsiFileHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        _ = GdalNative.FCloseL(handle);
        return true;
    }
}
