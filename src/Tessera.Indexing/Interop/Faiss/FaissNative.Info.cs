using System.Runtime.InteropServices;

namespace Tessera.Indexing.Interop.Faiss;

/// <summary>The <c>tf_info_*</c> functions of the shim (native/tessera_faiss/tessera_faiss_info.h): build and runtime facts for diagnostics.</summary>
internal static unsafe partial class FaissNative
{
    [LibraryImport(Lib, EntryPoint = "tf_info_library_path")]
    internal static partial byte* InfoLibraryPath();

    [LibraryImport(Lib, EntryPoint = "tf_info_faiss_compile_options")]
    internal static partial byte* InfoFaissCompileOptions();

    [LibraryImport(Lib, EntryPoint = "tf_info_build")]
    internal static partial byte* InfoBuild();

    [LibraryImport(Lib, EntryPoint = "tf_info_openmp_version")]
    internal static partial int InfoOpenMpVersion();

    [LibraryImport(Lib, EntryPoint = "tf_info_openmp_num_procs")]
    internal static partial int InfoOpenMpProcessors();

    [LibraryImport(Lib, EntryPoint = "tf_info_openmp_library_path")]
    internal static partial byte* InfoOpenMpLibraryPath();

    [LibraryImport(Lib, EntryPoint = "tf_info_blas_config")]
    internal static partial byte* InfoBlasConfig();

    [LibraryImport(Lib, EntryPoint = "tf_info_blas_core")]
    internal static partial byte* InfoBlasCore();

    [LibraryImport(Lib, EntryPoint = "tf_info_blas_num_threads")]
    internal static partial int InfoBlasThreads();

    [LibraryImport(Lib, EntryPoint = "tf_info_blas_parallel")]
    internal static partial int InfoBlasParallel();
}
