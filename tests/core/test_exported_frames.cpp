// ScanNet's exported-frames layout: written matrices read back exactly, frames in numeric order,
// lost-tracking (-inf) poses skipped and counted, located errors, image sizes from file headers,
// and the pinhole projection the layout implies.

#include "Error.h"
#include "ErrorText.h"
#include "scene/ExportedFrames.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <Eigen/Geometry>

using namespace scenelens;

namespace {

void writeText(const QString& path, const QByteArray& text) {
    QDir().mkpath(QFileInfo(path).path());
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(text);
}

/// A pose that looks along world +x from (1, 2, 3): camera x = world -y, camera y = world -z.
Eigen::Matrix4f sidewaysPose() {
    Eigen::Matrix4f pose = Eigen::Matrix4f::Identity();
    pose.topLeftCorner<3, 3>() << 0, 0, 1, -1, 0, 0, 0, -1, 0;
    pose.topRightCorner<3, 1>() << 1, 2, 3;
    return pose;
}

Eigen::Matrix4f turnedPose(float angle) {
    Eigen::Matrix4f pose = Eigen::Matrix4f::Identity();
    pose.topLeftCorner<3, 3>() =
        Eigen::AngleAxisf(angle, Eigen::Vector3f(1, 2, 3).normalized()).toRotationMatrix();
    pose.topRightCorner<3, 1>() << 0.25f * angle, -1.5f, 1.125f;
    return pose;
}

/// A folder with a valid intrinsic and poses for `indices`.
void writeLayout(const QString& root, const std::vector<int>& indices) {
    QDir().mkpath(root + "/intrinsic");
    QDir().mkpath(root + "/pose");
    writeIntrinsic((root + "/intrinsic/intrinsic_color.txt").toStdString(),
                   pinholeIntrinsic(500.f, 400.f, 320.f, 240.f));
    for (int i : indices)
        writePose(QString("%1/pose/%2.txt").arg(root).arg(i).toStdString(), turnedPose(0.1f * i));
}

QString errorOf(const QString& folder) {
    return test::errorOf([&] { readExportedFrames(folder.toStdString()); });
}

} // namespace

class TestExportedFrames : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void roundTrip() {
        QTemporaryDir dir;
        const QString root = dir.path();
        writeLayout(root, {0, 1, 7});
        writeText(root + "/color/0.jpg", "");
        writeText(root + "/color/1.png", "");
        writeText(root + "/depth/1.png", "");
        const ExportedFrames read = readExportedFrames(root.toStdString());
        QCOMPARE(read.intrinsic, pinholeIntrinsic(500.f, 400.f, 320.f, 240.f));
        QCOMPARE(read.extrinsic, Eigen::Matrix4f::Identity());
        QCOMPARE(read.frames.size(), std::size_t(3));
        for (const CameraFrame& frame : read.frames)
            QCOMPARE(frame.cameraToWorld, turnedPose(0.1f * frame.index)); // exact: %.9g
        QCOMPARE(read.frames[0].colorPath, (root + "/color/0.jpg").toStdString());
        QCOMPARE(read.frames[1].colorPath, (root + "/color/1.png").toStdString());
        QCOMPARE(read.frames[2].colorPath, std::string());
        QCOMPARE(read.frames[1].depthPath, (root + "/depth/1.png").toStdString());
        QCOMPARE(read.frames[0].depthPath, std::string());
        QCOMPARE(read.skippedInvalidPoses, 0);
    }

    void sortsFramesNumerically() {
        QTemporaryDir dir;
        writeLayout(dir.path(), {10, 2, 1, 100, 20});
        writeText(dir.path() + "/pose/notes.txt", "not a frame");
        std::vector<int> order;
        for (const CameraFrame& frame : readExportedFrames(dir.path().toStdString()).frames)
            order.push_back(frame.index);
        QCOMPARE(order, (std::vector<int>{1, 2, 10, 20, 100}));
    }

    void skipsAndCountsLostTracking() {
        QTemporaryDir dir;
        writeLayout(dir.path(), {0, 2});
        // How ScanNet's SensReader writes a frame whose tracking was lost.
        writeText(dir.path() + "/pose/1.txt",
                  "-inf -inf -inf -inf\n-inf -inf -inf -inf\n-inf -inf -inf -inf\n"
                  "-inf -inf -inf -inf\n");
        writeText(dir.path() + "/pose/3.txt", "1 0 0 nan\n0 1 0 0\n0 0 1 0\n0 0 0 1\n");
        const ExportedFrames read = readExportedFrames(dir.path().toStdString());
        QCOMPARE(read.skippedInvalidPoses, 2);
        QCOMPARE(read.frames.size(), std::size_t(2));
        QCOMPARE(read.frames[1].index, 2);
    }

    void malformedFilesNameFileAndLine() {
        QTemporaryDir dir;
        writeLayout(dir.path(), {0});
        writeText(dir.path() + "/pose/5.txt", "1 0 0 0\n0 1 0\n0 0 1 0\n0 0 0 1\n");
        QString message = errorOf(dir.path());
        VERIFY_CONTAINS(message, "pose/5.txt: line 2: expected 4 numbers, found '0 1 0'");

        writeText(dir.path() + "/pose/5.txt", "1 0 0 0\n0 1 0 0\n0 0 1 0\n");
        VERIFY_CONTAINS(errorOf(dir.path()), "pose/5.txt: line 4: expected 4 lines");

        writeText(dir.path() + "/pose/5.txt", "1 0 0 0\n0 1 0 0\n0 0 1 0\n0 0 0 1\n\n1 2 3 4\n");
        VERIFY_CONTAINS(errorOf(dir.path()), "pose/5.txt: line 6: expected 4 lines");

        writeText(dir.path() + "/pose/5.txt", "1 0 0 0\n0 1 0 0\n0 0 1 x\n0 0 0 1\n");
        VERIFY_CONTAINS(errorOf(dir.path()), "pose/5.txt: line 3: expected 4 numbers");

        // Sheared and mirrored rotations are not camera poses.
        writeText(dir.path() + "/pose/5.txt", "1 0.1 0 0\n0 1 0 0\n0 0 1 0\n0 0 0 1\n");
        VERIFY_CONTAINS(errorOf(dir.path()), "pose/5.txt: lines 1-3: expected a rotation");
        writeText(dir.path() + "/pose/5.txt", "-1 0 0 0\n0 1 0 0\n0 0 1 0\n0 0 0 1\n");
        VERIFY_CONTAINS(errorOf(dir.path()), "pose/5.txt: lines 1-3: expected a rotation");
        writeText(dir.path() + "/pose/5.txt", "1 0 0 0\n0 1 0 0\n0 0 1 0\n0 0 1 1\n");
        VERIFY_CONTAINS(errorOf(dir.path()), "pose/5.txt: line 4: expected '0 0 0 1'");
        QFile::remove(dir.path() + "/pose/5.txt");

        writeText(dir.path() + "/intrinsic/intrinsic_color.txt", "500 0 320 0\n0 400 240\n");
        VERIFY_CONTAINS(errorOf(dir.path()),
                        "intrinsic/intrinsic_color.txt: line 2: expected 4 numbers");
        writeText(dir.path() + "/intrinsic/intrinsic_color.txt",
                  "0 0 320 0\n0 400 240 0\n0 0 1 0\n0 0 0 1\n");
        VERIFY_CONTAINS(errorOf(dir.path()), "intrinsic_color.txt: expected positive focal");
        QFile::remove(dir.path() + "/intrinsic/intrinsic_color.txt");
        VERIFY_CONTAINS(errorOf(dir.path()), "intrinsic_color.txt: missing");

        VERIFY_CONTAINS(errorOf(dir.path() + "/nothing"), "nothing: no such folder");
    }

    void readsImageSizeFromHeaders() {
        QTemporaryDir dir;
        writeLayout(dir.path(), {0, 1});
        // A PNG signature and IHDR chunk: 1296 x 968, ScanNet's colour size.
        writeText(dir.path() + "/color/0.png",
                  QByteArray::fromHex("89504e470d0a1a0a0000000d49484452"
                                      "00000510000003c80802000000"));
        QCOMPARE(readExportedFrames(dir.path().toStdString()).width, 1296);
        QCOMPARE(readExportedFrames(dir.path().toStdString()).height, 968);
        // A JPEG with an APP0 segment before its baseline start-of-frame: 640 x 480.
        QFile::remove(dir.path() + "/color/0.png");
        writeText(dir.path() + "/color/0.jpg",
                  QByteArray::fromHex("ffd8ffe000104a46494600010100000100010000"
                                      "ffc000110801e0028003012200021101031101"));
        const ExportedFrames read = readExportedFrames(dir.path().toStdString());
        QCOMPARE(read.width, 640);
        QCOMPARE(read.height, 480);
    }

    void projectsKnownPoint() {
        const Eigen::Matrix4f k = pinholeIntrinsic(500.f, 400.f, 320.f, 240.f);
        const Eigen::Matrix4f pose = sidewaysPose();
        QVERIFY(std::abs(pose.topLeftCorner<3, 3>().determinant() - 1.f) < 1e-6f);
        // 4 m ahead, 0.5 m to the camera's right (world -y) and 1 m up (camera -y).
        float depth = 0.f;
        const Eigen::Vector2f pixel = projectToPixel(k, pose, {5.f, 1.5f, 4.f}, &depth);
        QCOMPARE(depth, 4.f);
        QCOMPARE(pixel.x(), 500.f * 0.5f / 4.f + 320.f);
        QCOMPARE(pixel.y(), 400.f * -1.f / 4.f + 240.f);
        projectToPixel(k, pose, {0.f, 2.f, 3.f}, &depth);
        QVERIFY(depth < 0.f);
    }
};

QTEST_GUILESS_MAIN(TestExportedFrames)
#include "test_exported_frames.moc"
