#include "Scene.h"

#include <Eigen/Geometry>

#include <algorithm>

namespace scenelens {

Box3 Scene::bounds() const {
    Box3 box;
    for (const Eigen::Vector3f& p : positions)
        box.extend(p);
    return box;
}

const SceneObject* Scene::findObject(int id) const {
    auto it = std::lower_bound(objects.begin(), objects.end(), id,
                               [](const SceneObject& o, int value) { return o.id < value; });
    return it != objects.end() && it->id == id ? &*it : nullptr;
}

SceneObject* Scene::findObject(int id) {
    return const_cast<SceneObject*>(static_cast<const Scene*>(this)->findObject(id));
}

const SceneObject* Scene::objectOfVertex(std::uint32_t vertex) const {
    if (vertex >= instanceIds.size() || instanceIds[vertex] <= 0)
        return nullptr;
    return findObject(instanceIds[vertex] - 1);
}

std::vector<Eigen::Vector3f>
computeVertexNormals(const std::vector<Eigen::Vector3f>& positions,
                     const std::vector<std::array<std::uint32_t, 3>>& faces) {
    std::vector<Eigen::Vector3f> normals(positions.size(), Eigen::Vector3f::Zero());
    for (const auto& f : faces) {
        // The unnormalised cross product weights each face by twice its area.
        const Eigen::Vector3f n =
            (positions[f[1]] - positions[f[0]]).cross(positions[f[2]] - positions[f[0]]);
        normals[f[0]] += n;
        normals[f[1]] += n;
        normals[f[2]] += n;
    }
    for (Eigen::Vector3f& n : normals) {
        const float length = n.norm();
        n = length > 0.f ? Eigen::Vector3f(n / length) : Eigen::Vector3f::UnitZ();
    }
    return normals;
}

void transformScene(Scene& scene, const Eigen::Matrix4f& transform) {
    const Eigen::Matrix3f linear = transform.topLeftCorner<3, 3>();
    const Eigen::Vector3f translation = transform.topRightCorner<3, 1>();
    for (Eigen::Vector3f& p : scene.positions)
        p = linear * p + translation;
    const Eigen::Matrix3f normalMatrix = linear.inverse().transpose();
    for (Eigen::Vector3f& n : scene.normals)
        n = (normalMatrix * n).normalized();
}

void rebuildObjectGeometry(Scene& scene) {
    for (SceneObject& object : scene.objects) {
        object.box = Box3();
        object.vertexIndices.clear();
    }
    for (std::uint32_t v = 0; v < scene.instanceIds.size(); ++v) {
        const std::int32_t instance = scene.instanceIds[v];
        if (instance <= 0)
            continue;
        SceneObject* object = scene.findObject(instance - 1);
        if (!object)
            continue;
        object->box.extend(scene.positions[v]);
        object->vertexIndices.push_back(v);
    }
}

} // namespace scenelens
