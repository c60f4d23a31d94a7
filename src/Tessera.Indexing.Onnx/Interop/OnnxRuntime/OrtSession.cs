using System.Text;
using Tessera.Indexing.Onnx;
using Tessera.Indexing.Onnx.Sessions;

namespace Tessera.Indexing.Interop.OnnxRuntime;

/// <summary>
/// An <c>OrtSession</c> with its input and output names (kept as the native strings ONNX Runtime returned, so a run
/// passes them back without encoding) and descriptions. <see cref="Run"/> is safe to call from several threads at once.
/// </summary>
internal sealed unsafe class OrtSession : IDisposable
{
    private const int GraphOptimizationAll = 99;

    private readonly OrtSessionHandle _handle;
    private readonly OrtAllocatedStringHandle[] _inputNames;
    private readonly OrtAllocatedStringHandle[] _outputNames;

    private OrtSession(OrtSessionHandle handle)
    {
        _handle = handle;
        var raw = handle.DangerousGetHandle();
        nuint inputCount, outputCount;
        OrtStatus.Check(OrtApi.SessionGetInputCount(raw, &inputCount), "SessionGetInputCount");
        OrtStatus.Check(OrtApi.SessionGetOutputCount(raw, &outputCount), "SessionGetOutputCount");
        _inputNames = new OrtAllocatedStringHandle[(int)inputCount];
        _outputNames = new OrtAllocatedStringHandle[(int)outputCount];
        Inputs = new OnnxTensorInfo[(int)inputCount];
        Outputs = new OnnxTensorInfo[(int)outputCount];
        for (nuint i = 0; i < inputCount; i++)
        {
            byte* name;
            OrtStatus.Check(OrtApi.SessionGetInputName(raw, i, &name), "SessionGetInputName");
            _inputNames[i] = new OrtAllocatedStringHandle(name);
            IntPtr typeInfo;
            OrtStatus.Check(OrtApi.SessionGetInputTypeInfo(raw, i, &typeInfo), "SessionGetInputTypeInfo");
            using var typeInfoHandle = new OrtTypeInfoHandle(typeInfo);
            Inputs[i] = OrtTypes.Describe(_inputNames[i].ToString(), typeInfoHandle);
        }

        for (nuint i = 0; i < outputCount; i++)
        {
            byte* name;
            OrtStatus.Check(OrtApi.SessionGetOutputName(raw, i, &name), "SessionGetOutputName");
            _outputNames[i] = new OrtAllocatedStringHandle(name);
            IntPtr typeInfo;
            OrtStatus.Check(OrtApi.SessionGetOutputTypeInfo(raw, i, &typeInfo), "SessionGetOutputTypeInfo");
            using var typeInfoHandle = new OrtTypeInfoHandle(typeInfo);
            Outputs[i] = OrtTypes.Describe(_outputNames[i].ToString(), typeInfoHandle);
        }
    }

    /// <summary>The model's inputs, in the model's order.</summary>
    public OnnxTensorInfo[] Inputs { get; }

    /// <summary>The model's outputs, in the model's order.</summary>
    public OnnxTensorInfo[] Outputs { get; }

    /// <summary>Session options with full graph optimisation and the given thread counts (0 = ONNX Runtime's choice).</summary>
    public static OrtSessionOptionsHandle CreateOptions(int intraOpThreads, int interOpThreads)
    {
        OrtEnvironment.EnsureCreated();
        IntPtr raw;
        OrtStatus.Check(OrtApi.CreateSessionOptions(&raw), "CreateSessionOptions");
        var options = new OrtSessionOptionsHandle(raw);
        try
        {
            OrtStatus.Check(OrtApi.SetSessionGraphOptimizationLevel(raw, GraphOptimizationAll), "SetSessionGraphOptimizationLevel");
            if (intraOpThreads > 0)
            {
                OrtStatus.Check(OrtApi.SetIntraOpNumThreads(raw, intraOpThreads), "SetIntraOpNumThreads");
            }

            if (interOpThreads > 0)
            {
                OrtStatus.Check(OrtApi.SetInterOpNumThreads(raw, interOpThreads), "SetInterOpNumThreads");
            }

            return options;
        }
        catch
        {
            options.Dispose();
            throw;
        }
    }

    /// <summary>Adds the CUDA execution provider (<c>SessionOptionsAppendExecutionProvider_CUDA</c>) to <paramref name="options"/>.</summary>
    /// <exception cref="OnnxRuntimeException">ONNX Runtime could not load or start the CUDA execution provider.</exception>
    public static void AppendCuda(OrtSessionOptionsHandle options, int deviceId)
    {
        var cuda = OrtCudaProviderOptions.Default(deviceId);
        OrtStatus.Check(OrtApi.SessionOptionsAppendExecutionProviderCuda(options.DangerousGetHandle(), &cuda), "SessionOptionsAppendExecutionProvider_CUDA");
    }

    /// <summary>Opens the model file at <paramref name="modelPath"/>.</summary>
    public static OrtSession Create(string modelPath, OrtSessionOptionsHandle options)
    {
        var pathBytes = new byte[Encoding.UTF8.GetMaxByteCount(modelPath.Length) + 1];
        var length = Encoding.UTF8.GetBytes(modelPath, pathBytes);
        pathBytes[length] = 0;
        IntPtr session;
        fixed (byte* path = pathBytes)
        {
            OrtStatus.Check(OrtApi.CreateSession(OrtEnvironment.Env.DangerousGetHandle(), path, options.DangerousGetHandle(), &session), "CreateSession");
        }

        return Wrap(session);
    }

    /// <summary>Opens a model from its serialised bytes.</summary>
    public static OrtSession Create(ReadOnlySpan<byte> model, OrtSessionOptionsHandle options)
    {
        IntPtr session;
        fixed (byte* data = model)
        {
            OrtStatus.Check(
                OrtApi.CreateSessionFromArray(OrtEnvironment.Env.DangerousGetHandle(), data, (nuint)model.Length, options.DangerousGetHandle(), &session),
                "CreateSessionFromArray");
        }

        return Wrap(session);
    }

    private static OrtSession Wrap(IntPtr session)
    {
        var handle = new OrtSessionHandle(session);
        try
        {
            return new OrtSession(handle);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs the model. <paramref name="outputs"/> entries that are set receive the results in place (their shapes must
    /// match); null entries are filled with tensors ONNX Runtime allocated, which the caller then owns.
    /// </summary>
    /// <param name="inputIndices">Which model input each of <paramref name="inputs"/> is.</param>
    /// <param name="inputs">The input tensors.</param>
    /// <param name="outputIndices">Which model output each of <paramref name="outputs"/> is.</param>
    /// <param name="outputs">Pre-bound output tensors, or null to let ONNX Runtime allocate.</param>
    /// <param name="cancellationToken">Stops the run (through <c>RunOptionsSetTerminate</c>).</param>
    public void Run(ReadOnlySpan<int> inputIndices, ReadOnlySpan<OrtValueHandle> inputs, ReadOnlySpan<int> outputIndices, Span<OrtValueHandle?> outputs, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var inputCount = inputs.Length;
        var outputCount = outputs.Length;
        Span<IntPtr> names = inputCount + outputCount <= 64 ? stackalloc IntPtr[inputCount + outputCount] : new IntPtr[inputCount + outputCount];
        Span<IntPtr> values = inputCount + outputCount <= 64 ? stackalloc IntPtr[inputCount + outputCount] : new IntPtr[inputCount + outputCount];
        var refs = new HandleRefs(1 + (2 * (inputCount + outputCount)));
        OrtRunOptionsHandle? runOptions = null;
        CancellationTokenRegistration registration = default;
        try
        {
            var session = refs.Add(_handle);
            for (var i = 0; i < inputCount; i++)
            {
                names[i] = refs.Add(_inputNames[inputIndices[i]]);
                values[i] = refs.Add(inputs[i]);
            }

            for (var i = 0; i < outputCount; i++)
            {
                names[inputCount + i] = refs.Add(_outputNames[outputIndices[i]]);
                values[inputCount + i] = outputs[i] is { } bound ? refs.Add(bound) : IntPtr.Zero;
            }

            var runOptionsRaw = IntPtr.Zero;
            if (cancellationToken.CanBeCanceled)
            {
                IntPtr created;
                OrtStatus.Check(OrtApi.CreateRunOptions(&created), "CreateRunOptions");
                runOptions = new OrtRunOptionsHandle(created);
                runOptionsRaw = created;
                registration = cancellationToken.UnsafeRegister(static state => Terminate((OrtRunOptionsHandle)state!), runOptions);
            }

            IntPtr status;
            fixed (IntPtr* namesPtr = names)
            fixed (IntPtr* valuesPtr = values)
            {
                status = OrtApi.Run(
                    session,
                    runOptionsRaw,
                    (byte**)namesPtr,
                    valuesPtr,
                    (nuint)inputCount,
                    (byte**)(namesPtr + inputCount),
                    (nuint)outputCount,
                    valuesPtr + inputCount);

                // Take ownership of what ONNX Runtime allocated, even when the run failed part way.
                for (var i = 0; i < outputCount; i++)
                {
                    if (outputs[i] is null && valuesPtr[inputCount + i] != IntPtr.Zero)
                    {
                        outputs[i] = new OrtValueHandle(valuesPtr[inputCount + i]);
                    }
                }
            }

            if (status != IntPtr.Zero)
            {
                var exception = OrtStatus.ToException(status, "Run");
                if (cancellationToken.IsCancellationRequested)
                {
                    throw new OperationCanceledException("The ONNX Runtime run was cancelled.", exception, cancellationToken);
                }

                throw exception;
            }
        }
        finally
        {
            registration.Dispose();
            runOptions?.Dispose();
            refs.ReleaseAll();
        }
    }

    private static void Terminate(OrtRunOptionsHandle runOptions)
    {
        var added = false;
        try
        {
            runOptions.DangerousAddRef(ref added);
            var status = OrtApi.RunOptionsSetTerminate(runOptions.DangerousGetHandle());
            if (status != IntPtr.Zero)
            {
                OrtApi.ReleaseStatus(status);
            }
        }
        catch (ObjectDisposedException)
        {
            // The run finished and released its options first.
        }
        finally
        {
            if (added)
            {
                runOptions.DangerousRelease();
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _handle.Dispose();
        foreach (var name in _inputNames)
        {
            name.Dispose();
        }

        foreach (var name in _outputNames)
        {
            name.Dispose();
        }
    }
}
