#pragma once
// A named matrix of embeddings (one row per item) with per-row metadata columns.

#include <map>
#include <string>
#include <vector>

namespace scenelens::embed {

/// Embeddings of one modality with metadata; every column holds exactly `rows` entries.
struct EmbeddingSet {
    std::string name;
    std::string modality; ///< object3d | scene3d | text | image
    std::string space;    ///< embedding space, e.g. clip-vit-b32 ("" when unknown)
    std::string model;    ///< the model (bundle name) that produced the vectors, "" when none
    std::string created;  ///< UTC ISO 8601 time the vectors were made, "" when unknown
    int rows = 0, dims = 0;
    std::vector<float> values; ///< row-major rows x dims
    std::map<std::string, std::vector<std::string>> textColumns;
    std::map<std::string, std::vector<double>> numberColumns;

    /// Pointer to the dims values of row i (no bounds check).
    const float* row(int i) const { return values.data() + std::size_t(i) * std::size_t(dims); }
};

/// Throws std::invalid_argument naming `what` when the set is empty, its values do not match
/// rows x dims, a row holds NaN or Inf ("row 12 holds NaN") or a column length differs from rows.
void validate(const EmbeddingSet& set, const std::string& what);

} // namespace scenelens::embed
