// Malformed inputs made from the real files: every one must give a FileError that names the file,
// the position and what was expected; none may crash (the suite also runs under ASan).

#include "ErrorText.h"
#include "TestData.h"

#include "Error.h"
#include "scene/LabelTable.h"
#include "scene/PlyIO.h"
#include "scene/ScanNetFiles.h"
#include "scene/ScanNetSceneReader.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace scenelens;
using scenelens::test::errorOf;

namespace {

QByteArray readAll(const QString& path) {
    QFile file(path);
    file.open(QIODevice::ReadOnly);
    return file.readAll();
}

void writeAll(const QString& path, const QByteArray& bytes) {
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(bytes);
}

constexpr qsizetype kBodyOffset = 284; // header size of the real mesh, checked below

} // namespace

class TestMalformedInputs : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString scene_; // a writable copy of the real scene

    QString meshPath() const { return scene_ + "/scene0000_00_vh_clean_2.ply"; }
    QString segsPath() const { return scene_ + "/scene0000_00_vh_clean_2.0.010000.segs.json"; }
    QString aggregationPath() const { return scene_ + "/scene0000_00.aggregation.json"; }

    QString readSceneError() {
        return errorOf([&] { ScanNetSceneReader().read(scene_.toStdString()); });
    }

private Q_SLOTS:
    void init() {
        SCENELENS_REQUIRE_REAL_SCENE();
        scene_ = dir_.path() + "/scene0000_00";
        QDir(scene_).removeRecursively();
        QDir().mkpath(scene_);
        const QDir source(test::realSceneDir());
        for (const QString& file : source.entryList(QDir::Files)) {
            QFile::copy(source.filePath(file), scene_ + "/" + file);
            QFile(scene_ + "/" + file).setPermissions(QFile::ReadOwner | QFile::WriteOwner);
        }
        QCOMPARE(readAll(meshPath()).indexOf("end_header\n") + 11, kBodyOffset);
    }

    void truncatedBinaryBody() {
        QByteArray mesh = readAll(meshPath());
        mesh.truncate(kBodyOffset + 16 * 1000 + 7); // 16 bytes per vertex
        writeAll(meshPath(), mesh);
        const QString error = readSceneError();
        VERIFY_CONTAINS(error, "scene0000_00_vh_clean_2.ply: byte 284: truncated binary body");
        VERIFY_CONTAINS(error,
                        "element 'vertex' declares 81369 items but the data ends in item 1000 "
                        "(16007 bytes remain)");
    }

    void truncatedInFaces() {
        QByteArray mesh = readAll(meshPath());
        mesh.chop(6);
        writeAll(meshPath(), mesh);
        const QString error = readSceneError();
        VERIFY_CONTAINS(error,
                        "truncated binary body: element 'face' declares 153587 items but the data "
                        "ends in item 153586");
    }

    void vertexCountLargerThanData() {
        QByteArray mesh = readAll(meshPath());
        // 300,000 vertices of 16 bytes need more than the whole file.
        mesh.replace("element vertex 81369", "element vertex 300000");
        writeAll(meshPath(), mesh);
        const QString error = readSceneError();
        VERIFY_CONTAINS(error,
                        "byte 285: truncated binary body: element 'vertex' declares 300000 items "
                        "but the data ends in item 206158");
    }

    void corruptedHeader() {
        QByteArray mesh = readAll(meshPath());
        mesh.replace("property uchar green", "property uchar_x green");
        writeAll(meshPath(), mesh);
        VERIFY_CONTAINS(readSceneError(),
                        "scene0000_00_vh_clean_2.ply: line 9: unknown property type 'uchar_x'");

        mesh = readAll(test::realSceneDir() + "/scene0000_00_vh_clean_2.ply");
        mesh.replace("end_header", "end_headr");
        writeAll(meshPath(), mesh);
        VERIFY_CONTAINS(readSceneError(), "unexpected header keyword 'end_headr'");

        writeAll(meshPath(), "PK\x03\x04 not a mesh");
        VERIFY_CONTAINS(readSceneError(),
                        "line 1: not a PLY file: expected 'ply' on the first line");

        writeAll(meshPath(), "ply\nformat binary_middle_endian 1.0\n");
        VERIFY_CONTAINS(readSceneError(), "line 2: unknown format 'binary_middle_endian'");
    }

    void faceIndexOutOfRange() {
        QByteArray mesh = readAll(meshPath());
        // Face 1 starts 13 bytes into the face block; set its second index to 81369.
        const qsizetype face1 = kBodyOffset + 81369 * 16 + 13;
        const qint32 bad = 81369;
        mesh.replace(face1 + 5, 4, reinterpret_cast<const char*>(&bad), 4);
        writeAll(meshPath(), mesh);
        const QString error = readSceneError();
        VERIFY_CONTAINS(
            error,
            QString("byte %1: face 1 refers to vertex 81369, but the file has 81369 vertices")
                .arg(face1));
    }

    void asciiErrorsNameTheLine() {
        const char text[] =
            "ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\nproperty float y\n"
            "property float z\nelement face 1\nproperty list uchar int vertex_indices\n"
            "end_header\n0 0 0\n1 0 zero\n0 1 0\n3 0 1 2\n";
        QString error = errorOf([&] { parsePly(text, sizeof(text) - 1, "bad.ply"); });
        VERIFY_CONTAINS(
            error,
            "bad.ply: line 11: expected a number for property 'z' of vertex 1, found 'zero'");

        const char shortText[] =
            "ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\nproperty float y\n"
            "property float z\nend_header\n0 0 0\n1 0 0\n";
        error = errorOf([&] { parsePly(shortText, sizeof(shortText) - 1, "short.ply"); });
        VERIFY_CONTAINS(error, "short.ply: line 10: the data ends in vertex 2 of 3 (property 'x')");

        const char badFace[] =
            "ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\nproperty float y\n"
            "property float z\nelement face 1\nproperty list uchar int vertex_indices\n"
            "end_header\n0 0 0\n1 0 0\n0 1 0\n3 0 1 7\n";
        error = errorOf([&] { parsePly(badFace, sizeof(badFace) - 1, "face.ply"); });
        VERIFY_CONTAINS(
            error, "face.ply: line 13: face 0 refers to vertex 7, but the file has 3 vertices");

        const char noX[] =
            "ply\nformat ascii 1.0\nelement vertex 1\nproperty float y\nend_header\n0\n";
        error = errorOf([&] { parsePly(noX, sizeof(noX) - 1, "nox.ply"); });
        VERIFY_CONTAINS(error, "nox.ply: line 3: element 'vertex' has no property 'x'");
    }

    void malformedJson() {
        QByteArray segs = readAll(segsPath());
        segs.truncate(200);
        writeAll(segsPath(), segs);
        const QString error = readSceneError();
        VERIFY_CONTAINS(error, "scene0000_00_vh_clean_2.0.010000.segs.json: line ");
        VERIFY_CONTAINS(error, "malformed JSON: syntax error");
    }

    void jsonNotInScanNetShape() {
        writeAll(segsPath(), R"({"sceneId": "scene0000_00", "segIndices": {"0": 1}})");
        VERIFY_CONTAINS(readSceneError(),
                        "segs.json: expected a ScanNet segments object with an array 'segIndices'");

        QByteArray aggregation = readAll(aggregationPath());
        aggregation.replace("\"label\": \"counter\"", "\"label\": 17");
        writeAll(aggregationPath(), aggregation);
        writeAll(segsPath(),
                 readAll(test::realSceneDir() + "/scene0000_00_vh_clean_2.0.010000.segs.json"));
        VERIFY_CONTAINS(readSceneError(),
                        "scene0000_00.aggregation.json: segGroups[2]: expected a string 'label'");

        writeAll(aggregationPath(),
                 R"({"segGroups": [{"objectId": 0, "label": "x", "segments": [1, -4]}]})");
        VERIFY_CONTAINS(readSceneError(), "aggregation.json: segGroups[0].segments[1]: expected a "
                                          "non-negative integer, found -4");

        writeAll(segsPath(), R"({"segIndices": [0, 1, 2]})");
        VERIFY_CONTAINS(readSceneError(), "segs.json: segIndices: has 3 entries, but the mesh "
                                          "scene0000_00_vh_clean_2.ply has 81369 vertices");
    }

    void segmentIdThatDoesNotExist() {
        QByteArray aggregation = readAll(aggregationPath());
        aggregation.replace("[77796,", "[99999999,");
        writeAll(aggregationPath(), aggregation);
        VERIFY_CONTAINS(readSceneError(),
                        "scene0000_00.aggregation.json: segGroups[1].segments[0]: segment 99999999 "
                        "does not exist in scene0000_00_vh_clean_2.0.010000.segs.json");
    }

    void badSceneInfoAndLabelTable() {
        QFile info(scene_ + "/scene0000_00.txt");
        QVERIFY(info.open(QIODevice::Append));
        info.write("axisAlignment = 1 0 0\n");
        info.close();
        VERIFY_CONTAINS(readSceneError(),
                        "scene0000_00.txt: line 18: axisAlignment must be 16 numbers");

        writeAll(dir_.path() + "/labels.tsv",
                 "id\traw_category\tnyu40id\tnyu40class\n1\twall\tone\twall\n");
        const QString error = errorOf([&] {
            ScanNetSceneReader({(dir_.path() + "/labels.tsv").toStdString()})
                .read(scene_.toStdString());
        });
        VERIFY_CONTAINS(error, "labels.tsv: line 2: expected an NYU40 id from 0 to 40 in column "
                               "'nyu40id', found 'one'");
        writeAll(dir_.path() + "/labels.tsv", "raw\tnyu40id\n");
        VERIFY_CONTAINS(errorOf([&] {
                            LabelTable::readScanNetTsv((dir_.path() + "/labels.tsv").toStdString());
                        }),
                        "labels.tsv: line 1: expected a tab-separated header with a 'id' column");
    }

    void missingFiles() {
        VERIFY_CONTAINS(errorOf([&] {
                            ScanNetSceneReader().read((dir_.path() + "/nothing.ply").toStdString());
                        }),
                        "nothing.ply: no such file or folder");
        QFile::remove(meshPath());
        VERIFY_CONTAINS(readSceneError(),
                        "not a ScanNet scene folder: expected a <scene>_vh_clean_2.ply mesh in it");
    }
};

QTEST_GUILESS_MAIN(TestMalformedInputs)
#include "test_malformed_inputs.moc"
