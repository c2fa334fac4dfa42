// Offscreen rendering for `scenelens render`: exact size, a picture of the scene, colour modes,
// and clear errors for a missing X display and impossible sizes.

#include "ImageCompare.h"
#include "TestData.h"

#include "SceneImageRenderer.h"
#include "SceneRenderer.h"
#include "scene/ScanNetSceneReader.h"

#include <QtTest>

#include <cstdlib>
#include <stdexcept>

using namespace scenelens;

class TestSceneImage : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void rendersAtTheRequestedSize();
    void colorModesDiffer();
    void missingDisplayIsAClearError();
    void invalidSizeIsAClearError();

private:
    Scene scene_;
};

void TestSceneImage::initTestCase() {
    SCENELENS_REQUIRE_REAL_SCENE();
    scene_ = ScanNetSceneReader().read(test::realSceneDir().toStdString());
}

void TestSceneImage::rendersAtTheRequestedSize() {
    for (const QSize size : {QSize(320, 240), QSize(257, 411)}) {
        const QImage image = renderSceneImage(scene_, {}, size);
        const QString dir = qEnvironmentVariable("SCENELENS_TEST_IMAGES");
        if (!dir.isEmpty())
            image.save(
                QString("%1/offscreen_%2x%3.png").arg(dir).arg(size.width()).arg(size.height()));
        QCOMPARE(image.size(), size);
        // A portrait frame leaves bands above and below the room: about 30% is covered.
        const double covered =
            test::nonBackgroundFraction(image, SceneRenderer::kDefaultBackground);
        QVERIFY2(covered > 0.2, qPrintable(QString("scene covers only %1").arg(covered)));
        QVERIFY2(covered < 0.9, "the image is not showing the background around the room");
        QVERIFY(test::distinctColors(image) > 1000);
    }
}

void TestSceneImage::colorModesDiffer() {
    const QSize size(320, 240);
    const QImage rgb = renderSceneImage(scene_, {SceneColorMode::Rgb, false}, size);
    const QImage instance = renderSceneImage(scene_, {SceneColorMode::Instance, true}, size);
    QVERIFY(test::meanAbsDifference(rgb, instance) > 10);
}

void TestSceneImage::missingDisplayIsAClearError() {
    const QByteArray display = qgetenv("DISPLAY");
    qunsetenv("DISPLAY");
    QString message;
    try {
        renderSceneImage(scene_, {}, QSize(64, 64));
    } catch (const std::runtime_error& error) {
        message = error.what();
    }
    qputenv("DISPLAY", display);
    QCOMPARE(message, QString("scenelens render needs an X display; run it under xvfb-run -a"));
}

void TestSceneImage::invalidSizeIsAClearError() {
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, renderSceneImage(scene_, {}, QSize(0, 10)));
    QVERIFY_THROWS_EXCEPTION(std::runtime_error,
                             renderSceneImage(scene_, {}, QSize(100, kMaxRenderSize + 1)));
}

QTEST_GUILESS_MAIN(TestSceneImage)
#include "test_scene_image.moc"
