#pragma once
// What an embedding view shows, independent of how it is drawn: projected coordinates of one or
// more embedding sets with their metadata. Shared by EmbeddingView, the figure export and the
// project store.

#include "embed/EmbeddingSet.h"
#include "embed/Metrics.h"
#include "embed/Projection.h"

#include <string>
#include <vector>

namespace scenelens::embed {

/// Metadata columns with a meaning for linking and tooltips (all optional).
namespace columns {
inline constexpr const char* kModality = "modality";  ///< text: object3d | scene3d | text | image
inline constexpr const char* kSet = "set";            ///< text: name of the set a row came from
inline constexpr const char* kScene = "scene";        ///< text: ScanNet scene id, e.g. scene0000_00
inline constexpr const char* kObjectId = "object_id"; ///< number: ScanNet objectId in that scene
inline constexpr const char* kLabel = "label";        ///< text: class or raw label
inline constexpr const char* kText = "text";          ///< text: the prompt of a text embedding
inline constexpr const char* kImagePath = "image_path"; ///< text: file of an image embedding
} // namespace columns

struct PlotData {
    /// One row per point: `values` are the original vectors (for neighbour lines and metrics),
    /// metadata in the text/number columns; several sets projected together are concatenated and
    /// carry the kSet and kModality columns.
    EmbeddingSet points;
    std::vector<float> coords; ///< points.rows x coordDims, row-major
    int coordDims = 2;         ///< 2 or 3
    std::string title;         ///< e.g. "t-SNE of object embeddings"
    ProjectionOptions projection;
    std::string projectionDetails; ///< Projection::details
    MetricReport metrics;          ///< may be empty

    int rows() const { return points.rows; }
    const float* coord(int i) const { return coords.data() + std::size_t(i) * coordDims; }
};

/// Projects `set` with `options` and bundles the result (and its metrics at k = 15 when asked,
/// with the "label" column as labels when it exists) into PlotData. Sets of fewer than 31 rows get
/// the largest k the metrics accept, none below 3 rows. The title reads "<method> of <set name>".
/// Throws std::invalid_argument for an invalid set (validate()), else like project().
PlotData makePlotData(EmbeddingSet set, const ProjectionOptions& options, bool withMetrics,
                      ProgressSink* progress = nullptr);

/// Concatenates sets that share `dims` into one, adding the kSet and kModality columns (a set's own
/// non-empty values of those columns are kept, else its name and modality fill them); columns
/// missing from some sets are filled with "" / NaN, and a column that is text in one set and
/// numbers in another becomes text. The result is named "a + b", with the sets' common modality
/// or "" when they differ. Throws std::invalid_argument when dims differ or no set is given.
EmbeddingSet concatenateSets(const std::vector<const EmbeddingSet*>& sets);

/// Closes the modality gap (Liang et al., NeurIPS 2022): CLIP-style text, image and 3D embeddings
/// sit in separate cones of the shared space, so a projection of them together mostly shows the
/// modality. Subtracts each modality's mean vector from its rows (the kModality column, else the
/// set's modality) and rescales every row to unit length. Zero rows (no embedding) stay zero and
/// do not count towards the means; a row equal to its modality's mean becomes zero.
void centreModalities(EmbeddingSet& set);

} // namespace scenelens::embed
