#include "embed/Knn.h"

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

// The queries are split over the OpenMP threads (ExactScan, searchInParallel), so each part's
// distance products must stay on its own thread. A threaded OpenBLAS behind libblas.so.3 would
// start its own pool inside every part and spin against them (a third of the run in sched_yield at
// 70k rows). Looked up at run time: the reference BLAS has no such call and needs none.
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

// How faiss's HNSW index reports a distance, converted to what KnnGraph promises.
enum class RawDistance { SquaredL2, SquaredL2OfUnitVectors };

float convertDistance(float raw, RawDistance kind) {
    return kind == RawDistance::SquaredL2 ? std::sqrt(std::max(raw, 0.0f)) : 0.5f * raw;
}

// Copies one query's k+1 results without the query itself; among exact duplicates the query may
// be missing from the list, in which case the farthest result goes instead.
template <typename Label>
void dropSelf(int query, int k, const Label* labels, const float* distances, int* outIndices,
              float* outDistances) {
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
        outDistances[written] = distances[j];
        ++written;
    }
}

// The expansion |a - b|^2 = |a|^2 + |b|^2 - 2ab leaves an error of about 1e-3 on the distance of
// coincident points; recomputing the k kept distances directly is cheap and exact.
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

// ---- exact search: BLAS products and a threshold scan --------------------------------------

/// The count nearest candidates seen so far as a max-heap on distance: the root is the one to
/// beat, so almost every candidate is rejected by one comparison.
class NearestHeap {
public:
    explicit NearestHeap(int count) : distances_(count), labels_(count), sorted_(count) {}
    int size() const { return int(distances_.size()); }
    void clear() {
        std::fill(distances_.begin(), distances_.end(), std::numeric_limits<float>::infinity());
        std::fill(labels_.begin(), labels_.end(), -1);
    }
    float worst() const { return distances_[0]; }
    void replaceWorst(float distance, int label) {
        const int size = int(distances_.size());
        int i = 0;
        for (;;) {
            int child = 2 * i + 1;
            if (child >= size)
                break;
            if (child + 1 < size && distances_[child + 1] > distances_[child])
                ++child;
            if (distances_[child] <= distance)
                break;
            distances_[i] = distances_[child];
            labels_[i] = labels_[child];
            i = child;
        }
        distances_[i] = distance;
        labels_[i] = label;
    }
    /// Nearest first; leaves the heap to be cleared.
    void sortInto(float* distances, int* labels) {
        for (std::size_t j = 0; j < sorted_.size(); ++j)
            sorted_[j] = {distances_[j], labels_[j]};
        std::sort(sorted_.begin(), sorted_.end());
        for (std::size_t j = 0; j < sorted_.size(); ++j) {
            distances[j] = sorted_[j].first;
            labels[j] = sorted_[j].second;
        }
    }

private:
    std::vector<float> distances_;
    std::vector<int> labels_;
    std::vector<std::pair<float, int>> sorted_; // sortInto's scratch
};

constexpr int kQueryBlock = 256;    // queries per product: candidates are packed once for all
constexpr int kDatabaseBlock = 512; // candidates per product: the block of products fits L2
constexpr int kRun = 32;            // candidates per vectorised run of the scan

extern "C" void sgemm_(const char* transa, const char* transb, const int* m, const int* n,
                       const int* k, const float* alpha, const float* a, const int* lda,
                       const float* b, const int* ldb, const float* beta, float* c, const int* ldc);

/// One thread's share: queries [begin, end) against every point, their k + 1 nearest (self
/// included) as ranking distances: squared euclidean, or 1 - cos for unit rows.
class ExactScan {
public:
    ExactScan(const float* points, const float* squaredNorms, int rows, int dims, int count)
        : points_(points), norms_(squaredNorms), rows_(rows), dims_(dims),
          products_(std::size_t(kQueryBlock) * kDatabaseBlock),
          heaps_(kQueryBlock, NearestHeap(count)) {}

    void run(int begin, int end, bool cosine, float* distances, int* labels) {
        const int count = heaps_[0].size();
        for (int first = begin; first < end; first += kQueryBlock) {
            const int queries = std::min(kQueryBlock, end - first);
            for (int q = 0; q < queries; ++q)
                heaps_[q].clear();
            for (int candidate = 0; candidate < rows_; candidate += kDatabaseBlock)
                scanBlock(first, queries, candidate, std::min(kDatabaseBlock, rows_ - candidate),
                          cosine);
            for (int q = 0; q < queries; ++q) {
                const std::size_t out = std::size_t(first - begin + q) * count;
                heaps_[q].sortInto(distances + out, labels + out);
            }
        }
    }

private:
    void scanBlock(int firstQuery, int queries, int firstCandidate, int candidates, bool cosine) {
        // Column-major products: column q holds query q's dot products with the candidates.
        const float one = 1.0f, zero = 0.0f;
        const char transposed = 'T', plain = 'N';
        sgemm_(&transposed, &plain, &candidates, &queries, &dims_, &one,
               points_ + std::size_t(firstCandidate) * dims_, &dims_,
               points_ + std::size_t(firstQuery) * dims_, &dims_, &zero, products_.data(),
               &candidates);
        const float* candidateNorms = norms_ + firstCandidate;
        for (int q = 0; q < queries; ++q) {
            float* column = products_.data() + std::size_t(q) * candidates;
            // Ranking distances in short runs the compiler vectorises, with their minimum: a run
            // whose minimum does not beat the current k-th nearest is passed over whole.
            NearestHeap& heap = heaps_[q];
            const float queryNorm = norms_[firstQuery + q];
            float worst = heap.worst();
            for (int run = 0; run < candidates; run += kRun) {
                const int length = std::min(kRun, candidates - run);
                float* values = column + run;
                float least = std::numeric_limits<float>::infinity();
                if (cosine) {
                    for (int c = 0; c < length; ++c) {
                        values[c] = 1.0f - values[c];
                        least = std::min(least, values[c]);
                    }
                } else {
                    for (int c = 0; c < length; ++c) {
                        values[c] = queryNorm + candidateNorms[run + c] - 2.0f * values[c];
                        least = std::min(least, values[c]);
                    }
                }
                if (least >= worst)
                    continue;
                for (int c = 0; c < length; ++c)
                    if (values[c] < worst) {
                        heap.replaceWorst(values[c], firstCandidate + run + c);
                        worst = heap.worst();
                    }
            }
        }
    }

    const float* points_;
    const float* norms_;
    int rows_, dims_;
    std::vector<float> products_;
    std::vector<NearestHeap> heaps_;
};

std::vector<float> squaredNorms(const float* points, int rows, int dims) {
    std::vector<float> norms(rows);
#pragma omp parallel for schedule(static)
    for (int i = 0; i < rows; ++i) {
        float sum = 0.0f;
        for (int d = 0; d < dims; ++d)
            sum += points[std::size_t(i) * dims + d] * points[std::size_t(i) * dims + d];
        norms[i] = sum;
    }
    return norms;
}

// Queries per batch: about a second of products on one core, so cancel stays prompt, in whole
// query blocks per thread so that no thread waits for another at the batch's end.
int exactBatch(int rows, int dims, int threads) {
    const int unit = kQueryBlock * threads;
    const double perQuery = 2.0 * double(rows) * dims;
    const int units = std::max(1, int(kExactFlopsPerBatch * threads / perQuery / unit));
    return std::min(rows, units * unit);
}

void searchExact(const float* points, int rows, int dims, int k, Metric metric,
                 ProgressSink* progress, KnnGraph& graph) {
    const std::vector<float> norms = squaredNorms(points, rows, dims);
    const bool cosine = metric == Metric::Cosine;
    const int count = k + 1;
    const int threads = std::max(1, omp_get_max_threads());
    const int batch = exactBatch(rows, dims, threads);
    std::vector<float> distances(std::size_t(batch) * count);
    std::vector<int> labels(distances.size());
    for (int begin = 0; begin < rows; begin += batch) {
        checkpoint(progress, "finding nearest neighbours", double(begin) / rows);
        const int size = std::min(batch, rows - begin);
        // Whole query blocks per thread, in static order: the result does not depend on timing.
        const int blocks = (size + kQueryBlock - 1) / kQueryBlock;
#pragma omp parallel num_threads(threads)
        {
            ExactScan scan(points, norms.data(), rows, dims, count);
#pragma omp for schedule(static)
            for (int block = 0; block < blocks; ++block) {
                const int first = block * kQueryBlock;
                const int end = std::min(size, first + kQueryBlock);
                scan.run(begin + first, begin + end, cosine,
                         distances.data() + std::size_t(first) * count,
                         labels.data() + std::size_t(first) * count);
            }
        }
#pragma omp parallel for schedule(static)
        for (int q = 0; q < size; ++q) {
            const std::size_t in = std::size_t(q) * count;
            const std::size_t out = std::size_t(begin + q) * k;
            int* indices = graph.indices.data() + out;
            float* kept = graph.distances.data() + out;
            dropSelf(begin + q, k, labels.data() + in, distances.data() + in, indices, kept);
            if (cosine)
                continue;
            refineEuclidean(points, dims, begin + q, k, indices, kept);
        }
    }
    checkpoint(progress, "finding nearest neighbours", 1.0);
}

// ---- approximate search: faiss HNSW --------------------------------------------------------

std::unique_ptr<faiss::Index> buildHnsw(const float* points, int rows, int dims, int k,
                                        ProgressSink* progress) {
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

// The queries are split over the OpenMP threads; faiss's own parallel loops then run serially
// inside each part.
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

void searchApproximate(const float* points, int rows, int dims, int k, RawDistance kind,
                       ProgressSink* progress, KnnGraph& graph) {
    const auto index = buildHnsw(points, rows, dims, k, progress);
    const int batch = std::min(kBatch, rows);
    std::vector<float> raw(std::size_t(batch) * (k + 1));
    std::vector<FaissIndex> labels(raw.size());
    for (int begin = 0; begin < rows; begin += batch) {
        checkpoint(progress, "finding nearest neighbours", 0.5 + 0.5 * begin / rows);
        const int count = std::min(batch, rows - begin);
        searchInParallel(*index, points + std::size_t(begin) * dims, count, k + 1, raw.data(),
                         labels.data());
#pragma omp parallel for schedule(static)
        for (int q = 0; q < count; ++q) {
            const std::size_t in = std::size_t(q) * (k + 1);
            for (int j = 0; j <= k; ++j)
                raw[in + j] = convertDistance(raw[in + j], kind);
            const std::size_t out = std::size_t(begin + q) * k;
            int* indices = graph.indices.data() + out;
            float* distances = graph.distances.data() + out;
            dropSelf(begin + q, k, labels.data() + in, raw.data() + in, indices, distances);
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

    KnnGraph graph;
    graph.rows = rows;
    graph.k = k;
    graph.indices.resize(std::size_t(rows) * k);
    graph.distances.resize(graph.indices.size());
    if (approximate)
        searchApproximate(points, rows, dims, k,
                          metric == Metric::Euclidean ? RawDistance::SquaredL2
                                                      : RawDistance::SquaredL2OfUnitVectors,
                          progress, graph);
    else
        searchExact(points, rows, dims, k, metric, progress, graph);
    return graph;
}

} // namespace scenelens::embed
