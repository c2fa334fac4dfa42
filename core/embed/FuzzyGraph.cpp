#include "embed/FuzzyGraph.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace scenelens::embed {

namespace {

constexpr double kTolerance = 1e-5;
constexpr int kSearchIterations = 64;
// umap-learn's MIN_K_DIST_SCALE: keeps sigma away from 0 where all neighbours are nearly
// equidistant.
constexpr double kMinDistScale = 1e-3;

double membershipSum(const float* distances, int count, double rho, double sigma) {
    double sum = 0.0;
    for (int j = 0; j < count; ++j) {
        const double d = distances[j] - rho;
        sum += d > 0.0 ? std::exp(-d / sigma) : 1.0;
    }
    return sum;
}

// Binary search on sigma (doubling while unbounded above), exactly as umap-learn.
double searchSigma(const float* distances, int count, double rho, double target) {
    double lo = 0.0, hi = std::numeric_limits<double>::infinity(), mid = 1.0;
    for (int n = 0; n < kSearchIterations; ++n) {
        const double sum = membershipSum(distances, count, rho, mid);
        if (std::abs(sum - target) < kTolerance)
            break;
        if (sum > target) {
            hi = mid;
            mid = (lo + hi) / 2.0;
        } else {
            lo = mid;
            mid = std::isinf(hi) ? mid * 2.0 : (lo + hi) / 2.0;
        }
    }
    return mid;
}

double meanOf(const float* values, int count) {
    return count > 0 ? std::accumulate(values, values + count, 0.0) / count : 0.0;
}

} // namespace

SmoothKnn smoothKnnDistances(const KnnGraph& graph, int neighbours) {
    const int k = std::min(neighbours, graph.k);
    const double target = std::log2(double(k));
    const double globalMean = meanOf(graph.distances.data(), int(graph.distances.size()));
    SmoothKnn out{std::vector<double>(graph.rows, 0.0), std::vector<double>(graph.rows, 0.0)};
    for (int i = 0; i < graph.rows; ++i) {
        const float* d = graph.distances.data() + std::size_t(i) * graph.k;
        const float* firstPositive = std::find_if(d, d + k, [](float v) { return v > 0.0f; });
        const double rho = firstPositive != d + k ? *firstPositive : 0.0;
        const double sigma = searchSigma(d, k, rho, target);
        const double floorScale = rho > 0.0 ? meanOf(d, k) : globalMean;
        out.rho[i] = rho;
        out.sigma[i] = std::max(sigma, kMinDistScale * floorScale);
    }
    return out;
}

Eigen::SparseMatrix<double> fuzzySimplicialSet(const KnnGraph& graph, int neighbours) {
    const int k = std::min(neighbours, graph.k);
    const SmoothKnn smooth = smoothKnnDistances(graph, neighbours);
    std::vector<Eigen::Triplet<double>> entries;
    entries.reserve(std::size_t(graph.rows) * k);
    for (int i = 0; i < graph.rows; ++i) {
        for (int j = 0; j < k; ++j) {
            const std::size_t at = std::size_t(i) * graph.k + j;
            const int other = graph.indices[at];
            if (other < 0 || other == i)
                continue;
            const double d = graph.distances[at] - smooth.rho[i];
            const double sigma = smooth.sigma[i];
            entries.emplace_back(i, other, d > 0.0 && sigma > 0.0 ? std::exp(-d / sigma) : 1.0);
        }
    }
    Eigen::SparseMatrix<double> p(graph.rows, graph.rows);
    p.setFromTriplets(entries.begin(), entries.end());
    const Eigen::SparseMatrix<double> pt = p.transpose();
    Eigen::SparseMatrix<double> joined = p + pt - p.cwiseProduct(pt);
    joined.prune(0.0);
    return joined;
}

} // namespace scenelens::embed
