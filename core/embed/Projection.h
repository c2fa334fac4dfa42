#pragma once
// One entry point for projecting embeddings with PCA, t-SNE or UMAP: builds the neighbour graph
// the method needs and runs it, for the CLI and the app alike.

#include "Progress.h"
#include "embed/Knn.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace scenelens::embed {

enum class ProjectionMethod { Pca, Tsne, Umap };

/// "pca", "tsne", "umap" and back.
std::string_view toString(ProjectionMethod method);
std::optional<ProjectionMethod> parseProjectionMethod(std::string_view text);

struct ProjectionOptions {
    ProjectionMethod method = ProjectionMethod::Pca;
    int dims = 2;
    double perplexity = 30; ///< t-SNE; its graph has k = 3 * perplexity neighbours
    int neighbours = 15;    ///< UMAP
    double minDist = 0.1;   ///< UMAP
    std::uint64_t seed = 0;
    Metric metric = Metric::Euclidean;
    KnnMethod knn = KnnMethod::Auto;
    /// Centre each modality before projecting (centreModalities in PlotData.h): makePlotData and
    /// project files honour it; project() itself does not look at it.
    bool centreModalities = false;
};

struct Projection {
    std::vector<float> coords; ///< rows x dims, row-major
    int dims = 0;
    std::string details; ///< e.g. "initialisation: spectral", "explained variance: 0.61 0.22"
};

/// Projects rows x dims row-major finite values. Throws std::invalid_argument for impossible
/// parameters (too few rows for the neighbours asked, dims not 2 or 3 for t-SNE/UMAP) and
/// Cancelled through `progress`.
Projection project(const float* data, int rows, int dims, const ProjectionOptions& options,
                   ProgressSink* progress = nullptr);

} // namespace scenelens::embed
