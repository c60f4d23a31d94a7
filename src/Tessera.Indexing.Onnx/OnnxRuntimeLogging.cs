using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Tessera.Indexing.Onnx;

/// <summary>
/// Where ONNX Runtime's own log messages (warnings and errors from inside the native library) go. The ONNX Runtime
/// environment this package creates forwards them here instead of writing them to stderr; with no logger set they are
/// dropped (every failure still reaches the caller as an exception). <c>AddOnnxImageEmbedder</c> sets a logger of the
/// category <see cref="CategoryName"/> from the container's <see cref="ILoggerFactory"/> when none was set.
/// If the application created ONNX Runtime's environment itself (<c>OrtEnv.CreateInstanceWithOptions</c>) before the
/// first model was opened, that environment and its logging are used unchanged.
/// </summary>
public static class OnnxRuntimeLogging
{
    /// <summary>The logger category used for ONNX Runtime's own messages.</summary>
    public const string CategoryName = "Microsoft.ML.OnnxRuntime";

    private static ILogger s_logger = NullLogger.Instance;

    /// <summary>The logger that receives ONNX Runtime's messages (warning level and above); <see cref="NullLogger"/> by default.</summary>
    public static ILogger Logger
    {
        get => Volatile.Read(ref s_logger);
        set => Volatile.Write(ref s_logger, value ?? NullLogger.Instance);
    }

    /// <summary>Sets <see cref="Logger"/> from <paramref name="factory"/> unless a logger was already set.</summary>
    /// <param name="factory">The application's logger factory, if any.</param>
    internal static void UseIfUnset(ILoggerFactory? factory)
    {
        if (factory is not null && ReferenceEquals(Volatile.Read(ref s_logger), NullLogger.Instance))
        {
            Interlocked.CompareExchange(ref s_logger, factory.CreateLogger(CategoryName), NullLogger.Instance);
        }
    }
}
