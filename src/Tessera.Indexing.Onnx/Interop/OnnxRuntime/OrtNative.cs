using System.Runtime.InteropServices;

namespace Tessera.Indexing.Interop.OnnxRuntime;

/// <summary>
/// The one exported entry point of <c>libonnxruntime.so.1</c>. Everything else is reached through the
/// function-pointer tables it returns (<see cref="OrtApi"/>).
/// </summary>
internal static unsafe partial class OrtNative
{
    private const string Lib = TesseraNativeLibraries.OnnxRuntime;

    static OrtNative()
    {
        Common.NativeLibraryLoader.Register(typeof(OrtNative).Assembly, Lib, "libonnxruntime.so.1", "libonnxruntime.so");
    }

    /// <summary><c>const OrtApiBase* OrtGetApiBase(void)</c>.</summary>
    [LibraryImport(Lib, EntryPoint = "OrtGetApiBase")]
    internal static partial OrtApiBase* GetApiBase();

    /// <summary><c>struct OrtApiBase { GetApi; GetVersionString; }</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal readonly struct OrtApiBase
    {
        public readonly delegate* unmanaged[Cdecl]<uint, void**> GetApi;
        public readonly delegate* unmanaged[Cdecl]<byte*> GetVersionString;
    }
}
