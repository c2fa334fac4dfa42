#pragma once
// Small scenes built in code for tests that must not depend on the shared real data.

#include "scene/Scene.h"

#include <algorithm>
#include <string>

namespace scenelens::test {

/// Appends a closed box with outward (counter-clockwise) faces as object `objectId` of NYU40
/// class `nyu40`, painted `color`.
inline void addBox(Scene& scene, const Eigen::Vector3f& min, const Eigen::Vector3f& max,
                   int objectId, int nyu40, const std::string& label = {},
                   Rgb8 color = {200, 200, 200}) {
    const auto base = std::uint32_t(scene.positions.size());
    for (int corner = 0; corner < 8; ++corner) {
        scene.positions.emplace_back(corner & 1 ? max.x() : min.x(), corner & 2 ? max.y() : min.y(),
                                     corner & 4 ? max.z() : min.z());
        scene.colors.push_back(color);
        scene.instanceIds.push_back(objectId + 1);
        scene.nyu40Ids.push_back(std::uint16_t(nyu40));
    }
    static constexpr std::uint32_t kQuads[6][4] = {{0, 2, 3, 1}, {4, 5, 7, 6}, {0, 1, 5, 4},
                                                   {2, 6, 7, 3}, {0, 4, 6, 2}, {1, 3, 7, 5}};
    for (const auto& q : kQuads) {
        scene.faces.push_back({base + q[0], base + q[1], base + q[2]});
        scene.faces.push_back({base + q[0], base + q[2], base + q[3]});
    }
    SceneObject object;
    object.id = objectId;
    object.rawLabel = label;
    object.nyu40Id = nyu40;
    scene.objects.push_back(object);
}

/// Sorts the objects by id, computes normals, boxes and vertex lists.
inline void finishScene(Scene& scene) {
    std::sort(scene.objects.begin(), scene.objects.end(),
              [](const SceneObject& a, const SceneObject& b) { return a.id < b.id; });
    scene.normals = computeVertexNormals(scene.positions, scene.faces);
    rebuildObjectGeometry(scene);
}

} // namespace scenelens::test
