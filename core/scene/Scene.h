#pragma once
// The in-memory model of one 3D scene: a triangle mesh with per-vertex colour and labels, and the
// annotated objects in it. Arrays are contiguous so views can hand them to the GPU as they are.

#include <Eigen/Core>

#include <array>
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <vector>

namespace scenelens {

using Rgb8 = std::array<std::uint8_t, 3>;

/// Axis-aligned box in scene coordinates (metres).
struct Box3 {
    Eigen::Vector3f min{Eigen::Vector3f::Constant(std::numeric_limits<float>::max())};
    Eigen::Vector3f max{Eigen::Vector3f::Constant(std::numeric_limits<float>::lowest())};

    bool isEmpty() const { return (min.array() > max.array()).any(); }
    void extend(const Eigen::Vector3f& p) {
        min = min.cwiseMin(p);
        max = max.cwiseMax(p);
    }
    Eigen::Vector3f center() const { return 0.5f * (min + max); }
    Eigen::Vector3f size() const { return max - min; }
};

/// One annotated object (a ScanNet segGroup).
struct SceneObject {
    int id = 0;           ///< ScanNet objectId; the per-vertex instance id is id + 1.
    std::string rawLabel; ///< Label as annotated, e.g. "office chair".
    int nyu40Id = 0;      ///< 1..40, 0 when the label has no NYU40 class.
    std::string nyu40Class;
    Box3 box; ///< Axis-aligned bounds of its vertices after axis alignment.
    std::vector<std::uint32_t> vertexIndices;
};

struct Scene {
    std::string id;         ///< e.g. "scene0000_00", or the file stem of a lone .ply.
    std::string sourcePath; ///< Folder or file the scene was read from.

    std::vector<Eigen::Vector3f> positions;
    std::vector<Rgb8> colors; ///< Same length as positions; mid grey when the file has none.
    std::vector<Eigen::Vector3f> normals; ///< Unit vertex normals (from the file or computed).
    std::vector<std::array<std::uint32_t, 3>> faces;
    std::vector<std::int32_t> instanceIds; ///< Per vertex: objectId + 1, 0 = unannotated.
    std::vector<std::uint16_t> nyu40Ids;   ///< Per vertex: NYU40 id, 0 = unannotated.

    std::vector<SceneObject> objects;                            ///< Ordered by id.
    Eigen::Matrix4f axisAlignment = Eigen::Matrix4f::Identity(); ///< Already applied to positions.
    std::map<std::string, std::string> metadata; ///< "key = value" lines of <scene>.txt.

    std::size_t vertexCount() const { return positions.size(); }
    std::size_t faceCount() const { return faces.size(); }
    Box3 bounds() const;
    /// The object with ScanNet objectId `id`, or nullptr.
    const SceneObject* findObject(int id) const;
    SceneObject* findObject(int id);
    /// The object a vertex belongs to, or nullptr for unannotated vertices.
    const SceneObject* objectOfVertex(std::uint32_t vertex) const;
};

/// Area-weighted vertex normals from the faces; vertices on no face get +Z.
std::vector<Eigen::Vector3f>
computeVertexNormals(const std::vector<Eigen::Vector3f>& positions,
                     const std::vector<std::array<std::uint32_t, 3>>& faces);

/// Applies a row-major 4x4 transform p' = M [p, 1] to positions (and its rotation to normals).
void transformScene(Scene& scene, const Eigen::Matrix4f& transform);

/// Recomputes every object's box and vertex list from scene.instanceIds.
void rebuildObjectGeometry(Scene& scene);

} // namespace scenelens
