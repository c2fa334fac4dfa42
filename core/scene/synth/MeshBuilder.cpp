#include "MeshBuilder.h"

#include <algorithm>
#include <cmath>

namespace scenelens::synth {

namespace {

constexpr double kTwoPi = 6.283185307179586;

} // namespace

float MeshBuilder::boxArea(const Box3& box) {
    const Eigen::Vector3f s = box.size();
    return 2.f * (s.x() * s.y() + s.y() * s.z() + s.z() * s.x());
}

float MeshBuilder::cylinderArea(float radius, float height) {
    return float(kTwoPi) * radius * (radius + height);
}

int MeshBuilder::divisions(float length) const {
    return std::max(1, int(std::ceil(length / edge_ - 1e-3f)));
}

int MeshBuilder::patches(float length) const {
    return std::max(1, int(std::lround(length / patch_)));
}

void MeshBuilder::addVertex(const Eigen::Vector3f& p, std::int64_t segment) {
    positions.push_back(p);
    instanceIds.push_back(instance_);
    segmentIds.push_back(segment);
}

template <typename Position>
std::uint32_t MeshBuilder::addGrid(int columns, int rows, bool wrap, int patchColumns,
                                   int patchRows, Position&& position) {
    const auto base = std::uint32_t(positions.size());
    const int vertexColumns = wrap ? columns : columns + 1;
    for (int i = 0; i < vertexColumns; ++i)
        for (int j = 0; j <= rows; ++j) {
            const std::int64_t patch = std::int64_t(i * patchColumns / vertexColumns) * patchRows +
                                       j * patchRows / (rows + 1);
            addVertex(position(i, j), nextSegment_ + patch);
        }
    nextSegment_ += std::int64_t(patchColumns) * patchRows;
    auto index = [&](int i, int j) {
        return base + std::uint32_t((i % vertexColumns) * (rows + 1) + j);
    };
    for (int i = 0; i < columns; ++i)
        for (int j = 0; j < rows; ++j) {
            faces.push_back({index(i, j), index(i + 1, j), index(i + 1, j + 1)});
            faces.push_back({index(i, j), index(i + 1, j + 1), index(i, j + 1)});
        }
    return base;
}

void MeshBuilder::addQuad(const Eigen::Vector3f& origin, const Eigen::Vector3f& u,
                          const Eigen::Vector3f& v) {
    const int nu = divisions(u.norm()), nv = divisions(v.norm());
    addGrid(nu, nv, false, patches(u.norm()), patches(v.norm()), [&](int i, int j) {
        return Eigen::Vector3f(origin + u * (float(i) / nu) + v * (float(j) / nv));
    });
}

void MeshBuilder::addBox(const Box3& box) {
    const Eigen::Vector3f& a = box.min;
    const Eigen::Vector3f s = box.size();
    const Eigen::Vector3f x(s.x(), 0.f, 0.f), y(0.f, s.y(), 0.f), z(0.f, 0.f, s.z());
    addQuad(a, y, x);     // -z
    addQuad(a + z, x, y); // +z
    addQuad(a, x, z);     // -y
    addQuad(a + y, z, x); // +y
    addQuad(a, z, y);     // -x
    addQuad(a + x, y, z); // +x
}

void MeshBuilder::addCylinder(const Eigen::Vector2f& center, float radius, float z0, float z1) {
    const float circumference = float(kTwoPi) * radius;
    const int around = std::clamp(divisions(circumference), 8, 64);
    circle_.resize(std::size_t(around));
    for (int i = 0; i < around; ++i) {
        const double angle = kTwoPi * i / around;
        circle_[std::size_t(i)] = Eigen::Vector2f(float(std::cos(angle)), float(std::sin(angle)));
    }
    const int rows = divisions(z1 - z0);
    addGrid(around, rows, true, patches(circumference), patches(z1 - z0), [&](int i, int j) {
        const Eigen::Vector2f p = center + radius * circle_[std::size_t(i)];
        return Eigen::Vector3f(p.x(), p.y(), z0 + (z1 - z0) * float(j) / float(rows));
    });
    addCap(center, radius, z0, around, false);
    addCap(center, radius, z1, around, true);
}

void MeshBuilder::addCap(const Eigen::Vector2f& center, float radius, float z, int around,
                         bool up) {
    // Rings run clockwise seen from above on the top cap, so that d/d(angle) x d/d(radius) faces
    // up there and down on the bottom cap with the same index order.
    const int rings = divisions(radius);
    const std::uint32_t ring0 = addGrid(around, rings - 1, true, 1, 1, [&](int i, int j) {
        const int k = up ? (around - i) % around : i;
        const Eigen::Vector2f p =
            center + radius * float(j + 1) / float(rings) * circle_[std::size_t(k)];
        return Eigen::Vector3f(p.x(), p.y(), z);
    });
    const auto middle = std::uint32_t(positions.size());
    addVertex(Eigen::Vector3f(center.x(), center.y(), z), nextSegment_ - 1);
    for (int i = 0; i < around; ++i) {
        const std::uint32_t a = ring0 + std::uint32_t(i * rings);
        const std::uint32_t b = ring0 + std::uint32_t(((i + 1) % around) * rings);
        faces.push_back({middle, b, a});
    }
}

} // namespace scenelens::synth
