// Project files in the app under xvfb: Save Project, then Open Project in a fresh window brings
// back the scene, its selection and camera, the embedding docks with their sets, coordinates and
// view settings, the camera bookmarks and the scene view options. Also the modified marker,
// autosave with the offer to recover, recent projects, and a clear error for a bad file.

#include "CliRunner.h"
#include "WindowTestSupport.h"

#include "BackgroundJob.h"
#include "EmbeddingDock.h"
#include "EmbeddingView.h"
#include "EmbeddingWorkflow.h"
#include "MainWindow.h"
#include "ProjectController.h"
#include "SceneView.h"
#include "SelectionModel.h"
#include "embed/ObjectDescriptors.h"
#include "scene/ScanNetSceneReader.h"
#include "scene/synth/SyntheticDataset.h"

#include <QApplication>
#include <QCommandLinkButton>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QSurfaceFormat>
#include <QTemporaryDir>
#include <QtTest>

using namespace scenelens;

namespace {

bool openAndWait(MainWindow& window, const QString& scene) {
    QSignalSpy loaded(&window, &MainWindow::sceneLoaded);
    window.openScene(scene);
    return loaded.wait(60000);
}

/// Opens `project` in `window` and waits until its scene (when it has one) is shown.
bool openProjectAndWait(MainWindow& window, const QString& project, bool withScene) {
    QSignalSpy opened(window.projects(), &ProjectController::opened);
    QSignalSpy loaded(&window, &MainWindow::sceneLoaded);
    window.projects()->open(project);
    if (!opened.wait(60000))
        return false;
    return !withScene || !loaded.isEmpty() || loaded.wait(60000);
}

bool saveAndWait(MainWindow& window, const QString& project) {
    QSignalSpy saved(window.projects(), &ProjectController::saved);
    window.projects()->saveAs(project);
    return saved.wait(60000);
}

/// The object descriptors of the window's scene, shown as a PCA plot in a new dock.
EmbeddingDock* showDescriptorPlot(MainWindow& window, int dims) {
    auto set =
        std::make_shared<const embed::EmbeddingSet>(embed::objectDescriptors({window.scene()}));
    embed::ProjectionOptions options;
    options.dims = dims;
    auto plot = std::make_shared<const embed::PlotData>(embed::makePlotData(*set, options, true));
    return window.embeddings()->showPlot(plot, {set});
}

} // namespace

class TestProject : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        test::isolateSettings(QStringLiteral("test_project"));
        QFile::remove(ProjectController::recoveryPath());
        QVERIFY(data_.isValid());
        const synth::DatasetSummary summary =
            synth::writeSyntheticDataset({data_.path().toStdString(), 2, 11, 0.004f});
        std::vector<std::string> ids = summary.train;
        ids.insert(ids.end(), summary.val.begin(), summary.val.end());
        ids.insert(ids.end(), summary.test.begin(), summary.test.end());
        std::sort(ids.begin(), ids.end());
        scene_ = data_.filePath(QStringLiteral("scans/") + QString::fromStdString(ids[0]));
    }

    void menusHaveProjectActions() {
        MainWindow window;
        for (const char* text : {"&New Project", "Open &Project…", "&Save Project",
                                 "Save Project &As…", "&Add Bookmark"})
            QVERIFY2(test::actionNamed(window, QString::fromUtf8(text)), text);
        QCOMPARE(test::actionNamed(window, QStringLiteral("&Save Project"))->shortcut(),
                 QKeySequence(QKeySequence::Save));
    }

    void saveThenOpenRestoresTheWorkspace() {
        QTemporaryDir dir;
        const QString project = dir.filePath(QStringLiteral("room.slh5"));
        MainWindow first;
        first.resize(1300, 850);
        first.show();
        QVERIFY(QTest::qWaitForWindowExposed(&first));
        QVERIFY(openAndWait(first, scene_));
        EmbeddingDock* flat = showDescriptorPlot(first, 2);
        EmbeddingDock* deep = showDescriptorPlot(first, 3);
        QTest::qWait(100);

        // State worth keeping, everywhere.
        const QList<int> ids = [&] {
            QList<int> all;
            for (const SceneObject& object : first.scene()->objects)
                all << object.id;
            return all;
        }();
        QVERIFY(ids.size() >= 3);
        first.selection()->setSelectedObjects({ids[0], ids[2]});
        const CameraPose bookmark = first.sceneView()->camera();
        first.projects()->addBookmark(QStringLiteral("Start"));
        CameraPose pose = bookmark;
        pose.position = {pose.position[0] + 0.5, pose.position[1] - 0.25, pose.position[2] + 1};
        pose.viewAngle = 40;
        first.sceneView()->setCamera(pose);
        first.setSceneViewOptions({SceneColorMode::Instance, true});
        QVERIFY(flat->setColorBy(QStringLiteral("label")));
        flat->view()->setCategoryVisible(0, false);
        const std::string hidden = flat->view()->encoding().legend[0].category;
        flat->view()->setPointSize(9);
        PlotCamera::Pose plotPose = deep->view()->cameraPose();
        plotPose.yaw += 0.3;
        plotPose.pixelsPerUnit *= 1.5;
        deep->view()->setCameraPose(plotPose);
        QVERIFY(first.projects()->isModified());
        QVERIFY(first.isWindowModified());

        QVERIFY(saveAndWait(first, project));
        QVERIFY(!first.projects()->isModified());
        QVERIFY(first.windowTitle().contains(QStringLiteral("room.slh5")));
        QCOMPARE(first.projects()->recentProjects().value(0), project);
        // The dock's point selection follows the linked objects: keep it to compare.
        const std::vector<int> flatSelection = flat->view()->selectedPoints();

        MainWindow second;
        second.resize(1300, 850);
        second.show();
        QVERIFY(QTest::qWaitForWindowExposed(&second));
        // The welcome page offers it one click away.
        QVERIFY(second.findChild<QCommandLinkButton*>(QStringLiteral("recent:") + project));
        QVERIFY(openProjectAndWait(second, project, true));
        QTest::qWait(100);

        QCOMPARE(second.scene()->id, first.scene()->id);
        QCOMPARE(second.selection()->selectedObjects(), (QSet<int>{ids[0], ids[2]}));
        QVERIFY(second.sceneView()->camera() == pose);
        QCOMPARE(int(second.sceneView()->options().colorBy), int(SceneColorMode::Instance));
        QVERIFY(second.sceneView()->options().showBoxes);
        QCOMPARE(second.projects()->bookmarks().size(), std::size_t(1));
        QVERIFY(second.projects()->bookmarks()[0].pose == bookmark);
        QCOMPARE(second.projects()->path(), project);
        QVERIFY(!second.projects()->isModified());

        const QList<EmbeddingWorkflow::ShownProjection> shown = second.embeddings()->projections();
        QCOMPARE(shown.size(), 2);
        QCOMPARE(shown[0].name, flat->windowTitle());
        QCOMPARE(shown[1].name, deep->windowTitle());
        // Both docks project the same set: it is stored once and shared again.
        QCOMPARE(shown[0].inputs.size(), std::size_t(1));
        QCOMPARE(shown[0].inputs[0], shown[1].inputs[0]);
        const embed::PlotData& flatPlot = shown[0].dock->plot();
        QVERIFY(flatPlot.coords == flat->plot().coords);
        QVERIFY(flatPlot.points.values == flat->plot().points.values);
        QVERIFY(flatPlot.points.textColumns == flat->plot().points.textColumns);
        QVERIFY(flatPlot.metrics.values == flat->plot().metrics.values);
        QCOMPARE(shown[1].dock->plot().coordDims, 3);

        EmbeddingView* view = shown[0].dock->view();
        QCOMPARE(QString::fromStdString(view->encoding().column), QStringLiteral("label"));
        QCOMPARE(view->pointSize(), 9.0);
        QCOMPARE(view->encoding().legend[0].category, hidden);
        QVERIFY(!view->encoding().legend[0].visible);
        QVERIFY(view->selectedPoints() == flatSelection);
        const PlotCamera::Pose restored = shown[1].dock->view()->cameraPose();
        QCOMPARE(restored.yaw, plotPose.yaw);
        QCOMPARE(restored.pixelsPerUnit, plotPose.pixelsPerUnit);
        QVERIFY(restored.centre == plotPose.centre);
    }

    void modifiedMarkerFollowsChanges() {
        QTemporaryDir dir;
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(!window.projects()->isModified());
        QVERIFY(openAndWait(window, scene_));
        QVERIFY(window.projects()->isModified());
        QVERIFY(window.isWindowModified());
        QVERIFY(window.windowTitle().contains(QStringLiteral("[*]")));
        EmbeddingDock* dock = showDescriptorPlot(window, 2);

        QVERIFY(saveAndWait(window, dir.filePath(QStringLiteral("a.slh5"))));
        QVERIFY(!window.isWindowModified());
        window.selection()->selectOnly(window.scene()->objects.front().id);
        QVERIFY(window.projects()->isModified());

        // A dock's settings are part of the project too; moving its camera is not a change.
        QVERIFY(saveAndWait(window, dir.filePath(QStringLiteral("a.slh5"))));
        PlotCamera::Pose pose = dock->view()->cameraPose();
        pose.pixelsPerUnit *= 2;
        dock->view()->setCameraPose(pose);
        QVERIFY(!window.projects()->isModified());
        QVERIFY(dock->setColorBy(QStringLiteral("label")));
        QVERIFY(window.projects()->isModified());
        QVERIFY(saveAndWait(window, dir.filePath(QStringLiteral("a.slh5"))));
        dock->view()->setCategoryVisible(0, false);
        QVERIFY(window.projects()->isModified());

        // New Project empties the window and is not modified.
        window.projects()->startNew();
        QVERIFY(!window.scene());
        QVERIFY(window.embeddings()->docks().isEmpty());
        QVERIFY(window.projects()->path().isEmpty());
        QVERIFY(!window.projects()->isModified());
    }

    void autosaveIsOfferedForRecovery() {
        QFile::remove(ProjectController::recoveryPath());
        {
            MainWindow crashed;
            crashed.show();
            QVERIFY(QTest::qWaitForWindowExposed(&crashed));
            QVERIFY(!crashed.projects()->autosave()); // nothing changed yet
            QVERIFY(openAndWait(crashed, scene_));
            showDescriptorPlot(crashed, 2);
            crashed.selection()->selectOnly(crashed.scene()->objects.back().id);
            QSignalSpy finished(crashed.projects()->job(), &BackgroundJob::finished);
            QVERIFY(crashed.projects()->autosave());
            QVERIFY(finished.wait(60000));
            QVERIFY(QFile::exists(ProjectController::recoveryPath()));
            QVERIFY(!crashed.projects()->autosave()); // nothing new since
            // The window goes away without closing: as after a crash.
        }
        MainWindow restarted;
        restarted.show();
        QVERIFY(QTest::qWaitForWindowExposed(&restarted));
        QMessageBox* box = restarted.projects()->offerRecovery();
        QVERIFY(box);
        QPushButton* recover = nullptr;
        for (QAbstractButton* button : box->buttons())
            if (button->text() == QStringLiteral("&Recover"))
                recover = qobject_cast<QPushButton*>(button);
        QVERIFY(recover);
        QSignalSpy opened(restarted.projects(), &ProjectController::opened);
        QSignalSpy loaded(&restarted, &MainWindow::sceneLoaded);
        recover->click();
        QVERIFY(opened.wait(60000));
        QVERIFY(!loaded.isEmpty() || loaded.wait(60000));
        QCOMPARE(restarted.embeddings()->docks().size(), 1);
        QCOMPARE(restarted.selection()->selectedObjects().size(), 1);
        // Recovered work is not saved anywhere yet.
        QVERIFY(restarted.projects()->isModified());
        QVERIFY(restarted.projects()->path().isEmpty());

        // A normal close removes the recovery file; nothing is offered next time.
        restarted.projects()->setModified(false);
        QVERIFY(restarted.close());
        QVERIFY(!QFile::exists(ProjectController::recoveryPath()));
        MainWindow next;
        QVERIFY(!next.projects()->offerRecovery());
    }

    void badProjectFileIsReportedAndChangesNothing() {
        QTemporaryDir dir;
        const QString bad = dir.filePath(QStringLiteral("notes.slh5"));
        QFile file(bad);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("these are my notes, not a project\n");
        file.close();

        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(openAndWait(window, scene_));
        QSignalSpy failed(window.projects(), &ProjectController::failed);
        window.projects()->open(bad);
        QVERIFY(failed.wait(30000));
        const QString message = failed.front().front().toString();
        QVERIFY2(message.contains(QStringLiteral("notes.slh5")), qPrintable(message));
        QVERIFY(window.scene());
        QVERIFY(window.projects()->path().isEmpty());
    }

    void bookmarksMoveTheCamera() {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(openAndWait(window, scene_));
        const CameraPose start = window.sceneView()->camera();
        window.projects()->addBookmark(QStringLiteral("Start"));
        QVERIFY(window.sceneView()->focusOnObject(window.scene()->objects.front().id));
        QVERIFY(window.sceneView()->camera() != start);
        QAction* go = test::actionNamed(window, QStringLiteral("Start"));
        QVERIFY(go);
        QCOMPARE(go->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_1));
        go->trigger();
        QVERIFY(window.sceneView()->camera() == start);
        QVERIFY(!window.projects()->goToBookmark(1));
    }

    void commandLineOpensAProjectForAScreenshot() {
        QTemporaryDir dir;
        const QString project = dir.filePath(QStringLiteral("shot.slh5"));
        {
            MainWindow window;
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            QVERIFY(openAndWait(window, scene_));
            showDescriptorPlot(window, 2);
            QVERIFY(saveAndWait(window, project));
        }
        const QString out = dir.filePath(QStringLiteral("shot.png"));
        const test::CliRun run = test::runScenelens(
            {QStringLiteral("--project"), project, QStringLiteral("--screenshot"), out});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const QImage image(out);
        QVERIFY(!image.isNull());
        // The 3D view's plain background fills much of the window: the project's scene is shown,
        // not the welcome page.
        const QRgb background = qRgb(38, 40, 46);
        qsizetype plain = 0;
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x)
                plain += image.pixel(x, y) == background;
        QVERIFY2(plain > image.width() * image.height() / 20, qPrintable(QString::number(plain)));

        const test::CliRun missing = test::runScenelens(
            {QStringLiteral("--project"), dir.filePath(QStringLiteral("absent.slh5")),
             QStringLiteral("--screenshot"), out});
        QCOMPARE(missing.exitCode, 1);
        QVERIFY2(missing.err.contains(QStringLiteral("absent.slh5")), qPrintable(missing.err));
    }

private:
    QTemporaryDir data_;
    QString scene_;
};

int main(int argc, char** argv) {
    QSurfaceFormat::setDefaultFormat(SceneView::surfaceFormat());
    QApplication app(argc, argv);
    TestProject test;
    return QTest::qExec(&test, argc, argv);
}
#include "test_project.moc"
