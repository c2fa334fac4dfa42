#pragma once
// Ray picking on a scene's triangles, matching what views draw: back faces are culled there
// (scans face into the room, so near walls vanish from outside), so picking skips them too.

#include "Scene.h"

#include <optional>

namespace scenelens {

struct MeshHit {
    std::uint32_t face = 0;
    std::uint32_t nearestVertex = 0; ///< The hit face's corner closest to the hit position.
    float distance = 0.f;            ///< Along the (unit) ray direction.
    Eigen::Vector3f position;
};

/// The nearest triangle whose front side (counter-clockwise winding) faces the ray origin.
/// Brute force over all faces without allocation: about 1 ms per 150k faces, fine for clicks.
std::optional<MeshHit> pickFrontFace(const Scene& scene, const Eigen::Vector3f& origin,
                                     const Eigen::Vector3f& direction);

} // namespace scenelens
