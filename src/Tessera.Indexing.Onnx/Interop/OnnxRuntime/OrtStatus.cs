using Tessera.Indexing.Onnx;

namespace Tessera.Indexing.Interop.OnnxRuntime;

/// <summary>Turns every <c>OrtStatus*</c> into a typed <see cref="OnnxRuntimeException"/> carrying ONNX Runtime's code and message.</summary>
internal static class OrtStatus
{
    /// <summary>Returns when <paramref name="status"/> is null (success); otherwise releases it and throws.</summary>
    /// <param name="status">The status an <c>OrtApi</c> function returned.</param>
    /// <param name="operation">What was being done, for the exception message.</param>
    public static void Check(IntPtr status, string operation)
    {
        if (status == IntPtr.Zero)
        {
            return;
        }

        throw ToException(status, operation);
    }

    /// <summary>Reads, releases and converts a non-null status.</summary>
    public static OnnxRuntimeException ToException(IntPtr status, string operation)
    {
        using var owned = new OrtStatusHandle(status);
        var code = OrtApi.GetErrorCode(status);
        var message = OrtApi.GetErrorMessage(status).Trim();
        if (message.Length == 0)
        {
            message = "no message";
        }

        return new OnnxRuntimeException((OnnxRuntimeErrorCode)(int)code, operation, message);
    }
}
