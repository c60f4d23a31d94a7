using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace Tessera.Indexing.Onnx.Runtime;

/// <summary>
/// The process-wide ONNX Runtime environment (one <see cref="OrtEnv"/>, as ONNX Runtime expects). Unless the application
/// created it first, it is created with a logging function that sends ONNX Runtime's messages (warning and above) to
/// <see cref="OnnxRuntimeLogging.Logger"/> instead of stderr. Every entry point of this package goes through
/// <see cref="Instance"/> before it touches ONNX Runtime, so the environment is never created with the default stderr
/// logger by accident.
/// </summary>
internal static partial class OnnxRuntimeEnvironment
{
    private const string NativePackageHint =
        "ONNX Runtime's native library was not found. Tessera.Indexing.Onnx references only ONNX Runtime's managed API: " +
        "the application adds the native package, Microsoft.ML.OnnxRuntime (CPU) or Microsoft.ML.OnnxRuntime.Gpu.Linux (CUDA).";

    // ONNX Runtime's managed API keeps its own reference to the delegate; this one keeps it rooted as well.
    private static readonly DOrtLoggingFunction LogFunction = Forward;

    private static readonly Lazy<OrtEnv> Env = new(Create, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The environment, created on first use.</summary>
    /// <exception cref="DllNotFoundException">No ONNX Runtime native package is referenced by the application.</exception>
    public static OrtEnv Instance => Env.Value;

    /// <summary>Creates the environment if it does not exist yet.</summary>
    public static void EnsureCreated() => _ = Env.Value;

    private static OrtEnv Create()
    {
        try
        {
            if (OrtEnv.IsCreated)
            {
                return OrtEnv.Instance();
            }

            var options = new EnvironmentCreationOptions
            {
                logId = "tessera",
                logLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING,
                loggingFunction = LogFunction,
            };
            try
            {
                return OrtEnv.CreateInstanceWithOptions(ref options);
            }
            catch (Microsoft.ML.OnnxRuntime.OnnxRuntimeException) when (OrtEnv.IsCreated)
            {
                // Another caller created it between the check and the call: use theirs.
                return OrtEnv.Instance();
            }
        }
        catch (Exception e) when (FindDllNotFound(e) is { } missing)
        {
            throw new DllNotFoundException($"{NativePackageHint} ({missing.Message})", e);
        }
    }

    private static DllNotFoundException? FindDllNotFound(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is DllNotFoundException missing)
            {
                return missing;
            }
        }

        return null;
    }

    /// <summary>Called by ONNX Runtime, possibly on its own threads: must never throw back into native code.</summary>
    private static void Forward(IntPtr param, OrtLoggingLevel severity, string category, string logId, string codeLocation, string message)
    {
        try
        {
            var level = severity switch
            {
                OrtLoggingLevel.ORT_LOGGING_LEVEL_VERBOSE => LogLevel.Trace,
                OrtLoggingLevel.ORT_LOGGING_LEVEL_INFO => LogLevel.Information,
                OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING => LogLevel.Warning,
                OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR => LogLevel.Error,
                _ => LogLevel.Critical,
            };
            var logger = OnnxRuntimeLogging.Logger;
            if (logger.IsEnabled(level))
            {
                LogNative(logger, level, message, codeLocation);
            }
        }
        catch (Exception)
        {
            // A failing logger must not take ONNX Runtime down.
        }
    }

    [LoggerMessage(EventId = 100, Message = "ONNX Runtime: {NativeMessage} ({CodeLocation})")]
    private static partial void LogNative(ILogger logger, LogLevel level, string nativeMessage, string codeLocation);
}
