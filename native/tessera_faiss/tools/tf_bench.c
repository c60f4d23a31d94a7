/*
 * tf_bench: times FAISS training, adding and searching through a given libtessera_faiss.so, so two
 * builds of the shim (e.g. OpenBLAS shared vs linked in) can be compared on the same machine.
 *
 *   gcc -O2 -o tf_bench native/tessera_faiss/tools/tf_bench.c -ldl
 *   ./tf_bench artifacts/native/linux-x64/libtessera_faiss.so [factory] [n_train] [n_base] [n_query] [threads]
 *
 * Data: deterministic clustered 128-d vectors (64 Gaussian-ish clusters from a fixed LCG), so every
 * run and every build sees the same input. Prints one line: train, add and search seconds (wall and
 * process CPU time), and a checksum of the search labels (equal across builds when the arithmetic is the same).
 */
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define D 128

typedef int (*factory_fn)(void**, int, const char*, int);
typedef int (*train_fn)(void*, int64_t, const float*);
typedef int (*add_fn)(void*, int64_t, const float*);
typedef int (*search_fn)(const void*, int64_t, const float*, int64_t, int, float*, int64_t*);
typedef int (*threads_fn)(int);
typedef const char* (*error_fn)(void);

static uint64_t state = 0x9E3779B97F4A7C15ull;
static float next_uniform(void) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return (float)((state >> 40) & 0xFFFFFF) / (float)0x1000000;
}

static void fill(float* x, int64_t n, const float* centres) {
    for (int64_t i = 0; i < n; i++) {
        const float* c = centres + (int64_t)(next_uniform() * 64) * D;
        for (int j = 0; j < D; j++) {
            float noise = next_uniform() + next_uniform() + next_uniform() - 1.5f;
            x[i * D + j] = c[j] + 0.1f * noise;
        }
    }
}

static double clock_seconds(clockid_t id) {
    struct timespec t;
    clock_gettime(id, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}
static double now(void) { return clock_seconds(CLOCK_MONOTONIC); }
/* CPU time of all threads: on a shared, oversubscribed machine it varies far less than wall time. */
static double cpu(void) { return clock_seconds(CLOCK_PROCESS_CPUTIME_ID); }

#define LOAD(type, name) type name = (type)dlsym(lib, "tf_" #name); if (!name) { fprintf(stderr, "no tf_%s\n", #name); return 1; }

int main(int argc, char** argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s libtessera_faiss.so [factory] [n_train] [n_base] [n_query] [threads]\n", argv[0]);
        return 2;
    }
    const char* factory_string = argc > 2 ? argv[2] : "IVF256,PQ16np";
    int64_t n_train = argc > 3 ? atoll(argv[3]) : 16384;
    int64_t n_base = argc > 4 ? atoll(argv[4]) : 65536;
    int64_t n_query = argc > 5 ? atoll(argv[5]) : 10000;
    int threads = argc > 6 ? atoi(argv[6]) : 0;

    void* lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!lib) { fprintf(stderr, "%s\n", dlerror()); return 1; }
    LOAD(factory_fn, index_factory) LOAD(train_fn, index_train) LOAD(add_fn, index_add)
    LOAD(search_fn, index_search) LOAD(threads_fn, set_num_threads) LOAD(error_fn, last_error)
    if (threads > 0) set_num_threads(threads);

    float* centres = malloc(sizeof(float) * 64 * D);
    for (int i = 0; i < 64 * D; i++) centres[i] = next_uniform();
    float* train = malloc(sizeof(float) * n_train * D);
    float* base = malloc(sizeof(float) * n_base * D);
    float* query = malloc(sizeof(float) * n_query * D);
    fill(train, n_train, centres);
    fill(base, n_base, centres);
    fill(query, n_query, centres);
    float* distances = malloc(sizeof(float) * n_query * 10);
    int64_t* labels = malloc(sizeof(int64_t) * n_query * 10);

    void* index = NULL;
    if (index_factory(&index, D, factory_string, 1)) { fprintf(stderr, "%s\n", last_error()); return 1; }
    double t0 = now(), c0 = cpu();
    if (index_train(index, n_train, train)) { fprintf(stderr, "%s\n", last_error()); return 1; }
    double t1 = now(), c1 = cpu();
    if (index_add(index, n_base, base)) { fprintf(stderr, "%s\n", last_error()); return 1; }
    double t2 = now(), c2 = cpu();
    if (index_search(index, n_query, query, 10, 16, distances, labels)) { fprintf(stderr, "%s\n", last_error()); return 1; }
    double t3 = now(), c3 = cpu();

    uint64_t checksum = 0;
    for (int64_t i = 0; i < n_query * 10; i++) checksum = checksum * 31 + (uint64_t)labels[i];
    printf("%s: train %.2f s wall / %.2f s cpu (%lld vectors), add %.2f / %.2f (%lld), "
           "search %.2f / %.2f (%lld queries, k 10, nprobe 16), labels %016llx\n",
           factory_string, t1 - t0, c1 - c0, (long long)n_train, t2 - t1, c2 - c1, (long long)n_base,
           t3 - t2, c3 - c2, (long long)n_query, (unsigned long long)checksum);
    return 0;
}
