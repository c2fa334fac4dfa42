// MainWindow under xvfb: loading a real scene in the background, the Objects dock linked both ways
// with the selection, the status bar, remembered settings, load errors and Cancel.

#include "TestData.h"
#include "WindowTestSupport.h"

#include "BackgroundJob.h"
#include "MainWindow.h"
#include "ObjectsDock.h"
#include "SceneView.h"
#include "SelectionModel.h"
#include "scene/Scene.h"

#include <QAction>
#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QSurfaceFormat>
#include <QTreeWidget>
#include <QtTest>

using namespace scenelens;

namespace {

/// Opens the real scene in `window` and waits for it.
bool openRealScene(MainWindow& window) {
    QSignalSpy loaded(&window, &MainWindow::sceneLoaded);
    window.openScene(test::realSceneDir());
    return loaded.wait(30000);
}

QTreeWidgetItem* objectItem(const ObjectsDock& dock, int objectId) {
    QTreeWidget* tree = dock.tree();
    for (int g = 0; g < tree->topLevelItemCount(); ++g)
        for (int c = 0; c < tree->topLevelItem(g)->childCount(); ++c)
            if (tree->topLevelItem(g)->child(c)->data(0, Qt::UserRole + 1).toInt() == objectId)
                return tree->topLevelItem(g)->child(c);
    return nullptr;
}

} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        test::isolateSettings(QStringLiteral("test_mainwindow"));
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    }

    void startsOnWelcomePage() {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(!window.scene());
        QCOMPARE(window.sceneSummary(), QStringLiteral("No scene open"));
        QVERIFY(window.findChild<QWidget*>(QStringLiteral("WelcomePage"))->isVisible());
        QVERIFY(!window.sceneView()->isVisible());
    }

    void opensRealSceneAndListsObjects() {
        SCENELENS_REQUIRE_REAL_SCENE();
        MainWindow window;
        window.show();
        QVERIFY(openRealScene(window));
        QCOMPARE(window.scene()->objects.size(), std::size_t(55));
        QCOMPARE(window.sceneSummary(),
                 QStringLiteral("scene0000_00 · 81,369 vertices · 153,587 faces · 55 objects"));
        QVERIFY(window.windowTitle().startsWith(QStringLiteral("scene0000_00")));
        QVERIFY(window.sceneView()->isVisible());
        QVERIFY(window.objectsDock()->isVisible());
        // Grouped by NYU40 class with counts.
        QCOMPARE(window.objectsDock()->tree()->topLevelItemCount(), 22);
        QCOMPARE(window.objectsDock()->groupItem("wall")->text(0), QStringLiteral("wall (9)"));
        QCOMPARE(window.objectsDock()->groupItem("cabinet")->childCount(), 6);
        QCOMPARE(window.objectsDock()->groupItem("sofa")->child(0)->text(0),
                 QStringLiteral("couch #32"));
        QCOMPARE(window.recentScenes().value(0),
                 QFileInfo(test::realSceneDir()).absoluteFilePath());
    }

    void dockAndSelectionAreLinked() {
        SCENELENS_REQUIRE_REAL_SCENE();
        MainWindow window;
        window.show();
        QVERIFY(openRealScene(window));
        ObjectsDock& dock = *window.objectsDock();

        // Dock -> selection.
        objectItem(dock, 37)->setSelected(true);
        QCOMPARE(window.selection()->selectedObjects(), QSet<int>{37});
        QVERIFY(window.statusBar()->findChildren<QLabel*>().size() >= 2);

        // Selection (e.g. a click in 3D) -> dock.
        window.selection()->setSelectedObjects({32, 49});
        QList<QTreeWidgetItem*> selected = dock.tree()->selectedItems();
        QCOMPARE(selected.size(), 2);
        QVERIFY(selected.contains(objectItem(dock, 32)) && selected.contains(objectItem(dock, 49)));
        QVERIFY(!objectItem(dock, 37)->isSelected());

        // A class group stands for all of its objects.
        dock.tree()->clearSelection();
        dock.groupItem("wall")->setSelected(true);
        QCOMPARE(window.selection()->selectedObjects().size(), 9);

        // The filter keeps matching objects only.
        dock.findChild<QLineEdit*>()->setText(QStringLiteral("stool"));
        int visibleGroups = 0;
        for (int g = 0; g < dock.tree()->topLevelItemCount(); ++g)
            visibleGroups += !dock.tree()->topLevelItem(g)->isHidden();
        QCOMPARE(visibleGroups, 1);
        QVERIFY(!dock.groupItem("otherprop")->isHidden());
    }

    void remembersViewOptions() {
        {
            MainWindow window;
            QAction* classMode =
                test::actionNamed(window, QStringLiteral("Colour by NYU40 &Class"));
            QVERIFY(classMode);
            classMode->trigger();
            test::actionNamed(window, QStringLiteral("Show Object &Boxes"))->setChecked(true);
            QVERIFY(window.sceneView()->options().colorBy == SceneColorMode::Class);
            QVERIFY(window.sceneView()->options().showBoxes);
        }
        MainWindow restored;
        QVERIFY(restored.sceneView()->options().colorBy == SceneColorMode::Class);
        QVERIFY(restored.sceneView()->options().showBoxes);
        QVERIFY(test::actionNamed(restored, QStringLiteral("Colour by NYU40 &Class"))->isChecked());
    }

    void loadErrorKeepsCurrentScene() {
        SCENELENS_REQUIRE_REAL_SCENE();
        MainWindow window;
        window.show();
        QVERIFY(openRealScene(window));
        const Scene* before = window.scene();
        QSignalSpy failed(&window, &MainWindow::sceneLoadFailed);
        window.openScene(QStringLiteral("/no/such/scene"));
        QVERIFY(failed.wait(10000));
        QVERIFY2(
            failed.front().front().toString().contains("/no/such/scene: no such file or folder"),
            qPrintable(failed.front().front().toString()));
        QCOMPARE(window.scene(), before);
        QVERIFY(window.findChild<QMessageBox*>());
    }

    void cancelLeavesNoScene() {
        SCENELENS_REQUIRE_REAL_SCENE();
        MainWindow window;
        window.show();
        QSignalSpy cancelled(window.loadJob(), &BackgroundJob::cancelled);
        QSignalSpy loaded(&window, &MainWindow::sceneLoaded);
        window.openScene(test::realSceneDir());
        QVERIFY(window.loadJob()->isRunning());
        window.loadJob()->cancel();
        QCOMPARE(cancelled.size(), 1);
        QTest::qWait(1500); // the worker finishes or stops; its result must be dropped
        QCOMPARE(loaded.size(), 0);
        QVERIFY(!window.scene());
    }
};

int main(int argc, char** argv) {
    QSurfaceFormat::setDefaultFormat(SceneView::surfaceFormat());
    QApplication app(argc, argv);
    TestMainWindow test;
    return QTest::qExec(&test, argc, argv);
}
#include "test_mainwindow.moc"
