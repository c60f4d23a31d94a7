namespace Tessera.Indexing.Onnx.Sessions;

/// <summary>A tensor buffer bound to a model input or output by name.</summary>
/// <param name="Name">The input or output name.</param>
/// <param name="Buffer">The buffer holding (or receiving) the tensor.</param>
public readonly record struct OnnxNamedBuffer(string Name, OnnxTensorBuffer Buffer);
