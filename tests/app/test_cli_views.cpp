// `scenelens render-views` run as a real process: the exported-frames layout it writes, its size
// forms (S and WxH), and the exit codes and messages of bad options.

#include "TestData.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include "CliRunner.h"

using scenelens::test::runScenelens;
using Run = scenelens::test::CliRun;

namespace {

/// An ASCII PLY of a 4 x 3 m floor with two coloured boxes on it: a scene that needs no data.
QString writeRoomPly(const QDir& dir) {
    QStringList vertices;
    QStringList faces;
    auto addBox = [&](float x0, float y0, float z0, float x1, float y1, float z1, const char* rgb) {
        const int base = int(vertices.size());
        for (int c = 0; c < 8; ++c)
            vertices << QString("%1 %2 %3 %4")
                            .arg(c & 1 ? x1 : x0)
                            .arg(c & 2 ? y1 : y0)
                            .arg(c & 4 ? z1 : z0)
                            .arg(rgb);
        static constexpr int kQuads[6][4] = {{0, 2, 3, 1}, {4, 5, 7, 6}, {0, 1, 5, 4},
                                             {2, 6, 7, 3}, {0, 4, 6, 2}, {1, 3, 7, 5}};
        for (const auto& q : kQuads)
            faces << QString("4 %1 %2 %3 %4")
                         .arg(base + q[0])
                         .arg(base + q[1])
                         .arg(base + q[2])
                         .arg(base + q[3]);
    };
    addBox(0, 0, -0.1f, 4, 3, 0, "180 170 150");
    addBox(0.5f, 0.5f, 0, 2, 1.5f, 0.6f, "200 40 40");
    addBox(2.8f, 1.8f, 0, 3.5f, 2.6f, 1.2f, "40 90 200");
    const QString path = dir.filePath("room.ply");
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    file.write(QString("ply\nformat ascii 1.0\nelement vertex %1\nproperty float x\n"
                       "property float y\nproperty float z\nproperty uchar red\n"
                       "property uchar green\nproperty uchar blue\nelement face %2\n"
                       "property list uchar int vertex_indices\nend_header\n%3\n%4\n")
                   .arg(vertices.size())
                   .arg(faces.size())
                   .arg(vertices.join('\n'), faces.join('\n'))
                   .toUtf8());
    return path;
}

} // namespace

class TestCliViews : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void writesExportedFrames() {
        QTemporaryDir dir;
        const QString out = dir.filePath("views");
        const Run run = runScenelens({"render-views", "--scene", writeRoomPly(QDir(dir.path())),
                                      "--out", out, "--views", "3", "--size", "64x48"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QCOMPARE(run.out.trimmed(), QString("wrote 3 views (64x48) to %1").arg(out));
        QVERIFY(QFile::exists(out + "/intrinsic/intrinsic_color.txt"));
        for (int i = 0; i < 3; ++i) {
            QVERIFY(QFile::exists(QString("%1/pose/%2.txt").arg(out).arg(i)));
            QCOMPARE(QImage(QString("%1/color/%2.png").arg(out).arg(i)).size(), QSize(64, 48));
        }
        QVERIFY(!QFile::exists(out + "/pose/3.txt"));
    }

    void squareSizeAndDefaultsOnTheRealScene() {
        SCENELENS_REQUIRE_REAL_SCENE();
        QTemporaryDir dir;
        Run run = runScenelens({"render-views", "--scene", scenelens::test::realSceneDir(), "--out",
                                dir.path(), "--size", "96", "--color-by", "class"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY(run.out.contains("wrote 8 views (96x96)"));
        QCOMPARE(QImage(dir.filePath("color/7.png")).size(), QSize(96, 96));
        // Fewer views into the same folder would leave frames 2 to 7 of this export behind.
        run = runScenelens({"render-views", "--scene", scenelens::test::realSceneDir(), "--out",
                            dir.path(), "--views", "2"});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("already holds frame"), qPrintable(run.err));
    }

    void rejectsBadOptions() {
        Run run = runScenelens({"render-views", "--scene", "x", "--out", "y", "--views", "0"});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("scenelens render-views: --views must be a whole number from 1 "
                                  "to 10000, got '0'"),
                 qPrintable(run.err));
        run = runScenelens({"render-views", "--scene", "x", "--out", "y", "--size", "12y"});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("--size must be a whole number"), qPrintable(run.err));
        run = runScenelens({"render-views", "--scene", "x", "--out", "y", "--size", "0x10"});
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.err.contains("--size must be WIDTHxHEIGHT"));
        run = runScenelens({"render-views", "--scene", "x", "--out", "y", "--color-by", "depth"});
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.err.contains("--color-by must be rgb, instance or class, got 'depth'"));
        run = runScenelens({"render-views", "--scene", "x"});
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.err.contains("--out is required"));
        QVERIFY(run.err.contains("scenelens render-views --scene DIR --out DIR"));
        QTemporaryDir dir;
        run = runScenelens({"render-views", "--scene", "/no/such/scene", "--out", dir.path()});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("scenelens render-views: /no/such/scene: no such file or folder"),
                 qPrintable(run.err));
    }
};

QTEST_GUILESS_MAIN(TestCliViews)
#include "test_cli_views.moc"
