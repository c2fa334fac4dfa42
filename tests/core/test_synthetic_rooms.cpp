// The synthetic room generator: deterministic, ScanNet-like meshes (size, segments, faces facing
// outwards and walls facing in), objects that do not interpenetrate and stand on what their
// supportId says, labels that are real ScanNet raw categories, colours that match their names,
// and every benchmark class within the first rooms.

#include "TestData.h"

#include "scene/LabelTable.h"
#include "scene/PlyIO.h"
#include "scene/ScanNetSceneReader.h"
#include "scene/synth/MeshBuilder.h"
#include "scene/synth/NamedColors.h"
#include "scene/synth/Recipes.h"
#include "scene/synth/SyntheticLabels.h"
#include "scene/synth/SyntheticRoom.h"

#include <QTemporaryDir>
#include <QtTest>

#include <Eigen/Geometry>

#include <cstring>
#include <map>
#include <set>

using namespace scenelens;
using namespace scenelens::synth;

namespace {

constexpr std::uint64_t kSeed = 1;
constexpr int kRooms = 24;
constexpr float kNoise = 0.004f;
/// Jitter is truncated at 2.5 standard deviations.
constexpr float kJitter = 2.5f * kNoise;

template <typename T> bool sameBytes(const std::vector<T>& a, const std::vector<T>& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0;
}

bool sameRoom(const SyntheticRoom& a, const SyntheticRoom& b) {
    bool same = a.sceneId == b.sceneId && a.type == b.type && a.size == b.size &&
                a.alignment == b.alignment && a.objects.size() == b.objects.size() &&
                sameBytes(a.scene.positions, b.scene.positions) &&
                sameBytes(a.scene.colors, b.scene.colors) &&
                sameBytes(a.scene.faces, b.scene.faces) &&
                sameBytes(a.scene.instanceIds, b.scene.instanceIds) &&
                sameBytes(a.segmentOfVertex, b.segmentOfVertex);
    for (std::size_t i = 0; same && i < a.objects.size(); ++i)
        same = a.objects[i].rawLabel == b.objects[i].rawLabel &&
               a.objects[i].colorName == b.objects[i].colorName &&
               a.objects[i].supportId == b.objects[i].supportId;
    return same;
}

/// Overlap of two boxes along their least-overlapping axis (negative: the gap between them).
float overlapDepth(const Box3& a, const Box3& b) {
    return (a.max.cwiseMin(b.max) - a.min.cwiseMax(b.min)).minCoeff();
}

bool holdsCentre(const Box3& support, const Box3& object) {
    const Eigen::Vector2f c = object.center().head<2>();
    return (c.array() >= support.min.head<2>().array()).all() &&
           (c.array() <= support.max.head<2>().array()).all();
}

Eigen::Vector3f faceNormal(const Scene& scene, const std::array<std::uint32_t, 3>& f) {
    const Eigen::Vector3f& a = scene.positions[f[0]];
    return (scene.positions[f[1]] - a).cross(scene.positions[f[2]] - a);
}

Eigen::Vector3f faceCentre(const Scene& scene, const std::array<std::uint32_t, 3>& f) {
    return (scene.positions[f[0]] + scene.positions[f[1]] + scene.positions[f[2]]) / 3.f;
}

QString describe(const SyntheticRoom& room, const SynthObject& o) {
    return QString("%1 object %2 (%3)")
        .arg(QString::fromStdString(room.sceneId))
        .arg(o.objectId)
        .arg(QString::fromStdString(o.rawLabel));
}

} // namespace

class TestSyntheticRooms : public QObject {
    Q_OBJECT

    std::vector<SyntheticRoom> rooms_;

private Q_SLOTS:
    void initTestCase() {
        for (int i = 0; i < kRooms; ++i)
            rooms_.push_back(generateRoom({kSeed, i, kNoise}));
    }

    void writtenFilesReadBackAsTheRoom() {
        QTemporaryDir dir;
        const QString tsv = dir.filePath("scannetv2-labels.combined.tsv");
        writeSyntheticLabelTable(tsv.toStdString());
        for (int i = 0; i < 6; ++i) {
            const SyntheticRoom& room = rooms_[std::size_t(i)];
            const QString folder = dir.filePath(QString::fromStdString(room.sceneId));
            writeSyntheticScene(room, folder.toStdString());
            const Scene loaded = ScanNetSceneReader({tsv.toStdString()}).read(folder.toStdString());
            QCOMPARE(loaded.vertexCount(), room.scene.vertexCount());
            QCOMPARE(loaded.objects.size(), room.objects.size());
            QCOMPARE(loaded.metadata.at("sceneType"), roomTypeName(room.type));
            for (std::size_t o = 0; o < room.objects.size(); ++o) {
                const SynthObject& expected = room.objects[o];
                const SceneObject& got = loaded.objects[o];
                QCOMPARE(got.id, expected.objectId);
                QCOMPARE(got.rawLabel, expected.rawLabel);
                QCOMPARE(got.nyu40Class, expected.className);
                QVERIFY((got.box.min - expected.box.min).norm() < 1e-4f);
                QVERIFY((got.box.max - expected.box.max).norm() < 1e-4f);
            }
            // The reader's alignment maps the room back into [0, size] at the origin...
            const Box3 bounds = loaded.bounds();
            QVERIFY((bounds.min.array() > -0.02f).all());
            QVERIFY((bounds.max.array() < room.size.array() + 0.02f).all());
            // ...while the written mesh itself is turned and shifted.
            const PlyMesh raw =
                readPly(folder.toStdString() + "/" + room.sceneId + "_vh_clean_2.ply");
            Box3 rawBounds;
            for (const Eigen::Vector3f& p : raw.positions)
                rawBounds.extend(p);
            QVERIFY((rawBounds.min - bounds.min).norm() > 0.1f);
            // labels.ply ids map through the written table to each vertex's NYU40 class.
            QVERIFY(loaded.nyu40Ids == room.scene.nyu40Ids);
        }
    }

    void sameOptionsSameRoomOtherSeedDiffers() {
        QVERIFY(sameRoom(generateRoom({kSeed, 3, kNoise}), rooms_[3]));
        QVERIFY(!sameRoom(generateRoom({kSeed + 1, 3, kNoise}), rooms_[3]));
        QVERIFY(!sameRoom(rooms_[3], rooms_[8])); // same type, other index
    }

    void noiseMovesVerticesNotFurniture() {
        const SyntheticRoom clean = generateRoom({kSeed, 5, 0.f});
        const SyntheticRoom& noisy = rooms_[5];
        QCOMPARE(clean.objects.size(), noisy.objects.size());
        QVERIFY(sameBytes(clean.scene.colors, noisy.scene.colors));
        QVERIFY(clean.alignment == noisy.alignment);
        float largest = 0.f;
        for (std::size_t v = 0; v < clean.scene.vertexCount(); ++v)
            largest = std::max(
                largest,
                (clean.scene.positions[v] - noisy.scene.positions[v]).cwiseAbs().maxCoeff());
        QVERIFY(largest > kNoise);
        QVERIFY(largest <= kJitter + 1e-6f);
    }

    void roomTypesCycleAndIdsFollowScanNet() {
        std::set<RoomType> firstFive;
        for (int i = 0; i < 5; ++i)
            firstFive.insert(rooms_[std::size_t(i)].type);
        QCOMPARE(int(firstFive.size()), 5);
        QCOMPARE(rooms_[7].sceneId, std::string("sceneSYN07_00"));
        QCOMPARE(generateRoom({kSeed, 123, 0.f}).sceneId, std::string("sceneSYN123_00"));
        for (const SyntheticRoom& room : rooms_) {
            QCOMPARE(room.scene.id, room.sceneId);
            QCOMPARE(room.scene.metadata.at("sceneType"), roomTypeName(room.type));
            QVERIFY(room.size.x() >= 2.8f && room.size.x() <= 7.f);
            QVERIFY(room.size.y() >= 2.6f && room.size.y() <= 7.f);
            QVERIFY(room.size.z() >= 2.4f && room.size.z() <= 2.8f);
        }
        QCOMPARE(roomTypeName(RoomType::LivingRoom), std::string("living room"));
    }

    void meshesLookLikeScans() {
        for (const SyntheticRoom& room : rooms_) {
            const Scene& scene = room.scene;
            const std::size_t n = scene.vertexCount();
            QVERIFY2(n >= 20000 && n <= 100000, qPrintable(QString::number(n)));
            QCOMPARE(scene.colors.size(), n);
            QCOMPARE(scene.normals.size(), n);
            QCOMPARE(scene.instanceIds.size(), n);
            QCOMPARE(scene.nyu40Ids.size(), n);
            QCOMPARE(room.segmentOfVertex.size(), n);
            QVERIFY(scene.axisAlignment == room.alignment);
            const Box3 bounds = scene.bounds();
            QVERIFY((bounds.min.array() >= -kJitter).all());
            QVERIFY((bounds.max.array() <= room.size.array() + kJitter).all());
            for (std::size_t v = 0; v < n; ++v) {
                QVERIFY(scene.instanceIds[v] > 0); // every vertex belongs to an object
                QCOMPARE(int(scene.nyu40Ids[v]), scene.objectOfVertex(std::uint32_t(v))->nyu40Id);
            }
        }
    }

    void everyObjectOwnsWholeSegments() {
        for (const SyntheticRoom& room : rooms_) {
            std::map<std::int64_t, std::int32_t> instanceOfSegment;
            std::map<std::int32_t, std::set<std::int64_t>> segmentsOf;
            for (std::size_t v = 0; v < room.segmentOfVertex.size(); ++v) {
                const std::int64_t segment = room.segmentOfVertex[v];
                QVERIFY(segment >= 0);
                const auto [it, added] =
                    instanceOfSegment.emplace(segment, room.scene.instanceIds[v]);
                QVERIFY2(it->second == room.scene.instanceIds[v], "a segment spans two objects");
                segmentsOf[room.scene.instanceIds[v]].insert(segment);
            }
            QVERIFY(segmentsOf.size() == room.objects.size());
            QVERIFY(segmentsOf[1].size() >= 4); // the floor is split into patches
        }
    }

    void objectsMatchTheScene() {
        for (const SyntheticRoom& room : rooms_) {
            QCOMPARE(room.objects.size(), room.scene.objects.size());
            int walls = 0, floors = 0, doors = 0, windows = 0;
            for (std::size_t i = 0; i < room.objects.size(); ++i) {
                const SynthObject& o = room.objects[i];
                const SceneObject& s = room.scene.objects[i];
                QCOMPARE(o.objectId, int(i));
                QCOMPARE(s.id, o.objectId);
                QCOMPARE(s.rawLabel, o.rawLabel);
                QCOMPARE(s.nyu40Class, o.className);
                QCOMPARE(std::string(nyu40ClassName(s.nyu40Id)), o.className);
                QVERIFY(!s.vertexIndices.empty());
                QVERIFY(s.box.min == o.box.min && s.box.max == o.box.max);
                QCOMPARE(o.structural, o.rawLabel == "wall" || o.rawLabel == "floor");
                walls += o.rawLabel == "wall";
                floors += o.rawLabel == "floor";
                doors += o.rawLabel == "door";
                windows += o.rawLabel == "window";
            }
            QCOMPARE(walls, 4);
            QCOMPARE(floors, 1);
            QCOMPARE(doors, 1);
            QVERIFY(windows >= 1 && windows <= 2);
        }
    }

    void primitivesFaceOutwards() {
        MeshBuilder builder(0.05f, 0.5f);
        Box3 box;
        box.min = Eigen::Vector3f(1.f, 2.f, 0.f);
        box.max = Eigen::Vector3f(1.3f, 2.5f, 0.2f);
        builder.addBox(box);
        builder.addCylinder(Eigen::Vector2f(3.f, 3.f), 0.2f, 0.f, 0.5f);
        Scene scene;
        scene.positions = builder.positions;
        scene.faces = builder.faces;
        for (const auto& f : scene.faces) {
            const Eigen::Vector3f c = faceCentre(scene, f);
            const Eigen::Vector3f centre =
                c.x() < 2.f ? box.center() : Eigen::Vector3f(3.f, 3.f, 0.25f);
            Eigen::Vector3f out = c - centre;
            if (c.x() >= 2.f && std::abs(out.z()) < 0.25f - 1e-4f)
                out.z() = 0.f; // the cylinder's side faces away from its axis
            QVERIFY(faceNormal(scene, f).dot(out) > 0.f);
        }
    }

    void wallsAndFloorFaceIntoTheRoom() {
        const SyntheticRoom room = generateRoom({kSeed, 4, 0.f});
        const Scene& scene = room.scene;
        const Eigen::Vector3f middle(room.size.x() / 2, room.size.y() / 2, room.size.z() / 2);
        int checked = 0;
        for (const auto& f : scene.faces) {
            const std::string& label = scene.objectOfVertex(f[0])->rawLabel;
            const Eigen::Vector3f n = faceNormal(scene, f);
            if (label == "floor")
                QVERIFY(n.z() > 0.f);
            else if (label == "wall")
                QVERIFY(n.dot(middle - faceCentre(scene, f)) > 0.f && std::abs(n.z()) < 1e-6f);
            else
                continue;
            ++checked;
        }
        QVERIFY(checked > 1000);
        // Closed outward surfaces enclose a positive volume.
        for (const SceneObject& o : scene.objects) {
            if (o.rawLabel == "wall" || o.rawLabel == "floor")
                continue;
            double volume = 0.0;
            const Eigen::Vector3f c = o.box.center();
            for (const auto& f : scene.faces)
                if (scene.instanceIds[f[0]] == o.id + 1)
                    volume += double(
                        (scene.positions[f[0]] - c)
                            .dot((scene.positions[f[1]] - c).cross(scene.positions[f[2]] - c)));
            QVERIFY2(volume > 0.0, qPrintable(QString::fromStdString(o.rawLabel)));
        }
    }

    void alignmentTurnsTheWrittenRoom() {
        for (const SyntheticRoom& room : rooms_) {
            const Eigen::Matrix3f r = room.alignment.topLeftCorner<3, 3>();
            QVERIFY((r * r.transpose()).isIdentity(1e-5f));
            QCOMPARE(r(2, 2), 1.f);
            QVERIFY(room.alignment.row(3).isApprox(Eigen::RowVector4f(0, 0, 0, 1)));
            // Clear of quarter turns: the written (raw) mesh is visibly not axis aligned.
            QVERIFY(std::abs(r(0, 0) * r(1, 0)) > 0.05f);
        }
    }

    void objectsDoNotInterpenetrate() {
        for (const SyntheticRoom& room : rooms_)
            for (const SynthObject& a : room.objects)
                for (const SynthObject& b : room.objects) {
                    if (a.objectId >= b.objectId || a.structural || b.structural ||
                        a.supportId == b.objectId || b.supportId == a.objectId)
                        continue;
                    QVERIFY2(overlapDepth(a.box, b.box) < 0.01f,
                             qPrintable(describe(room, a) + " and " + describe(room, b)));
                }
    }

    void supportedObjectsRestOnTheirSupport() {
        int supported = 0;
        for (const SyntheticRoom& room : rooms_)
            for (const SynthObject& o : room.objects) {
                if (o.supportId < 0)
                    continue;
                const SynthObject& support = room.objects[std::size_t(o.supportId)];
                QVERIFY2(std::abs(o.box.min.z() - support.box.max.z()) < 2 * kJitter + 1e-3f,
                         qPrintable(describe(room, o)));
                QVERIFY2(holdsCentre(support.box, o.box), qPrintable(describe(room, o)));
                ++supported;
            }
        QVERIFY(supported > kRooms);
    }

    /// What a reader of the files would conclude: an object above the floor stands on the highest
    /// object whose top meets its bottom and whose footprint holds its centre; hung objects on
    /// none. This must agree with supportId.
    void supportIsRecoverableFromTheBoxes() {
        for (const SyntheticRoom& room : rooms_)
            for (const SynthObject& o : room.objects) {
                if (o.structural || o.box.min.z() < 0.05f)
                    continue;
                const SynthObject* found = nullptr;
                for (const SynthObject& f : room.objects)
                    if (!f.structural && &f != &o &&
                        std::abs(o.box.min.z() - f.box.max.z()) < 0.03f &&
                        holdsCentre(f.box, o.box) && (!found || f.box.max.z() > found->box.max.z()))
                        found = &f;
                QVERIFY2((found ? found->objectId : -1) == o.supportId,
                         qPrintable(describe(room, o)));
            }
    }

    void labelsAreScanNetRawCategories() {
        const QString tsv = test::labelTablePath();
        if (tsv.isEmpty())
            QSKIP("../shared/data/scannet/meta/scannetv2-labels.combined.tsv is absent");
        const LabelTable table = LabelTable::readScanNetTsv(tsv.toStdString());
        const std::vector<std::string> all = syntheticRawLabels();
        for (const std::string& label : all) {
            QVERIFY2(table.lookup(label).id > 0, label.c_str());
            // The written table's category ids are ScanNet's: they map to the same class.
            QCOMPARE(table.lookupScanNetId(scanNetCategoryId(label)).id, table.lookup(label).id);
        }
        for (const Recipe& r : recipes()) {
            QCOMPARE(table.lookup(r.rawLabel).id, r.nyu40Id);
            QCOMPARE(table.lookup(r.rawLabel).name, std::string(nyu40ClassName(r.nyu40Id)));
        }
        for (const SyntheticRoom& room : rooms_)
            for (const SynthObject& o : room.objects) {
                QVERIFY(std::binary_search(all.begin(), all.end(), o.rawLabel));
                QCOMPARE(table.lookup(o.rawLabel).name, o.className);
            }
    }

    void recipesAreListedInKindOrder() {
        for (std::size_t i = 0; i < recipes().size(); ++i)
            QCOMPARE(int(recipes()[i].kind), int(i));
        for (const Recipe& r : recipes())
            for (const char* color : r.colors)
                QVERIFY(std::any_of(namedColors().begin(), namedColors().end(),
                                    [&](const NamedColor& c) { return c.name == color; }));
    }

    void everyBenchmarkClassAppears() {
        std::set<std::string> classes;
        for (const SyntheticRoom& room : rooms_)
            for (const SynthObject& o : room.objects)
                classes.insert(o.className);
        for (const char* name :
             {"cabinet", "bed", "chair", "sofa", "table", "door", "window", "bookshelf", "picture",
              "counter", "desk", "curtain", "refrigerator", "shower curtain", "toilet", "sink",
              "bathtub", "otherfurniture"})
            QVERIFY2(classes.count(name), name);
    }

    void meanColourIsNearestToItsName() {
        for (const SyntheticRoom& room : rooms_)
            for (const SynthObject& o : room.objects) {
                const SceneObject& s = room.scene.objects[std::size_t(o.objectId)];
                QCOMPARE(nearestColorName(meanColor(room.scene, s.vertexIndices)), o.colorName);
            }
    }

    void namedColoursAreFarApart() {
        const auto& colors = namedColors();
        QCOMPARE(int(colors.size()), 10);
        for (const NamedColor& a : colors) {
            for (const NamedColor& b : colors) {
                if (&a == &b)
                    continue;
                const Eigen::Vector3f d(float(a.rgb[0]) - b.rgb[0], float(a.rgb[1]) - b.rgb[1],
                                        float(a.rgb[2]) - b.rgb[2]);
                QVERIFY2(d.norm() > 70.f,
                         qPrintable(QString::fromStdString(a.name + "/" + b.name)));
            }
            QCOMPARE(nearestColorName(a.rgb), a.name);
        }
        Scene scene;
        scene.colors = {{10, 20, 30}, {11, 21, 30}, {255, 0, 0}};
        QVERIFY((meanColor(scene, {0, 1}) == Rgb8{11, 21, 30})); // rounds half up
        QVERIFY((meanColor(scene, {}) == Rgb8{0, 0, 0}));
    }
};

QTEST_GUILESS_MAIN(TestSyntheticRooms)
#include "test_synthetic_rooms.moc"
