using Microsoft.Win32.SafeHandles;

namespace Tessera.Indexing.Gdal.Interop.Gdal;

/// <summary>Owns memory GDAL allocated with <c>VSIMalloc</c> (for example a seized <c>/vsimem/</c> buffer); released with <c>VSIFree</c>.</summary>
internal sealed class VsiMemoryHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public VsiMemoryHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        GdalNative.Free(handle);
        return true;
    }
}
