// Rendering compared with committed reference images (F3D's habit): a small synthetic room drawn
// off-screen must match tests/data/baselines/*.png within a tolerance that absorbs rasteriser
// noise but not a changed palette, camera, lighting or box colour. A missing baseline is written
// to the build folder for review and the test fails.

#include "ImageCompare.h"
#include "SceneBuilders.h"

#include "SceneImageRenderer.h"
#include "scene/Scene.h"

#include <QDir>
#include <QtTest>

using namespace scenelens;

namespace {

void addBox(Scene& scene, const Eigen::Vector3f& min, const Eigen::Vector3f& max, int objectId,
            int nyu40, const std::string& label) {
    test::addBox(scene, min, max, objectId, nyu40, label, {std::uint8_t(60 * objectId), 120, 200});
}

Scene syntheticRoom() {
    Scene scene;
    scene.id = "synthetic";
    addBox(scene, {0.f, 0.f, -0.1f}, {4.f, 3.f, 0.f}, 0, 2, "floor");
    addBox(scene, {0.3f, 0.3f, 0.f}, {2.3f, 1.8f, 0.5f}, 1, 4, "bed");
    addBox(scene, {3.f, 1.8f, 0.f}, {3.5f, 2.3f, 0.9f}, 2, 5, "chair");
    addBox(scene, {2.6f, 0.2f, 0.f}, {3.8f, 0.8f, 0.75f}, 3, 7, "table");
    test::finishScene(scene);
    return scene;
}

} // namespace

class TestRenderBaseline : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void matchesBaseline_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("colorBy");
        QTest::addColumn<bool>("boxes");
        QTest::addColumn<QList<int>>("selected");
        QTest::newRow("class + boxes")
            << "synthetic_class_boxes" << int(SceneColorMode::Class) << true << QList<int>{};
        QTest::newRow("rgb + selection")
            << "synthetic_rgb_selected" << int(SceneColorMode::Rgb) << false << QList<int>{2};
    }

    void matchesBaseline() {
        QFETCH(QString, name);
        QFETCH(int, colorBy);
        QFETCH(bool, boxes);
        QFETCH(QList<int>, selected);
        const QImage image =
            renderSceneImage(syntheticRoom(), {SceneColorMode(colorBy), boxes}, QSize(240, 180),
                             std::vector<int>(selected.begin(), selected.end()));
        const QString baselinePath = QStringLiteral(SCENELENS_BASELINE_DIR "/%1.png").arg(name);
        const QImage baseline(baselinePath);
        if (baseline.isNull()) {
            const QString out = QDir::current().filePath(name + ".png");
            image.save(out);
            QFAIL(qPrintable(QStringLiteral("no baseline %1; review %2 and copy it there")
                                 .arg(baselinePath, out)));
        }
        QCOMPARE(image.size(), baseline.size());
        const double mean = test::meanAbsDifference(image, baseline);
        const double changed = test::changedFraction(image, baseline);
        if (mean > 1.5 || changed > 0.01)
            image.save(QDir::current().filePath(name + ".actual.png"));
        QVERIFY2(
            mean <= 1.5,
            qPrintable(QStringLiteral("mean difference %1 from %2").arg(mean).arg(baselinePath)));
        QVERIFY2(changed <= 0.01, qPrintable(QStringLiteral("%1 of pixels changed").arg(changed)));
    }
};

QTEST_GUILESS_MAIN(TestRenderBaseline)
#include "test_render_baseline.moc"
