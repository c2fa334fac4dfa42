#include "embed/Knn.h"

#include <faiss/IndexFlat.h>
#include <faiss/IndexHNSW.h>
#include <omp.h>

#include <dlfcn.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

namespace scenelens::embed {

namespace {

using FaissIndex = faiss::Index::idx_t;

constexpr int kExactLimit = 200000;
constexpr int kBatch = 16384;
// About a second of exact search per batch on one core keeps cancel prompt for large sets.
constexpr double kExactFlopsPerBatch = 2e9;
constexpr int kHnswM = 32;

// The caller may have narrowed OpenMP for its own loops; the neighbour search dominates the cost,
// so it takes every core, except inside a parallel region where nesting would oversubscribe.
class OmpThreads {
public:
    OmpThreads() : previous_(omp_get_max_threads()) {
        omp_set_num_threads(
            omp_in_parallel() ? 1 : int(std::max(1u, std::thread::hardware_concurrency())));
    }
    ~OmpThreads() { omp_set_num_threads(previous_); }
    OmpThreads(const OmpThreads&) = delete;
    OmpThreads& operator=(const OmpThreads&) = delete;

private:
    int previous_;
};

// The queries are split over the OpenMP threads (searchInParallel), so each part's distance
// products must stay on its own thread. A threaded OpenBLAS behind libblas.so.3 would start its own
// pool inside every part and spin against them (a third of the run in sched_yield at 70k rows).
// Looked up at run time: the reference BLAS has no such call and needs none.
class SingleThreadedBlas {
public:
    SingleThreadedBlas()
        : set_(reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"))),
          get_(reinterpret_cast<GetThreads>(dlsym(RTLD_DEFAULT, "openblas_get_num_threads"))) {
        if (set_ && get_) {
            previous_ = get_();
            set_(1);
        }
    }
    ~SingleThreadedBlas() {
        if (set_ && get_)
            set_(previous_);
    }
    SingleThreadedBlas(const SingleThreadedBlas&) = delete;
    SingleThreadedBlas& operator=(const SingleThreadedBlas&) = delete;

private:
    using SetThreads = void (*)(int);
    using GetThreads = int (*)();
    SetThreads set_;
    GetThreads get_;
    int previous_ = 1;
};

} // namespace

std::vector<float> normalisedRows(const float* data, int rows, int dims) {
    std::vector<float> copy(data, data + std::size_t(rows) * dims);
#pragma omp parallel for schedule(static)
    for (int i = 0; i < rows; ++i) {
        float* row = copy.data() + std::size_t(i) * dims;
        double norm = 0.0;
        for (int j = 0; j < dims; ++j)
            norm += double(row[j]) * row[j];
        const float scale = norm > 0.0 ? float(1.0 / std::sqrt(norm)) : 0.0f;
        for (int j = 0; j < dims; ++j)
            row[j] *= scale;
    }
    return copy;
}

namespace {

// How faiss reports a distance for each index kind, converted to what KnnGraph promises.
enum class RawDistance { SquaredL2, InnerProduct, SquaredL2OfUnitVectors };

float convertDistance(float raw, RawDistance kind) {
    switch (kind) {
    case RawDistance::SquaredL2:
        return std::sqrt(std::max(raw, 0.0f));
    case RawDistance::InnerProduct:
        return 1.0f - raw;
    case RawDistance::SquaredL2OfUnitVectors:
        return 0.5f * raw; // |a - b|^2 = 2 - 2 cos for unit vectors
    }
    return raw;
}

// Copies one query's k+1 results without the query itself; among exact duplicates the query may
// be missing from the list, in which case the farthest result goes instead.
void dropSelf(int query, int k, const FaissIndex* labels, const float* raw, RawDistance kind,
              int* outIndices, float* outDistances) {
    int self = k;
    for (int j = 0; j <= k; ++j)
        if (labels[j] == query) {
            self = j;
            break;
        }
    int written = 0;
    for (int j = 0; j <= k && written < k; ++j) {
        if (j == self)
            continue;
        outIndices[written] = int(labels[j]);
        outDistances[written] = convertDistance(raw[j], kind);
        ++written;
    }
}

// faiss expands |a - b|^2 as |a|^2 + |b|^2 - 2ab, which leaves an error of about 1e-3 on the
// distance of coincident points; recomputing the k kept distances directly is cheap and exact.
void refineEuclidean(const float* points, int dims, int query, int k, int* indices,
                     float* distances) {
    const float* a = points + std::size_t(query) * dims;
    for (int j = 0; j < k; ++j) {
        if (indices[j] < 0) {
            distances[j] = std::numeric_limits<float>::infinity();
            continue;
        }
        const float* b = points + std::size_t(indices[j]) * dims;
        double sum = 0.0;
        for (int d = 0; d < dims; ++d)
            sum += (double(a[d]) - b[d]) * (double(a[d]) - b[d]);
        distances[j] = float(std::sqrt(sum));
    }
    // Already nearly sorted: insertion sort restores the order the exact distances give.
    for (int j = 1; j < k; ++j)
        for (int m = j; m > 0 && distances[m] < distances[m - 1]; --m) {
            std::swap(distances[m], distances[m - 1]);
            std::swap(indices[m], indices[m - 1]);
        }
}

std::unique_ptr<faiss::Index> buildIndex(const float* points, int rows, int dims, int k,
                                         Metric metric, bool approximate, ProgressSink* progress) {
    if (!approximate) {
        std::unique_ptr<faiss::Index> index;
        if (metric == Metric::Cosine)
            index = std::make_unique<faiss::IndexFlatIP>(dims);
        else
            index = std::make_unique<faiss::IndexFlatL2>(dims);
        index->add(rows, points);
        return index;
    }
    auto hnsw = std::make_unique<faiss::IndexHNSWFlat>(dims, kHnswM);
    hnsw->hnsw.efConstruction = 80;
    hnsw->hnsw.efSearch = std::max(64, 2 * (k + 1));
    // HNSW insertion is the expensive half of the work: add in batches so cancel stays prompt.
    for (int begin = 0; begin < rows; begin += kBatch) {
        checkpoint(progress, "building neighbour index", 0.5 * begin / rows);
        hnsw->add(std::min(kBatch, rows - begin), points + std::size_t(begin) * dims);
    }
    return hnsw;
}

// The queries are split over the OpenMP threads, each part's distance products on one BLAS thread;
// faiss's own parallel loops then run serially inside each part.
void searchInParallel(const faiss::Index& index, const float* queries, int count, int neighbours,
                      float* raw, FaissIndex* labels) {
    const int parts = std::max(1, std::min(omp_get_max_threads(), count));
    const int partSize = (count + parts - 1) / parts;
#pragma omp parallel for schedule(static)
    for (int part = 0; part < parts; ++part) {
        const int begin = part * partSize;
        const int size = std::min(partSize, count - begin);
        const std::size_t offset = std::size_t(begin) * neighbours;
        if (size > 0)
            index.search(size, queries + std::size_t(begin) * index.d, neighbours, raw + offset,
                         labels + offset);
    }
}

int queryBatch(int rows, int dims, bool approximate) {
    if (approximate)
        return std::min(kBatch, rows);
    const double perQuery = 2.0 * double(rows) * dims;
    return std::clamp(int(kExactFlopsPerBatch / perQuery), std::min(64, rows),
                      std::min(kBatch, rows));
}

void searchAll(const faiss::Index& index, const float* points, int rows, int dims, int k,
               RawDistance kind, bool approximate, ProgressSink* progress, KnnGraph& graph) {
    const double progressStart = approximate ? 0.5 : 0.0;
    const int batch = queryBatch(rows, dims, approximate);
    std::vector<float> raw(std::size_t(batch) * (k + 1));
    std::vector<FaissIndex> labels(raw.size());
    for (int begin = 0; begin < rows; begin += batch) {
        checkpoint(progress, "finding nearest neighbours",
                   progressStart + (1.0 - progressStart) * begin / rows);
        const int count = std::min(batch, rows - begin);
        searchInParallel(index, points + std::size_t(begin) * dims, count, k + 1, raw.data(),
                         labels.data());
#pragma omp parallel for schedule(static)
        for (int q = 0; q < count; ++q) {
            const std::size_t in = std::size_t(q) * (k + 1);
            const std::size_t out = std::size_t(begin + q) * k;
            int* indices = graph.indices.data() + out;
            float* distances = graph.distances.data() + out;
            dropSelf(begin + q, k, labels.data() + in, raw.data() + in, kind, indices, distances);
            if (kind == RawDistance::SquaredL2)
                refineEuclidean(points, dims, begin + q, k, indices, distances);
        }
    }
    checkpoint(progress, "finding nearest neighbours", 1.0);
}

} // namespace

KnnGraph nearestNeighbours(const float* data, int rows, int dims, int k, Metric metric,
                           KnnMethod method, ProgressSink* progress) {
    if (k < 1 || k >= rows)
        throw std::invalid_argument("nearestNeighbours: k must be in [1, " + std::to_string(rows) +
                                    "), got " + std::to_string(k));
    if (dims < 1)
        throw std::invalid_argument("nearestNeighbours: points have no dimensions");
    const OmpThreads threads;
    const SingleThreadedBlas blas;
    const bool approximate =
        method == KnnMethod::Approximate || (method == KnnMethod::Auto && rows > kExactLimit);
    std::vector<float> normalised;
    if (metric == Metric::Cosine)
        normalised = normalisedRows(data, rows, dims);
    const float* points = metric == Metric::Cosine ? normalised.data() : data;
    const RawDistance kind = metric == Metric::Euclidean ? RawDistance::SquaredL2
                             : approximate               ? RawDistance::SquaredL2OfUnitVectors
                                                         : RawDistance::InnerProduct;

    KnnGraph graph;
    graph.rows = rows;
    graph.k = k;
    graph.indices.resize(std::size_t(rows) * k);
    graph.distances.resize(graph.indices.size());
    const auto index = buildIndex(points, rows, dims, k, metric, approximate, progress);
    searchAll(*index, points, rows, dims, k, kind, approximate, progress, graph);
    return graph;
}

} // namespace scenelens::embed
