#pragma once
// UMAP (McInnes, Healy & Melville) of a precomputed kNN graph, step by step as umap-learn: fuzzy
// simplicial set, spectral initialisation, then SGD of the cross-entropy layout.

#include "Progress.h"
#include "embed/Knn.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace scenelens::embed {

struct UmapOptions {
    int dims = 2;
    int neighbours = 15; ///< graph columns used (the first min(neighbours, graph.k))
    double minDist = 0.1;
    double spread = 1.0;
    int epochs = 0; ///< 0: 500 up to 10,000 rows, 200 above
    double learningRate = 1.0;
    int negativeSampleRate = 5;
    std::uint64_t seed = 0;
    bool deterministic = false; ///< single-threaded SGD, bit-identical output for a seed
    int threads = 0;            ///< 0: std::thread::hardware_concurrency()
};

struct UmapResult {
    std::vector<float> coords;  ///< rows x dims row-major
    std::string initialisation; ///< "spectral", or "pca (spectral failed: ...)" / "random (...)"
    double a = 0.0, b = 0.0;    ///< the fitted curve 1 / (1 + a d^2b)
};

/// a and b of 1 / (1 + a x^2b) fitted by Levenberg-Marquardt to 1 below minDist and
/// exp(-(x - minDist) / spread) above, on 300 points in [0, 3 spread] (umap-learn's
/// find_ab_params).
std::pair<double, double> fitAB(double spread, double minDist);

/// Embeds the graph's rows in options.dims (2 or 3) dimensions. data (rows x dataDims row-major,
/// optional) is used only for the PCA fallback when spectral initialisation fails; without it the
/// fallback is a seeded uniform layout. Reports phase "UMAP" every epoch. Throws
/// std::invalid_argument on an inconsistent graph or options, and Cancelled when the sink asks to
/// stop.
UmapResult umap(const KnnGraph& graph, const UmapOptions& options, const float* data = nullptr,
                int dataDims = 0, ProgressSink* progress = nullptr);

} // namespace scenelens::embed
