#include "embed/Umap.h"

#include "embed/FastPow.h"
#include "embed/FuzzyGraph.h"
#include "embed/Pca.h"
#include "embed/SpectralInit.h"
#include "embed/Xorshift.h"

#include <Eigen/Dense>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <memory>
#include <stdexcept>
#include <thread>
#include <tuple>

namespace scenelens::embed {

namespace {

constexpr int kCurvePoints = 300;
constexpr int kFitIterations = 200;
constexpr double kInitExtent = 10.0;
constexpr double kInitNoise = 1e-4;
constexpr float kGradientClip = 4.0f;
constexpr std::size_t kEdgesAhead = 8;

// ---- fitAB ----------------------------------------------------------------------------------

struct CurveFit {
    Eigen::MatrixXd jacobian;
    Eigen::VectorXd residual;
};

CurveFit evaluateCurve(const Eigen::VectorXd& x, const Eigen::VectorXd& y, double a, double b) {
    CurveFit fit{Eigen::MatrixXd(x.size(), 2), Eigen::VectorXd(x.size())};
    for (Eigen::Index i = 0; i < x.size(); ++i) {
        const double u = x(i) > 0.0 ? std::pow(x(i), 2.0 * b) : 0.0;
        const double f = 1.0 / (1.0 + a * u);
        fit.residual(i) = f - y(i);
        fit.jacobian(i, 0) = -u * f * f;
        fit.jacobian(i, 1) = x(i) > 0.0 ? -a * u * f * f * 2.0 * std::log(x(i)) : 0.0;
    }
    return fit;
}

// ---- initialisation -------------------------------------------------------------------------

// umap-learn's noisy_scale_coords: the largest |coordinate| becomes 10, plus tiny seeded noise so
// that coincident points separate.
void scaleWithNoise(std::vector<float>& coords, std::uint64_t seed) {
    float largest = 0.0f;
    for (float c : coords)
        largest = std::max(largest, std::abs(c));
    const double expansion = largest > 0.0f ? kInitExtent / largest : 1.0;
    Xorshift rng(seed ^ 0x5bd1e995u);
    for (float& c : coords)
        c = float(c * expansion + kInitNoise * rng.normal());
}

std::vector<float> randomLayout(int rows, int dims, std::uint64_t seed) {
    Xorshift rng(seed);
    std::vector<float> coords(std::size_t(rows) * dims);
    for (float& c : coords)
        c = float(kInitExtent * (2.0 * rng.uniform() - 1.0));
    return coords;
}

std::vector<float> initialLayout(const Eigen::SparseMatrix<double>& graph, const UmapOptions& opt,
                                 const float* data, int dataDims, std::string& description,
                                 ProgressSink* progress) {
    SpectralLayout spectral = spectralLayout(graph, opt.dims, opt.seed, progress);
    if (spectral.failure.empty()) {
        description = "spectral";
        scaleWithNoise(spectral.coords, opt.seed);
        return std::move(spectral.coords);
    }
    const int rows = int(graph.rows());
    if (data && dataDims >= opt.dims && rows >= opt.dims) {
        description = "pca (spectral failed: " + spectral.failure + ")";
        std::vector<float> coords = pca(data, rows, dataDims, opt.dims, opt.seed).coords;
        scaleWithNoise(coords, opt.seed);
        return coords;
    }
    description = "random (spectral failed: " + spectral.failure + ")";
    return randomLayout(rows, opt.dims, opt.seed);
}

// ---- SGD ------------------------------------------------------------------------------------

// Directed edges (both directions of each symmetric entry) with their sampling schedule, as
// umap-learn's make_epochs_per_sample.
struct EdgeSchedule {
    std::vector<int> head, tail;
    std::vector<double> epochsPerSample, nextSample, nextNegative;
};

EdgeSchedule scheduleEdges(const Eigen::SparseMatrix<double>& graph, int epochs) {
    const double largest = graph.coeffs().size() ? graph.coeffs().maxCoeff() : 0.0;
    // umap-learn drops edges too weak to be sampled even once.
    const double threshold = largest / epochs;
    EdgeSchedule s;
    for (int col = 0; col < graph.outerSize(); ++col) {
        for (Eigen::SparseMatrix<double>::InnerIterator it(graph, col); it; ++it) {
            if (it.value() < threshold || it.value() <= 0.0)
                continue;
            s.head.push_back(int(it.row()));
            s.tail.push_back(col);
            s.epochsPerSample.push_back(largest / it.value());
        }
    }
    s.nextSample = s.epochsPerSample;
    s.nextNegative = s.epochsPerSample;
    return s;
}

struct LayoutParams {
    int dims;
    int rows;
    float a, b;
    double inverseNegativeRate; ///< epochs per negative sample = epochs per sample x this
};

// Coordinates are relaxed atomics so that hogwild threads race benignly (plain loads and stores
// on x86) instead of with undefined behaviour.
using Coord = std::atomic<float>;

float clip(float g) {
    return std::clamp(g, -kGradientClip, kGradientClip);
}

// The point being moved lives in registers for its edge: Dims is a template argument so that its
// loops unroll and the copy never touches memory.
template <int Dims> float squaredDistance(const float (&current)[Dims], const Coord* other) {
    float d2 = 0.0f;
    for (int d = 0; d < Dims; ++d) {
        const float diff = current[d] - other[d].load(std::memory_order_relaxed);
        d2 += diff * diff;
    }
    return d2;
}

template <int Dims>
void attract(Coord* self, Coord* other, const LayoutParams& p, float alpha,
             float (&current)[Dims]) {
    for (int d = 0; d < Dims; ++d)
        current[d] = self[d].load(std::memory_order_relaxed);
    const float d2 = squaredDistance(current, other);
    // One pow per sample: d^2(b-1) times d^2 gives d^2b.
    const float powered = d2 > 0.0f ? fastPow(d2, p.b - 1.0f) : 0.0f;
    const float coeff = -2.0f * p.a * p.b * powered / (p.a * powered * d2 + 1.0f);
    for (int d = 0; d < Dims; ++d) {
        const float o = other[d].load(std::memory_order_relaxed);
        const float grad = clip(coeff * (current[d] - o)) * alpha;
        current[d] += grad;
        other[d].store(o - grad, std::memory_order_relaxed);
    }
}

/// Negative samples drawn kAhead draws before they are used, their points prefetched: these reads
/// go anywhere in a layout larger than a core's cache and were most of the SGD's time. The draws
/// are the generator's sequence in order, so a seed still gives one result.
template <int Dims> class NegativeSampler {
public:
    NegativeSampler(const Coord* coords, int rows, Xorshift rng)
        : coords_(coords), rows_(rows), rng_(rng) {
        for (const Coord*& slot : ahead_)
            slot = draw();
    }
    const Coord* next() {
        const Coord* point = ahead_[slot_];
        ahead_[slot_] = draw();
        slot_ = (slot_ + 1) % kAhead;
        return point;
    }
    /// The generator, advanced past the draws still pending.
    Xorshift generator() const { return rng_; }

private:
    static constexpr int kAhead = 8;
    const Coord* draw() {
        const Coord* point = coords_ + std::size_t(rng_.below(rows_)) * Dims;
        __builtin_prefetch(point);
        return point;
    }
    const Coord* coords_;
    int rows_;
    Xorshift rng_;
    const Coord* ahead_[kAhead];
    int slot_ = 0;
};

template <int Dims>
void repel(NegativeSampler<Dims>& sampler, int samples, const LayoutParams& p, float alpha,
           float (&current)[Dims]) {
    for (int s = 0; s < samples; ++s) {
        const Coord* other = sampler.next();
        const float d2 = squaredDistance(current, other);
        if (d2 <= 0.0f)
            continue;
        const float coeff = 2.0f * p.b / ((0.001f + d2) * (p.a * fastPow(d2, p.b) + 1.0f));
        for (int d = 0; d < Dims; ++d) {
            const float o = other[d].load(std::memory_order_relaxed);
            current[d] += clip(coeff * (current[d] - o)) * alpha;
        }
    }
}

// One epoch over edges [begin, end) (umap-learn's _optimize_layout_euclidean_single_epoch).
template <int Dims>
void runEdges(EdgeSchedule& s, std::size_t begin, std::size_t end, int epoch, Coord* coords,
              const LayoutParams& p, float alpha, Xorshift& rng) {
    NegativeSampler<Dims> sampler(coords, p.rows, rng);
    float current[Dims];
    for (std::size_t e = begin; e < end; ++e) {
        // The heads are the tails' neighbours, scattered over the layout: fetched early too.
        const std::size_t ahead = e + kEdgesAhead;
        if (ahead < end && s.nextSample[ahead] <= epoch)
            __builtin_prefetch(coords + std::size_t(s.head[ahead]) * Dims);
        if (s.nextSample[e] > epoch)
            continue;
        Coord* self = coords + std::size_t(s.head[e]) * Dims;
        attract(self, coords + std::size_t(s.tail[e]) * Dims, p, alpha, current);
        s.nextSample[e] += s.epochsPerSample[e];
        const double perNegative = s.epochsPerSample[e] * p.inverseNegativeRate;
        const int negatives = int((epoch - s.nextNegative[e]) / perNegative);
        if (negatives > 0) {
            repel(sampler, negatives, p, alpha, current);
            s.nextNegative[e] += negatives * perNegative;
        }
        for (int d = 0; d < Dims; ++d)
            self[d].store(current[d], std::memory_order_relaxed);
    }
    rng = sampler.generator();
}

void runEdges(EdgeSchedule& s, std::size_t begin, std::size_t end, int epoch, Coord* coords,
              const LayoutParams& p, float alpha, Xorshift& rng) {
    if (p.dims == 2)
        runEdges<2>(s, begin, end, epoch, coords, p, alpha, rng);
    else
        runEdges<3>(s, begin, end, epoch, coords, p, alpha, rng);
}

int threadCount(const UmapOptions& opt, std::size_t edges) {
    if (opt.deterministic)
        return 1;
    const int wanted = opt.threads > 0 ? opt.threads : int(std::thread::hardware_concurrency());
    return int(std::clamp<std::size_t>(edges / 4096, 1, std::size_t(std::max(wanted, 1))));
}

void runEpoch(EdgeSchedule& s, int epoch, Coord* coords, const LayoutParams& p, float alpha,
              std::vector<Xorshift>& rngs) {
    const std::size_t edges = s.head.size();
    const std::size_t threads = rngs.size();
    if (threads == 1) {
        runEdges(s, 0, edges, epoch, coords, p, alpha, rngs[0]);
        return;
    }
    std::vector<std::thread> pool;
    pool.reserve(threads);
    for (std::size_t t = 0; t < threads; ++t) {
        pool.emplace_back([&, t] {
            runEdges(s, edges * t / threads, edges * (t + 1) / threads, epoch, coords, p, alpha,
                     rngs[t]);
        });
    }
    for (std::thread& thread : pool)
        thread.join();
}

std::vector<float> optimiseLayout(const Eigen::SparseMatrix<double>& graph,
                                  std::vector<float> initial, const UmapOptions& opt, double a,
                                  double b, ProgressSink* progress) {
    const int rows = int(graph.rows());
    const int epochs = opt.epochs > 0 ? opt.epochs : (rows <= 10000 ? 500 : 200);
    EdgeSchedule schedule = scheduleEdges(graph, epochs);
    // A multiplication per edge instead of a division; a rate of 0 gives no negative samples.
    const double inverseRate = opt.negativeSampleRate > 0 ? 1.0 / opt.negativeSampleRate
                                                          : std::numeric_limits<double>::infinity();
    const LayoutParams params{opt.dims, rows, float(a), float(b), inverseRate};
    std::unique_ptr<Coord[]> coords(new Coord[initial.size()]);
    for (std::size_t i = 0; i < initial.size(); ++i)
        coords[i].store(initial[i], std::memory_order_relaxed);
    std::vector<Xorshift> rngs;
    const int threads = threadCount(opt, schedule.head.size());
    for (int t = 0; t < threads; ++t)
        rngs.emplace_back(opt.seed * 0x100000001B3ull + std::uint64_t(t) + 1);
    for (int epoch = 0; epoch < epochs; ++epoch) {
        checkpoint(progress, "UMAP", double(epoch) / epochs);
        const float alpha = float(opt.learningRate * (1.0 - double(epoch) / epochs));
        runEpoch(schedule, epoch, coords.get(), params, alpha, rngs);
    }
    checkpoint(progress, "UMAP", 1.0);
    for (std::size_t i = 0; i < initial.size(); ++i)
        initial[i] = coords[i].load(std::memory_order_relaxed);
    return initial;
}

void validate(const KnnGraph& graph, const UmapOptions& opt) {
    if (graph.rows < 2 || graph.k < 1 ||
        graph.indices.size() != std::size_t(graph.rows) * graph.k ||
        graph.distances.size() != graph.indices.size())
        throw std::invalid_argument("umap: graph must have rows >= 2, k >= 1 and rows x k entries");
    if (opt.dims < 2 || opt.dims > 3 || opt.neighbours < 2 || opt.epochs < 0 ||
        opt.negativeSampleRate < 0 || opt.spread <= 0.0 || opt.minDist < 0.0)
        throw std::invalid_argument("umap: options out of range (dims must be 2 or 3)");
    for (int index : graph.indices) {
        if (index >= graph.rows)
            throw std::invalid_argument("umap: neighbour index out of range");
    }
}

} // namespace

std::pair<double, double> fitAB(double spread, double minDist) {
    Eigen::VectorXd x = Eigen::VectorXd::LinSpaced(kCurvePoints, 0.0, 3.0 * spread);
    Eigen::VectorXd y(kCurvePoints);
    for (int i = 0; i < kCurvePoints; ++i)
        y(i) = x(i) < minDist ? 1.0 : std::exp(-(x(i) - minDist) / spread);
    Eigen::Vector2d params(1.0, 1.0);
    double lambda = 1e-3;
    CurveFit fit = evaluateCurve(x, y, params(0), params(1));
    for (int iter = 0; iter < kFitIterations; ++iter) {
        const Eigen::Matrix2d jtj = fit.jacobian.transpose() * fit.jacobian;
        const Eigen::Vector2d jtr = fit.jacobian.transpose() * fit.residual;
        Eigen::Matrix2d damped = jtj;
        damped.diagonal() *= 1.0 + lambda;
        const Eigen::Vector2d step = damped.ldlt().solve(-jtr);
        const Eigen::Vector2d next = params + step;
        const CurveFit trial = evaluateCurve(x, y, next(0), next(1));
        if (trial.residual.squaredNorm() < fit.residual.squaredNorm()) {
            params = next;
            fit = trial;
            lambda /= 10.0;
            if (step.norm() < 1e-12 * (1.0 + params.norm()))
                break;
        } else {
            lambda *= 10.0;
            if (lambda > 1e12)
                break;
        }
    }
    return {params(0), params(1)};
}

UmapResult umap(const KnnGraph& graph, const UmapOptions& options, const float* data, int dataDims,
                ProgressSink* progress) {
    validate(graph, options);
    checkpoint(progress, "UMAP", 0.0);
    const Eigen::SparseMatrix<double> fuzzy = fuzzySimplicialSet(graph, options.neighbours);
    UmapResult result;
    std::tie(result.a, result.b) = fitAB(options.spread, options.minDist);
    std::vector<float> initial =
        initialLayout(fuzzy, options, data, dataDims, result.initialisation, progress);
    result.coords =
        optimiseLayout(fuzzy, std::move(initial), options, result.a, result.b, progress);
    return result;
}

} // namespace scenelens::embed
