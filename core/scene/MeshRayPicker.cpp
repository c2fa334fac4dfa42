#include "MeshRayPicker.h"

#include <Eigen/Geometry>

#include <algorithm>
#include <limits>

namespace scenelens {

std::optional<MeshHit> pickFrontFace(const Scene& scene, const Eigen::Vector3f& origin,
                                     const Eigen::Vector3f& direction) {
    const Eigen::Vector3f dir = direction.normalized();
    std::optional<MeshHit> best;
    float bestDistance = std::numeric_limits<float>::max();
    const auto& p = scene.positions;
    for (std::uint32_t f = 0; f < scene.faces.size(); ++f) {
        const auto& face = scene.faces[f];
        // Möller-Trumbore. det = -dir . (e1 x e2) is positive exactly when the face's normal
        // points back at the origin, i.e. the face is front-facing for this ray.
        const Eigen::Vector3f e1 = p[face[1]] - p[face[0]];
        const Eigen::Vector3f e2 = p[face[2]] - p[face[0]];
        const Eigen::Vector3f h = dir.cross(e2);
        const float det = e1.dot(h);
        if (det <= 1e-12f)
            continue;
        const Eigen::Vector3f s = origin - p[face[0]];
        const float u = s.dot(h) / det;
        if (u < 0.f || u > 1.f)
            continue;
        const Eigen::Vector3f q = s.cross(e1);
        const float v = dir.dot(q) / det;
        if (v < 0.f || u + v > 1.f)
            continue;
        const float t = e2.dot(q) / det;
        if (t <= 0.f || t >= bestDistance)
            continue;
        bestDistance = t;
        const float w[3] = {1.f - u - v, u, v};
        const int corner = int(std::max_element(w, w + 3) - w);
        best = MeshHit{f, face[corner], t, origin + t * dir};
    }
    return best;
}

} // namespace scenelens
