namespace Tessera.Indexing.Numpy;

/// <summary>The NumPy element types this library reads and writes (little-endian, as NumPy writes them on x86/ARM).</summary>
public enum NpyDataType
{
    /// <summary>Signed 8-bit integer, descr <c>|i1</c> (NumPy <c>int8</c>; C# <see cref="sbyte"/>).</summary>
    Int8 = 1,

    /// <summary>Unsigned 8-bit integer, descr <c>|u1</c> (NumPy <c>uint8</c>; C# <see cref="byte"/>).</summary>
    UInt8 = 2,

    /// <summary>32-bit float, descr <c>&lt;f4</c> (NumPy <c>float32</c>; C# <see cref="float"/>).</summary>
    Float32 = 3,
}
