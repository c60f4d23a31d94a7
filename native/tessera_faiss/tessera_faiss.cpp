// tessera_faiss: C API over FAISS 1.7.x for Tessera.Indexing. See tessera_faiss.h.
#include "tessera_faiss.h"

#include <faiss/Index.h>
#include <faiss/IndexFlat.h>
#include <faiss/IndexIVF.h>
#include <faiss/IndexIVFPQ.h>
#include <faiss/IndexIDMap.h>
#include <faiss/IVFlib.h>
#include <faiss/MetricType.h>
#include <faiss/clone_index.h>
#include <faiss/impl/AuxIndexStructures.h>
#include <faiss/impl/FaissException.h>
#include <faiss/impl/io.h>
#include <faiss/index_factory.h>
#include <faiss/index_io.h>
#include <faiss/invlists/InvertedLists.h>
#include <omp.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <exception>
#include <memory>
#include <string>
#include <vector>

#include <unistd.h>

struct TfIndex_H {
    faiss::Index* index;
};

struct TfBuffer_H {
    std::vector<uint8_t> data;
};

struct TfRangeResult_H {
    faiss::RangeSearchResult result;
    explicit TfRangeResult_H(size_t nq) : result(nq) {}
};

namespace {

thread_local std::string g_last_error;

int fail(int code, const char* message) {
    g_last_error = message;
    return code;
}

template <typename F>
int guard(F&& body) {
    try {
        g_last_error.clear();
        return body();
    } catch (const faiss::FaissException& e) {
        return fail(TF_ERR_FAISS, e.what());
    } catch (const std::bad_alloc&) {
        return fail(TF_ERR_STD, "out of memory");
    } catch (const std::exception& e) {
        return fail(TF_ERR_STD, e.what());
    } catch (...) {
        return fail(TF_ERR_UNKNOWN, "unknown C++ exception");
    }
}

// Reads straight from the caller's buffer (FAISS's VectorIOReader would first copy all of it).
struct SpanIOReader : faiss::IOReader {
    const uint8_t* data;
    size_t size;
    size_t pos = 0;

    SpanIOReader(const uint8_t* data_, size_t size_) : data(data_), size(size_) {
        name = "<buffer>";
    }

    size_t operator()(void* ptr, size_t item_size, size_t nitems) override {
        if (item_size == 0 || nitems == 0 || pos >= size) return 0;
        size_t n = std::min(nitems, (size - pos) / item_size);
        std::memcpy(ptr, data + pos, n * item_size);
        pos += n * item_size;
        return n;
    }
};

TfIndex* wrap(faiss::Index* index) {
    auto* h = new TfIndex_H;
    h->index = index;
    return h;
}

faiss::IndexIVF* ivf_of(TfIndex* h) {
    return faiss::ivflib::try_extract_index_ivf(h->index);
}

const faiss::IndexIVF* ivf_of(const TfIndex* h) {
    return faiss::ivflib::try_extract_index_ivf(static_cast<const faiss::Index*>(h->index));
}

faiss::IndexIVFPQ* ivfpq_of(TfIndex* h) {
    return dynamic_cast<faiss::IndexIVFPQ*>(ivf_of(h));
}

const faiss::IndexIVFPQ* ivfpq_of(const TfIndex* h) {
    return dynamic_cast<const faiss::IndexIVFPQ*>(ivf_of(h));
}

// Labels of an id map's inner index are positions in its id_map.
void map_labels(const std::vector<faiss::Index::idx_t>& id_map, int64_t* labels, size_t count) {
    const auto size = static_cast<int64_t>(id_map.size());
    for (size_t i = 0; i < count; i++) {
        labels[i] = labels[i] >= 0 && labels[i] < size ? id_map[labels[i]] : -1;
    }
}

// k-NN search of an IVF index (bare, or inside IndexPreTransform and/or an id map) with a per-call
// nprobe. FAISS 1.7's wrappers do not forward search parameters, so id maps are unwrapped here and
// pre-transforms by the IVF library helper. nprobe is clamped to nlist first: the helper allocates
// n * nprobe entries.
void search_ivf(const faiss::Index* index, const faiss::IndexIVF* ivf, int64_t n, const float* x,
                int64_t k, int nprobe, float* distances, int64_t* labels) {
    faiss::IVFSearchParameters params;
    params.nprobe = std::min(static_cast<size_t>(nprobe), ivf->nlist);
    if (index == ivf) {
        index->search(n, x, k, distances, labels, &params);
    } else if (auto* idmap = dynamic_cast<const faiss::IndexIDMap*>(index)) {
        search_ivf(idmap->index, ivf, n, x, k, nprobe, distances, labels);
        map_labels(idmap->id_map, labels, static_cast<size_t>(n * k));
    } else {
        faiss::ivflib::search_with_parameters(index, n, x, k, distances, labels, &params);
    }
}

// Range search counterpart of search_ivf.
void range_search_ivf(const faiss::Index* index, const faiss::IndexIVF* ivf, int64_t n,
                      const float* x, float radius, int nprobe, faiss::RangeSearchResult* result) {
    faiss::IVFSearchParameters params;
    params.nprobe = std::min(static_cast<size_t>(nprobe), ivf->nlist);
    if (auto* idmap = dynamic_cast<const faiss::IndexIDMap*>(index)) {
        range_search_ivf(idmap->index, ivf, n, x, radius, nprobe, result);
        map_labels(idmap->id_map, result->labels, result->lims[n]);
    } else {
        faiss::ivflib::range_search_with_parameters(index, n, x, radius, result, &params);
    }
}

#define TF_REQUIRE(cond, msg)                      \
    do {                                           \
        if (!(cond)) return fail(TF_ERR_ARGUMENT, msg); \
    } while (0)

#define TF_REQUIRE_IVF(h, ivf)                                                     \
    auto* ivf = ivf_of(h);                                                         \
    if (ivf == nullptr) return fail(TF_ERR_UNSUPPORTED, "the index is not an IVF index")

#define TF_REQUIRE_IVFPQ(h, ivfpq)                                                 \
    auto* ivfpq = ivfpq_of(h);                                                     \
    if (ivfpq == nullptr) return fail(TF_ERR_UNSUPPORTED, "the index is not an IVF-PQ index")

} // namespace

extern "C" {

const char* tf_last_error(void) {
    return g_last_error.c_str();
}

const char* tf_faiss_version(void) {
#define TF_STR2(x) #x
#define TF_STR(x) TF_STR2(x)
    return TF_STR(FAISS_VERSION_MAJOR) "." TF_STR(FAISS_VERSION_MINOR) "." TF_STR(FAISS_VERSION_PATCH);
}

int tf_set_num_threads(int n) {
    TF_REQUIRE(n > 0, "thread count must be positive");
    omp_set_num_threads(n);
    return TF_OK;
}

int tf_get_max_threads(void) {
    return omp_get_max_threads();
}

int tf_index_factory(TfIndex** out, int d, const char* description, int metric) {
    TF_REQUIRE(out != nullptr, "out is null");
    *out = nullptr;
    TF_REQUIRE(d > 0, "dimension must be positive");
    TF_REQUIRE(description != nullptr, "description is null");
    TF_REQUIRE(metric == TF_METRIC_L2 || metric == TF_METRIC_INNER_PRODUCT, "unknown metric");
    return guard([&] {
        std::unique_ptr<faiss::Index> index(
                faiss::index_factory(d, description, static_cast<faiss::MetricType>(metric)));
        *out = wrap(index.release());
        return TF_OK;
    });
}

void tf_index_free(TfIndex* index) {
    if (index == nullptr) return;
    delete index->index;
    delete index;
}

int tf_index_clone(TfIndex** out, const TfIndex* index) {
    TF_REQUIRE(out != nullptr && index != nullptr, "null argument");
    *out = nullptr;
    return guard([&] {
        std::unique_ptr<faiss::Index> copy(faiss::clone_index(index->index));
        *out = wrap(copy.release());
        return TF_OK;
    });
}

int tf_index_d(const TfIndex* index) {
    return index ? index->index->d : -1;
}

int tf_index_is_trained(const TfIndex* index) {
    return index && index->index->is_trained ? 1 : 0;
}

int64_t tf_index_ntotal(const TfIndex* index) {
    return index ? index->index->ntotal : -1;
}

int tf_index_metric(const TfIndex* index) {
    return index ? static_cast<int>(index->index->metric_type) : -1;
}

int tf_index_train(TfIndex* index, int64_t n, const float* x) {
    TF_REQUIRE(index != nullptr && x != nullptr, "null argument");
    TF_REQUIRE(n > 0, "no training vectors");
    return guard([&] {
        index->index->train(n, x);
        return TF_OK;
    });
}

int tf_index_add(TfIndex* index, int64_t n, const float* x) {
    TF_REQUIRE(index != nullptr && (x != nullptr || n == 0), "null argument");
    TF_REQUIRE(n >= 0, "negative count");
    return guard([&] {
        FAISS_THROW_IF_NOT_MSG(index->index->is_trained, "the index is not trained: train it before adding vectors");
        index->index->add(n, x);
        return TF_OK;
    });
}

int tf_index_add_with_ids(TfIndex* index, int64_t n, const float* x, const int64_t* ids) {
    TF_REQUIRE(index != nullptr && ((x != nullptr && ids != nullptr) || n == 0), "null argument");
    TF_REQUIRE(n >= 0, "negative count");
    return guard([&] {
        FAISS_THROW_IF_NOT_MSG(index->index->is_trained, "the index is not trained: train it before adding vectors");
        index->index->add_with_ids(n, x, ids);
        return TF_OK;
    });
}

int tf_index_search(const TfIndex* index, int64_t n, const float* x, int64_t k, int nprobe,
                    float* distances, int64_t* labels) {
    TF_REQUIRE(index != nullptr && x != nullptr && distances != nullptr && labels != nullptr,
               "null argument");
    TF_REQUIRE(n >= 0, "negative query count");
    TF_REQUIRE(k > 0, "k must be positive");
    return guard([&] {
        FAISS_THROW_IF_NOT_MSG(index->index->is_trained, "the index is not trained");
        const faiss::IndexIVF* ivf = ivf_of(index);
        if (nprobe > 0 && ivf != nullptr) {
            search_ivf(index->index, ivf, n, x, k, nprobe, distances, labels);
        } else {
            index->index->search(n, x, k, distances, labels);
        }
        return TF_OK;
    });
}

int tf_index_range_search(const TfIndex* index, int64_t n, const float* x, float radius,
                          int nprobe, TfRangeResult** out) {
    TF_REQUIRE(out != nullptr, "out is null");
    *out = nullptr;
    TF_REQUIRE(index != nullptr && x != nullptr, "null argument");
    TF_REQUIRE(n >= 0, "negative query count");
    return guard([&] {
        FAISS_THROW_IF_NOT_MSG(index->index->is_trained, "the index is not trained");
        auto result = std::make_unique<TfRangeResult_H>(static_cast<size_t>(n));
        const faiss::IndexIVF* ivf = ivf_of(index);
        if (nprobe > 0 && ivf != nullptr) {
            range_search_ivf(index->index, ivf, n, x, radius, nprobe, &result->result);
        } else {
            index->index->range_search(n, x, radius, &result->result);
        }
        *out = result.release();
        return TF_OK;
    });
}

int tf_index_reconstruct(const TfIndex* index, int64_t key, float* recons) {
    TF_REQUIRE(index != nullptr && recons != nullptr, "null argument");
    return guard([&] {
        // IDMap2 (labels) and IVF (direct map) check their keys themselves; flat storage does not.
        const bool checks_own_keys =
                dynamic_cast<const faiss::IndexIDMap2*>(index->index) != nullptr ||
                dynamic_cast<const faiss::IndexIVF*>(index->index) != nullptr;
        if (!checks_own_keys) {
            FAISS_THROW_IF_NOT_FMT(key >= 0 && key < index->index->ntotal,
                                   "key %lld out of range [0, %lld)",
                                   static_cast<long long>(key),
                                   static_cast<long long>(index->index->ntotal));
        }
        index->index->reconstruct(key, recons);
        return TF_OK;
    });
}

int tf_index_reset(TfIndex* index) {
    TF_REQUIRE(index != nullptr, "null argument");
    return guard([&] {
        index->index->reset();
        return TF_OK;
    });
}

int tf_index_merge_from(TfIndex* index, TfIndex* other, int64_t add_id) {
    TF_REQUIRE(index != nullptr && other != nullptr, "null argument");
    TF_REQUIRE(index != other, "cannot merge an index into itself");
    return guard([&] {
        auto* a = ivf_of(index);
        auto* b = ivf_of(other);
        FAISS_THROW_IF_NOT_MSG(a != nullptr && b != nullptr, "merge_from needs two IVF indexes");
        FAISS_THROW_IF_NOT_MSG(a == index->index && b == other->index,
                               "merge_from needs bare IVF indexes (no wrapper)");
        a->merge_from(*b, add_id);
        return TF_OK;
    });
}

size_t tf_range_result_nq(const TfRangeResult* r) {
    return r ? r->result.nq : 0;
}

const size_t* tf_range_result_lims(const TfRangeResult* r) {
    return r ? r->result.lims : nullptr;
}

const int64_t* tf_range_result_labels(const TfRangeResult* r) {
    return r ? r->result.labels : nullptr;
}

const float* tf_range_result_distances(const TfRangeResult* r) {
    return r ? r->result.distances : nullptr;
}

void tf_range_result_free(TfRangeResult* r) {
    delete r;
}

int tf_write_index_file(const TfIndex* index, const char* path) {
    TF_REQUIRE(index != nullptr && path != nullptr, "null argument");
    return guard([&] {
        faiss::write_index(index->index, path);
        return TF_OK;
    });
}

int tf_read_index_file(TfIndex** out, const char* path, int io_flags) {
    TF_REQUIRE(out != nullptr, "out is null");
    *out = nullptr;
    TF_REQUIRE(path != nullptr, "path is null");
    return guard([&] {
        std::unique_ptr<faiss::Index> index(faiss::read_index(path, io_flags));
        *out = wrap(index.release());
        return TF_OK;
    });
}

int tf_read_index_fd(TfIndex** out, intptr_t fd, int io_flags) {
    TF_REQUIRE(out != nullptr, "out is null");
    *out = nullptr;
    TF_REQUIRE(fd >= 0 && fd <= INT32_MAX, "bad file descriptor");
    return guard([&] {
        // A duplicate, so closing the FILE leaves the caller's descriptor open; it shares the
        // file (and offset) with the caller, so rewind first.
        int copy = dup(static_cast<int>(fd));
        FAISS_THROW_IF_NOT_MSG(copy >= 0, "dup of the index file descriptor failed");
        FILE* file = fdopen(copy, "rb");
        if (file == nullptr) {
            close(copy);
            FAISS_THROW_MSG("fdopen of the index file descriptor failed");
        }
        std::unique_ptr<FILE, int (*)(FILE*)> closer(file, &fclose);
        FAISS_THROW_IF_NOT_MSG(fseek(file, 0, SEEK_SET) == 0, "cannot rewind the index file");
        std::unique_ptr<faiss::Index> index(faiss::read_index(file, io_flags));
        *out = wrap(index.release());
        return TF_OK;
    });
}

int tf_write_index_buffer(TfBuffer** out, const TfIndex* index) {
    TF_REQUIRE(out != nullptr, "out is null");
    *out = nullptr;
    TF_REQUIRE(index != nullptr, "null argument");
    return guard([&] {
        faiss::VectorIOWriter writer;
        faiss::write_index(index->index, &writer);
        auto buffer = std::make_unique<TfBuffer_H>();
        buffer->data.swap(writer.data);
        *out = buffer.release();
        return TF_OK;
    });
}

const uint8_t* tf_buffer_data(const TfBuffer* buffer) {
    return buffer ? buffer->data.data() : nullptr;
}

size_t tf_buffer_size(const TfBuffer* buffer) {
    return buffer ? buffer->data.size() : 0;
}

void tf_buffer_free(TfBuffer* buffer) {
    delete buffer;
}

int tf_read_index_buffer(TfIndex** out, const uint8_t* data, size_t size) {
    TF_REQUIRE(out != nullptr, "out is null");
    *out = nullptr;
    TF_REQUIRE(data != nullptr || size == 0, "null argument");
    return guard([&] {
        SpanIOReader reader(data, size);
        std::unique_ptr<faiss::Index> index(faiss::read_index(&reader));
        *out = wrap(index.release());
        return TF_OK;
    });
}

int tf_ivf_info(const TfIndex* index, TfIvfInfo* info) {
    TF_REQUIRE(index != nullptr && info != nullptr, "null argument");
    std::memset(info, 0, sizeof(*info));
    TF_REQUIRE_IVF(index, ivf);
    info->nlist = static_cast<int64_t>(ivf->nlist);
    // FAISS searches min(nprobe, nlist) lists; report that, so a stored nprobe beyond nlist
    // (legal, and up to 2^64 - 1 in a file) never reaches managed code as a negative number.
    info->nprobe = static_cast<int64_t>(std::min(ivf->nprobe, ivf->nlist));
    info->code_size = static_cast<int64_t>(ivf->code_size);
    info->is_direct = ivf == index->index ? 1 : 0;
    if (auto* pq = dynamic_cast<const faiss::IndexIVFPQ*>(ivf)) {
        info->is_pq = 1;
        info->pq_m = static_cast<int>(pq->pq.M);
        info->pq_nbits = static_cast<int>(pq->pq.nbits);
        info->by_residual = pq->by_residual ? 1 : 0;
        info->polysemous = pq->do_polysemous_training ? 1 : 0;
    }
    return TF_OK;
}

int tf_ivf_set_nprobe(TfIndex* index, int64_t nprobe) {
    TF_REQUIRE(index != nullptr, "null argument");
    TF_REQUIRE(nprobe > 0, "nprobe must be positive");
    TF_REQUIRE_IVF(index, ivf);
    ivf->nprobe = static_cast<size_t>(nprobe);
    return TF_OK;
}

int tf_ivf_set_centroids(TfIndex* index, const float* centroids, int64_t nlist) {
    TF_REQUIRE(index != nullptr && centroids != nullptr, "null argument");
    TF_REQUIRE_IVF(index, ivf);
    TF_REQUIRE(nlist == static_cast<int64_t>(ivf->nlist), "centroid count differs from nlist");
    return guard([&] {
        FAISS_THROW_IF_NOT_MSG(ivf->ntotal == 0, "the index already holds vectors");
        ivf->quantizer->reset();
        ivf->quantizer->add(nlist, centroids);
        return TF_OK;
    });
}

int tf_ivf_get_centroids(const TfIndex* index, float* centroids) {
    TF_REQUIRE(index != nullptr && centroids != nullptr, "null argument");
    TF_REQUIRE_IVF(index, ivf);
    return guard([&] {
        FAISS_THROW_IF_NOT_MSG(ivf->quantizer->ntotal == static_cast<faiss::Index::idx_t>(ivf->nlist),
                               "the coarse quantizer is not trained");
        ivf->quantizer->reconstruct_n(0, ivf->nlist, centroids);
        return TF_OK;
    });
}

int tf_ivfpq_set_pq_centroids(TfIndex* index, const float* centroids) {
    TF_REQUIRE(index != nullptr && centroids != nullptr, "null argument");
    TF_REQUIRE_IVFPQ(index, ivfpq);
    return guard([&] {
        FAISS_THROW_IF_NOT_MSG(ivfpq->ntotal == 0, "the index already holds vectors");
        auto& pq = ivfpq->pq;
        std::memcpy(pq.centroids.data(), centroids, pq.centroids.size() * sizeof(float));
        if (ivfpq->do_polysemous_training) {
            pq.compute_sdc_table();
        }
        if (ivfpq->by_residual &&
            ivfpq->quantizer->ntotal == static_cast<faiss::Index::idx_t>(ivfpq->nlist)) {
            ivfpq->precompute_table();
        }
        return TF_OK;
    });
}

int tf_ivfpq_get_pq_centroids(const TfIndex* index, float* centroids) {
    TF_REQUIRE(index != nullptr && centroids != nullptr, "null argument");
    TF_REQUIRE_IVFPQ(index, ivfpq);
    std::memcpy(centroids, ivfpq->pq.centroids.data(), ivfpq->pq.centroids.size() * sizeof(float));
    return TF_OK;
}

int tf_ivf_set_trained(TfIndex* index) {
    TF_REQUIRE(index != nullptr, "null argument");
    TF_REQUIRE_IVF(index, ivf);
    return guard([&] {
        FAISS_THROW_IF_NOT_MSG(ivf->quantizer->ntotal == static_cast<faiss::Index::idx_t>(ivf->nlist),
                               "set the coarse centroids before marking the index trained");
        ivf->quantizer->is_trained = true;
        ivf->is_trained = true;
        if (auto* pq = dynamic_cast<faiss::IndexIVFPQ*>(ivf)) {
            if (pq->by_residual) pq->precompute_table();
        }
        // Wrappers report trained once their sub-index is.
        index->index->is_trained = true;
        return TF_OK;
    });
}

int tf_ivf_add_preencoded(TfIndex* index, int64_t n, const int64_t* list_nos,
                          const uint8_t* codes, const int64_t* ids) {
    TF_REQUIRE(index != nullptr, "null argument");
    TF_REQUIRE(n >= 0, "negative count");
    TF_REQUIRE(n == 0 || (list_nos != nullptr && codes != nullptr && ids != nullptr),
               "null argument");
    TF_REQUIRE_IVF(index, ivf);
    TF_REQUIRE(ivf == index->index, "pre-encoded entries need a bare IVF index (no wrapper)");
    return guard([&] {
        FAISS_THROW_IF_NOT_MSG(ivf->is_trained, "the index is not trained");
        FAISS_THROW_IF_NOT_MSG(ivf->direct_map.type == faiss::DirectMap::NoMap,
                               "pre-encoded add does not maintain a direct map");
        const size_t cs = ivf->code_size;
        for (int64_t i = 0; i < n; i++) {
            FAISS_THROW_IF_NOT_FMT(list_nos[i] >= 0 && list_nos[i] < static_cast<int64_t>(ivf->nlist),
                                   "list number %lld out of range", static_cast<long long>(list_nos[i]));
        }
        for (int64_t i = 0; i < n; i++) {
            ivf->invlists->add_entry(static_cast<size_t>(list_nos[i]), ids[i], codes + i * cs);
        }
        ivf->ntotal += n;
        return TF_OK;
    });
}

int tf_ivf_list_size(const TfIndex* index, int64_t list_no, int64_t* size) {
    TF_REQUIRE(index != nullptr && size != nullptr, "null argument");
    TF_REQUIRE_IVF(index, ivf);
    TF_REQUIRE(list_no >= 0 && list_no < static_cast<int64_t>(ivf->nlist), "list number out of range");
    *size = static_cast<int64_t>(ivf->invlists->list_size(static_cast<size_t>(list_no)));
    return TF_OK;
}

int tf_ivf_get_list(const TfIndex* index, int64_t list_no, int64_t* ids, uint8_t* codes) {
    TF_REQUIRE(index != nullptr, "null argument");
    TF_REQUIRE_IVF(index, ivf);
    TF_REQUIRE(list_no >= 0 && list_no < static_cast<int64_t>(ivf->nlist), "list number out of range");
    return guard([&] {
        const size_t ln = static_cast<size_t>(list_no);
        const size_t size = ivf->invlists->list_size(ln);
        if (size == 0) return TF_OK;
        faiss::InvertedLists::ScopedIds sids(ivf->invlists, ln);
        faiss::InvertedLists::ScopedCodes scodes(ivf->invlists, ln);
        if (ids != nullptr) std::memcpy(ids, sids.get(), size * sizeof(int64_t));
        if (codes != nullptr) std::memcpy(codes, scodes.get(), size * ivf->code_size);
        return TF_OK;
    });
}

int tf_ivf_encode(const TfIndex* index, int64_t n, const float* x, int64_t* list_nos,
                  uint8_t* codes) {
    TF_REQUIRE(index != nullptr && x != nullptr && list_nos != nullptr && codes != nullptr,
               "null argument");
    TF_REQUIRE_IVF(index, ivf);
    TF_REQUIRE(ivf == index->index, "encode needs a bare IVF index (no wrapper)");
    return guard([&] {
        FAISS_THROW_IF_NOT_MSG(ivf->is_trained, "the index is not trained");
        std::vector<faiss::Index::idx_t> coarse(n);
        ivf->quantizer->assign(n, x, coarse.data());
        ivf->encode_vectors(n, x, coarse.data(), codes, false);
        for (int64_t i = 0; i < n; i++) list_nos[i] = coarse[i];
        return TF_OK;
    });
}

} // extern "C"
