using System.Runtime.InteropServices;
using Tessera.Indexing.Faiss;

namespace Tessera.Indexing.Interop.Faiss;

/// <summary>Turns every status code of the shim into a typed exception carrying FAISS's own message.</summary>
internal static unsafe class FaissStatus
{
    public static void Check(int status, string operation)
    {
        if (status == 0)
        {
            return;
        }

        var message = Marshal.PtrToStringUTF8((IntPtr)FaissNative.LastError());
        if (string.IsNullOrWhiteSpace(message))
        {
            message = "no message";
        }

        var kind = status switch
        {
            1 => FaissErrorKind.Faiss,
            2 => FaissErrorKind.Runtime,
            4 => FaissErrorKind.InvalidArgument,
            5 => FaissErrorKind.NotSupported,
            _ => FaissErrorKind.Unknown,
        };
        throw new FaissException(kind, operation, message.Trim());
    }
}
