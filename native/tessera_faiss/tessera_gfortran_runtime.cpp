// The one GNU Fortran runtime function the static OpenBLAS (its bundled LAPACK, compiled by gfortran)
// needs: string concatenation (LAPACK's OPTS = SIDE // TRANS and the like).
//
// Why not link libgfortran.a: GCC 12's libgfortran.a is not position-independent (async.o uses a
// local-exec TLS relocation, R_X86_64_TPOFF32 against thread_unit), so it cannot go into a shared
// object, and linking libgfortran.so.5 would add the very dependency this build removes. Linking
// FAISS + OpenBLAS leaves exactly one libgfortran symbol unresolved (checked with
// `nm -D --undefined-only` against a build linked with -lgfortran): _gfortran_concat_string.
// This is its documented behaviour, written here: copy s1 then s2 into dest, truncate at destlen,
// pad the rest with blanks. Character lengths are size_t since GCC 8 (GFORTRAN_8).
#include <cstddef>
#include <cstring>

extern "C" __attribute__((visibility("hidden"))) void _gfortran_concat_string(
    size_t destlen, char* dest, size_t len1, const char* s1, size_t len2, const char* s2) {
    if (len1 >= destlen) {
        std::memcpy(dest, s1, destlen);
        return;
    }
    std::memcpy(dest, s1, len1);
    dest += len1;
    destlen -= len1;
    if (len2 >= destlen) {
        std::memcpy(dest, s2, destlen);
        return;
    }
    std::memcpy(dest, s2, len2);
    std::memset(dest + len2, ' ', destlen - len2);
}
