namespace Tessera.Indexing.Onnx;

/// <summary>ONNX Runtime's error codes (<c>OrtErrorCode</c>), as carried by <see cref="OnnxRuntimeException"/>.</summary>
public enum OnnxRuntimeErrorCode
{
    /// <summary>No error.</summary>
    Ok = 0,

    /// <summary>A general failure.</summary>
    Fail = 1,

    /// <summary>An argument was invalid (for example an unknown input name or a shape the model does not accept).</summary>
    InvalidArgument = 2,

    /// <summary>A file was not found.</summary>
    NoSuchFile = 3,

    /// <summary>No model was loaded.</summary>
    NoModel = 4,

    /// <summary>The engine failed.</summary>
    EngineError = 5,

    /// <summary>A runtime exception inside ONNX Runtime.</summary>
    RuntimeException = 6,

    /// <summary>The model is not a valid ONNX protobuf.</summary>
    InvalidProtobuf = 7,

    /// <summary>A model was already loaded.</summary>
    ModelLoaded = 8,

    /// <summary>Not implemented.</summary>
    NotImplemented = 9,

    /// <summary>The graph is invalid.</summary>
    InvalidGraph = 10,

    /// <summary>An execution provider failed.</summary>
    ExecutionProviderFailed = 11,
}
