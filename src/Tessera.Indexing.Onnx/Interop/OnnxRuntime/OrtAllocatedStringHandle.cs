using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Tessera.Indexing.Interop.OnnxRuntime;

/// <summary>
/// Owns a NUL-terminated UTF-8 string that ONNX Runtime allocated with its default allocator
/// (input and output names); released with the allocator's <c>Free</c>.
/// </summary>
internal sealed unsafe class OrtAllocatedStringHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public OrtAllocatedStringHandle(byte* value)
        : base(ownsHandle: true)
    {
        SetHandle((IntPtr)value);
    }

    /// <summary>The string's bytes as a C string, for passing back to ONNX Runtime while this handle is alive.</summary>
    public byte* Pointer => (byte*)handle;

    /// <summary>Decodes the string.</summary>
    public override string ToString() => Marshal.PtrToStringUTF8(handle) ?? string.Empty;

    protected override bool ReleaseHandle()
    {
        OrtApi.FreeWithDefaultAllocator(handle);
        return true;
    }
}
