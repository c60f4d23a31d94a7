/*
 * tessera_faiss_info: what the FAISS shim is made of and how it runs, for diagnostics
 * (Tessera.Indexing's TesseraNativeLibraries.Diagnose()). Same conventions as tessera_faiss.h.
 * Every function is cheap, thread-safe, never fails and never throws; strings are static storage
 * (or NULL when the fact is unknown) and must not be freed.
 */
#ifndef TESSERA_FAISS_INFO_H
#define TESSERA_FAISS_INFO_H

#include "tessera_faiss.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The file this shim was loaded from (dladdr), or NULL. */
TF_API const char* tf_info_library_path(void);

/* FAISS's compile options (faiss::get_compile_options(), e.g. "OPTIMIZE GENERIC "). */
TF_API const char* tf_info_faiss_compile_options(void);

/* How the shim was linked, e.g. "blas=openblas-static openmp=libgomp-shared compiler=gcc-12.2.0". */
TF_API const char* tf_info_build(void);

/* OpenMP: the specification version the shim was compiled for (_OPENMP, e.g. 201511), the number of
   processors the runtime sees, and the file of the OpenMP runtime in use (dladdr), or NULL. */
TF_API int tf_info_openmp_version(void);
TF_API int tf_info_openmp_num_procs(void);
TF_API const char* tf_info_openmp_library_path(void);

/* BLAS (OpenBLAS): its configuration string (e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Zen
   MAX_THREADS=64"), the CPU kernel set it chose (e.g. "Zen", "Haswell"), its thread count and its
   threading model (0 sequential, 1 pthreads, 2 OpenMP). NULL / -1 when the BLAS is not OpenBLAS. */
TF_API const char* tf_info_blas_config(void);
TF_API const char* tf_info_blas_core(void);
TF_API int tf_info_blas_num_threads(void);
TF_API int tf_info_blas_parallel(void);

#ifdef __cplusplus
}
#endif

#endif /* TESSERA_FAISS_INFO_H */
