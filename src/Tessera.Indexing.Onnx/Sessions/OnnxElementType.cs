namespace Tessera.Indexing.Onnx.Sessions;

/// <summary>Element types of ONNX tensors (<c>ONNXTensorElementDataType</c>).</summary>
public enum OnnxElementType
{
    /// <summary>Not a tensor, or an unknown type.</summary>
    Undefined = 0,

    /// <summary>32-bit float (<see cref="float"/>).</summary>
    Float = 1,

    /// <summary>Unsigned byte (<see cref="byte"/>).</summary>
    UInt8 = 2,

    /// <summary>Signed byte (<see cref="sbyte"/>).</summary>
    Int8 = 3,

    /// <summary>Unsigned 16-bit integer (<see cref="ushort"/>).</summary>
    UInt16 = 4,

    /// <summary>Signed 16-bit integer (<see cref="short"/>).</summary>
    Int16 = 5,

    /// <summary>Signed 32-bit integer (<see cref="int"/>).</summary>
    Int32 = 6,

    /// <summary>Signed 64-bit integer (<see cref="long"/>).</summary>
    Int64 = 7,

    /// <summary>Strings (not supported by <see cref="OnnxTensorBuffer{T}"/>).</summary>
    String = 8,

    /// <summary>Booleans, one byte each (<see cref="bool"/>).</summary>
    Bool = 9,

    /// <summary>IEEE half precision (<see cref="Half"/>).</summary>
    Float16 = 10,

    /// <summary>64-bit float (<see cref="double"/>).</summary>
    Double = 11,

    /// <summary>Unsigned 32-bit integer (<see cref="uint"/>).</summary>
    UInt32 = 12,

    /// <summary>Unsigned 64-bit integer (<see cref="ulong"/>).</summary>
    UInt64 = 13,

    /// <summary>Complex number of two 32-bit floats.</summary>
    Complex64 = 14,

    /// <summary>Complex number of two 64-bit floats.</summary>
    Complex128 = 15,

    /// <summary>Brain floating point (16 bits).</summary>
    BFloat16 = 16,
}
