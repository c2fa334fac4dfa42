#pragma once
// Principal component analysis: exact for up to 1000 dimensions, randomized SVD above.

#include "Progress.h"

#include <cstdint>
#include <vector>

namespace scenelens::embed {

struct PcaResult {
    std::vector<float> coords;                  ///< rows x components, row-major
    std::vector<double> explainedVarianceRatio; ///< per component, of the total variance
    int components = 0;
    bool randomized = false; ///< true when the randomized SVD was used
};

/// Projects the centred rows x dims row-major data onto its leading components; the largest-|value|
/// loading of each component is positive. seed drives the randomized path only, whose results are
/// identical across standard libraries. Throws std::invalid_argument unless
/// 1 <= components <= min(rows, dims), and Cancelled when the sink asks to stop.
PcaResult pca(const float* data, int rows, int dims, int components, std::uint64_t seed = 0,
              ProgressSink* progress = nullptr);

} // namespace scenelens::embed
