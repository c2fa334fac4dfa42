#pragma once
// t-SNE (van der Maaten 2008) on a sparse kNN affinity graph: FFT-accelerated interpolation for
// 2-D embeddings (FIt-SNE, Linderman et al. 2019), Barnes-Hut for 3-D.

#include "Progress.h"
#include "embed/Knn.h"

#include <cstdint>
#include <functional>
#include <vector>

namespace scenelens::embed {

/// Symmetric joint probabilities p_ij in CSR form; values sum to 1.
struct SparseAffinities {
    int rows = 0;
    std::vector<int> rowStart; ///< rows + 1 offsets into columns / values
    std::vector<int> columns;  ///< ascending within a row
    std::vector<float> values;
};

struct TsneOptions {
    int dims = 2;           ///< 2 (FFT interpolation) or 3 (Barnes-Hut)
    double perplexity = 30; ///< used by callers to build the graph (k = 3 * perplexity)
    int iterations = 750;   ///< in all, the exaggeration ones included
    int exaggerationIterations = 250;
    double exaggeration = 12;
    double learningRate = 0; ///< 0: max(N / 12, 200)
    std::uint64_t seed = 0;  ///< seeds the random initialisation
    int threads = 0;         ///< 0: hardware concurrency
};

/// Passed to the per-iteration callback; klDivergence is NaN except every 50 iterations and at the
/// last one.
struct TsneProgress {
    int iteration;
    double klDivergence;
};

/// Fills P (rows x k) with the conditional p_j|i over each row's neighbours, with a Gaussian whose
/// precision is bisected until the entropy equals log(perplexity) within 1e-5. Returns the
/// precisions beta_i (in 1 / distance^2). Throws std::invalid_argument unless perplexity < k.
std::vector<double> calibrateAffinities(const KnnGraph& graph, double perplexity,
                                        std::vector<float>& P, int threads = 0);

/// p_ij = (p_j|i + p_i|j) / 2N from calibrateAffinities' conditional P.
SparseAffinities symmetrize(const KnnGraph& graph, const std::vector<float>& P);

/// Embeds P.rows points in options.dims dimensions; returns rows x dims row-major. init (rows x
/// dims) may be empty for a seeded N(0, 1e-4^2) start. Reports phase "t-SNE" each iteration and
/// throws Cancelled when the sink asks. Deterministic for a given seed and thread count.
std::vector<float> tsne(const SparseAffinities& P, const std::vector<float>& init,
                        const TsneOptions& options, ProgressSink* progress = nullptr,
                        const std::function<void(const TsneProgress&)>& onIteration = {});

/// The repulsive part of the KL gradient, -4 sum_j q_ij w_ij (y_i - y_j) with w = 1 / (1 + d^2),
/// as tsne() approximates it (FFT in 2-D, Barnes-Hut in 3-D); embedding is rows x dims. Writes
/// Z = sum_{i != j} w_ij to *z when given. For checking the approximation.
std::vector<float> repulsiveGradient(const std::vector<float>& embedding, int dims,
                                     double* z = nullptr, int threads = 0);

/// The same, computed exactly in O(N^2) time (O(N) memory).
std::vector<float> exactRepulsiveGradient(const std::vector<float>& embedding, int dims,
                                          double* z = nullptr, int threads = 0);

} // namespace scenelens::embed
