// The ScanNet scene reader on the real scene0000_00: objects, instance ids, NYU40 classes, axis
// alignment, folder recognition, the built-in label table, progress and cancellation.

#include "TestData.h"

#include "Error.h"
#include "scene/LabelTable.h"
#include "scene/PlyIO.h"
#include "scene/ScanNetSceneReader.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <set>

using namespace scenelens;

namespace {

/// Copies the real scene's files into `dir`, optionally leaving some out.
QString copyRealScene(const QTemporaryDir& dir, const QStringList& skip = {}) {
    const QString target = dir.path() + "/scene0000_00";
    QDir().mkpath(target);
    const QDir source(test::realSceneDir());
    for (const QString& file : source.entryList(QDir::Files))
        if (!skip.contains(file))
            QFile::copy(source.filePath(file), target + "/" + file);
    return target;
}

class RecordingProgress : public ProgressSink {
public:
    void report(std::string_view phase, double fraction) override {
        phases.emplace_back(phase);
        fractions.push_back(fraction);
    }
    bool cancelled() const override { return cancelAfter >= 0 && int(phases.size()) > cancelAfter; }

    std::vector<std::string> phases;
    std::vector<double> fractions;
    int cancelAfter = -1;
};

} // namespace

class TestScanNetReader : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void readsRealSceneGoldenValues() {
        SCENELENS_REQUIRE_REAL_SCENE();
        const Scene scene = ScanNetSceneReader().read(test::realSceneDir().toStdString());
        QCOMPARE(scene.id, std::string("scene0000_00"));
        QCOMPARE(scene.vertexCount(), std::size_t(81369));
        QCOMPARE(scene.faceCount(), std::size_t(153587));
        QCOMPARE(scene.objects.size(), std::size_t(55));
        QCOMPARE(scene.positions.front(), Eigen::Vector3f(0.5324214f, 4.5172734f, 0.26304942f));
        QVERIFY((scene.colors.back() == Rgb8{179, 164, 128}));
        QCOMPARE(scene.metadata.at("sceneType"), std::string("Bedroom / Hotel"));
        QVERIFY(scene.axisAlignment.isIdentity()); // this copy has no axisAlignment line

        // Labels and NYU40 classes from the aggregation and the tsv.
        const SceneObject* window = scene.findObject(0);
        QVERIFY(window);
        QCOMPARE(window->rawLabel, std::string("window"));
        QCOMPARE(window->nyu40Id, 9);
        const SceneObject* couch = scene.findObject(32);
        QCOMPARE(couch->rawLabel, std::string("couch"));
        QCOMPARE(couch->nyu40Class, std::string("sofa"));
        QCOMPARE(scene.findObject(37)->rawLabel, std::string("bed"));
        QCOMPARE(scene.findObject(54)->rawLabel, std::string("door"));
        // "trashcan" is spelled "trash can" in the tsv.
        QCOMPARE(scene.findObject(12)->nyu40Class, std::string("otherfurniture"));

        // Vertex counts per object, computed independently with numpy.
        QCOMPARE(scene.findObject(9)->vertexIndices.size(), std::size_t(9974));  // floor
        QCOMPARE(scene.findObject(32)->vertexIndices.size(), std::size_t(4732)); // couch
        QCOMPARE(scene.findObject(17)->vertexIndices.size(), std::size_t(46));   // clock
        const auto annotated = std::count_if(scene.instanceIds.begin(), scene.instanceIds.end(),
                                             [](std::int32_t id) { return id > 0; });
        QCOMPARE(annotated, 63072L);

        // Boxes enclose their vertices and instance ids agree with the object lists.
        for (const SceneObject& object : scene.objects) {
            QVERIFY(!object.box.isEmpty());
            for (std::uint32_t v : object.vertexIndices) {
                QCOMPARE(scene.instanceIds[v], object.id + 1);
                QVERIFY((scene.positions[v].array() >= object.box.min.array()).all());
                QVERIFY((scene.positions[v].array() <= object.box.max.array()).all());
            }
        }
        // Normals are computed (the mesh has none) and are unit length.
        QCOMPARE(scene.normals.size(), scene.vertexCount());
        QVERIFY(std::abs(scene.normals[1234].norm() - 1.f) < 1e-5f);
    }

    void labelsPlyAgreesWithTsvMapping() {
        SCENELENS_REQUIRE_REAL_SCENE();
        if (test::labelTablePath().isEmpty())
            QSKIP("scannetv2-labels.combined.tsv is absent");
        const Scene scene = ScanNetSceneReader().read(test::realSceneDir().toStdString());
        // labels.ply holds ScanNet category ids (the tsv's "id" column, not NYU40 ids); mapped
        // through the tsv they must give the same NYU40 class as each vertex's object label.
        // Ids the tsv lacks (ScanNet's "trashcan" and "dishrack" vertices carry 12 and 0) are
        // counted apart: the reader falls back to the object label for them.
        const LabelTable table = LabelTable::readScanNetTsv(test::labelTablePath().toStdString());
        const PlyMesh labels =
            readPly((test::realSceneDir() + "/scene0000_00_vh_clean_2.labels.ply").toStdString());
        std::size_t annotated = 0, known = 0, agreed = 0;
        for (std::size_t v = 0; v < scene.vertexCount(); ++v) {
            const SceneObject* object = scene.objectOfVertex(std::uint32_t(v));
            if (!object)
                continue;
            ++annotated;
            const Nyu40Label fromPly = table.lookupScanNetId(labels.labels[v]);
            if (fromPly.id == 0)
                continue;
            ++known;
            agreed += fromPly.id == object->nyu40Id;
        }
        QCOMPARE(annotated, std::size_t(63072));
        QCOMPARE(annotated - known, std::size_t(201 + 249 + 150 + 420));
        QVERIFY2(double(agreed) / double(known) >= 0.99,
                 qPrintable(QString("agreement %1").arg(double(agreed) / double(known))));
        // The scene's per-vertex NYU40 ids are those of the labels.ply where it knows them.
        std::size_t fromPlyKnown = 0;
        for (std::size_t v = 0; v < scene.vertexCount(); ++v) {
            const int id = table.lookupScanNetId(labels.labels[v]).id;
            if (id > 0) {
                QCOMPARE(int(scene.nyu40Ids[v]), id);
                ++fromPlyKnown;
            }
        }
        QVERIFY(fromPlyKnown > 60000);
    }

    void appliesAxisAlignment() {
        SCENELENS_REQUIRE_REAL_SCENE();
        QTemporaryDir dir;
        const QString folder = copyRealScene(dir);
        QFile info(folder + "/scene0000_00.txt");
        QVERIFY(info.open(QIODevice::Append));
        // A rotation of 90 degrees about z and a translation, as ScanNet's files have.
        info.write("axisAlignment = 0 -1 0 1.5 1 0 0 -2 0 0 1 0.25 0 0 0 1\n");
        info.close();
        const Scene aligned = ScanNetSceneReader().read(folder.toStdString());
        const Eigen::Vector3f p(0.5324214f, 4.5172734f, 0.26304942f);
        const Eigen::Vector3f expected(-p.y() + 1.5f, p.x() - 2.f, p.z() + 0.25f);
        QVERIFY((aligned.positions.front() - expected).norm() < 1e-5f);
        QCOMPARE(aligned.axisAlignment(0, 3), 1.5f);
        // Boxes are computed after alignment.
        const SceneObject* bed = aligned.findObject(37);
        for (std::uint32_t v : bed->vertexIndices)
            QVERIFY((aligned.positions[v].array() >= bed->box.min.array()).all());
    }

    void recognisesFoldersAndLonePly() {
        SCENELENS_REQUIRE_REAL_SCENE();
        QVERIFY(isScanNetSceneFolder(test::realSceneDir().toStdString()));
        QTemporaryDir empty;
        QVERIFY(!isScanNetSceneFolder(empty.path().toStdString()));
        QVERIFY_THROWS_EXCEPTION(FileError, ScanNetSceneReader().read(empty.path().toStdString()));

        const ScanNetSceneFiles files =
            findScanNetSceneFiles(test::realSceneDir().toStdString() + "/");
        QCOMPARE(files.sceneId, std::string("scene0000_00"));
        QVERIFY(!files.segments.empty() && !files.aggregation.empty() && !files.labelsMesh.empty());
        QCOMPARE(files.labelTable.empty(), test::labelTablePath().isEmpty());

        const Scene lone = ScanNetSceneReader().read(files.mesh);
        QCOMPARE(lone.id, std::string("scene0000_00_vh_clean_2"));
        QCOMPARE(lone.vertexCount(), std::size_t(81369));
        QVERIFY(lone.objects.empty());
    }

    void fallsBackToBuiltinNyu40Table() {
        SCENELENS_REQUIRE_REAL_SCENE();
        // A copy outside shared/ has no tsv beside it; labels.ply ids cannot be mapped without it.
        QTemporaryDir dir;
        const QString folder = copyRealScene(dir, {"scene0000_00_vh_clean_2.labels.ply"});
        const Scene scene = ScanNetSceneReader().read(folder.toStdString());
        QCOMPARE(scene.metadata.at("labelTable"), std::string("built-in NYU40 table"));
        QCOMPARE(scene.findObject(37)->nyu40Id, 4);  // "bed" is an NYU40 name
        QCOMPARE(scene.findObject(32)->nyu40Id, 0);  // "couch" is not
        QCOMPARE(scene.findObject(49)->nyu40Id, 32); // spacing is ignored: "night stand"
        const std::uint32_t bedVertex = scene.findObject(37)->vertexIndices.front();
        QCOMPARE(int(scene.nyu40Ids[bedVertex]), 4);
        QCOMPARE(LabelTable::builtinNyu40().lookup("Night Stand").id, 32);
        QCOMPARE(nyu40ClassName(40), std::string_view("otherprop"));
    }

    void reportsProgressAndCancels() {
        SCENELENS_REQUIRE_REAL_SCENE();
        RecordingProgress progress;
        ScanNetSceneReader().read(test::realSceneDir().toStdString(), &progress);
        QVERIFY(progress.phases.size() >= 3);
        QCOMPARE(progress.fractions.back(), 1.0);
        QVERIFY(std::is_sorted(progress.fractions.begin(), progress.fractions.end()));

        RecordingProgress cancelling;
        cancelling.cancelAfter = 1;
        QVERIFY_THROWS_EXCEPTION(
            Cancelled, ScanNetSceneReader().read(test::realSceneDir().toStdString(), &cancelling));
    }
};

QTEST_GUILESS_MAIN(TestScanNetReader)
#include "test_scannet_reader.moc"
