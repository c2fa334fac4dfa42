#include "embed/Metrics.h"

#include <faiss/IndexFlat.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <map>
#include <random>
#include <stdexcept>
#include <thread>

namespace scenelens::embed {

namespace {

constexpr int kRowsPerTask = 16;

// Runs work(begin, end, worker) over [0, rows) in small tasks on every core; worker indexes the
// caller's per-thread state.
template <typename Work> void parallelRows(int rows, int workers, const Work& work) {
    std::atomic<int> next{0};
    const auto loop = [&](int worker) {
        for (int begin = next.fetch_add(kRowsPerTask); begin < rows;
             begin = next.fetch_add(kRowsPerTask))
            work(begin, std::min(rows, begin + kRowsPerTask), worker);
    };
    std::vector<std::thread> threads;
    for (int w = 1; w < workers; ++w)
        threads.emplace_back(loop, w);
    loop(0);
    for (std::thread& t : threads)
        t.join();
}

int workerCount(int rows) {
    const int cores = int(std::max(1u, std::thread::hardware_concurrency()));
    return std::max(1, std::min(cores, rows / kRowsPerTask));
}

// Distances from one row to all rows; only their order matters, so squared Euclidean, or 1 - cos
// on rows normalised beforehand.
struct Space {
    const float* data;
    int dims;
    bool cosine;

    void distancesFrom(int i, int rows, double* out) const {
        const float* a = data + std::size_t(i) * dims;
        for (int j = 0; j < rows; ++j)
            out[j] = cosine ? 1.0 - dot(a, data + std::size_t(j) * dims)
                            : squaredDistance(a, data + std::size_t(j) * dims);
    }

    double dot(const float* a, const float* b) const {
        double sum = 0.0;
        for (int d = 0; d < dims; ++d)
            sum += double(a[d]) * b[d];
        return sum;
    }

    double squaredDistance(const float* a, const float* b) const {
        double sum = 0.0;
        for (int d = 0; d < dims; ++d) {
            const double diff = double(a[d]) - b[d];
            sum += diff * diff;
        }
        return sum;
    }
};

// Ties are broken by index so that an identical embedding gives identical neighbourhoods.
bool closer(const double* dist, int a, int b) {
    return dist[a] < dist[b] || (dist[a] == dist[b] && a < b);
}

int rankOf(const double* dist, int rows, int self, int j) {
    int rank = 1;
    for (int l = 0; l < rows; ++l)
        rank += l != self && closer(dist, l, j);
    return rank;
}

struct Scratch {
    std::vector<double> high, low;
    std::vector<int> order, highNeighbours, lowNeighbours;
    std::vector<char> inHigh, inLow;
};

struct Sums {
    double trust = 0.0, continuity = 0.0, preserved = 0.0, hits = 0.0;
};

void kNearest(const double* dist, int rows, int self, int k, std::vector<int>& order,
              std::vector<int>& out) {
    order.clear();
    for (int j = 0; j < rows; ++j)
        if (j != self)
            order.push_back(j);
    const auto cmp = [dist](int a, int b) { return closer(dist, a, b); };
    std::nth_element(order.begin(), order.begin() + (k - 1), order.end(), cmp);
    out.assign(order.begin(), order.begin() + k);
}

void accumulateRow(const Space& high, const Space& low, int rows, int k, const std::int64_t* labels,
                   int i, Scratch& s, Sums& sums) {
    high.distancesFrom(i, rows, s.high.data());
    low.distancesFrom(i, rows, s.low.data());
    kNearest(s.high.data(), rows, i, k, s.order, s.highNeighbours);
    kNearest(s.low.data(), rows, i, k, s.order, s.lowNeighbours);
    for (int j : s.highNeighbours)
        s.inHigh[j] = 1;
    for (int j : s.lowNeighbours)
        s.inLow[j] = 1;
    for (int j : s.lowNeighbours) {
        if (!s.inHigh[j])
            sums.trust += rankOf(s.high.data(), rows, i, j) - k;
        else
            sums.preserved += 1.0 / k;
        if (labels)
            sums.hits += double(labels[j] == labels[i]) / k;
    }
    for (int j : s.highNeighbours)
        if (!s.inLow[j])
            sums.continuity += rankOf(s.low.data(), rows, i, j) - k;
    for (int j : s.highNeighbours)
        s.inHigh[j] = 0;
    for (int j : s.lowNeighbours)
        s.inLow[j] = 0;
}

struct NeighbourhoodScores {
    double trustworthiness, continuity, preservation, hit;
};

void checkK(int rows, int k) {
    if (k < 1 || 2 * k >= rows)
        throw std::invalid_argument("neighbourhood metrics need 1 <= k < rows / 2, got k = " +
                                    std::to_string(k) + " for " + std::to_string(rows) + " rows");
}

// One exact O(rows^2) pass over query rows gives every neighbourhood score at once.
NeighbourhoodScores scoreNeighbourhoods(const float* high, int dimsHigh, const float* low,
                                        int dimsLow, int rows, int k, Metric highMetric,
                                        const std::int64_t* labels) {
    checkK(rows, k);
    std::vector<float> normalised;
    if (highMetric == Metric::Cosine)
        normalised = normalisedRows(high, rows, dimsHigh);
    const Space highSpace{highMetric == Metric::Cosine ? normalised.data() : high, dimsHigh,
                          highMetric == Metric::Cosine};
    const Space lowSpace{low, dimsLow, false};
    const int workers = workerCount(rows);
    std::vector<Scratch> scratch(workers);
    for (Scratch& s : scratch) {
        s.high.resize(rows);
        s.low.resize(rows);
        s.order.reserve(rows);
        s.inHigh.assign(rows, 0);
        s.inLow.assign(rows, 0);
    }
    std::vector<Sums> sums(workers);
    parallelRows(rows, workers, [&](int begin, int end, int w) {
        for (int i = begin; i < end; ++i)
            accumulateRow(highSpace, lowSpace, rows, k, labels, i, scratch[w], sums[w]);
    });
    Sums total;
    for (const Sums& s : sums) {
        total.trust += s.trust;
        total.continuity += s.continuity;
        total.preserved += s.preserved;
        total.hits += s.hits;
    }
    const double n = rows;
    const double scale = 2.0 / (n * k * (2.0 * n - 3.0 * k - 1.0));
    return {1.0 - scale * total.trust, 1.0 - scale * total.continuity, total.preserved / n,
            total.hits / n};
}

std::vector<int> denseLabels(const std::vector<std::int64_t>& labels, int& clusters) {
    std::map<std::int64_t, int> ids;
    std::vector<int> dense(labels.size());
    for (std::size_t i = 0; i < labels.size(); ++i)
        dense[i] = ids.emplace(labels[i], int(ids.size())).first->second;
    clusters = int(ids.size());
    return dense;
}

void checkLabels(const std::vector<std::int64_t>& labels, int rows, const char* what) {
    if (labels.size() != std::size_t(rows))
        throw std::invalid_argument(std::string(what) + ": " + std::to_string(labels.size()) +
                                    " labels for " + std::to_string(rows) + " rows");
}

double silhouetteOfRow(const double* clusterSums, const std::vector<int>& counts, int own) {
    if (counts[own] < 2)
        return 0.0;
    const double a = clusterSums[own] / (counts[own] - 1);
    double b = std::numeric_limits<double>::infinity();
    for (std::size_t c = 0; c < counts.size(); ++c)
        if (int(c) != own && counts[c] > 0)
            b = std::min(b, clusterSums[c] / counts[c]);
    const double denominator = std::max(a, b);
    return denominator > 0.0 ? (b - a) / denominator : 0.0;
}

std::vector<int> seededSample(int rows, int size, std::uint64_t seed) {
    std::vector<int> all(rows);
    for (int i = 0; i < rows; ++i)
        all[i] = i;
    // Raw engine output keeps the sample identical across standard libraries.
    std::mt19937_64 engine(seed);
    for (int i = 0; i < size; ++i)
        std::swap(all[i], all[i + int(engine() % std::uint64_t(rows - i))]);
    all.resize(size);
    std::sort(all.begin(), all.end());
    return all;
}

std::vector<float> gatherRows(const float* data, int dims, const std::vector<int>& rows) {
    std::vector<float> out(rows.size() * std::size_t(dims));
    for (std::size_t r = 0; r < rows.size(); ++r)
        std::copy_n(data + std::size_t(rows[r]) * dims, dims, out.data() + r * dims);
    return out;
}

} // namespace

double trustworthiness(const float* high, int dimsHigh, const float* low, int dimsLow, int rows,
                       int k, Metric highMetric) {
    return scoreNeighbourhoods(high, dimsHigh, low, dimsLow, rows, k, highMetric, nullptr)
        .trustworthiness;
}

double continuity(const float* high, int dimsHigh, const float* low, int dimsLow, int rows, int k,
                  Metric highMetric) {
    return scoreNeighbourhoods(high, dimsHigh, low, dimsLow, rows, k, highMetric, nullptr)
        .continuity;
}

double knnPreservation(const float* high, int dimsHigh, const float* low, int dimsLow, int rows,
                       int k, Metric highMetric) {
    return scoreNeighbourhoods(high, dimsHigh, low, dimsLow, rows, k, highMetric, nullptr)
        .preservation;
}

double neighbourhoodHit(const float* low, int dimsLow, int rows,
                        const std::vector<std::int64_t>& labels, int k) {
    checkLabels(labels, rows, "neighbourhoodHit");
    return scoreNeighbourhoods(low, dimsLow, low, dimsLow, rows, k, Metric::Euclidean,
                               labels.data())
        .hit;
}

double silhouette(const float* data, int dims, int rows, const std::vector<std::int64_t>& labels) {
    checkLabels(labels, rows, "silhouette");
    int clusters = 0;
    const std::vector<int> dense = denseLabels(labels, clusters);
    if (clusters < 2)
        throw std::invalid_argument("silhouette needs at least two distinct labels");
    std::vector<int> counts(clusters, 0);
    for (int label : dense)
        ++counts[label];
    const Space space{data, dims, false};
    const int workers = workerCount(rows);
    std::vector<std::vector<double>> distances(workers, std::vector<double>(rows));
    std::vector<std::vector<double>> clusterSums(workers, std::vector<double>(clusters));
    std::vector<double> totals(workers, 0.0);
    parallelRows(rows, workers, [&](int begin, int end, int w) {
        for (int i = begin; i < end; ++i) {
            space.distancesFrom(i, rows, distances[w].data());
            std::fill(clusterSums[w].begin(), clusterSums[w].end(), 0.0);
            for (int j = 0; j < rows; ++j)
                clusterSums[w][dense[j]] += std::sqrt(distances[w][j]);
            totals[w] += silhouetteOfRow(clusterSums[w].data(), counts, dense[i]);
        }
    });
    double total = 0.0;
    for (double t : totals)
        total += t;
    return total / rows;
}

double recallAtK(const float* queries, int nq, const float* keys, int nk, int dims,
                 const std::vector<std::int64_t>& queryLabels,
                 const std::vector<std::int64_t>& keyLabels, int k, Metric metric) {
    checkLabels(queryLabels, nq, "recallAtK queries");
    checkLabels(keyLabels, nk, "recallAtK keys");
    if (k < 1 || k > nk)
        throw std::invalid_argument("recallAtK: k must be in [1, " + std::to_string(nk) + "]");
    const bool cosine = metric == Metric::Cosine;
    const std::vector<float> q = cosine ? normalisedRows(queries, nq, dims) : std::vector<float>();
    const std::vector<float> kv = cosine ? normalisedRows(keys, nk, dims) : std::vector<float>();
    faiss::IndexFlat index(dims, cosine ? faiss::METRIC_INNER_PRODUCT : faiss::METRIC_L2);
    index.add(nk, cosine ? kv.data() : keys);
    std::vector<float> distances(std::size_t(nq) * k);
    std::vector<faiss::Index::idx_t> found(distances.size());
    index.search(nq, cosine ? q.data() : queries, k, distances.data(), found.data());
    int hits = 0;
    for (int i = 0; i < nq; ++i) {
        const auto* row = found.data() + std::size_t(i) * k;
        hits += std::any_of(row, row + k, [&](faiss::Index::idx_t j) {
            return j >= 0 && keyLabels[std::size_t(j)] == queryLabels[i];
        });
    }
    return double(hits) / nq;
}

MetricReport projectionMetrics(const float* high, int dimsHigh, const float* low, int dimsLow,
                               int rows, int k, const std::vector<std::int64_t>* labels,
                               std::uint64_t seed, int maxSample) {
    if (labels)
        checkLabels(*labels, rows, "projectionMetrics");
    MetricReport report;
    report.sampleSize = std::min(rows, maxSample);
    const std::vector<int> sample = seededSample(rows, report.sampleSize, seed);
    const std::vector<float> h = gatherRows(high, dimsHigh, sample);
    const std::vector<float> l = gatherRows(low, dimsLow, sample);
    std::vector<std::int64_t> sampledLabels;
    if (labels)
        for (int i : sample)
            sampledLabels.push_back((*labels)[i]);
    const NeighbourhoodScores scores =
        scoreNeighbourhoods(h.data(), dimsHigh, l.data(), dimsLow, report.sampleSize, k,
                            Metric::Euclidean, labels ? sampledLabels.data() : nullptr);
    const std::string at = "@" + std::to_string(k);
    report.values = {{"trustworthiness" + at, scores.trustworthiness},
                     {"continuity" + at, scores.continuity},
                     {"knn_preservation" + at, scores.preservation}};
    if (!labels)
        return report;
    report.values.emplace_back("neighbourhood_hit" + at, scores.hit);
    int clusters = 0;
    denseLabels(sampledLabels, clusters);
    // Silhouette is undefined for a single class.
    if (clusters >= 2)
        report.values.emplace_back("silhouette",
                                   silhouette(l.data(), dimsLow, report.sampleSize, sampledLabels));
    return report;
}

} // namespace scenelens::embed
