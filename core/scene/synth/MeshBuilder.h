#pragma once
// Triangle meshes of simple solids, subdivided finely enough to look like a scan, with an
// over-segmentation into patches like ScanNet's.

#include "../Scene.h"

#include <cstdint>
#include <vector>

namespace scenelens::synth {

class MeshBuilder {
public:
    /// edge: target triangle edge length (metres); patch: target segment size (metres).
    MeshBuilder(float edge, float patch) : edge_(edge), patch_(patch) {}

    /// Geometry added from now on belongs to this instance (objectId + 1).
    void setInstance(std::int32_t instance) { instance_ = instance; }

    /// The parallelogram origin + [0,1] u + [0,1] v, facing u x v (counter-clockwise seen from
    /// that side, as every face added here is).
    void addQuad(const Eigen::Vector3f& origin, const Eigen::Vector3f& u, const Eigen::Vector3f& v);
    /// An axis-aligned box facing outwards.
    void addBox(const Box3& box);
    /// A closed vertical cylinder facing outwards.
    void addCylinder(const Eigen::Vector2f& center, float radius, float z0, float z1);

    /// Surface areas, for choosing `edge` before building.
    static float boxArea(const Box3& box);
    static float cylinderArea(float radius, float height);

    std::vector<Eigen::Vector3f> positions;
    std::vector<std::array<std::uint32_t, 3>> faces;
    std::vector<std::int32_t> instanceIds; ///< Per vertex.
    std::vector<std::int64_t> segmentIds;  ///< Per vertex.

private:
    int divisions(float length) const;
    /// Segments across `length`: one per patch, at least one.
    int patches(float length) const;
    /// A (columns x rows) vertex grid from `position(i, j)`; faces follow d/di x d/dj. With `wrap`,
    /// column `columns` is column 0 again (a closed ring).
    template <typename Position>
    std::uint32_t addGrid(int columns, int rows, bool wrap, int patchColumns, int patchRows,
                          Position&& position);
    void addCap(const Eigen::Vector2f& center, float radius, float z, int around, bool up);
    void addVertex(const Eigen::Vector3f& p, std::int64_t segment);

    float edge_;
    float patch_;
    std::int32_t instance_ = 0;
    std::int64_t nextSegment_ = 0;
    std::vector<Eigen::Vector2f> circle_; // unit circle of the cylinder being built
};

} // namespace scenelens::synth
