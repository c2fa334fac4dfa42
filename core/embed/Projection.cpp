#include "Projection.h"

#include "embed/Pca.h"
#include "embed/Tsne.h"
#include "embed/Umap.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace scenelens::embed {

namespace {

constexpr std::array<std::pair<ProjectionMethod, std::string_view>, 3> kMethodNames{{
    {ProjectionMethod::Pca, "pca"},
    {ProjectionMethod::Tsne, "tsne"},
    {ProjectionMethod::Umap, "umap"},
}};

Projection projectPca(const float* data, int rows, int dims, const ProjectionOptions& options,
                      ProgressSink* progress) {
    const PcaResult result = pca(data, rows, dims, options.dims, options.seed, progress);
    std::string details = "explained variance:";
    char number[32];
    for (double ratio : result.explainedVarianceRatio) {
        std::snprintf(number, sizeof(number), " %.4f", ratio);
        details += number;
    }
    return {result.coords, options.dims, details};
}

/// PCA coordinates scaled so the first axis has standard deviation 1e-4: t-SNE's usual start,
/// which keeps the global layout of the data instead of a random one.
std::vector<float> pcaInitialisation(const float* data, int rows, int dims, int outDims,
                                     std::uint64_t seed) {
    std::vector<float> init = pca(data, rows, dims, std::min(outDims, dims), seed).coords;
    if (dims < outDims) { // fewer input dimensions than output: pad with zeros
        std::vector<float> padded(std::size_t(rows) * outDims, 0.f);
        for (int i = 0; i < rows; ++i)
            std::copy_n(&init[std::size_t(i) * dims], dims, &padded[std::size_t(i) * outDims]);
        init.swap(padded);
    }
    double sum = 0, sumSquares = 0;
    for (int i = 0; i < rows; ++i) {
        const double x = init[std::size_t(i) * outDims];
        sum += x;
        sumSquares += x * x;
    }
    const double variance = sumSquares / rows - (sum / rows) * (sum / rows);
    const float scale = variance > 0 ? float(1e-4 / std::sqrt(variance)) : 1.f;
    for (float& x : init)
        x *= scale;
    return init;
}

Projection projectTsne(const float* data, int rows, int dims, const ProjectionOptions& options,
                       ProgressSink* progress) {
    const int k = std::min(rows - 1, int(std::ceil(3 * options.perplexity)));
    if (options.perplexity <= 0 || options.perplexity >= k)
        throw std::invalid_argument("t-SNE needs more rows than 3 x perplexity (perplexity " +
                                    std::to_string(options.perplexity) + ", " +
                                    std::to_string(rows) + " rows)");
    const KnnGraph graph =
        nearestNeighbours(data, rows, dims, k, options.metric, options.knn, progress);
    std::vector<float> conditional;
    calibrateAffinities(graph, options.perplexity, conditional);
    const SparseAffinities P = symmetrize(graph, conditional);
    TsneOptions tsneOptions;
    tsneOptions.dims = options.dims;
    tsneOptions.perplexity = options.perplexity;
    tsneOptions.seed = options.seed;
    const std::vector<float> init = pcaInitialisation(data, rows, dims, options.dims, options.seed);
    return {tsne(P, init, tsneOptions, progress), options.dims, "initialisation: pca"};
}

Projection projectUmap(const float* data, int rows, int dims, const ProjectionOptions& options,
                       ProgressSink* progress) {
    if (options.neighbours < 2 || options.neighbours >= rows)
        throw std::invalid_argument("UMAP needs 2 <= neighbours < rows (neighbours " +
                                    std::to_string(options.neighbours) + ", " +
                                    std::to_string(rows) + " rows)");
    const KnnGraph graph = nearestNeighbours(data, rows, dims, options.neighbours, options.metric,
                                             options.knn, progress);
    UmapOptions umapOptions;
    umapOptions.dims = options.dims;
    umapOptions.neighbours = options.neighbours;
    umapOptions.minDist = options.minDist;
    umapOptions.seed = options.seed;
    UmapResult result = umap(graph, umapOptions, data, dims, progress);
    return {std::move(result.coords), options.dims, "initialisation: " + result.initialisation};
}

} // namespace

std::string_view toString(ProjectionMethod method) {
    for (const auto& [value, name] : kMethodNames)
        if (value == method)
            return name;
    return "pca";
}

std::optional<ProjectionMethod> parseProjectionMethod(std::string_view text) {
    for (const auto& [value, name] : kMethodNames)
        if (name == text)
            return value;
    return std::nullopt;
}

Projection project(const float* data, int rows, int dims, const ProjectionOptions& options,
                   ProgressSink* progress) {
    if (rows < 2 || dims < 1)
        throw std::invalid_argument("need at least 2 rows of at least 1 dimension, got " +
                                    std::to_string(rows) + " x " + std::to_string(dims));
    switch (options.method) {
    case ProjectionMethod::Pca:
        if (options.dims < 1 || options.dims > std::min(rows, dims))
            throw std::invalid_argument(
                "PCA to " + std::to_string(options.dims) +
                " dimensions needs at least as many rows and input dimensions");
        return projectPca(data, rows, dims, options, progress);
    case ProjectionMethod::Tsne:
    case ProjectionMethod::Umap:
        if (options.dims != 2 && options.dims != 3)
            throw std::invalid_argument("t-SNE and UMAP project to 2 or 3 dimensions, not " +
                                        std::to_string(options.dims));
        return options.method == ProjectionMethod::Tsne
                   ? projectTsne(data, rows, dims, options, progress)
                   : projectUmap(data, rows, dims, options, progress);
    }
    return {};
}

} // namespace scenelens::embed
