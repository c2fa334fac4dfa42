#include "embed/SpectralInit.h"

#include "embed/Xorshift.h"

#include <Eigen/Dense>
#include <Eigen/Eigenvalues>

#include <algorithm>
#include <cmath>

namespace scenelens::embed {

namespace {

constexpr double kResidualTolerance = 1e-4;
constexpr int kMaxRestarts = 300;
constexpr int kExtraBasis = 48;
constexpr int kExtraKept = 16;

// M = D^-1/2 W D^-1/2 shares its eigenvectors with the normalised Laplacian, the largest of M being
// the smallest of L. Its top eigenvector is D^1/2 1, projected out so that Lanczos never finds it.
struct NormalisedAdjacency {
    Eigen::SparseMatrix<double> m;
    Eigen::VectorXd trivial;

    explicit NormalisedAdjacency(const Eigen::SparseMatrix<double>& w) {
        const Eigen::VectorXd degree = w * Eigen::VectorXd::Ones(w.cols());
        const Eigen::VectorXd scale = degree.cwiseSqrt().cwiseInverse();
        m = scale.asDiagonal() * w * scale.asDiagonal();
        trivial = degree.cwiseSqrt().normalized();
    }

    Eigen::VectorXd apply(const Eigen::VectorXd& v) const {
        Eigen::VectorXd w = m * v;
        w -= trivial * trivial.dot(w);
        return w;
    }
};

// Thick-restart Lanczos (Wu & Simon) with full reorthogonalisation: after each cycle the wanted
// Ritz vectors are kept and the projected matrix becomes their Ritz values plus a coupling row.
class Lanczos {
public:
    Lanczos(const NormalisedAdjacency& op, int wanted, std::uint64_t seed)
        : op_(op), wanted_(wanted),
          size_(std::min<int>(int(op.m.rows()) - 1, wanted + kExtraBasis)),
          keep_(std::min(size_ - 1, wanted + kExtraKept)), basis_(op.m.rows(), size_ + 1),
          projected_(Eigen::MatrixXd::Zero(size_, size_)) {
        Xorshift rng(seed);
        Eigen::VectorXd start(op.m.rows());
        for (Eigen::Index i = 0; i < start.size(); ++i)
            start(i) = rng.uniform() - 0.5;
        start -= op.trivial * op.trivial.dot(start);
        basis_.col(0) = start.normalized();
    }

    /// Columns: the wanted eigenvectors by descending eigenvalue of M; empty when not converged.
    Eigen::MatrixXd solve(ProgressSink* progress) {
        int first = 0;
        for (int restart = 0; restart < kMaxRestarts; ++restart) {
            checkpoint(progress, "UMAP spectral initialisation", 0.0);
            const int filled = extend(first);
            // A start vector inside a small invariant subspace cannot yield enough eigenvectors.
            if (filled < wanted_)
                return {};
            const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> ritz(
                projected_.topLeftCorner(filled, filled));
            const Eigen::MatrixXd vectors = ritz.eigenvectors().rowwise().reverse();
            const Eigen::VectorXd values = ritz.eigenvalues().reverse();
            const bool exhausted = filled < size_;
            if (exhausted || converged(vectors.bottomRows(1).leftCols(wanted_)))
                return basis_.leftCols(filled) * vectors.leftCols(wanted_);
            first = std::min(keep_, filled - 1);
            restartWith(vectors.leftCols(first), values.head(first));
        }
        return {};
    }

private:
    // Grows the basis from column `first` to size_ columns; returns fewer when the Krylov space is
    // invariant (then its Ritz pairs are exact).
    int extend(int first) {
        for (int j = first; j < size_; ++j) {
            Eigen::VectorXd w = op_.apply(basis_.col(j));
            Eigen::VectorXd h = basis_.leftCols(j + 1).transpose() * w;
            w -= basis_.leftCols(j + 1) * h;
            // A second Gram-Schmidt pass keeps the basis orthogonal to working precision.
            const Eigen::VectorXd h2 = basis_.leftCols(j + 1).transpose() * w;
            w -= basis_.leftCols(j + 1) * h2;
            h += h2;
            projected_.col(j).head(j + 1) = h;
            projected_.row(j).head(j + 1) = h.transpose();
            residualNorm_ = w.norm();
            if (residualNorm_ < 1e-12)
                return j + 1;
            basis_.col(j + 1) = w / residualNorm_;
        }
        return size_;
    }

    bool converged(const Eigen::MatrixXd& lastRow) const {
        return (residualNorm_ * lastRow.cwiseAbs()).maxCoeff() < kResidualTolerance;
    }

    void restartWith(const Eigen::MatrixXd& vectors, const Eigen::VectorXd& values) {
        const int kept = int(vectors.cols());
        const Eigen::MatrixXd ritzVectors = basis_.leftCols(size_) * vectors;
        basis_.leftCols(kept) = ritzVectors;
        basis_.col(kept) = basis_.col(size_);
        projected_.setZero();
        projected_.topLeftCorner(kept, kept) = values.asDiagonal();
    }

    const NormalisedAdjacency& op_;
    int wanted_, size_, keep_;
    Eigen::MatrixXd basis_;
    Eigen::MatrixXd projected_;
    double residualNorm_ = 0.0;
};

std::vector<float> toRowMajor(const Eigen::MatrixXd& columns) {
    std::vector<float> coords(std::size_t(columns.size()));
    for (Eigen::Index c = 0; c < columns.cols(); ++c) {
        Eigen::Index largest = 0;
        columns.col(c).cwiseAbs().maxCoeff(&largest);
        const double sign = columns(largest, c) < 0.0 ? -1.0 : 1.0;
        for (Eigen::Index r = 0; r < columns.rows(); ++r)
            coords[std::size_t(r * columns.cols() + c)] = float(sign * columns(r, c));
    }
    return coords;
}

} // namespace

int connectedComponents(const Eigen::SparseMatrix<double>& graph) {
    const int n = int(graph.outerSize());
    std::vector<int> component(n, -1), stack;
    int count = 0;
    for (int seed = 0; seed < n; ++seed) {
        if (component[seed] >= 0)
            continue;
        component[seed] = count;
        stack.assign(1, seed);
        while (!stack.empty()) {
            const int v = stack.back();
            stack.pop_back();
            for (Eigen::SparseMatrix<double>::InnerIterator it(graph, v); it; ++it) {
                if (it.value() > 0.0 && component[it.index()] < 0) {
                    component[it.index()] = count;
                    stack.push_back(int(it.index()));
                }
            }
        }
        ++count;
    }
    return count;
}

SpectralLayout spectralLayout(const Eigen::SparseMatrix<double>& graph, int dims,
                              std::uint64_t seed, ProgressSink* progress) {
    if (graph.rows() < dims + 2)
        return {{}, "graph has only " + std::to_string(graph.rows()) + " vertices"};
    const int components = connectedComponents(graph);
    if (components > 1)
        return {{}, "graph has " + std::to_string(components) + " connected components"};
    const NormalisedAdjacency op(graph);
    const Eigen::MatrixXd vectors = Lanczos(op, dims, seed).solve(progress);
    if (vectors.size() == 0)
        return {{}, "Lanczos did not converge"};
    return {toRowMajor(vectors), {}};
}

} // namespace scenelens::embed
