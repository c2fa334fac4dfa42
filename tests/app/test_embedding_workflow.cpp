// The embedding workflow of the app under xvfb: import a .npy with CSV metadata, project it through
// the projection dialog in the background, and see it in a dock; object descriptors of a folder of
// synthetic scenes; points linked with the objects of the open scene; figure and selection export
// from a dock; errors naming the file; and the `scenelens plot` command.

#include "CliRunner.h"
#include "WindowTestSupport.h"

#include "BackgroundJob.h"
#include "EmbeddingDock.h"
#include "EmbeddingView.h"
#include "EmbeddingWorkflow.h"
#include "MainWindow.h"
#include "ProjectionDialog.h"
#include "SceneView.h"
#include "SelectionModel.h"
#include "embed/EmbeddingImport.h"
#include "embed/Npy.h"
#include "scene/ScanNetSceneReader.h"
#include "scene/synth/SyntheticDataset.h"

#include <QAction>
#include <QApplication>
#include <QMessageBox>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QSurfaceFormat>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QtTest>

#include <cmath>

using namespace scenelens;

namespace {

constexpr int kRows = 300;
const char* const kClasses[] = {"chair", "table", "lamp"};

/// kRows x 8 embeddings in three clusters, with label, scene and object_id columns (rows of
/// scene0000_00 then scene0001_00).
void writeClusters(const QString& npy, const QString& csv) {
    std::vector<float> values;
    QString table = QStringLiteral("label,scene,object_id\n");
    for (int i = 0; i < kRows; ++i) {
        const int cluster = i % 3;
        for (int d = 0; d < 8; ++d)
            values.push_back(float((d == cluster ? 5.0 : 0.0) + std::sin(0.7 * i + d)));
        table += QStringLiteral("%1,scene000%2_00,%3\n")
                     .arg(QLatin1String(kClasses[cluster]))
                     .arg(i < kRows / 2 ? 0 : 1)
                     .arg(i % 50);
    }
    embed::writeNpyMatrix(npy.toStdString(), values.data(), kRows, 8);
    QFile file(csv);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(table.toUtf8());
}

int countOf(const QString& path, const QByteArray& needle) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return -1;
    return int(file.readAll().count(needle));
}

/// Waits for the projection dialog, projects with PCA and waits for the dock.
EmbeddingDock* projectWithPca(EmbeddingWorkflow& workflow, QSignalSpy& requested) {
    if (requested.isEmpty() && !requested.wait(60000))
        return nullptr;
    ProjectionDialog* dialog = workflow.projectionDialog();
    if (!dialog)
        return nullptr;
    embed::ProjectionOptions options;
    options.method = embed::ProjectionMethod::Pca;
    dialog->setOptions(options);
    dialog->setComputeMetrics(true);
    QSignalSpy shown(&workflow, &EmbeddingWorkflow::plotShown);
    dialog->accept();
    if (!shown.wait(60000))
        return nullptr;
    return shown.front().front().value<EmbeddingDock*>();
}

} // namespace

class TestEmbeddingWorkflow : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        test::isolateSettings(QStringLiteral("test_embedding_workflow"));
        QVERIFY(dir_.isValid());
        npy_ = dir_.filePath(QStringLiteral("clusters.npy"));
        csv_ = dir_.filePath(QStringLiteral("clusters.csv"));
        writeClusters(npy_, csv_);
    }

    void menusHaveTheNewActions() {
        MainWindow window;
        QAction* import = test::actionNamed(window, QStringLiteral("Import &Embeddings…"));
        QAction* describe =
            test::actionNamed(window, QStringLiteral("Object &Descriptors of Scenes…"));
        QVERIFY(import && describe);
        QCOMPARE(import->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
        QCOMPARE(describe->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D));
    }

    void importProjectsIntoADock() {
        MainWindow window;
        window.show();
        EmbeddingWorkflow& workflow = *window.embeddings();
        QSignalSpy requested(&workflow, &EmbeddingWorkflow::projectionRequested);
        QVERIFY(workflow.importEmbeddings(npy_, csv_));
        QCOMPARE(requested.size(), 1);
        EmbeddingDock* dock = projectWithPca(workflow, requested);
        QVERIFY(dock);
        QCOMPARE(workflow.docks().size(), 1);
        QVERIFY(dock->isVisible());
        QCOMPARE(dock->plot().rows(), kRows);
        QCOMPARE(dock->view()->plot()->rows(), kRows);
        QVERIFY(dock->plot().projection.method == embed::ProjectionMethod::Pca);
        QCOMPARE(dock->view()->encoding().column, std::string("label"));
        QCOMPARE(dock->view()->encoding().legend.size(), std::size_t(3));
        // The metrics panel lists the engine's metrics.
        QVERIFY(dock->metricsTable()->topLevelItemCount() >= 3);
        QVERIFY(!dock->metricsTable()
                     ->findItems(QStringLiteral("trustworthiness"), Qt::MatchStartsWith)
                     .isEmpty());
        // The dialog remembers what was accepted.
        QVERIFY(ProjectionDialog(QString()).options().method == embed::ProjectionMethod::Pca);

        // Figure and selection export.
        // Figure export draws what the view shows; framed, that is every point.
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        dock->view()->resetView();
        const QString svg = dir_.filePath(QStringLiteral("dock.svg"));
        dock->exportFigure(svg);
        QCOMPARE(countOf(svg, "<circle"),
                 drawnPointCount(dock->plot(), dock->view()->encoding(), dock->figureOptions()));
        QCOMPARE(countOf(svg, "<circle"), kRows);
        QCOMPARE(countOf(svg, "chair (100)"), 1);
        dock->view()->setSelectedPoints({0, 1, 2, 3});
        QVERIFY2(dock->selectionSummaryText().contains(QStringLiteral("4 points selected")),
                 qPrintable(dock->selectionSummaryText()));
        QVERIFY(dock->selectionSummaryText().contains(QStringLiteral("chair: 2")));
        const QString csv = dir_.filePath(QStringLiteral("selection.csv"));
        dock->exportSelection(csv);
        QCOMPARE(countOf(csv, "\n"), 5);

        // A second view opens beside the first.
        QSignalSpy again(&workflow, &EmbeddingWorkflow::projectionRequested);
        QVERIFY(workflow.importEmbeddings(npy_, csv_, QStringLiteral("text")));
        EmbeddingDock* second = projectWithPca(workflow, again);
        QVERIFY(second);
        QCOMPARE(workflow.docks().size(), 2);
        const QString triangles = dir_.filePath(QStringLiteral("text.svg"));
        second->exportFigure(triangles);
        QCOMPARE(countOf(triangles, "<circle"), 0); // text embeddings are triangles
        const QString images = qEnvironmentVariable("SCENELENS_TEST_IMAGES");
        if (!images.isEmpty()) {
            QTest::qWait(500);
            window.grab().save(images + QStringLiteral("/embedding_docks.png"));
        }
    }

    void badInputIsAnErrorNamingTheFile() {
        MainWindow window;
        window.show();
        EmbeddingWorkflow& workflow = *window.embeddings();
        QSignalSpy failed(&workflow, &EmbeddingWorkflow::failed);
        const QString missing = dir_.filePath(QStringLiteral("missing.npy"));
        QVERIFY(!workflow.importEmbeddings(missing));
        QCOMPARE(failed.size(), 1);
        QVERIFY2(failed.front().front().toString().startsWith(missing),
                 qPrintable(failed.front().front().toString()));
        QVERIFY(window.findChild<QMessageBox*>());

        const QString shortCsv = dir_.filePath(QStringLiteral("short.csv"));
        QFile file(shortCsv);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("label\nchair\ntable\n");
        file.close();
        QVERIFY(!workflow.importEmbeddings(npy_, shortCsv));
        QVERIFY2(failed.back().front().toString().contains(QStringLiteral("short.csv")),
                 qPrintable(failed.back().front().toString()));

        workflow.describeSceneObjects(dir_.path());
        QVERIFY(failed.back().front().toString().contains(QStringLiteral("no ScanNet scene")));
        QVERIFY(workflow.docks().isEmpty());
    }

    void cancelledProjectionOpensNoDock() {
        MainWindow window;
        window.show();
        EmbeddingWorkflow& workflow = *window.embeddings();
        QSignalSpy cancelled(workflow.job(), &BackgroundJob::cancelled);
        QSignalSpy shown(&workflow, &EmbeddingWorkflow::plotShown);
        auto set = std::make_shared<const embed::EmbeddingSet>(
            embed::importEmbeddings(npy_.toStdString(), csv_.toStdString()));
        embed::ProjectionOptions options;
        options.method = embed::ProjectionMethod::Tsne;
        workflow.project({set}, options, true);
        QVERIFY(workflow.job()->isRunning());
        workflow.job()->cancel();
        QCOMPARE(cancelled.size(), 1);
        QTest::qWait(1500); // the worker stops or finishes; its result must be dropped
        QCOMPARE(shown.size(), 0);
        QVERIFY(workflow.docks().isEmpty());
    }

    void objectDescriptorsOfSceneFoldersLinkWithTheScene() {
        QTemporaryDir data;
        const synth::DatasetSummary summary =
            synth::writeSyntheticDataset({data.path().toStdString(), 2, 5, 0.004f});
        const QString scans = data.filePath(QStringLiteral("scans"));
        std::vector<std::string> ids = summary.train;
        ids.insert(ids.end(), summary.val.begin(), summary.val.end());
        ids.insert(ids.end(), summary.test.begin(), summary.test.end());
        std::sort(ids.begin(), ids.end());
        QCOMPARE(ids.size(), std::size_t(2));
        int annotated = 0;
        for (const std::string& id : ids) {
            const Scene scene = ScanNetSceneReader().read(scans.toStdString() + "/" + id);
            for (const SceneObject& object : scene.objects)
                annotated += !object.vertexIndices.empty();
        }
        QVERIFY(annotated > 4);

        MainWindow window;
        window.show();
        QSignalSpy loaded(&window, &MainWindow::sceneLoaded);
        window.openScene(scans + QLatin1Char('/') + QString::fromStdString(ids[0]));
        QVERIFY(loaded.wait(60000));

        EmbeddingWorkflow& workflow = *window.embeddings();
        QSignalSpy requested(&workflow, &EmbeddingWorkflow::projectionRequested);
        workflow.describeSceneObjects(scans);
        QVERIFY(workflow.job()->isRunning());
        EmbeddingDock* dock = projectWithPca(workflow, requested);
        QVERIFY(dock);
        QCOMPARE(dock->plot().rows(), annotated);
        QCOMPARE(dock->plot().points.modality, std::string("object3d"));

        // Points of the open scene select its objects; points of the other scene link nothing.
        const embed::EmbeddingSet& points = dock->plot().points;
        const std::vector<std::string>& scene = points.textColumns.at("scene");
        const std::vector<double>& objectIds = points.numberColumns.at("object_id");
        std::vector<int> ownRows, otherRows;
        for (int i = 0; i < points.rows; ++i)
            (scene[std::size_t(i)] == ids[0] ? ownRows : otherRows).push_back(i);
        QVERIFY(ownRows.size() >= 2 && !otherRows.empty());
        dock->view()->setSelectedPoints({ownRows[0], ownRows[1]});
        const QSet<int> expected{int(objectIds[std::size_t(ownRows[0])]),
                                 int(objectIds[std::size_t(ownRows[1])])};
        QCOMPARE(window.selection()->selectedObjects(), expected);
        dock->view()->setSelectedPoints({otherRows[0]});
        QVERIFY(window.selection()->selectedObjects().isEmpty());

        // And back: an object picked in the scene selects its point.
        window.selection()->setSelectedObjects({int(objectIds[std::size_t(ownRows[1])])});
        QCOMPARE(dock->view()->selectedPoints(), std::vector<int>{ownRows[1]});

        // Hovering an object in 3D pulses its point in the dock; nothing pulses for the
        // background.
        Q_EMIT window.sceneView()->objectHovered(int(objectIds[std::size_t(ownRows[0])]));
        QCOMPARE(dock->view()->pulsingPoints(), std::vector<int>{ownRows[0]});
        Q_EMIT window.sceneView()->objectHovered(-1);
        QVERIFY(dock->view()->pulsingPoints().empty());
    }

    void threeDimensionalPlotExportsAsTheCameraShowsIt() {
        // Six points spread in 3-D; the SVG's marks must sit in the same left-right and
        // top-bottom order as the view draws them through its camera.
        MainWindow window;
        window.resize(1200, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        const std::vector<float> xyz = {0, 0, 0, 3, 1, 0, 1, 4, 2, -2, 2, 5, 4, -3, 1, -1, -2, -4};
        auto plot = std::make_shared<embed::PlotData>();
        plot->points.name = "xyz";
        plot->points.rows = 6;
        plot->points.dims = 3;
        plot->points.values = xyz;
        plot->coords = xyz;
        plot->coordDims = 3;
        EmbeddingDock* dock = window.embeddings()->showPlot(
            plot, {std::make_shared<const embed::EmbeddingSet>(plot->points)});
        QTest::qWait(100);
        // Orbit (a plain left drag in 3-D) so that the view is not the x-y plane.
        EmbeddingView* view = dock->view();
        auto send = [view](QEvent::Type type, QPointF pos, Qt::MouseButton button,
                           Qt::MouseButtons buttons) {
            QMouseEvent event(type, pos, view->mapToGlobal(pos), button, buttons, Qt::NoModifier);
            QApplication::sendEvent(view, &event);
        };
        send(QEvent::MouseButtonPress, {100, 100}, Qt::LeftButton, Qt::LeftButton);
        send(QEvent::MouseMove, {190, 160}, Qt::NoButton, Qt::LeftButton);
        send(QEvent::MouseButtonRelease, {190, 160}, Qt::LeftButton, Qt::NoButton);
        bool orbited = false; // some pair is ordered differently on screen than by raw x or y
        for (int i = 0; i < 6; ++i)
            for (int j = 0; j < 6; ++j)
                orbited |= (view->pointPosition(i).x() < view->pointPosition(j).x()) !=
                               (xyz[3 * i] < xyz[3 * j]) ||
                           (view->pointPosition(i).y() > view->pointPosition(j).y()) !=
                               (xyz[3 * i + 1] < xyz[3 * j + 1]);
        QVERIFY(orbited);
        const QString svg = dir_.filePath(QStringLiteral("three-d.svg"));
        dock->exportFigure(svg);
        QFile file(svg);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(file.readAll());
        QRegularExpression circle(QStringLiteral("<circle cx=\"([-0-9.]+)\" cy=\"([-0-9.]+)\""));
        std::vector<QPointF> marks;
        for (auto it = circle.globalMatch(text); it.hasNext();) {
            const QRegularExpressionMatch m = it.next();
            marks.emplace_back(m.captured(1).toDouble(), m.captured(2).toDouble());
        }
        QCOMPARE(int(marks.size()), 6);
        for (int i = 0; i < 6; ++i)
            for (int j = 0; j < 6; ++j) {
                const QPointF a = view->pointPosition(i), b = view->pointPosition(j);
                if (std::abs(a.x() - b.x()) > 2)
                    QCOMPARE(a.x() < b.x(), marks[i].x() < marks[j].x());
                if (std::abs(a.y() - b.y()) > 2)
                    QCOMPARE(a.y() < b.y(), marks[i].y() < marks[j].y());
            }
    }

    void plotCommandWritesAFigure() {
        const QString svg = dir_.filePath(QStringLiteral("cli.svg"));
        const test::CliRun run =
            test::runScenelens({"plot", "--in", npy_, "--meta", csv_, "--method", "pca",
                                "--color-by", "label", "--title", "Clusters", "--out", svg});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY(run.out.contains(QStringLiteral("300 points")));
        QCOMPARE(countOf(svg, "<circle"), kRows);
        QCOMPARE(countOf(svg, "lamp (100)"), 1);
        QCOMPARE(countOf(svg, "Clusters"), 2); // the title element and the drawn title

        const QString png = dir_.filePath(QStringLiteral("cli.png"));
        const test::CliRun pngRun =
            test::runScenelens({"plot", "--in", npy_, "--method", "pca", "--size", "300x200",
                                "--scale", "2", "--transparent", "--out", png});
        QVERIFY2(pngRun.exitCode == 0, qPrintable(pngRun.err));
        QCOMPARE(QImage(png).size(), QSize(600, 400));

        const test::CliRun bad =
            test::runScenelens({"plot", "--in", npy_, "--meta", csv_, "--method", "pca",
                                "--color-by", "colour", "--out", svg});
        QCOMPARE(bad.exitCode, 1);
        QVERIFY2(bad.err.contains(QStringLiteral("colour")), qPrintable(bad.err));
    }

private:
    QTemporaryDir dir_;
    QString npy_, csv_;
};

int main(int argc, char** argv) {
    QSurfaceFormat::setDefaultFormat(SceneView::surfaceFormat());
    QApplication app(argc, argv);
    TestEmbeddingWorkflow test;
    return QTest::qExec(&test, argc, argv);
}
#include "test_embedding_workflow.moc"
