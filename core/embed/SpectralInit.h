#pragma once
// Spectral layout of a symmetric weighted graph: the smallest non-trivial eigenvectors of its
// normalised Laplacian, found by thick-restart Lanczos on the sparse matrix.

#include "Progress.h"

#include <Eigen/SparseCore>

#include <cstdint>
#include <string>
#include <vector>

namespace scenelens::embed {

struct SpectralLayout {
    std::vector<float> coords; ///< rows x dims row-major, unit-norm columns; empty on failure
    std::string failure;       ///< why no layout was found ("graph has 3 connected components")
};

/// Number of connected components of the symmetric graph (an edge is any stored entry > 0).
int connectedComponents(const Eigen::SparseMatrix<double>& graph);

/// Eigenvectors 1..dims of I - D^-1/2 W D^-1/2, in ascending order of eigenvalue; column signs make
/// the largest-|value| entry positive. Fails on disconnected graphs, graphs with fewer than dims +
/// 2 vertices, and when the residuals do not fall below 1e-4. seed drives the start vector only.
/// Polls the sink (phase "UMAP spectral initialisation") every restart; throws Cancelled.
SpectralLayout spectralLayout(const Eigen::SparseMatrix<double>& graph, int dims,
                              std::uint64_t seed, ProgressSink* progress = nullptr);

} // namespace scenelens::embed
