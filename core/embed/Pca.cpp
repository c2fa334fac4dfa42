#include "embed/Pca.h"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>
#include <string>

namespace scenelens::embed {

namespace {

using RowMatrixF = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using ConstRowMapF = Eigen::Map<const RowMatrixF>;

constexpr int kExactDimsLimit = 1000;
constexpr int kOversampling = 10;
constexpr int kPowerIterations = 4;
constexpr int kChunk = 8192;

struct Basis {
    Eigen::MatrixXd axes; ///< dims x components, orthonormal columns
    std::vector<double> ratio;
};

Eigen::RowVectorXd columnMeans(const ConstRowMapF& x) {
    Eigen::RowVectorXd sum = Eigen::RowVectorXd::Zero(x.cols());
    for (Eigen::Index begin = 0; begin < x.rows(); begin += kChunk) {
        const Eigen::Index count = std::min<Eigen::Index>(kChunk, x.rows() - begin);
        sum += x.middleRows(begin, count).cast<double>().colwise().sum();
    }
    return sum / double(x.rows());
}

// Accumulated in double over row chunks: precise without a double copy of the whole matrix.
Basis covarianceBasis(const ConstRowMapF& x, const Eigen::RowVectorXd& mean, int components,
                      ProgressSink* progress) {
    Eigen::MatrixXd cov = Eigen::MatrixXd::Zero(x.cols(), x.cols());
    for (Eigen::Index begin = 0; begin < x.rows(); begin += kChunk) {
        checkpoint(progress, "PCA covariance", 0.8 * begin / x.rows());
        const Eigen::Index count = std::min<Eigen::Index>(kChunk, x.rows() - begin);
        const Eigen::MatrixXd block = x.middleRows(begin, count).cast<double>().rowwise() - mean;
        cov.selfadjointView<Eigen::Lower>().rankUpdate(block.transpose());
    }
    checkpoint(progress, "PCA eigendecomposition", 0.8);
    const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(
        cov.selfadjointView<Eigen::Lower>());
    const Eigen::VectorXd values = solver.eigenvalues().reverse().cwiseMax(0.0);
    const double total = values.sum();
    Basis basis;
    basis.axes = solver.eigenvectors().rowwise().reverse().leftCols(components);
    for (int c = 0; c < components; ++c)
        basis.ratio.push_back(total > 0.0 ? values(c) / total : 0.0);
    return basis;
}

// Standard normal samples from raw mt19937_64 output (Box-Muller), so that every standard library
// draws the same test matrix for a given seed.
Eigen::MatrixXd gaussianMatrix(int rows, int cols, std::uint64_t seed) {
    std::mt19937_64 engine(seed);
    const auto uniform = [&engine] { return double((engine() >> 11) + 1) * 0x1.0p-53; };
    Eigen::MatrixXd m(rows, cols);
    double* out = m.data();
    const Eigen::Index size = m.size();
    for (Eigen::Index i = 0; i < size; i += 2) {
        const double radius = std::sqrt(-2.0 * std::log(uniform()));
        const double angle = 2.0 * M_PI * uniform();
        out[i] = radius * std::cos(angle);
        if (i + 1 < size)
            out[i + 1] = radius * std::sin(angle);
    }
    return m;
}

Eigen::MatrixXd orthonormalise(const Eigen::MatrixXd& m) {
    const Eigen::HouseholderQR<Eigen::MatrixXd> qr(m);
    return qr.householderQ() * Eigen::MatrixXd::Identity(m.rows(), m.cols());
}

// Halko, Martinsson & Tropp (2011), algorithm 4.4 with QR after every product for stability.
Basis randomizedBasis(const ConstRowMapF& x, const Eigen::RowVectorXd& mean, int components,
                      std::uint64_t seed, ProgressSink* progress) {
    const RowMatrixF centred = x.rowwise() - mean.cast<float>();
    const int width =
        int(std::min<Eigen::Index>(components + kOversampling, std::min(x.rows(), x.cols())));
    const auto times = [&centred](const Eigen::MatrixXd& m) {
        return Eigen::MatrixXd((centred * m.cast<float>()).cast<double>());
    };
    const auto transposeTimes = [&centred](const Eigen::MatrixXd& m) {
        return Eigen::MatrixXd((centred.transpose() * m.cast<float>()).cast<double>());
    };
    Eigen::MatrixXd q = orthonormalise(times(gaussianMatrix(int(x.cols()), width, seed)));
    for (int i = 0; i < kPowerIterations; ++i) {
        checkpoint(progress, "randomized PCA", 0.8 * i / kPowerIterations);
        q = orthonormalise(times(orthonormalise(transposeTimes(q))));
    }
    checkpoint(progress, "randomized PCA", 0.8);
    const Eigen::MatrixXd small = transposeTimes(q).transpose(); // width x dims = q^T A
    const Eigen::BDCSVD<Eigen::MatrixXd> svd(small, Eigen::ComputeThinV);
    const double total = double(centred.cast<double>().squaredNorm());
    Basis basis;
    basis.axes = svd.matrixV().leftCols(components);
    for (int c = 0; c < components; ++c) {
        const double s = svd.singularValues()(c);
        basis.ratio.push_back(total > 0.0 ? s * s / total : 0.0);
    }
    return basis;
}

void fixSigns(Eigen::MatrixXd& axes) {
    for (Eigen::Index c = 0; c < axes.cols(); ++c) {
        Eigen::Index largest = 0;
        axes.col(c).cwiseAbs().maxCoeff(&largest);
        if (axes(largest, c) < 0.0)
            axes.col(c) *= -1.0;
    }
}

std::vector<float> project(const ConstRowMapF& x, const Eigen::RowVectorXd& mean,
                           const Eigen::MatrixXd& axes, ProgressSink* progress) {
    std::vector<float> coords(std::size_t(x.rows()) * axes.cols());
    Eigen::Map<RowMatrixF> out(coords.data(), x.rows(), axes.cols());
    for (Eigen::Index begin = 0; begin < x.rows(); begin += kChunk) {
        checkpoint(progress, "PCA projection", 0.9 + 0.1 * begin / x.rows());
        const Eigen::Index count = std::min<Eigen::Index>(kChunk, x.rows() - begin);
        // Centred in double: data far from the origin would lose its low bits in float.
        const Eigen::MatrixXd block = x.middleRows(begin, count).cast<double>().rowwise() - mean;
        out.middleRows(begin, count) = (block * axes).cast<float>();
    }
    return coords;
}

} // namespace

PcaResult pca(const float* data, int rows, int dims, int components, std::uint64_t seed,
              ProgressSink* progress) {
    if (components < 1 || components > std::min(rows, dims))
        throw std::invalid_argument("pca: components must be in [1, " +
                                    std::to_string(std::min(rows, dims)) + "], got " +
                                    std::to_string(components));
    const ConstRowMapF x(data, rows, dims);
    const Eigen::RowVectorXd mean = columnMeans(x);
    PcaResult result;
    result.components = components;
    result.randomized = dims > kExactDimsLimit;
    Basis basis = result.randomized ? randomizedBasis(x, mean, components, seed, progress)
                                    : covarianceBasis(x, mean, components, progress);
    fixSigns(basis.axes);
    result.coords = project(x, mean, basis.axes, progress);
    result.explainedVarianceRatio = std::move(basis.ratio);
    checkpoint(progress, "PCA", 1.0);
    return result;
}

} // namespace scenelens::embed
