// Ray picking skips back faces (culled when drawn) and returns the nearest front face.

#include "scene/MeshRayPicker.h"
#include "scene/ScanNetSceneReader.h"

#include "TestData.h"

#include <QtTest>

#include <Eigen/Geometry>

using namespace scenelens;

namespace {

/// Two unit squares at z = 0 and z = -1, each facing +z (counter-clockwise seen from above),
/// and a third at z = 1 facing -z (its back is seen from above).
Scene stackedSquares() {
    Scene scene;
    for (float z : {0.f, -1.f, 1.f})
        for (const auto& [x, y] : {std::pair{0.f, 0.f}, {1.f, 0.f}, {1.f, 1.f}, {0.f, 1.f}})
            scene.positions.emplace_back(x, y, z);
    auto square = [&scene](std::uint32_t base, bool up) {
        if (up) {
            scene.faces.push_back({base, base + 1, base + 2});
            scene.faces.push_back({base, base + 2, base + 3});
        } else {
            scene.faces.push_back({base, base + 2, base + 1});
            scene.faces.push_back({base, base + 3, base + 2});
        }
    };
    square(0, true);
    square(4, true);
    square(8, false);
    return scene;
}

} // namespace

class TestMeshRayPicker : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void skipsBackFacesAndTakesTheNearest() {
        const Scene scene = stackedSquares();
        // From above: the z = 1 square shows its back and is skipped; z = 0 is the nearest front.
        auto hit = pickFrontFace(scene, {0.2f, 0.7f, 5.f}, {0.f, 0.f, -2.f});
        QVERIFY(hit);
        QVERIFY(hit->face == 0 || hit->face == 1);
        QCOMPARE(hit->distance, 5.f);
        QVERIFY((hit->position - Eigen::Vector3f(0.2f, 0.7f, 0.f)).norm() < 1e-6f);
        QCOMPARE(hit->nearestVertex, 3u); // (0, 1, 0) is the closest corner
        // From below every square shows its back but the top one.
        hit = pickFrontFace(scene, {0.5f, 0.3f, -5.f}, {0.f, 0.f, 1.f});
        QVERIFY(hit);
        QVERIFY(hit->face == 4 || hit->face == 5);
        QCOMPARE(hit->distance, 6.f);
        // Beside the squares, or pointing away: nothing.
        QVERIFY(!pickFrontFace(scene, {2.f, 2.f, 5.f}, {0.f, 0.f, -1.f}));
        QVERIFY(!pickFrontFace(scene, {0.5f, 0.5f, 5.f}, {0.f, 0.f, 1.f}));
    }

    void picksTheRealSceneFloorFromAbove() {
        SCENELENS_REQUIRE_REAL_SCENE();
        const Scene scene = ScanNetSceneReader().read(test::realSceneDir().toStdString());
        // Straight down through the middle of the room: the floor (objectId 9) or something on it,
        // never the invisible underside of anything.
        const SceneObject* floor = scene.findObject(9);
        const Eigen::Vector3f centre = floor->box.center();
        const auto hit = pickFrontFace(scene, {centre.x(), centre.y(), 10.f}, {0.f, 0.f, -1.f});
        QVERIFY(hit);
        const auto& face = scene.faces[hit->face];
        const auto& p = scene.positions;
        const Eigen::Vector3f n = (p[face[1]] - p[face[0]]).cross(p[face[2]] - p[face[0]]);
        QVERIFY(n.z() > 0.f); // front side faces up, towards the ray's origin
        QVERIFY(hit->position.z() < floor->box.max.z() + 2.5f);
    }
};

QTEST_GUILESS_MAIN(TestMeshRayPicker)
#include "test_mesh_ray_picker.moc"
