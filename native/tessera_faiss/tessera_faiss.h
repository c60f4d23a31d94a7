/*
 * tessera_faiss: a small C API over FAISS for Tessera.Indexing.
 *
 * Modelled on FAISS's own c_api: opaque handles, int return codes (0 = ok, non-zero = error),
 * output pointer first, *_free destructors, and a thread-local last-error string that holds the
 * message of the C++ exception caught at the boundary. No C++ exception ever crosses this API.
 */
#ifndef TESSERA_FAISS_H
#define TESSERA_FAISS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TF_API __attribute__((visibility("default")))

typedef struct TfIndex_H TfIndex;
typedef struct TfBuffer_H TfBuffer;
typedef struct TfRangeResult_H TfRangeResult;

/* Metric types, same values as faiss::MetricType. */
#define TF_METRIC_INNER_PRODUCT 0
#define TF_METRIC_L2 1

/* Status codes. */
#define TF_OK 0
#define TF_ERR_FAISS 1      /* faiss::FaissException */
#define TF_ERR_STD 2        /* std::exception */
#define TF_ERR_UNKNOWN 3    /* anything else */
#define TF_ERR_ARGUMENT 4   /* bad argument detected by the shim */
#define TF_ERR_UNSUPPORTED 5 /* the index type does not support the operation */

/* Library. */
TF_API const char* tf_last_error(void);
TF_API const char* tf_faiss_version(void);
TF_API int tf_set_num_threads(int n);
TF_API int tf_get_max_threads(void);

/* Index lifetime. */
TF_API int tf_index_factory(TfIndex** out, int d, const char* description, int metric);
TF_API void tf_index_free(TfIndex* index);
TF_API int tf_index_clone(TfIndex** out, const TfIndex* index);

/* Properties. */
TF_API int tf_index_d(const TfIndex* index);
TF_API int tf_index_is_trained(const TfIndex* index);
TF_API int64_t tf_index_ntotal(const TfIndex* index);
TF_API int tf_index_metric(const TfIndex* index);

/* Training, adding, searching. */
TF_API int tf_index_train(TfIndex* index, int64_t n, const float* x);
TF_API int tf_index_add(TfIndex* index, int64_t n, const float* x);
TF_API int tf_index_add_with_ids(TfIndex* index, int64_t n, const float* x, const int64_t* ids);
/* nprobe <= 0 uses the index's own setting; a larger one is clamped to nlist. IVF indexes inside
 * pre-transforms and id maps take it too. Safe to call from many threads at once. */
TF_API int tf_index_search(const TfIndex* index, int64_t n, const float* x, int64_t k, int nprobe,
                           float* distances, int64_t* labels);
TF_API int tf_index_range_search(const TfIndex* index, int64_t n, const float* x, float radius,
                                 int nprobe, TfRangeResult** out);
TF_API int tf_index_reconstruct(const TfIndex* index, int64_t key, float* recons);
TF_API int tf_index_reset(TfIndex* index);
TF_API int tf_index_merge_from(TfIndex* index, TfIndex* other, int64_t add_id);

/* Range search results: lims has n + 1 entries; labels/distances have lims[n] entries. */
TF_API size_t tf_range_result_nq(const TfRangeResult* r);
TF_API const size_t* tf_range_result_lims(const TfRangeResult* r);
TF_API const int64_t* tf_range_result_labels(const TfRangeResult* r);
TF_API const float* tf_range_result_distances(const TfRangeResult* r);
TF_API void tf_range_result_free(TfRangeResult* r);

/* Serialisation: files and memory buffers, FAISS's own format. The readers trust their input as
 * FAISS does: callers validate files and buffers first (Tessera does, in managed code). Buffers are
 * read in place, without a copy. */
TF_API int tf_write_index_file(const TfIndex* index, const char* path);
TF_API int tf_read_index_file(TfIndex** out, const char* path, int io_flags);
/* Reads from an open file descriptor (from its start), so what is read is the file the caller
 * opened and validated, even if the path is replaced meanwhile. The descriptor stays open. */
TF_API int tf_read_index_fd(TfIndex** out, intptr_t fd, int io_flags);
TF_API int tf_write_index_buffer(TfBuffer** out, const TfIndex* index);
TF_API const uint8_t* tf_buffer_data(const TfBuffer* buffer);
TF_API size_t tf_buffer_size(const TfBuffer* buffer);
TF_API void tf_buffer_free(TfBuffer* buffer);
TF_API int tf_read_index_buffer(TfIndex** out, const uint8_t* data, size_t size);

/* IVF / IVF-PQ internals, so training and encoding can run outside FAISS while the file stays a
 * normal FAISS index. All of these find the IVF index through IndexPreTransform/IndexIDMap. */
typedef struct TfIvfInfo {
    int64_t nlist;
    int64_t nprobe;      /* lists a search visits: min(stored nprobe, nlist) */
    int64_t code_size;   /* bytes per vector in the inverted lists */
    int is_pq;           /* 1 for IndexIVFPQ */
    int pq_m;            /* PQ sub-quantizers */
    int pq_nbits;        /* bits per sub-quantizer code */
    int by_residual;     /* PQ encodes x - centroid */
    int polysemous;      /* do_polysemous_training */
    int is_direct;       /* 1 when the index is the IVF index itself (no wrapper) */
} TfIvfInfo;

TF_API int tf_ivf_info(const TfIndex* index, TfIvfInfo* info);
TF_API int tf_ivf_set_nprobe(TfIndex* index, int64_t nprobe);
/* Replaces the coarse quantizer's centroids (nlist * d floats). */
TF_API int tf_ivf_set_centroids(TfIndex* index, const float* centroids, int64_t nlist);
TF_API int tf_ivf_get_centroids(const TfIndex* index, float* centroids);
/* Sets the PQ codebooks (M * ksub * dsub floats, layout (M, ksub, dsub)), precomputes the
 * search tables and marks the index trained. */
TF_API int tf_ivfpq_set_pq_centroids(TfIndex* index, const float* centroids);
TF_API int tf_ivfpq_get_pq_centroids(const TfIndex* index, float* centroids);
/* Marks an IVF index trained once its quantizer (and codebooks) are set. */
TF_API int tf_ivf_set_trained(TfIndex* index);
/* Appends already encoded entries: list_nos[n], codes[n * code_size], ids[n]. */
TF_API int tf_ivf_add_preencoded(TfIndex* index, int64_t n, const int64_t* list_nos,
                                 const uint8_t* codes, const int64_t* ids);
/* Size of one inverted list, and a copy of its ids / codes (for verification and tests). */
TF_API int tf_ivf_list_size(const TfIndex* index, int64_t list_no, int64_t* size);
TF_API int tf_ivf_get_list(const TfIndex* index, int64_t list_no, int64_t* ids, uint8_t* codes);
/* FAISS's own encoder, for parity tests: list numbers and codes of n vectors. */
TF_API int tf_ivf_encode(const TfIndex* index, int64_t n, const float* x, int64_t* list_nos,
                         uint8_t* codes);

#ifdef __cplusplus
}
#endif
#endif
