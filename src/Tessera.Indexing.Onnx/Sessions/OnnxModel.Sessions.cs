using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using Tessera.Indexing.Onnx.Runtime;

namespace Tessera.Indexing.Onnx.Sessions;

public partial class OnnxModel
{
    private static OnnxModel Open(Func<SessionOptions, InferenceSession> create, OnnxSessionOptions? options, ILogger? logger)
    {
        options ??= new OnnxSessionOptions();
        options.Validate();
        logger ??= NullLogger.Instance;
        OnnxRuntimeEnvironment.EnsureCreated();
        switch (options.ExecutionProvider)
        {
            case ExecutionProvider.Cpu:
                return new OnnxModel(CreateSession(create, options, cuda: false), ExecutionProvider.Cpu);

            case ExecutionProvider.Cuda:
                if (CudaProviderProbe.WhyUnavailable() is { } missing)
                {
                    throw CudaUnavailable(OnnxRuntimeErrorCode.ExecutionProviderFailed, missing, inner: null);
                }

                return new OnnxModel(CreateSession(create, options, cuda: true), ExecutionProvider.Cuda);

            default:
                var reason = CudaProviderProbe.WhyUnavailable();
                if (reason is null)
                {
                    try
                    {
                        return new OnnxModel(CreateSession(create, options, cuda: true), ExecutionProvider.Cuda);
                    }
                    catch (OnnxRuntimeException e)
                    {
                        reason = e.NativeMessage;
                    }
                }

                // A model that fails here fails for its own reasons: that error is the one to report.
                var session = CreateSession(create, options, cuda: false);
                LogCudaFallback(logger, reason);
                return new OnnxModel(session, ExecutionProvider.Cpu);
        }
    }

    private static InferenceSession CreateSession(Func<SessionOptions, InferenceSession> create, OnnxSessionOptions options, bool cuda)
    {
        using var sessionOptions = new SessionOptions
        {
            GraphOptimizationLevel = (GraphOptimizationLevel)options.GraphOptimizationLevel,
        };
        if (options.IntraOpNumThreads > 0)
        {
            sessionOptions.IntraOpNumThreads = options.IntraOpNumThreads;
        }

        if (options.InterOpNumThreads > 0)
        {
            sessionOptions.InterOpNumThreads = options.InterOpNumThreads;
        }

        if (cuda)
        {
            try
            {
                using var cudaOptions = new OrtCUDAProviderOptions();
                cudaOptions.UpdateOptions(new Dictionary<string, string>
                {
                    ["device_id"] = options.CudaDeviceId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                });
                sessionOptions.AppendExecutionProvider_CUDA(cudaOptions);
            }
            catch (Microsoft.ML.OnnxRuntime.OnnxRuntimeException e)
            {
                var (code, message) = OnnxRuntimeErrors.Parse(e.Message);
                throw CudaUnavailable(code, message, e);
            }
        }

        try
        {
            return create(sessionOptions);
        }
        catch (Microsoft.ML.OnnxRuntime.OnnxRuntimeException e)
        {
            throw OnnxRuntimeErrors.Wrap(e, "CreateSession");
        }
    }

    private static OnnxRuntimeException CudaUnavailable(OnnxRuntimeErrorCode code, string reason, Exception? inner) =>
        new(
            code,
            AppendCuda,
            reason,
            $"The CUDA execution provider is not available: {reason}. Use ExecutionProvider.Auto to fall back to the CPU, or ExecutionProvider.Cpu.",
            inner);
}
