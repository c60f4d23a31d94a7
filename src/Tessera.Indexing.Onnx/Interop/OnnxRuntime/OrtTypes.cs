using System.Runtime.InteropServices;
using Tessera.Indexing.Onnx.Sessions;

namespace Tessera.Indexing.Interop.OnnxRuntime;

/// <summary>Reads <c>OrtTypeInfo</c> / <c>OrtTensorTypeAndShapeInfo</c> into managed descriptions.</summary>
internal static unsafe class OrtTypes
{
    private const int OnnxTypeTensor = 1;

    /// <summary>Describes a model input or output from its <c>OrtTypeInfo</c>.</summary>
    public static OnnxTensorInfo Describe(string name, OrtTypeInfoHandle typeInfo)
    {
        var raw = typeInfo.DangerousGetHandle();
        int onnxType;
        OrtStatus.Check(OrtApi.GetOnnxTypeFromTypeInfo(raw, &onnxType), "GetOnnxTypeFromTypeInfo");
        if (onnxType != OnnxTypeTensor)
        {
            return new OnnxTensorInfo(name, OnnxElementType.Undefined, [], []);
        }

        IntPtr tensorInfo;
        OrtStatus.Check(OrtApi.CastTypeInfoToTensorInfo(raw, &tensorInfo), "CastTypeInfoToTensorInfo");

        // The tensor info belongs to the type info: it is not released on its own.
        var (elementType, dimensions, symbols) = ReadTensorInfo(tensorInfo, withSymbols: true);
        return new OnnxTensorInfo(name, elementType, dimensions, symbols);
    }

    /// <summary>Element type, dimensions and (optionally) dimension names of a tensor info.</summary>
    public static (OnnxElementType ElementType, long[] Dimensions, string[] Symbols) ReadTensorInfo(IntPtr tensorInfo, bool withSymbols)
    {
        int elementType;
        OrtStatus.Check(OrtApi.GetTensorElementType(tensorInfo, &elementType), "GetTensorElementType");
        nuint rank;
        OrtStatus.Check(OrtApi.GetDimensionsCount(tensorInfo, &rank), "GetDimensionsCount");
        var dimensions = new long[(int)rank];
        var symbols = withSymbols ? new string[(int)rank] : [];
        if (rank > 0)
        {
            fixed (long* dims = dimensions)
            {
                OrtStatus.Check(OrtApi.GetDimensions(tensorInfo, dims, rank), "GetDimensions");
            }

            if (withSymbols)
            {
                var names = new IntPtr[(int)rank];
                fixed (IntPtr* namesPtr = names)
                {
                    OrtStatus.Check(OrtApi.GetSymbolicDimensions(tensorInfo, (byte**)namesPtr, rank), "GetSymbolicDimensions");
                }

                for (var i = 0; i < names.Length; i++)
                {
                    symbols[i] = names[i] == IntPtr.Zero ? string.Empty : Marshal.PtrToStringUTF8(names[i]) ?? string.Empty;
                }
            }
        }

        return ((OnnxElementType)elementType, dimensions, symbols);
    }
}
