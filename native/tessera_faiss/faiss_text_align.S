/*
 * Pins where FAISS's machine code lands in libtessera_faiss.so (see CMakeLists.txt).
 *
 * Debian's FAISS is a generic (-O2, no AVX2) build whose hot loops are sensitive to code alignment:
 * IVF-PQ search took ~40% more CPU when the shim's own objects grew and moved libfaiss.a's code by
 * 16 bytes modulo 64 (measured, docs/performance.md). The linker places this object's .text, on a
 * 4096-byte boundary, directly before libfaiss.a's first member; its 0x2a0 bytes put FAISS's code at
 * 0x2a0 modulo 4096, the offset of the shim build that the FAISS figures were measured with, whatever
 * size the shim's own code has.
 */
    .section .text,"ax",@progbits
    .p2align 12
    .fill 0x2a0, 1, 0xcc
    .section .note.GNU-stack,"",@progbits
