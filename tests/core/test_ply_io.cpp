// PLY reading and writing: golden values of the real ScanNet mesh, round trips in every format,
// a big-endian file written independently of our writer, and unusual property layouts.

#include "TestData.h"

#include "Error.h"
#include "scene/PlyIO.h"

#include <QDataStream>
#include <QTemporaryDir>
#include <QtTest>

using namespace scenelens;

class TestPlyIo : public QObject {
    Q_OBJECT

private:
    static std::string realMesh() {
        return (test::realSceneDir() + "/scene0000_00_vh_clean_2.ply").toStdString();
    }

    static void compareMeshes(const PlyMesh& a, const PlyMesh& b) {
        QCOMPARE(a.positions.size(), b.positions.size());
        QVERIFY(a.positions == b.positions);
        QVERIFY(a.normals == b.normals);
        QVERIFY(a.colors == b.colors);
        QVERIFY(a.alphas == b.alphas);
        QVERIFY(a.labels == b.labels);
        QVERIFY(a.faces == b.faces);
    }

private Q_SLOTS:
    void readsRealMeshGoldenValues() {
        SCENELENS_REQUIRE_REAL_SCENE();
        const PlyMesh mesh = readPly(realMesh());
        QCOMPARE(mesh.format, PlyFormat::BinaryLittleEndian);
        QCOMPARE(mesh.positions.size(), std::size_t(81369));
        QCOMPARE(mesh.faces.size(), std::size_t(153587));
        QVERIFY(mesh.normals.empty());
        QVERIFY(mesh.labels.empty());
        // Golden values read independently with numpy.
        QCOMPARE(mesh.positions.front(), Eigen::Vector3f(0.5324214f, 4.5172734f, 0.26304942f));
        QCOMPARE(mesh.positions.back(), Eigen::Vector3f(7.5323153f, 4.8880706f, 2.6260881f));
        QVERIFY((mesh.colors.front() == Rgb8{101, 107, 90}));
        QVERIFY((mesh.colors.back() == Rgb8{179, 164, 128}));
        QCOMPARE(mesh.alphas.front(), std::uint8_t(255));
        QVERIFY((mesh.faces.front() == std::array<std::uint32_t, 3>{9, 5007, 5754}));
        QVERIFY((mesh.faces.back() == std::array<std::uint32_t, 3>{75353, 81367, 81329}));
    }

    void roundTripsEveryFormat_data() {
        QTest::addColumn<int>("format");
        QTest::newRow("binary little endian") << int(PlyFormat::BinaryLittleEndian);
        QTest::newRow("binary big endian") << int(PlyFormat::BinaryBigEndian);
        QTest::newRow("ascii") << int(PlyFormat::Ascii);
    }

    void roundTripsEveryFormat() {
        SCENELENS_REQUIRE_REAL_SCENE();
        QFETCH(int, format);
        PlyMesh mesh =
            readPly((test::realSceneDir() + "/scene0000_00_vh_clean_2.labels.ply").toStdString());
        QVERIFY(!mesh.labels.empty());
        // Normals with awkward values check that floats survive ASCII exactly.
        for (std::size_t i = 0; i < mesh.positions.size(); ++i)
            mesh.normals.push_back(mesh.positions[i].normalized() / 3.0f);
        QTemporaryDir dir;
        const std::string path = (dir.path() + "/mesh.ply").toStdString();
        writePly(path, mesh, PlyFormat(format));
        const PlyMesh back = readPly(path);
        QCOMPARE(int(back.format), format);
        compareMeshes(mesh, back);
    }

    void readsBigEndianWrittenByHand() {
        // Written with QDataStream (big endian) rather than our writer, with double coordinates,
        // colours before positions, an extra property and a quad face.
        QByteArray data("ply\nformat binary_big_endian 1.0\nelement vertex 4\n"
                        "property uchar red\nproperty uchar green\nproperty uchar blue\n"
                        "property double x\nproperty double y\nproperty double z\n"
                        "property int quality\nelement face 1\n"
                        "property list uchar uint vertex_indices\nend_header\n");
        QDataStream out(&data, QIODevice::Append);
        out.setByteOrder(QDataStream::BigEndian);
        out.setFloatingPointPrecision(QDataStream::DoublePrecision);
        for (int i = 0; i < 4; ++i)
            out << quint8(10 * i) << quint8(20 * i) << quint8(30 * i) << double(i) << double(-i)
                << double(0.5 * i) << qint32(1000 + i);
        out << quint8(4) << quint32(0) << quint32(1) << quint32(2) << quint32(3);
        const PlyMesh mesh = parsePly(data.constData(), std::size_t(data.size()), "quad.ply");
        QCOMPARE(mesh.format, PlyFormat::BinaryBigEndian);
        QCOMPARE(mesh.positions.size(), std::size_t(4));
        QCOMPARE(mesh.positions[3], Eigen::Vector3f(3.f, -3.f, 1.5f));
        QVERIFY((mesh.colors[2] == Rgb8{20, 40, 60}));
        QCOMPARE(mesh.faces.size(), std::size_t(2)); // the quad is fan-triangulated
        QVERIFY((mesh.faces[1] == std::array<std::uint32_t, 3>{0, 2, 3}));
    }

    void readsAsciiWithFloatColoursAndExtraElements() {
        const char text[] = "ply\r\nformat ascii 1.0\r\ncomment any order\r\n"
                            "element vertex 3\r\nproperty float z\r\nproperty float y\r\n"
                            "property float x\r\nproperty float red\r\nproperty float green\r\n"
                            "property float blue\r\nproperty list uchar int extra\r\n"
                            "element face 1\r\nproperty uchar flags\r\n"
                            "property list uchar int vertex_index\r\n"
                            "element edge 1\r\nproperty int a\r\nproperty int b\r\nend_header\r\n"
                            "1 2 3 1.0 0.5 0 2 7 7\r\n4 5 6 0 0 0 0\r\n-1e-3 +2 3.5 0 1 0 1 9\r\n"
                            "5 3 0 1 2\r\n0 1\r\n";
        const PlyMesh mesh = parsePly(text, sizeof(text) - 1, "odd.ply");
        QCOMPARE(mesh.format, PlyFormat::Ascii);
        QCOMPARE(mesh.positions[0], Eigen::Vector3f(3.f, 2.f, 1.f));
        QCOMPARE(mesh.positions[2], Eigen::Vector3f(3.5f, 2.f, -1e-3f));
        QVERIFY((mesh.colors[0] == Rgb8{255, 128, 0}));
        QVERIFY((mesh.colors[2] == Rgb8{0, 255, 0}));
        QCOMPARE(mesh.faces.size(), std::size_t(1));
        QVERIFY((mesh.faces[0] == std::array<std::uint32_t, 3>{0, 1, 2}));
    }

    void colourIsOptional() {
        const char text[] = "ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\n"
                            "property float y\nproperty float z\nend_header\n0 0 0\n1 0 0\n0 1 0\n";
        const PlyMesh mesh = parsePly(text, sizeof(text) - 1, "bare.ply");
        QCOMPARE(mesh.positions.size(), std::size_t(3));
        QVERIFY(mesh.colors.empty());
        QVERIFY(mesh.faces.empty());
    }
};

QTEST_GUILESS_MAIN(TestPlyIo)
#include "test_ply_io.moc"
