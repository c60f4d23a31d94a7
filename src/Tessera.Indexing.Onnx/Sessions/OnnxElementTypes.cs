namespace Tessera.Indexing.Onnx.Sessions;

/// <summary>Maps CLR element types to <see cref="OnnxElementType"/>.</summary>
internal static class OnnxElementTypes
{
    /// <summary>The ONNX element type of <typeparamref name="T"/>, or <see cref="OnnxElementType.Undefined"/>.</summary>
    public static OnnxElementType Of<T>()
        where T : unmanaged
    {
        var type = typeof(T);
        return type == typeof(float) ? OnnxElementType.Float
            : type == typeof(byte) ? OnnxElementType.UInt8
            : type == typeof(sbyte) ? OnnxElementType.Int8
            : type == typeof(ushort) ? OnnxElementType.UInt16
            : type == typeof(short) ? OnnxElementType.Int16
            : type == typeof(int) ? OnnxElementType.Int32
            : type == typeof(long) ? OnnxElementType.Int64
            : type == typeof(bool) ? OnnxElementType.Bool
            : type == typeof(Half) ? OnnxElementType.Float16
            : type == typeof(double) ? OnnxElementType.Double
            : type == typeof(uint) ? OnnxElementType.UInt32
            : type == typeof(ulong) ? OnnxElementType.UInt64
            : OnnxElementType.Undefined;
    }

    /// <summary>The size in bytes of one element, or 0 for types without a fixed size.</summary>
    public static int SizeOf(OnnxElementType type) => type switch
    {
        OnnxElementType.Float or OnnxElementType.Int32 or OnnxElementType.UInt32 => 4,
        OnnxElementType.Double or OnnxElementType.Int64 or OnnxElementType.UInt64 or OnnxElementType.Complex64 => 8,
        OnnxElementType.Float16 or OnnxElementType.Int16 or OnnxElementType.UInt16 or OnnxElementType.BFloat16 => 2,
        OnnxElementType.UInt8 or OnnxElementType.Int8 or OnnxElementType.Bool => 1,
        OnnxElementType.Complex128 => 16,
        _ => 0,
    };
}
