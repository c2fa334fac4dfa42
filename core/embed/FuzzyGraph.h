#pragma once
// UMAP's fuzzy simplicial set of a kNN graph: per-point smooth distances and the symmetric union of
// the local memberships.

#include "embed/Knn.h"

#include <Eigen/SparseCore>

#include <vector>

namespace scenelens::embed {

/// rho: distance to the nearest neighbour; sigma: the scale at which the first `neighbours`
/// memberships exp(-max(0, d - rho) / sigma) sum to log2(neighbours), as umap-learn's
/// smooth_knn_dist.
struct SmoothKnn {
    std::vector<double> rho, sigma;
};

/// Smooth distances over the first min(neighbours, graph.k) columns of every row.
SmoothKnn smoothKnnDistances(const KnnGraph& graph, int neighbours);

/// Symmetric rows x rows membership matrix P + P^T - P∘P, entries in (0, 1], where P holds each
/// row's memberships to its first min(neighbours, graph.k) neighbours. Negative indices are
/// skipped.
Eigen::SparseMatrix<double> fuzzySimplicialSet(const KnnGraph& graph, int neighbours);

} // namespace scenelens::embed
