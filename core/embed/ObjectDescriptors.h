#pragma once
// A per-object geometry and colour descriptor computed from a Scene alone (no model): an embedding
// set that makes embedding views useful before any encoder exists, and a baseline to compare
// learned object features with.
//
// Dimensions (raw units; objectDescriptors() z-scores each one across all objects it is given):
//   0 size_long        larger horizontal extent of the object's box (m)
//   1 size_short       smaller horizontal extent of the box (m)
//   2 height           vertical extent of the box (m)
//   3 centre_height    box centre above the floor (m)
//   4 bottom_height    box bottom above the floor (m): on the floor, on a table, on a wall
//   5 log_footprint    log10 of size_long * size_short (m^2, at least 1e-4)
//   6 log_volume       log10 of the box volume (m^3, at least 1e-6)
//   7-9 mean_r/g/b     mean vertex colour, 0..1
//   10-17 hue_0..hue_7 fraction of the object's vertices whose colour is chromatic (HSV
//                      saturation and value >= 0.2) with hue in [45 k, 45 (k + 1)) degrees
//   18 mean_saturation mean HSV saturation of the vertex colours, 0..1
//   19 mean_value      mean HSV value, 0..1
//   20 linearity       (l1 - l2) / l1 of the eigenvalues l1 >= l2 >= l3 of the vertex covariance
//   21 planarity       (l2 - l3) / l1
//   22 sphericity      l3 / l1 (a single vertex counts as spherical: 0, 0, 1)
//   23 vertical_normals fraction of vertices with |normal z| >= 0.9: horizontal surfaces
// The floor is the 1st percentile of all vertex heights of the object's scene, robust to stray
// points below it.

#include "embed/EmbeddingSet.h"
#include "scene/Scene.h"

#include <string>
#include <vector>

namespace scenelens::embed {

inline constexpr int kObjectDescriptorDims = 24;

/// The names of the dimensions above, in order.
const std::vector<std::string>& objectDescriptorNames();

/// Height of the floor of `scene` (see above); 0 for a scene without vertices.
float floorHeight(const Scene& scene);

/// The raw descriptor of one object of `scene` (kObjectDescriptorDims values), its heights taken
/// above `floor`. An object without vertices gives zeros.
std::vector<float> rawObjectDescriptor(const Scene& scene, const SceneObject& object, float floor);

/// One row per object with vertices, scene by scene in object order, raw values. Metadata: text
/// columns "scene", "label" (NYU40 class name), "raw_label", "modality" ("object3d"); number
/// columns "object_id" and "nyu40_id". Named "object descriptors", modality "object3d". Throws
/// std::invalid_argument when the scenes hold no object with vertices.
EmbeddingSet rawObjectDescriptors(const std::vector<const Scene*>& scenes);

/// rawObjectDescriptors() with every dimension z-scored across the rows (a constant dimension
/// becomes 0).
EmbeddingSet objectDescriptors(const std::vector<const Scene*>& scenes);

} // namespace scenelens::embed
