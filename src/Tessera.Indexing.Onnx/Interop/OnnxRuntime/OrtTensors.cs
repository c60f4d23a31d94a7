using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Tessera.Indexing.Onnx.Sessions;

namespace Tessera.Indexing.Interop.OnnxRuntime;

/// <summary>Creates ONNX Runtime tensors over pinned managed memory and reads tensors ONNX Runtime allocated.</summary>
internal static unsafe class OrtTensors
{
    /// <summary>
    /// A tensor of <paramref name="shape"/> viewing the first <paramref name="elementCount"/> elements of
    /// <paramref name="pinnedArray"/>, which must live on the pinned object heap (its address never moves) and
    /// outlive the returned handle.
    /// </summary>
    public static OrtValueHandle CreateOverPinnedArray<T>(T[] pinnedArray, int elementCount, ReadOnlySpan<long> shape, OnnxElementType elementType)
        where T : unmanaged
    {
        var memoryInfo = OrtEnvironment.CpuMemoryInfo;
        var added = false;
        try
        {
            memoryInfo.DangerousAddRef(ref added);
            var data = Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(pinnedArray));
            IntPtr value;
            fixed (long* shapePtr = shape)
            {
                var status = OrtApi.CreateTensorWithDataAsOrtValue(
                    memoryInfo.DangerousGetHandle(),
                    data,
                    (nuint)((long)elementCount * sizeof(T)),
                    shapePtr,
                    (nuint)shape.Length,
                    (int)elementType,
                    &value);
                OrtStatus.Check(status, "CreateTensorWithDataAsOrtValue");
            }

            return new OrtValueHandle(value);
        }
        finally
        {
            if (added)
            {
                memoryInfo.DangerousRelease();
            }
        }
    }

    /// <summary>Copies a tensor ONNX Runtime allocated (type, shape and bytes) into managed memory.</summary>
    public static OnnxOutputTensor Read(string name, OrtValueHandle value)
    {
        var added = false;
        try
        {
            value.DangerousAddRef(ref added);
            var raw = value.DangerousGetHandle();
            IntPtr info;
            OrtStatus.Check(OrtApi.GetTensorTypeAndShape(raw, &info), "GetTensorTypeAndShape");
            using var infoHandle = new OrtTensorTypeAndShapeInfoHandle(info);
            var (elementType, shape, _) = OrtTypes.ReadTensorInfo(info, withSymbols: false);
            long count = 1;
            foreach (var dimension in shape)
            {
                count *= dimension;
            }

            var elementSize = OnnxElementTypes.SizeOf(elementType);
            if (elementSize == 0)
            {
                throw new NotSupportedException($"Output '{name}' has element type {elementType}, which cannot be copied out.");
            }

            var bytes = new byte[checked(count * elementSize)];
            if (bytes.Length > 0)
            {
                void* data;
                OrtStatus.Check(OrtApi.GetTensorMutableData(raw, &data), "GetTensorMutableData");
                new ReadOnlySpan<byte>(data, bytes.Length).CopyTo(bytes);
            }

            return new OnnxOutputTensor(name, elementType, shape, bytes);
        }
        finally
        {
            if (added)
            {
                value.DangerousRelease();
            }
        }
    }
}
