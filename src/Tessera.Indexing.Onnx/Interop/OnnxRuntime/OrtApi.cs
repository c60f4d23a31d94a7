using System.Runtime.InteropServices;
using Tessera.Indexing.Onnx;

namespace Tessera.Indexing.Interop.OnnxRuntime;

/// <summary>
/// Typed calls into ONNX Runtime's <c>OrtApi</c> function-pointer table: each method reads the pointer at its
/// <see cref="OrtApiSlot"/> and calls it as <c>delegate* unmanaged[Cdecl]</c>. Raw pointers stay inside this folder.
/// </summary>
internal static unsafe class OrtApi
{
    /// <summary><c>ORT_API_VERSION</c> of the header these slots were counted from (ONNX Runtime 1.30).</summary>
    public const uint ApiVersion = 30;

    private static readonly object InitLock = new();
    private static void** s_api;
    private static string? s_version;
    private static OrtAllocator* s_defaultAllocator;

    /// <summary>The version string of the loaded library (<c>OrtApiBase::GetVersionString</c>).</summary>
    public static string Version
    {
        get
        {
            EnsureInitialized();
            return s_version!;
        }
    }

    /// <summary>Loads the library and fetches the function table for <see cref="ApiVersion"/>.</summary>
    /// <exception cref="OnnxRuntimeException">The library does not serve <see cref="ApiVersion"/>.</exception>
    /// <exception cref="DllNotFoundException">The library was not found.</exception>
    public static void EnsureInitialized()
    {
        if (s_api != null)
        {
            return;
        }

        lock (InitLock)
        {
            if (s_api != null)
            {
                return;
            }

            var apiBase = OrtNative.GetApiBase();
            if (apiBase == null)
            {
                throw new OnnxRuntimeException(OnnxRuntimeErrorCode.Fail, "OrtGetApiBase", "OrtGetApiBase returned null.");
            }

            var version = Marshal.PtrToStringUTF8((IntPtr)apiBase->GetVersionString()) ?? "unknown";
            var api = apiBase->GetApi(ApiVersion);
            if (api == null)
            {
                throw new OnnxRuntimeException(
                    OnnxRuntimeErrorCode.Fail,
                    "GetApi",
                    $"ONNX Runtime {version} does not provide C API version {ApiVersion}; ONNX Runtime 1.{ApiVersion} or later is required.");
            }

            OrtAllocator* allocator;
            var status = ((delegate* unmanaged[Cdecl]<OrtAllocator**, IntPtr>)api[(int)OrtApiSlot.GetAllocatorWithDefaultOptions])(&allocator);
            s_version = version;
            s_api = api;
            OrtStatus.Check(status, "GetAllocatorWithDefaultOptions");
            s_defaultAllocator = allocator;
        }
    }

    private static void* Fn(OrtApiSlot slot) => s_api[(int)slot];

    public static OrtErrorCodeValue GetErrorCode(IntPtr status) =>
        (OrtErrorCodeValue)((delegate* unmanaged[Cdecl]<IntPtr, int>)Fn(OrtApiSlot.GetErrorCode))(status);

    public static string GetErrorMessage(IntPtr status) =>
        Marshal.PtrToStringUTF8((IntPtr)((delegate* unmanaged[Cdecl]<IntPtr, byte*>)Fn(OrtApiSlot.GetErrorMessage))(status)) ?? string.Empty;

    public static IntPtr CreateEnv(int logLevel, byte* logId, IntPtr* env) =>
        ((delegate* unmanaged[Cdecl]<int, byte*, IntPtr*, IntPtr>)Fn(OrtApiSlot.CreateEnv))(logLevel, logId, env);

    public static IntPtr CreateSession(IntPtr env, byte* modelPath, IntPtr options, IntPtr* session) =>
        ((delegate* unmanaged[Cdecl]<IntPtr, byte*, IntPtr, IntPtr*, IntPtr>)Fn(OrtApiSlot.CreateSession))(env, modelPath, options, session);

    public static IntPtr CreateSessionFromArray(IntPtr env, void* modelData, nuint length, IntPtr options, IntPtr* session) =>
        ((delegate* unmanaged[Cdecl]<IntPtr, void*, nuint, IntPtr, IntPtr*, IntPtr>)Fn(OrtApiSlot.CreateSessionFromArray))(env, modelData, length, options, session);

    public static IntPtr Run(IntPtr session, IntPtr runOptions, byte** inputNames, IntPtr* inputs, nuint inputCount, byte** outputNames, nuint outputCount, IntPtr* outputs) =>
        ((delegate* unmanaged[Cdecl]<IntPtr, IntPtr, byte**, IntPtr*, nuint, byte**, nuint, IntPtr*, IntPtr>)Fn(OrtApiSlot.Run))(
            session, runOptions, inputNames, inputs, inputCount, outputNames, outputCount, outputs);

    public static IntPtr CreateSessionOptions(IntPtr* options) =>
        ((delegate* unmanaged[Cdecl]<IntPtr*, IntPtr>)Fn(OrtApiSlot.CreateSessionOptions))(options);

    public static IntPtr SetSessionGraphOptimizationLevel(IntPtr options, int level) =>
        ((delegate* unmanaged[Cdecl]<IntPtr, int, IntPtr>)Fn(OrtApiSlot.SetSessionGraphOptimizationLevel))(options, level);

    public static IntPtr SetIntraOpNumThreads(IntPtr options, int threads) =>
        ((delegate* unmanaged[Cdecl]<IntPtr, int, IntPtr>)Fn(OrtApiSlot.SetIntraOpNumThreads))(options, threads);

    public static IntPtr SetInterOpNumThreads(IntPtr options, int threads) =>
        ((delegate* unmanaged[Cdecl]<IntPtr, int, IntPtr>)Fn(OrtApiSlot.SetInterOpNumThreads))(options, threads);

    public static IntPtr SessionGetInputCount(IntPtr session, nuint* count) =>
        ((delegate* unmanaged[Cdecl]<IntPtr, nuint*, IntPtr>)Fn(OrtApiSlot.SessionGetInputCount))(session, count);

    public static IntPtr SessionGetOutputCount(IntPtr session, nuint* count) =>
        ((delegate* unmanaged[Cdecl]<IntPtr, nuint*, IntPtr>)Fn(OrtApiSlot.SessionGetOutputCount))(session, count);

    public static IntPtr SessionGetInputTypeInfo(IntPtr session, nuint index, IntPtr* typeInfo) =>
        ((delegate* unmanaged[Cdecl]<IntPtr, nuint, IntPtr*, IntPtr>)Fn(OrtApiSlot.SessionGetInputTypeInfo))(session, index, typeInfo);

    public static IntPtr SessionGetOutputTypeInfo(IntPtr session, nuint index, IntPtr* typeInfo) =>
        ((delegate* unmanaged[Cdecl]<IntPtr, nuint, IntPtr*, IntPtr>)Fn(OrtApiSlot.SessionGetOutputTypeInfo))(session, index, typeInfo);

    public static IntPtr SessionGetInputName(IntPtr session, nuint index, byte** name) =>
        ((delegate* unmanaged[Cdecl]<IntPtr, nuint, OrtAllocator*, byte**, IntPtr>)Fn(OrtApiSlot.SessionGetInputName))(session, index, s_defaultAllocator, name);

    public static IntPtr SessionGetOutputName(IntPtr session, nuint index, byte** name) =>
        ((delegate* unmanaged[Cdecl]<IntPtr, nuint, OrtAllocator*, byte**, IntPtr>)Fn(OrtApiSlot.SessionGetOutputName))(session, index, s_defaultAllocator, name);

    public static IntPtr CreateRunOptions(IntPtr* runOptions) =>
        ((delegate* unmanaged[Cdecl]<IntPtr*, IntPtr>)Fn(OrtApiSlot.CreateRunOptions))(runOptions);

    public static IntPtr RunOptionsSetTerminate(IntPtr runOptions) =>
        ((delegate* unmanaged[Cdecl]<IntPtr, IntPtr>)Fn(OrtApiSlot.RunOptionsSetTerminate))(runOptions);

    public static IntPtr CreateTensorWithDataAsOrtValue(IntPtr memoryInfo, void* data, nuint byteLength, long* shape, nuint rank, int elementType, IntPtr* value) =>
        ((delegate* unmanaged[Cdecl]<IntPtr, void*, nuint, long*, nuint, int, IntPtr*, IntPtr>)Fn(OrtApiSlot.CreateTensorWithDataAsOrtValue))(
            memoryInfo, data, byteLength, shape, rank, elementType, value);

    public static IntPtr GetTensorMutableData(IntPtr value, void** data) =>
        ((delegate* unmanaged[Cdecl]<IntPtr, void**, IntPtr>)Fn(OrtApiSlot.GetTensorMutableData))(value, data);

    public static IntPtr CastTypeInfoToTensorInfo(IntPtr typeInfo, IntPtr* tensorInfo) =>
        ((delegate* unmanaged[Cdecl]<IntPtr, IntPtr*, IntPtr>)Fn(OrtApiSlot.CastTypeInfoToTensorInfo))(typeInfo, tensorInfo);

    public static IntPtr GetOnnxTypeFromTypeInfo(IntPtr typeInfo, int* onnxType) =>
        ((delegate* unmanaged[Cdecl]<IntPtr, int*, IntPtr>)Fn(OrtApiSlot.GetOnnxTypeFromTypeInfo))(typeInfo, onnxType);

    public static IntPtr GetTensorElementType(IntPtr tensorInfo, int* elementType) =>
        ((delegate* unmanaged[Cdecl]<IntPtr, int*, IntPtr>)Fn(OrtApiSlot.GetTensorElementType))(tensorInfo, elementType);

    public static IntPtr GetDimensionsCount(IntPtr tensorInfo, nuint* count) =>
        ((delegate* unmanaged[Cdecl]<IntPtr, nuint*, IntPtr>)Fn(OrtApiSlot.GetDimensionsCount))(tensorInfo, count);

    public static IntPtr GetDimensions(IntPtr tensorInfo, long* dims, nuint count) =>
        ((delegate* unmanaged[Cdecl]<IntPtr, long*, nuint, IntPtr>)Fn(OrtApiSlot.GetDimensions))(tensorInfo, dims, count);

    public static IntPtr GetSymbolicDimensions(IntPtr tensorInfo, byte** dimParams, nuint count) =>
        ((delegate* unmanaged[Cdecl]<IntPtr, byte**, nuint, IntPtr>)Fn(OrtApiSlot.GetSymbolicDimensions))(tensorInfo, dimParams, count);

    public static IntPtr GetTensorTypeAndShape(IntPtr value, IntPtr* tensorInfo) =>
        ((delegate* unmanaged[Cdecl]<IntPtr, IntPtr*, IntPtr>)Fn(OrtApiSlot.GetTensorTypeAndShape))(value, tensorInfo);

    public static IntPtr CreateCpuMemoryInfo(int allocatorType, int memType, IntPtr* memoryInfo) =>
        ((delegate* unmanaged[Cdecl]<int, int, IntPtr*, IntPtr>)Fn(OrtApiSlot.CreateCpuMemoryInfo))(allocatorType, memType, memoryInfo);

    public static IntPtr GetAvailableProviders(byte*** providers, int* count) =>
        ((delegate* unmanaged[Cdecl]<byte***, int*, IntPtr>)Fn(OrtApiSlot.GetAvailableProviders))(providers, count);

    public static IntPtr ReleaseAvailableProviders(byte** providers, int count) =>
        ((delegate* unmanaged[Cdecl]<byte**, int, IntPtr>)Fn(OrtApiSlot.ReleaseAvailableProviders))(providers, count);

    public static IntPtr SessionOptionsAppendExecutionProviderCuda(IntPtr options, OrtCudaProviderOptions* cudaOptions) =>
        ((delegate* unmanaged[Cdecl]<IntPtr, OrtCudaProviderOptions*, IntPtr>)Fn(OrtApiSlot.SessionOptionsAppendExecutionProvider_CUDA))(options, cudaOptions);

    public static void ReleaseEnv(IntPtr env) => Release(OrtApiSlot.ReleaseEnv, env);

    public static void ReleaseStatus(IntPtr status) => Release(OrtApiSlot.ReleaseStatus, status);

    public static void ReleaseMemoryInfo(IntPtr memoryInfo) => Release(OrtApiSlot.ReleaseMemoryInfo, memoryInfo);

    public static void ReleaseSession(IntPtr session) => Release(OrtApiSlot.ReleaseSession, session);

    public static void ReleaseValue(IntPtr value) => Release(OrtApiSlot.ReleaseValue, value);

    public static void ReleaseRunOptions(IntPtr runOptions) => Release(OrtApiSlot.ReleaseRunOptions, runOptions);

    public static void ReleaseTypeInfo(IntPtr typeInfo) => Release(OrtApiSlot.ReleaseTypeInfo, typeInfo);

    public static void ReleaseTensorTypeAndShapeInfo(IntPtr tensorInfo) => Release(OrtApiSlot.ReleaseTensorTypeAndShapeInfo, tensorInfo);

    public static void ReleaseSessionOptions(IntPtr options) => Release(OrtApiSlot.ReleaseSessionOptions, options);

    /// <summary>Frees memory that ONNX Runtime allocated with its default allocator (e.g. input and output names).</summary>
    public static void FreeWithDefaultAllocator(IntPtr memory)
    {
        var allocator = s_defaultAllocator;
        allocator->Free(allocator, (void*)memory);
    }

    private static void Release(OrtApiSlot slot, IntPtr handle) =>
        ((delegate* unmanaged[Cdecl]<IntPtr, void>)Fn(slot))(handle);

    /// <summary>The leading members of <c>struct OrtAllocator</c> (version, Alloc, Free, Info, ...).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct OrtAllocator
    {
        public uint Version;
        public delegate* unmanaged[Cdecl]<OrtAllocator*, nuint, void*> Alloc;
        public delegate* unmanaged[Cdecl]<OrtAllocator*, void*, void> Free;
    }
}
