using System.Runtime.InteropServices;

namespace Tessera.Indexing.Gdal.Interop.Gdal;

/// <summary>
/// Brackets GDAL calls on this thread: loads GDAL, clears the last error (<c>CPLErrorReset</c>) and
/// pushes a quiet error handler (<c>CPLPushErrorHandler</c>) so GDAL prints nothing to stderr; the
/// error stays readable through <c>CPLGetLastErrorMsg</c> for <see cref="GdalErrors"/>. Dispose pops it.
/// </summary>
internal readonly unsafe ref struct GdalErrorScope
{
    private readonly bool _pushed;

    private GdalErrorScope(bool pushed) => _pushed = pushed;

    /// <summary>Starts a scope.</summary>
    /// <returns>The scope; dispose it on the same thread.</returns>
    public static GdalErrorScope Enter()
    {
        GdalLibrary.EnsureInitialized();
        GdalNative.ErrorReset();
        GdalNative.PushErrorHandler(&Quiet);
        return new GdalErrorScope(pushed: true);
    }

    /// <summary>Pops the quiet handler.</summary>
    public void Dispose()
    {
        if (_pushed)
        {
            GdalNative.PopErrorHandler();
        }
    }

    [UnmanagedCallersOnly]
    private static void Quiet(int errorClass, int errorNumber, byte* message)
    {
        // Like CPLQuietErrorHandler: the message stays in CPLGetLastErrorMsg, nothing is printed.
    }
}
