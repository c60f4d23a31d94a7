using System.Runtime.InteropServices;

namespace Tessera.Indexing.Gdal.Interop.Gdal;

/// <summary>The one place where GDAL's status (<c>CPLErr</c>, null handles) becomes a <see cref="GdalException"/> carrying <c>CPLGetLastErrorMsg</c>.</summary>
internal static unsafe class GdalErrors
{
    private const int CeFailure = 3;

    /// <summary>Throws when <paramref name="cplErr"/> is <c>CE_Failure</c> or <c>CE_Fatal</c>.</summary>
    public static void Check(int cplErr, string operation)
    {
        if (cplErr >= CeFailure)
        {
            throw Last(operation);
        }
    }

    /// <summary>Throws when the last error on this thread is a failure (for GDAL functions that return nothing).</summary>
    public static void CheckLast(string operation)
    {
        if (GdalNative.GetLastErrorType() >= CeFailure)
        {
            throw Last(operation);
        }
    }

    /// <summary>Throws (and releases the handle) when <paramref name="handle"/> is null.</summary>
    public static T CheckHandle<T>(T handle, string operation)
        where T : SafeHandle
    {
        if (handle.IsInvalid)
        {
            handle.Dispose();
            throw Last(operation);
        }

        return handle;
    }

    /// <summary>The last error on this thread as an exception.</summary>
    public static GdalException Last(string operation)
    {
        var message = Marshal.PtrToStringUTF8((nint)GdalNative.GetLastErrorMsg());
        var kind = (GdalErrorKind)GdalNative.GetLastErrorNo();
        if (string.IsNullOrWhiteSpace(message))
        {
            message = "GDAL gave no message";
        }

        return new GdalException(kind, operation, message.Trim());
    }
}
