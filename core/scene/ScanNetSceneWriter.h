#pragma once
// Writes a scene as a real ScanNet scene folder, which ScanNetSceneReader (and ScanNet's own
// tools) read back: used for the synthetic dataset and for tests.

#include "Scene.h"

#include <cstdint>
#include <string>
#include <vector>

namespace scenelens {

/// What a ScanNet folder holds besides the mesh in `scene` (aligned frame, objects with raw
/// labels).
struct ScanNetSceneFilesContent {
    std::vector<std::int64_t> segmentOfVertex;   ///< over-segmentation, one id per vertex
    std::vector<std::uint16_t> categoryOfVertex; ///< ScanNet category ids for labels.ply
    Eigen::Matrix4f alignment = Eigen::Matrix4f::Identity(); ///< written frame -> aligned frame
};

/// Writes <folder>/<scene.id>_vh_clean_2.ply (binary, x y z + RGBA, faces), _vh_clean_2.labels.ply
/// (+ ushort label), _vh_clean_2.0.010000.segs.json, .aggregation.json and <id>.txt (axisAlignment
/// and every scene.metadata entry). The mesh is written in the unaligned frame
/// alignment^-1 * positions, as ScanNet stores it. Byte-deterministic. Throws FileError.
void writeScanNetScene(const std::string& folder, const Scene& scene,
                       const ScanNetSceneFilesContent& content);

} // namespace scenelens
