// projection_bench data generator: N points in D = 50, drawn with std::mt19937_64 seeded with
// kBenchSeed (20240611) and std::normal_distribution / std::uniform_real_distribution, in this
// order:
//  1. 11 centres (10 clusters + the roll), each N(0, 4^2 I_50), redrawn until every pair is at
//     least 25 apart (typical distance ~40; a cluster's RMS radius is ~4.3).
//  2. For each of the 10 clusters: a random rotation R (Q of the Householder QR of a 50 x 50
//     N(0, 1) matrix, column signs fixed so that diag(R_qr) > 0, i.e. Haar-distributed) and
//     axis scales s_j ~ U(0.1, 1.0); its points are c + R (s .* z), z ~ N(0, I_50), so the
//     covariance is R diag(s^2) R^T.
//  3. The swiss roll: a random orthonormal 3 x 50 basis B (first 3 columns of another such
//     rotation); a point is c_roll + B^T (t cos t, h, t sin t) + e, t = 1.5 pi (1 + 2u),
//     u ~ U(0, 1), h ~ U(0, 21), e ~ N(0, 0.05^2 I_50) (scikit-learn's make_swiss_roll shape).
//  4. Sizes: roll = round(N / 11) points, the other N - roll split evenly over the clusters (the
//     first clusters take one more when it does not divide); generated cluster by cluster, then
//     the roll, then all rows shuffled with std::shuffle on the same generator.
// libstdc++'s distributions make the data reproducible for a given N on one toolchain, which is
// what the bench needs (all tools of one run see the same file).

#include "projection_bench_data.h"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

namespace scenelens::bench {

namespace {

constexpr double kCentreSigma = 4.0;
constexpr double kMinCentreDistance = 25.0;
constexpr double kMinScale = 0.1, kMaxScale = 1.0;
constexpr double kRollNoise = 0.05;
constexpr double kRollHeight = 21.0;
constexpr double kPi = 3.14159265358979323846;

/// A Haar-random D x D rotation (orthonormal columns).
Eigen::MatrixXd randomRotation(std::mt19937_64& rng, int dims) {
    std::normal_distribution<double> normal(0.0, 1.0);
    Eigen::MatrixXd gaussian(dims, dims);
    for (int c = 0; c < dims; ++c)
        for (int r = 0; r < dims; ++r)
            gaussian(r, c) = normal(rng);
    const Eigen::HouseholderQR<Eigen::MatrixXd> qr(gaussian);
    Eigen::MatrixXd q = qr.householderQ() * Eigen::MatrixXd::Identity(dims, dims);
    const Eigen::MatrixXd r = qr.matrixQR().triangularView<Eigen::Upper>();
    for (int c = 0; c < dims; ++c)
        if (r(c, c) < 0)
            q.col(c) = -q.col(c);
    return q;
}

} // namespace

BenchData makeBenchData(int rows, std::uint64_t seed) {
    const int dims = kBenchDims;
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> normal(0.0, 1.0);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);

    // 1. Well separated centres: clusters 0..9, roll 10.
    std::vector<Eigen::VectorXd> centres;
    while (int(centres.size()) < kBenchClusters + 1) {
        Eigen::VectorXd c(dims);
        for (int j = 0; j < dims; ++j)
            c(j) = kCentreSigma * normal(rng);
        const bool farEnough = std::all_of(centres.begin(), centres.end(), [&](const auto& other) {
            return (other - c).norm() >= kMinCentreDistance;
        });
        if (farEnough)
            centres.push_back(c);
    }

    // 2. Cluster shapes.
    std::vector<Eigen::MatrixXd> rotations;
    std::vector<Eigen::VectorXd> scales;
    for (int k = 0; k < kBenchClusters; ++k) {
        rotations.push_back(randomRotation(rng, dims));
        Eigen::VectorXd s(dims);
        for (int j = 0; j < dims; ++j)
            s(j) = kMinScale + (kMaxScale - kMinScale) * uniform(rng);
        scales.push_back(s);
    }

    // 3. Roll basis.
    const Eigen::MatrixXd rollBasis = randomRotation(rng, dims).leftCols(3); // dims x 3

    // 4. Points.
    BenchData data;
    data.rows = rows;
    data.values.resize(std::size_t(rows) * dims);
    data.labels.resize(std::size_t(rows));
    const int rollRows = int(std::lround(rows / 11.0));
    const int clusterRows = rows - rollRows;
    int row = 0;
    Eigen::VectorXd z(dims), x(dims);
    for (int k = 0; k < kBenchClusters; ++k) {
        const int count = clusterRows / kBenchClusters + (k < clusterRows % kBenchClusters ? 1 : 0);
        for (int i = 0; i < count; ++i, ++row) {
            for (int j = 0; j < dims; ++j)
                z(j) = scales[k](j) * normal(rng);
            x = centres[k] + rotations[k] * z;
            for (int j = 0; j < dims; ++j)
                data.values[std::size_t(row) * dims + j] = float(x(j));
            data.labels[row] = k;
        }
    }
    for (int i = 0; i < rollRows; ++i, ++row) {
        const double t = 1.5 * kPi * (1.0 + 2.0 * uniform(rng));
        const double h = kRollHeight * uniform(rng);
        const Eigen::Vector3d p(t * std::cos(t), h, t * std::sin(t));
        x = centres[kBenchClusters] + rollBasis * p;
        for (int j = 0; j < dims; ++j)
            data.values[std::size_t(row) * dims + j] = float(x(j) + kRollNoise * normal(rng));
        data.labels[row] = kBenchClusters;
    }

    // Shuffle rows (and labels) with the same generator.
    std::vector<int> order(static_cast<std::size_t>(rows));
    std::iota(order.begin(), order.end(), 0);
    std::shuffle(order.begin(), order.end(), rng);
    BenchData shuffled;
    shuffled.rows = rows;
    shuffled.values.resize(data.values.size());
    shuffled.labels.resize(data.labels.size());
    for (int i = 0; i < rows; ++i) {
        std::copy_n(&data.values[std::size_t(order[i]) * dims], dims,
                    &shuffled.values[std::size_t(i) * dims]);
        shuffled.labels[i] = data.labels[order[i]];
    }
    return shuffled;
}

} // namespace scenelens::bench
