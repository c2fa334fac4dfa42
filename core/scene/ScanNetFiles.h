#pragma once
// Readers for the annotation files of a ScanNet scene: over-segmentation (segs.json), object
// aggregation (.aggregation.json) and scene metadata (<scene>.txt).

#include <Eigen/Core>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace scenelens {

/// One annotated object: the over-segmentation segments that make it up.
struct SegGroup {
    int objectId = 0;
    std::string label;
    std::vector<std::int64_t> segments;
};

struct Aggregation {
    std::string sceneId;
    std::vector<SegGroup> groups;
};

struct SceneInfo {
    std::map<std::string, std::string> metadata; ///< Every "key = value" line.
    Eigen::Matrix4f axisAlignment = Eigen::Matrix4f::Identity();
    bool hasAxisAlignment = false;
};

/// `segIndices` of a *_vh_clean_2.0.010000.segs.json file: the segment id of each vertex.
/// Throws FileError with the JSON line/column or path of what is not ScanNet's shape.
std::vector<std::int64_t> readSegmentIndices(const std::string& path);

/// `segGroups` of an .aggregation.json file.
Aggregation readAggregation(const std::string& path);

/// "key = value" lines of <scene>.txt; `axisAlignment` must hold 16 numbers (row-major 4x4).
SceneInfo readSceneInfo(const std::string& path);

} // namespace scenelens
