using System.Globalization;

namespace Tessera.Indexing.Onnx.Runtime;

/// <summary>
/// The one place where an exception of ONNX Runtime's managed API becomes this package's
/// <see cref="Onnx.OnnxRuntimeException"/>, with the error code parsed from its <c>[ErrorCode:…]</c> prefix and the
/// native message unchanged.
/// </summary>
internal static class OnnxRuntimeErrors
{
    private const string Prefix = "[ErrorCode:";

    /// <summary>Wraps <paramref name="exception"/>, thrown by <paramref name="operation"/>.</summary>
    public static Onnx.OnnxRuntimeException Wrap(Microsoft.ML.OnnxRuntime.OnnxRuntimeException exception, string operation)
    {
        var (code, message) = Parse(exception.Message);
        return new Onnx.OnnxRuntimeException(code, operation, message, $"ONNX Runtime {operation} failed ({code}): {message}", exception);
    }

    /// <summary>Splits <c>[ErrorCode:Name] message</c> into the code and the message.</summary>
    public static (OnnxRuntimeErrorCode Code, string Message) Parse(string text)
    {
        if (!text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return (OnnxRuntimeErrorCode.Fail, text);
        }

        var end = text.IndexOf(']', Prefix.Length);
        if (end < 0)
        {
            return (OnnxRuntimeErrorCode.Fail, text);
        }

        var name = text[Prefix.Length..end];
        var message = text[(end + 1)..].TrimStart();
        return (ToCode(name), message);
    }

    private static OnnxRuntimeErrorCode ToCode(string name)
    {
        // The managed API names native codes with its own enum, which calls ORT_EP_FAIL (11) "ShapeInferenceNotRegistered".
        if (name == "ShapeInferenceNotRegistered")
        {
            return OnnxRuntimeErrorCode.ExecutionProviderFailed;
        }

        if (int.TryParse(name, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
        {
            return Enum.IsDefined((OnnxRuntimeErrorCode)number) ? (OnnxRuntimeErrorCode)number : OnnxRuntimeErrorCode.Fail;
        }

        return Enum.TryParse<OnnxRuntimeErrorCode>(name, ignoreCase: false, out var code) && Enum.IsDefined(code) ? code : OnnxRuntimeErrorCode.Fail;
    }
}
