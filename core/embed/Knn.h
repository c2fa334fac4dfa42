#pragma once
// k-nearest-neighbour graphs of embedding rows: exact (BLAS products and a threshold scan) or
// approximate (faiss HNSW).

#include "Progress.h"

#include <vector>

namespace scenelens::embed {

enum class Metric { Euclidean, Cosine };
enum class KnnMethod { Auto, Exact, Approximate };

/// Neighbours of every row, rows x k, each row sorted by ascending distance, the row itself
/// excluded. HNSW may, rarely, find fewer than k: the missing entries are -1 at infinite distance.
struct KnnGraph {
    int rows = 0, k = 0;
    std::vector<int> indices;
    std::vector<float> distances; ///< Euclidean distance (not squared), or 1 - cos for Cosine
};

/// A copy of the rows x dims points scaled to unit length (zero rows stay zero): what cosine
/// distances are computed on.
std::vector<float> normalisedRows(const float* data, int rows, int dims);

/// k nearest neighbours of each of the rows x dims row-major points among the others. Auto is exact
/// up to 200,000 rows and HNSW above. Throws std::invalid_argument unless 1 <= k < rows, and
/// Cancelled when the sink asks to stop.
KnnGraph nearestNeighbours(const float* data, int rows, int dims, int k, Metric metric,
                           KnnMethod method = KnnMethod::Auto, ProgressSink* progress = nullptr);

} // namespace scenelens::embed
