namespace Tessera.Indexing.Interop.OnnxRuntime;

/// <summary>
/// Zero-based positions of the function pointers we call in ONNX Runtime's <c>OrtApi</c> struct
/// (<c>include/onnxruntime/core/session/onnxruntime_c_api.h</c>, <c>ORT_API_VERSION 30</c>, ONNX Runtime 1.30).
/// The struct only ever grows at its end, so these positions hold for every version from the one that added the entry.
/// Counted member by member from the header; a wrong number calls the wrong function and crashes.
/// </summary>
internal enum OrtApiSlot
{
    GetErrorCode = 1,
    GetErrorMessage = 2,
    CreateEnv = 3,
    CreateSession = 7,
    CreateSessionFromArray = 8,
    Run = 9,
    CreateSessionOptions = 10,
    SetSessionGraphOptimizationLevel = 23,
    SetIntraOpNumThreads = 24,
    SetInterOpNumThreads = 25,
    SessionGetInputCount = 30,
    SessionGetOutputCount = 31,
    SessionGetInputTypeInfo = 33,
    SessionGetOutputTypeInfo = 34,
    SessionGetInputName = 36,
    SessionGetOutputName = 37,
    CreateRunOptions = 39,
    RunOptionsSetTerminate = 46,
    CreateTensorWithDataAsOrtValue = 49,
    GetTensorMutableData = 51,
    CastTypeInfoToTensorInfo = 55,
    GetOnnxTypeFromTypeInfo = 56,
    GetTensorElementType = 60,
    GetDimensionsCount = 61,
    GetDimensions = 62,
    GetSymbolicDimensions = 63,
    GetTensorTypeAndShape = 65,
    CreateCpuMemoryInfo = 69,
    GetAllocatorWithDefaultOptions = 78,
    ReleaseEnv = 92,
    ReleaseStatus = 93,
    ReleaseMemoryInfo = 94,
    ReleaseSession = 95,
    ReleaseValue = 96,
    ReleaseRunOptions = 97,
    ReleaseTypeInfo = 98,
    ReleaseTensorTypeAndShapeInfo = 99,
    ReleaseSessionOptions = 100,
    GetAvailableProviders = 125,
    ReleaseAvailableProviders = 126,
    SessionOptionsAppendExecutionProvider_CUDA = 152,
}
