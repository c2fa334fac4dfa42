#pragma once
// Seeded synthetic indoor rooms in ScanNet's conventions: the built-in demo, the training data of
// the demo models and test data with known ground truth (real ScanNet cannot be shipped).

#include "../Scene.h"

#include <cstdint>
#include <string>
#include <vector>

namespace scenelens::synth {

enum class RoomType { Bedroom, Kitchen, Office, Bathroom, LivingRoom };

/// "bedroom", "kitchen", "office", "bathroom", "living room".
std::string roomTypeName(RoomType type);

/// What the generator knows about one object; the same facts are recoverable from the written
/// files (tests check that they are).
struct SynthObject {
    int objectId = 0;     ///< ScanNet objectId (instance id = objectId + 1).
    std::string rawLabel; ///< A raw_category of scannetv2-labels.combined.tsv, e.g. "office chair".
    std::string className;   ///< The NYU40 class of rawLabel, e.g. "chair".
    std::string colorName;   ///< Name from namedColors(), e.g. "red", "wooden".
    Box3 box;                ///< Aligned-frame bounds of its vertices (metres, z up, floor at 0).
    int supportId = -1;      ///< objectId of the object it stands on, -1 for the floor / a wall.
    bool structural = false; ///< wall, floor: part of the room rather than furniture.
};

struct SyntheticRoom {
    std::string sceneId; ///< "sceneSYN<index, two digits>_00"
    RoomType type = RoomType::Bedroom;
    /// The room in its aligned frame: floor on z = 0 spanning [0, size.x] x [0, size.y]. Objects,
    /// instance ids, NYU40 ids, colours, normals and faces are filled; axisAlignment is
    /// `alignment`.
    Scene scene;
    Eigen::Vector3f size = Eigen::Vector3f::Zero(); ///< Room extent (x, y, wall height).
    /// Maps the written (raw, rotated and translated) coordinates to the aligned frame, as
    /// ScanNet's axisAlignment does. The written mesh holds alignment.inverse() applied to
    /// scene.positions.
    Eigen::Matrix4f alignment = Eigen::Matrix4f::Identity();
    std::vector<SynthObject> objects; ///< Same order and ids as scene.objects.
    /// Over-segmentation: per vertex, a segment id; every object owns one or more segments.
    std::vector<std::int64_t> segmentOfVertex;
};

struct RoomOptions {
    std::uint64_t seed = 0;
    int index = 0; ///< Scene number; with the seed it determines the room completely.
    /// Std-dev (metres) of scan-like jitter on vertex positions, truncated at 2.5 std-devs so
    /// that objects stay apart; 0 = none.
    float noise = 0.004f;
};

/// Generates room `options.index` of the set seeded by `options.seed`. Deterministic: the same
/// options give identical rooms on every run and machine.
SyntheticRoom generateRoom(const RoomOptions& options);

/// Every raw label generateRoom can give an object, sorted: the rows a label table for the
/// synthetic rooms needs.
std::vector<std::string> syntheticRawLabels();

} // namespace scenelens::synth
