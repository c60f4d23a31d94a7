// tessera_faiss_info: build and runtime facts of the shim. See tessera_faiss_info.h.
#include "tessera_faiss_info.h"

#include <faiss/utils/utils.h>
#include <omp.h>

#include <dlfcn.h>

#include <string>

// OpenBLAS's informational API (its cblas.h). CMake defines TF_HAVE_OPENBLAS when the BLAS is
// OpenBLAS; the declarations are strong on purpose: a weak reference would not pull the members
// out of a static libopenblas.a.
#ifdef TF_HAVE_OPENBLAS
extern "C" {
char* openblas_get_config(void);
char* openblas_get_corename(void);
int openblas_get_num_threads(void);
int openblas_get_parallel(void);
}
#endif

#ifndef TF_BLAS_LINKAGE
#define TF_BLAS_LINKAGE "unknown"
#endif

namespace {

const char* path_of(const void* address) {
    Dl_info info{};
    if (address == nullptr || dladdr(address, &info) == 0 || info.dli_fname == nullptr) {
        return nullptr;
    }
    return info.dli_fname;
}

}  // namespace

const char* tf_info_library_path(void) {
    return path_of(reinterpret_cast<const void*>(&tf_info_library_path));
}

const char* tf_info_faiss_compile_options(void) {
    // Computed once; the string lives as long as the library.
    static const std::string options = [] {
        try {
            return faiss::get_compile_options();
        } catch (...) {
            return std::string();
        }
    }();
    return options.c_str();
}

const char* tf_info_build(void) {
#define TF_INFO_STR2(x) #x
#define TF_INFO_STR(x) TF_INFO_STR2(x)
    return "blas=" TF_BLAS_LINKAGE " openmp=libgomp-shared compiler=gcc-" TF_INFO_STR(__GNUC__) "." TF_INFO_STR(
        __GNUC_MINOR__) "." TF_INFO_STR(__GNUC_PATCHLEVEL__);
}

int tf_info_openmp_version(void) {
#ifdef _OPENMP
    return _OPENMP;
#else
    return 0;
#endif
}

int tf_info_openmp_num_procs(void) {
    return omp_get_num_procs();
}

const char* tf_info_openmp_library_path(void) {
    return path_of(reinterpret_cast<const void*>(&omp_get_num_procs));
}

#ifdef TF_HAVE_OPENBLAS
const char* tf_info_blas_config(void) { return openblas_get_config(); }
const char* tf_info_blas_core(void) { return openblas_get_corename(); }
int tf_info_blas_num_threads(void) { return openblas_get_num_threads(); }
int tf_info_blas_parallel(void) { return openblas_get_parallel(); }
#else
const char* tf_info_blas_config(void) { return nullptr; }
const char* tf_info_blas_core(void) { return nullptr; }
int tf_info_blas_num_threads(void) { return -1; }
int tf_info_blas_parallel(void) { return -1; }
#endif
