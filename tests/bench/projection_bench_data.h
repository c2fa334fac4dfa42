#pragma once
// The fixed test data of projection_bench: rows x 50 float32 points, deterministic for a given
// row count (see projection_bench_data.cpp for the exact recipe).

#include <cstdint>
#include <vector>

namespace scenelens::bench {

constexpr int kBenchDims = 50;
constexpr int kBenchClusters = 10;
constexpr std::uint64_t kBenchSeed = 20240611;

struct BenchData {
    int rows = 0, dims = kBenchDims;
    std::vector<float> values;        ///< rows x dims, row-major
    std::vector<std::int64_t> labels; ///< 0..9: Gaussian cluster, 10: swiss roll
};

/// Ten anisotropic Gaussian clusters plus a noisy swiss roll (about rows / 11 of the points) in
/// 50-D, rows shuffled; the same rows always give the same data.
BenchData makeBenchData(int rows, std::uint64_t seed = kBenchSeed);

} // namespace scenelens::bench
