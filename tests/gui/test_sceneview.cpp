// SceneView on the real scene0000_00 under xvfb: it draws the scene, colour modes and boxes change
// the picture, clicking an object selects it (ctrl toggles), clicking background clears, a double
// click centres the clicked point, R resets the camera, and empty scenes and point clouds draw.
// Set SCENELENS_TEST_IMAGES to a folder to keep the rendered frames for review.

#include "ImageCompare.h"
#include "TestData.h"

#include "SceneRenderer.h"
#include "SceneView.h"
#include "SelectionModel.h"
#include "scene/ScanNetSceneReader.h"

#include <QSignalSpy>
#include <QtTest>

#include <algorithm>
#include <memory>

using namespace scenelens;

namespace {

const QSize kViewSize(640, 480);

void keepImage(const QImage& image, const QString& name) {
    const QString dir = qEnvironmentVariable("SCENELENS_TEST_IMAGES");
    if (!dir.isEmpty())
        image.save(dir + "/" + name + ".png");
}

const SceneObject* findByLabel(const Scene& scene, const std::string& label) {
    for (const SceneObject& object : scene.objects)
        if (object.rawLabel == label)
            return &object;
    return nullptr;
}

} // namespace

class TestSceneView : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void rendersTheScene();
    void instanceColoringChangesTheImage();
    void boxesToggleChangesTheImage();
    void clickSelectsTheObjectUnderTheCursor();
    void ctrlClickTogglesObjects();
    void clickSeesThroughCulledWalls();
    void clickOnBackgroundClearsTheSelection();
    void keyRResetsTheCamera();
    void doubleClickCentresTheClickedPoint();
    void noSceneShowsBackgroundOnly();
    void sceneWithoutFacesIsDrawnAsPoints();

private:
    QImage frame(const QString& name);
    /// Frames the object and clicks where its box centre is drawn; false when it is not in view.
    bool clickObject(const SceneObject& object, Qt::KeyboardModifiers modifiers = {});

    std::shared_ptr<const Scene> scene_;
    std::unique_ptr<SelectionModel> selection_;
    std::unique_ptr<SceneView> view_;
};

void TestSceneView::initTestCase() {
    SCENELENS_REQUIRE_REAL_SCENE();
    scene_ = std::make_shared<const Scene>(
        ScanNetSceneReader().read(test::realSceneDir().toStdString()));
    QVERIFY(findByLabel(*scene_, "bed"));
    QVERIFY(findByLabel(*scene_, "couch"));
}

void TestSceneView::init() {
    selection_ = std::make_unique<SelectionModel>();
    view_ = std::make_unique<SceneView>();
    view_->setFixedSize(kViewSize);
    view_->setSelectionModel(selection_.get());
    view_->setScene(scene_);
    view_->show();
    QVERIFY(QTest::qWaitForWindowExposed(view_.get()));
}

void TestSceneView::cleanup() {
    view_.reset();
    selection_.reset();
}

QImage TestSceneView::frame(const QString& name) {
    QCoreApplication::processEvents();
    const QImage image = view_->grabScene();
    keepImage(image, name);
    return image;
}

bool TestSceneView::clickObject(const SceneObject& object, Qt::KeyboardModifiers modifiers) {
    if (!view_->focusOnObject(object.id))
        return false;
    frame(QString::fromStdString(object.rawLabel) + "_focused");
    // A box centre can be empty space (a chair, an L-shaped couch) where the click hits the floor
    // behind; for this scene's bed and couch it lands on the object in the default direction.
    const QPointF pos = view_->projectToWidget(object.box.center());
    if (!view_->rect().contains(pos.toPoint()))
        return false;
    QTest::mouseClick(view_.get(), Qt::LeftButton, modifiers, pos.toPoint());
    return true;
}

void TestSceneView::clickSeesThroughCulledWalls() {
    // The default view looks over the near walls, whose back faces are culled; a click must
    // select what is drawn, not the invisible wall in front of it.
    // VTK's cell picker returned the wall objectId 19 for the desk here.
    frame("default");
    for (const char* label : {"bed", "couch", "refrigerator", "desk"}) {
        const SceneObject* object = findByLabel(*scene_, label);
        const QPointF pos = view_->projectToWidget(object->box.center());
        QVERIFY(view_->rect().contains(pos.toPoint()));
        QTest::mouseClick(view_.get(), Qt::LeftButton, {}, pos.toPoint());
        QCOMPARE(selection_->selectedObjects(), QSet<int>{object->id});
    }
}

void TestSceneView::rendersTheScene() {
    const QImage image = frame("rgb");
    QCOMPARE(image.size(), kViewSize * view_->devicePixelRatioF());
    // A 3/4 view of a room leaves the corners of the frame empty: about 43% is covered.
    const double covered = test::nonBackgroundFraction(image, view_->sceneRenderer().background());
    QVERIFY2(covered > 0.35, qPrintable(QString("scene covers only %1 of the view").arg(covered)));
    QVERIFY2(covered < 0.9, "the frame is not showing the background around the room");
    QVERIFY(test::distinctColors(image) > 1000);
}

void TestSceneView::instanceColoringChangesTheImage() {
    const QImage rgb = frame("rgb");
    view_->setOptions({SceneColorMode::Instance, false});
    const QImage instance = frame("instance");
    const double difference = test::meanAbsDifference(rgb, instance);
    QVERIFY2(difference > 10, qPrintable(QString("mean difference %1").arg(difference)));
    view_->setOptions({SceneColorMode::Class, false});
    QVERIFY(test::meanAbsDifference(instance, frame("class")) > 5);
}

void TestSceneView::boxesToggleChangesTheImage() {
    view_->setOptions({SceneColorMode::Class, false});
    const QImage plain = frame("class");
    view_->setOptions({SceneColorMode::Class, true});
    const QImage boxes = frame("class_boxes");
    const double changed = test::changedFraction(plain, boxes);
    QVERIFY2(changed > 0.005, qPrintable(QString("boxes changed %1 of the view").arg(changed)));
    view_->setOptions({SceneColorMode::Class, false});
    QVERIFY(test::changedFraction(plain, frame("class_again")) < 0.001);
}

void TestSceneView::clickSelectsTheObjectUnderTheCursor() {
    QSignalSpy picked(view_.get(), &SceneView::objectPicked);
    const SceneObject& bed = *findByLabel(*scene_, "bed");
    QVERIFY(clickObject(bed));
    QCOMPARE(selection_->selectedObjects(), QSet<int>{bed.id});
    QCOMPARE(picked.count(), 1);
    QCOMPARE(picked.at(0).at(0).toInt(), bed.id);
    frame("bed_selected");

    const SceneObject& couch = *findByLabel(*scene_, "couch");
    QVERIFY(clickObject(couch));
    QCOMPARE(selection_->selectedObjects(), QSet<int>{couch.id});
}

void TestSceneView::ctrlClickTogglesObjects() {
    const SceneObject& bed = *findByLabel(*scene_, "bed");
    const SceneObject& couch = *findByLabel(*scene_, "couch");
    QVERIFY(clickObject(bed));
    QVERIFY(clickObject(couch, Qt::ControlModifier));
    QCOMPARE(selection_->selectedObjects(), (QSet<int>{bed.id, couch.id}));
    QVERIFY(clickObject(bed, Qt::ControlModifier));
    QCOMPARE(selection_->selectedObjects(), QSet<int>{couch.id});
}

void TestSceneView::clickOnBackgroundClearsTheSelection() {
    const SceneObject& bed = *findByLabel(*scene_, "bed");
    selection_->selectOnly(bed.id);
    view_->resetCamera();
    const QImage image = frame("reset").convertToFormat(QImage::Format_RGB32);
    const Rgb8 bg = view_->sceneRenderer().background();
    // The corners of a 3/4 view of a room show background; take the first that does.
    QPoint empty(-1, -1);
    for (const QPoint corner :
         {QPoint(3, 3), QPoint(kViewSize.width() - 4, 3), QPoint(3, kViewSize.height() - 4),
          QPoint(kViewSize.width() - 4, kViewSize.height() - 4)}) {
        if (test::colorDistance(image.pixel(corner), qRgb(bg[0], bg[1], bg[2])) <= 6) {
            empty = corner;
            break;
        }
    }
    QVERIFY2(empty.x() >= 0, "no corner of the view shows background");
    QSignalSpy picked(view_.get(), &SceneView::objectPicked);
    QTest::mouseClick(view_.get(), Qt::LeftButton, {}, empty);
    QVERIFY(selection_->selectedObjects().isEmpty());
    QCOMPARE(picked.count(), 1);
    QCOMPARE(picked.at(0).at(0).toInt(), -1);
}

void TestSceneView::keyRResetsTheCamera() {
    const QImage initial = frame("initial");
    view_->focusOnObject(findByLabel(*scene_, "bed")->id);
    QVERIFY(test::meanAbsDifference(initial, frame("focused")) > 10);
    QTest::keyClick(view_.get(), Qt::Key_R);
    QVERIFY(test::meanAbsDifference(initial, frame("after_r")) < 0.5);
}

void TestSceneView::doubleClickCentresTheClickedPoint() {
    const QPointF target = view_->projectToWidget(findByLabel(*scene_, "couch")->box.center());
    const double ratio = view_->devicePixelRatioF();
    const auto point = view_->sceneRenderer().pickPoint(
        target.x() * ratio, kViewSize.height() * ratio - 1 - target.y() * ratio);
    QVERIFY(point);
    QTest::mouseDClick(view_.get(), Qt::LeftButton, {}, target.toPoint());
    const QPointF centre = view_->projectToWidget(*point);
    QVERIFY2(
        (centre - QPointF(kViewSize.width() / 2.0, kViewSize.height() / 2.0)).manhattanLength() < 3,
        qPrintable(QString("clicked point is drawn at %1,%2").arg(centre.x()).arg(centre.y())));
}

void TestSceneView::noSceneShowsBackgroundOnly() {
    view_->setScene(nullptr);
    const QImage image = frame("empty");
    QCOMPARE(test::nonBackgroundFraction(image, view_->sceneRenderer().background()), 0.0);
    QCOMPARE(view_->objectAt(QPointF(kViewSize.width() / 2.0, kViewSize.height() / 2.0)), -1);
    view_->setScene(std::make_shared<const Scene>());
    QCOMPARE(test::nonBackgroundFraction(frame("empty_scene"), view_->sceneRenderer().background()),
             0.0);
}

void TestSceneView::sceneWithoutFacesIsDrawnAsPoints() {
    auto cloud = std::make_shared<Scene>(*scene_);
    cloud->faces.clear();
    view_->setScene(cloud);
    const QImage image = frame("points");
    QVERIFY(test::nonBackgroundFraction(image, view_->sceneRenderer().background()) > 0.2);
    // Box centres fall between the points of a cloud: click the bed's topmost point instead.
    const SceneObject& bed = *findByLabel(*cloud, "bed");
    QVERIFY(view_->focusOnObject(bed.id));
    const auto top =
        std::max_element(bed.vertexIndices.begin(), bed.vertexIndices.end(), [&](auto a, auto b) {
            return cloud->positions[a].z() < cloud->positions[b].z();
        });
    QTest::mouseClick(view_.get(), Qt::LeftButton, {},
                      view_->projectToWidget(cloud->positions[*top]).toPoint());
    QCOMPARE(selection_->selectedObjects(), QSet<int>{bed.id});
}

QTEST_MAIN(TestSceneView)
#include "test_sceneview.moc"
