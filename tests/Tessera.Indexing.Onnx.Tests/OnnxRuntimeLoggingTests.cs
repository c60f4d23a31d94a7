using Microsoft.Extensions.Logging;
using Tessera.Indexing.Onnx.Sessions;
using Tessera.Indexing.Onnx.Tests.Models;
using Tessera.Indexing.Testing;

namespace Tessera.Indexing.Onnx.Tests;

/// <summary>ONNX Runtime's own log messages reach <see cref="OnnxRuntimeLogging.Logger"/> (process-wide, so not run in parallel).</summary>
[Collection(nameof(OnnxRuntimeLoggingTests))]
[CollectionDefinition(nameof(OnnxRuntimeLoggingTests), DisableParallelization = true)]
public sealed class OnnxRuntimeLoggingTests
{
    [Fact]
    public void A_native_warning_goes_to_the_configured_logger()
    {
        var logger = new ListLogger();
        var previous = OnnxRuntimeLogging.Logger;
        OnnxRuntimeLogging.Logger = logger;
        try
        {
            // ONNX Runtime warns when a graph carries an initializer that no node uses, and removes it.
            using var model = OnnxModel.Load(AddMulModel.ToOnnx(unusedInitializer: "never_used"), new OnnxSessionOptions { ExecutionProvider = ExecutionProvider.Cpu });
        }
        finally
        {
            OnnxRuntimeLogging.Logger = previous;
        }

        var warning = Assert.Single(logger.Entries, e => e.Message.Contains("never_used", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.StartsWith("ONNX Runtime: ", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Setting_a_null_logger_restores_the_null_logger()
    {
        var previous = OnnxRuntimeLogging.Logger;
        try
        {
            OnnxRuntimeLogging.Logger = null!;

            Assert.Same(Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, OnnxRuntimeLogging.Logger);
        }
        finally
        {
            OnnxRuntimeLogging.Logger = previous;
        }
    }
}
