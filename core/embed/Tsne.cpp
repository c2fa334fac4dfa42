#include "embed/Tsne.h"

#include "embed/BarnesHutRepulsion.h"
#include "embed/FftRepulsion.h"
#include "embed/TsneThreads.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <random>
#include <stdexcept>

namespace scenelens::embed {

namespace {

constexpr int kMomentumSwitch = 250;
constexpr int kKlEvery = 50;
constexpr double kEntropyTolerance = 1e-5;
constexpr int kMaxBisections = 200;

/// Entropy of the row's Gaussian at precision beta; fills p when given. Squared distances are taken
/// relative to the nearest so the exponentials cannot all underflow.
double rowEntropy(const float* distances, int k, double beta, float* p) {
    const double nearest = double(distances[0]) * distances[0];
    double sum = 0, weighted = 0;
    for (int j = 0; j < k; ++j) {
        const double d2 = double(distances[j]) * distances[j] - nearest;
        const double e = std::exp(-beta * d2);
        sum += e;
        weighted += d2 * e;
    }
    if (p)
        for (int j = 0; j < k; ++j)
            p[j] = float(std::exp(-beta * (double(distances[j]) * distances[j] - nearest)) / sum);
    return std::log(sum) + beta * weighted / sum;
}

double calibrateRow(const float* distances, int k, double logPerplexity, float* p) {
    double beta = 1, lo = 0, hi = std::numeric_limits<double>::infinity();
    for (int step = 0; step < kMaxBisections; ++step) {
        const double excess = rowEntropy(distances, k, beta, nullptr) - logPerplexity;
        if (std::abs(excess) < kEntropyTolerance)
            break;
        // Entropy falls as the precision rises.
        if (excess > 0) {
            lo = beta;
            beta = std::isinf(hi) ? beta * 2 : (beta + hi) / 2;
        } else {
            hi = beta;
            beta = (lo + beta) / 2;
        }
    }
    rowEntropy(distances, k, beta, p);
    return beta;
}

/// One row's outgoing (column, p_j|i) pairs sorted by column, merged with its incoming ones.
void appendMergedRow(std::vector<std::pair<int, float>>& outgoing, const int* inFrom,
                     const float* inValue, int inCount, float scale, SparseAffinities& result) {
    std::sort(outgoing.begin(), outgoing.end());
    std::size_t o = 0;
    int t = 0;
    while (o < outgoing.size() || t < inCount) {
        const int column = (t == inCount || (o < outgoing.size() && outgoing[o].first < inFrom[t]))
                               ? outgoing[o].first
                               : inFrom[t];
        float value = 0;
        if (o < outgoing.size() && outgoing[o].first == column)
            value += outgoing[o++].second;
        if (t < inCount && inFrom[t] == column)
            value += inValue[t++];
        result.columns.push_back(column);
        result.values.push_back(value * scale);
    }
}

std::vector<double> initialEmbedding(const std::vector<float>& init, int rows, int dims,
                                     std::uint64_t seed) {
    const std::size_t size = std::size_t(rows) * dims;
    if (!init.empty()) {
        if (init.size() != size)
            throw std::invalid_argument("tsne: init must hold rows x dims values");
        return std::vector<double>(init.begin(), init.end());
    }
    std::mt19937_64 random(seed);
    std::normal_distribution<double> normal(0.0, 1e-4);
    std::vector<double> y(size);
    for (double& value : y)
        value = normal(random);
    return y;
}

/// Repulsion by the method tsne() uses for the dimension.
class Repulsion {
public:
    explicit Repulsion(int dims) : dims_(dims) {}
    /// forces = sum_j w_ij^2 (y_i - y_j); returns Z.
    double compute(const double* y, int rows, double* forces, TsneThreads& threads) {
        return dims_ == 2 ? fft_.compute(y, rows, forces, threads)
                          : barnesHut_.compute(y, rows, forces, threads);
    }

private:
    int dims_;
    FftRepulsion fft_;
    BarnesHutRepulsion barnesHut_;
};

void checkDims(int dims) {
    if (dims != 2 && dims != 3)
        throw std::invalid_argument("tsne: dims must be 2 or 3");
}

/// forces = sum_j p_ij w_ij (y_i - y_j) over P's sparse rows.
/// Dims is a template argument so that the inner loops unroll: this loop over every edge of P is
/// most of an iteration's time.
template <int Dims>
void attractiveForces(const SparseAffinities& P, const double* y, double* forces,
                      TsneThreads& threads) {
    threads.run(P.rows, [&](int begin, int end, int) {
        const int* columns = P.columns.data();
        const float* values = P.values.data();
        for (int i = begin; i < end; ++i) {
            const double* yi = y + std::size_t(i) * Dims;
            double f[Dims] = {};
            for (int t = P.rowStart[i]; t < P.rowStart[i + 1]; ++t) {
                const double* yj = y + std::size_t(columns[t]) * Dims;
                double diff[Dims], d2 = 0;
                for (int d = 0; d < Dims; ++d) {
                    diff[d] = yi[d] - yj[d];
                    d2 += diff[d] * diff[d];
                }
                const double pw = values[t] / (1 + d2);
                for (int d = 0; d < Dims; ++d)
                    f[d] += pw * diff[d];
            }
            for (int d = 0; d < Dims; ++d)
                forces[std::size_t(i) * Dims + d] = f[d];
        }
    });
}

void attractiveForces(const SparseAffinities& P, const double* y, int dims, double* forces,
                      TsneThreads& threads) {
    if (dims == 2)
        attractiveForces<2>(P, y, forces, threads);
    else
        attractiveForces<3>(P, y, forces, threads);
}

/// KL(P || Q) = sum p_ij log(p_ij Z (1 + d_ij^2)), exact given Z.
double klDivergence(const SparseAffinities& P, const double* y, int dims, double z,
                    TsneThreads& threads) {
    std::vector<double> partial(threads.size(), 0.0);
    threads.run(P.rows, [&](int begin, int end, int worker) {
        double sum = 0;
        for (int i = begin; i < end; ++i)
            for (int t = P.rowStart[i]; t < P.rowStart[i + 1]; ++t) {
                if (P.values[t] <= 0)
                    continue;
                double d2 = 0;
                for (int d = 0; d < dims; ++d) {
                    const double diff =
                        y[std::size_t(i) * dims + d] - y[std::size_t(P.columns[t]) * dims + d];
                    d2 += diff * diff;
                }
                sum += P.values[t] * std::log(P.values[t] * z * (1 + d2));
            }
        partial[worker] = sum;
    });
    double kl = 0;
    for (double part : partial)
        kl += part;
    return kl;
}

/// Gradient step with momentum and delta-bar-delta gains, then re-centring.
/// The longest step a point may take in one iteration, in embedding units.
constexpr double kMaxStep = 5;

struct Descent {
    std::vector<double> update, gains;
    double learningRate;

    void step(std::vector<double>& y, const std::vector<double>& attractive,
              const std::vector<double>& repulsive, double exaggeration, double z, double momentum,
              int dims, TsneThreads& threads) {
        const std::size_t rows = y.size() / dims;
        threads.run(int(rows), [&](int begin, int end, int) {
            for (std::size_t i = begin; i < std::size_t(end); ++i) {
                double norm = 0;
                for (std::size_t t = i * dims; t < (i + 1) * dims; ++t) {
                    const double gradient = 4 * (exaggeration * attractive[t] - repulsive[t] / z);
                    const bool sameSign = (gradient > 0) == (update[t] > 0);
                    gains[t] = std::max(sameSign ? gains[t] * 0.8 : gains[t] + 0.2, 0.01);
                    update[t] = momentum * update[t] - learningRate * gains[t] * gradient;
                    norm += update[t] * update[t];
                }
                // FIt-SNE's max_step_norm: with the learning rate at N / 12 a few points would
                // otherwise fly far out, and the FFT grid grows with the embedding's extent.
                const double shrink = norm > kMaxStep * kMaxStep ? kMaxStep / std::sqrt(norm) : 1.0;
                for (std::size_t t = i * dims; t < (i + 1) * dims; ++t) {
                    update[t] *= shrink;
                    y[t] += update[t];
                }
            }
        });
        for (int d = 0; d < dims; ++d) {
            double mean = 0;
            for (std::size_t i = 0; i < rows; ++i)
                mean += y[i * dims + d];
            mean /= double(rows);
            for (std::size_t i = 0; i < rows; ++i)
                y[i * dims + d] -= mean;
        }
    }
};

std::vector<float> scaledGradient(const std::vector<double>& forces, double z) {
    std::vector<float> gradient(forces.size());
    for (std::size_t t = 0; t < forces.size(); ++t)
        gradient[t] = float(-4 * forces[t] / z);
    return gradient;
}

/// The rows in the order of a Morton (Z-order) curve through the embedding, with P renumbered to
/// match. P's neighbours lie close together in the layout, so in this order the attraction's reads
/// of y_j (most of an iteration) and the FFT grid's accesses stay in cache; in the caller's order
/// nearly every y_j is a cache miss once the embedding outgrows a core's L2.
class LocalityOrder {
public:
    explicit LocalityOrder(const SparseAffinities& original) : original_(original) {}

    /// Re-sorts along the curve through y (in the current order); permutes y and the arrays given
    /// alongside it the same way and renumbers P.
    void update(std::vector<double>& y, int dims,
                std::initializer_list<std::vector<double>*> also) {
        const std::vector<int> local = curveOrder(y, dims);
        for (std::vector<double>* values : also)
            permute(*values, local, dims);
        permute(y, local, dims);
        if (order_.empty()) {
            order_ = local;
        } else {
            std::vector<int> composed(local.size());
            for (std::size_t r = 0; r < local.size(); ++r)
                composed[r] = order_[local[r]];
            order_.swap(composed);
        }
        renumber();
    }

    const SparseAffinities& affinities() const { return P_; }

    /// y back in the caller's row order.
    std::vector<float> restore(const std::vector<double>& y, int dims) const {
        std::vector<float> out(y.size());
        for (std::size_t r = 0; r < order_.size(); ++r)
            for (int d = 0; d < dims; ++d)
                out[std::size_t(order_[r]) * dims + d] = float(y[r * dims + d]);
        return out;
    }

private:
    static std::vector<int> curveOrder(const std::vector<double>& y, int dims) {
        const std::size_t rows = y.size() / dims;
        const int bits = dims == 2 ? 16 : 10;
        double lo[3], scale[3];
        for (int d = 0; d < dims; ++d) {
            double min = std::numeric_limits<double>::infinity(), max = -min;
            for (std::size_t i = 0; i < rows; ++i) {
                min = std::min(min, y[i * dims + d]);
                max = std::max(max, y[i * dims + d]);
            }
            lo[d] = min;
            scale[d] = max > min ? ((1 << bits) - 1) / (max - min) : 0.0;
        }
        std::vector<std::pair<std::uint32_t, int>> keys(rows);
        for (std::size_t i = 0; i < rows; ++i) {
            std::uint32_t cell[3] = {};
            for (int d = 0; d < dims; ++d) {
                // Written so that a NaN lands in cell 0 instead of an undefined conversion.
                const double t = (y[i * dims + d] - lo[d]) * scale[d];
                cell[d] = t > 0 ? std::uint32_t(std::min(t, double((1 << bits) - 1))) : 0u;
            }
            std::uint32_t key = 0;
            for (int b = 0; b < bits; ++b)
                for (int d = 0; d < dims; ++d)
                    key |= ((cell[d] >> b) & 1u) << (b * dims + d);
            keys[i] = {key, int(i)};
        }
        std::sort(keys.begin(), keys.end());
        std::vector<int> order(rows);
        for (std::size_t r = 0; r < rows; ++r)
            order[r] = keys[r].second;
        return order;
    }

    static void permute(std::vector<double>& values, const std::vector<int>& order, int dims) {
        std::vector<double> moved(values.size());
        for (std::size_t r = 0; r < order.size(); ++r)
            for (int d = 0; d < dims; ++d)
                moved[r * dims + d] = values[std::size_t(order[r]) * dims + d];
        values.swap(moved);
    }

    void renumber() {
        std::vector<int> rank(order_.size());
        for (std::size_t r = 0; r < order_.size(); ++r)
            rank[order_[r]] = int(r);
        P_.rows = original_.rows;
        P_.rowStart.assign(1, 0);
        P_.columns.clear();
        P_.values.clear();
        P_.columns.reserve(original_.columns.size());
        P_.values.reserve(original_.values.size());
        std::vector<std::pair<int, float>> row;
        for (int r = 0; r < original_.rows; ++r) {
            const int source = order_[r];
            row.clear();
            for (int t = original_.rowStart[source]; t < original_.rowStart[source + 1]; ++t)
                row.emplace_back(rank[original_.columns[t]], original_.values[t]);
            std::sort(row.begin(), row.end());
            for (const auto& [column, value] : row) {
                P_.columns.push_back(column);
                P_.values.push_back(value);
            }
            P_.rowStart.push_back(int(P_.columns.size()));
        }
    }

    const SparseAffinities& original_;
    SparseAffinities P_;
    std::vector<int> order_; ///< local row -> caller's row
};

} // namespace

std::vector<double> calibrateAffinities(const KnnGraph& graph, double perplexity,
                                        std::vector<float>& P, int threads) {
    if (!(perplexity > 0 && perplexity < graph.k))
        throw std::invalid_argument("calibrateAffinities: need 0 < perplexity < k");
    P.assign(std::size_t(graph.rows) * graph.k, 0.0f);
    std::vector<double> betas(graph.rows);
    TsneThreads pool(threads);
    const double logPerplexity = std::log(perplexity);
    pool.run(graph.rows, [&](int begin, int end, int) {
        for (int i = begin; i < end; ++i) {
            const std::size_t row = std::size_t(i) * graph.k;
            betas[i] =
                calibrateRow(graph.distances.data() + row, graph.k, logPerplexity, P.data() + row);
        }
    });
    return betas;
}

SparseAffinities symmetrize(const KnnGraph& graph, const std::vector<float>& P) {
    const int n = graph.rows, k = graph.k;
    // Incoming edges by target, sources ascending: a counting sort of the kNN graph.
    std::vector<int> inStart(n + 1, 0), inFrom(std::size_t(n) * k), fill;
    std::vector<float> inValue(std::size_t(n) * k);
    for (int target : graph.indices)
        ++inStart[target + 1];
    for (int i = 0; i < n; ++i)
        inStart[i + 1] += inStart[i];
    fill.assign(inStart.begin(), inStart.end() - 1);
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < k; ++j) {
            const std::size_t edge = std::size_t(i) * k + j;
            const int slot = fill[graph.indices[edge]]++;
            inFrom[slot] = i;
            inValue[slot] = P[edge];
        }

    SparseAffinities result;
    result.rows = n;
    result.rowStart.reserve(n + 1);
    result.columns.reserve(std::size_t(2) * n * k);
    result.values.reserve(std::size_t(2) * n * k);
    result.rowStart.push_back(0);
    std::vector<std::pair<int, float>> outgoing(k);
    const float scale = float(1.0 / (2.0 * n));
    for (int i = 0; i < n; ++i) {
        for (int j = 0; j < k; ++j)
            outgoing[j] = {graph.indices[std::size_t(i) * k + j], P[std::size_t(i) * k + j]};
        appendMergedRow(outgoing, inFrom.data() + inStart[i], inValue.data() + inStart[i],
                        inStart[i + 1] - inStart[i], scale, result);
        result.rowStart.push_back(int(result.columns.size()));
    }
    return result;
}

std::vector<float> tsne(const SparseAffinities& original, const std::vector<float>& init,
                        const TsneOptions& options, ProgressSink* progress,
                        const std::function<void(const TsneProgress&)>& onIteration) {
    checkDims(options.dims);
    const int rows = original.rows, dims = options.dims;
    std::vector<double> y = initialEmbedding(init, rows, dims, options.seed);
    std::vector<double> attractive(y.size()), repulsive(y.size());
    Descent descent{std::vector<double>(y.size(), 0.0), std::vector<double>(y.size(), 1.0),
                    options.learningRate > 0 ? options.learningRate : std::max(rows / 12.0, 200.0)};
    TsneThreads threads(options.threads);
    Repulsion repulsion(dims);
    // Ordered along the initial layout, and again once exaggeration has pulled neighbours together.
    LocalityOrder order(original);
    order.update(y, dims, {});
    const SparseAffinities& P = order.affinities();
    for (int it = 0; it < options.iterations; ++it) {
        checkpoint(progress, "t-SNE", double(it) / options.iterations);
        if (it == options.exaggerationIterations && it > 0)
            order.update(y, dims, {&descent.update, &descent.gains});
        const double z = repulsion.compute(y.data(), rows, repulsive.data(), threads);
        attractiveForces(P, y.data(), dims, attractive.data(), threads);
        const double exaggeration = it < options.exaggerationIterations ? options.exaggeration : 1;
        descent.step(y, attractive, repulsive, exaggeration, z, it < kMomentumSwitch ? 0.5 : 0.8,
                     dims, threads);
        if (!onIteration)
            continue;
        const bool measure = (it + 1) % kKlEvery == 0 || it + 1 == options.iterations;
        double kl = std::numeric_limits<double>::quiet_NaN();
        if (measure)
            kl =
                klDivergence(P, y.data(), dims,
                             repulsion.compute(y.data(), rows, repulsive.data(), threads), threads);
        onIteration({it + 1, kl});
    }
    checkpoint(progress, "t-SNE", 1.0);
    return order.restore(y, dims);
}

std::vector<float> repulsiveGradient(const std::vector<float>& embedding, int dims, double* z,
                                     int threads) {
    checkDims(dims);
    const std::vector<double> y(embedding.begin(), embedding.end());
    std::vector<double> forces(y.size());
    TsneThreads pool(threads);
    Repulsion repulsion(dims);
    const double sum = repulsion.compute(y.data(), int(y.size() / dims), forces.data(), pool);
    if (z)
        *z = sum;
    return scaledGradient(forces, sum);
}

std::vector<float> exactRepulsiveGradient(const std::vector<float>& embedding, int dims, double* z,
                                          int threads) {
    checkDims(dims);
    const int rows = int(embedding.size() / dims);
    std::vector<double> forces(embedding.size(), 0.0);
    TsneThreads pool(threads);
    std::vector<double> partial(pool.size(), 0.0);
    pool.run(rows, [&](int begin, int end, int worker) {
        for (int i = begin; i < end; ++i)
            for (int j = 0; j < rows; ++j) {
                if (j == i)
                    continue;
                double d2 = 0, diff[3];
                for (int d = 0; d < dims; ++d) {
                    diff[d] = double(embedding[std::size_t(i) * dims + d]) -
                              embedding[std::size_t(j) * dims + d];
                    d2 += diff[d] * diff[d];
                }
                const double w = 1 / (1 + d2);
                partial[worker] += w;
                for (int d = 0; d < dims; ++d)
                    forces[std::size_t(i) * dims + d] += w * w * diff[d];
            }
    });
    double sum = 0;
    for (double part : partial)
        sum += part;
    if (z)
        *z = sum;
    return scaledGradient(forces, sum);
}

} // namespace scenelens::embed
