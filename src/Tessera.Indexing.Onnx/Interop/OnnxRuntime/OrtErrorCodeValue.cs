namespace Tessera.Indexing.Interop.OnnxRuntime;

/// <summary><c>OrtErrorCode</c> as the C API numbers it.</summary>
internal enum OrtErrorCodeValue
{
    Ok = 0,
    Fail = 1,
    InvalidArgument = 2,
    NoSuchFile = 3,
    NoModel = 4,
    EngineError = 5,
    RuntimeException = 6,
    InvalidProtobuf = 7,
    ModelLoaded = 8,
    NotImplemented = 9,
    InvalidGraph = 10,
    EpFail = 11,
}
