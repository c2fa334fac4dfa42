// EmbeddingView under xvfb: points render at their projected pixels in their encoding's colours,
// the wheel zooms about the cursor, box and lasso selection on 10,000 random points equal a
// brute-force point-in-polygon reference, selection links both ways through a SelectionModel
// (also between two views), tooltips name the nearest point within 8 px, legend clicks hide
// categories, colour changes re-upload only colours, and offscreen images match the screen.
// Set SCENELENS_TEST_IMAGES to a folder to keep the rendered frames for review.

#include "ImageCompare.h"

#include "EmbeddingOverlay.h"
#include "EmbeddingRenderer.h"
#include "EmbeddingView.h"
#include "SelectionModel.h"
#include "embed/PointIndex2D.h"

#include <QSignalSpy>
#include <QVBoxLayout>
#include <QtTest>

#include <algorithm>
#include <memory>
#include <random>

using namespace scenelens;

namespace {

const QSize kViewSize(400, 300);
constexpr int kColorTolerance = 24;

void keepImage(const QImage& image, const QString& name) {
    const QString dir = qEnvironmentVariable("SCENELENS_TEST_IMAGES");
    if (!dir.isEmpty())
        image.save(dir + "/embedding_" + name + ".png");
}

/// A 2-D or 3-D plot of `coords` with metadata columns; `values` default to the coordinates.
std::shared_ptr<embed::PlotData> makePlot(std::vector<float> coords, int dims,
                                          std::map<std::string, std::vector<std::string>> text = {},
                                          std::map<std::string, std::vector<double>> numbers = {}) {
    auto plot = std::make_shared<embed::PlotData>();
    plot->coordDims = dims;
    plot->points.rows = int(coords.size()) / dims;
    plot->points.dims = dims;
    plot->points.values = coords;
    plot->points.name = "test";
    plot->points.modality = "object3d";
    plot->points.textColumns = std::move(text);
    plot->points.numberColumns = std::move(numbers);
    plot->coords = std::move(coords);
    return plot;
}

QColor toQColor(const embed::Rgba8& c) {
    return QColor(c[0], c[1], c[2]);
}

QRgb pixelAt(const QImage& image, const QPointF& logical, double ratio = 1.0) {
    return image.pixel(int(logical.x() * ratio), int(logical.y() * ratio));
}

bool near(QRgb pixel, const QColor& expected) {
    return test::colorDistance(pixel, expected.rgb()) <= kColorTolerance;
}

QString describe(QRgb pixel) {
    return QColor(pixel).name();
}

std::vector<float> randomPoints(int count, unsigned seed) {
    std::mt19937 random(seed);
    std::uniform_real_distribution<float> uniform(-5.f, 5.f);
    std::vector<float> coords(std::size_t(count) * 2);
    for (float& value : coords)
        value = uniform(random);
    return coords;
}

/// Pixels of a and b (same size) further apart than `tolerance` in some channel, skipping those
/// for which `skip(x, y)` holds.
template <typename Skip>
int differingPixels(const QImage& a, const QImage& b, int tolerance, Skip skip) {
    int count = 0;
    for (int y = 0; y < a.height(); ++y)
        for (int x = 0; x < a.width(); ++x) {
            if (skip(x, y))
                continue;
            const QRgb p = a.pixel(x, y), q = b.pixel(x, y);
            count += std::abs(qRed(p) - qRed(q)) > tolerance ||
                     std::abs(qGreen(p) - qGreen(q)) > tolerance ||
                     std::abs(qBlue(p) - qBlue(q)) > tolerance;
        }
    return count;
}

void sendMouse(QWidget* widget, QEvent::Type type, const QPointF& pos, Qt::MouseButton button,
               Qt::MouseButtons buttons, Qt::KeyboardModifiers modifiers) {
    QMouseEvent event(type, pos, widget->mapToGlobal(pos), button, buttons, modifiers);
    QApplication::sendEvent(widget, &event);
}

/// A left-button drag through `path` (first point: press, last: release).
void drag(QWidget* widget, const QPolygonF& path, Qt::KeyboardModifiers modifiers) {
    sendMouse(widget, QEvent::MouseButtonPress, path.first(), Qt::LeftButton, Qt::LeftButton,
              modifiers);
    for (int i = 1; i < path.size(); ++i)
        sendMouse(widget, QEvent::MouseMove, path[i], Qt::NoButton, Qt::LeftButton, modifiers);
    sendMouse(widget, QEvent::MouseButtonRelease, path.last(), Qt::LeftButton, Qt::NoButton,
              modifiers);
}

} // namespace

class TestEmbeddingView : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void pointsRenderAtTheirPixelsInTheirColours();
    void markersFollowTheModality();
    void wheelZoomKeepsThePointUnderTheCursor();
    void panAndResetMoveTheView();
    void boxSelectionEqualsBruteForce();
    void lassoSelectionEqualsBruteForce();
    void clickAndKeysSelect();
    void selectionLinksBothWaysWithTheModel();
    void twoViewsShareOneSelection();
    void pulseGrowsTheObjectsPointsForAMoment();
    void tooltipNamesTheNearestPointWithinItsRadius();
    void legendClickHidesACategory();
    void colourChangeUploadsOnlyColours();
    void searchHighlightsMatches();
    void neighbourRowsAreTheNearestInTheOriginalSpace();
    void renderImageScalesAndKeepsTransparency();
    void threeDimensionalPlotsRenderPickAndOrbit();
    void densityAlphaFadesCrowdedViews();
    void windowGrabsShowTheLegend();
    void largePlotsMoveAsTheirStillFrame();

private:
    QImage frame(const QString& name);
    void showPlot(std::shared_ptr<embed::PlotData> plot);

    std::unique_ptr<EmbeddingView> view_;
};

void TestEmbeddingView::init() {
    view_ = std::make_unique<EmbeddingView>();
    view_->setFixedSize(kViewSize);
    view_->setDensityAlpha(false);
    view_->setPointSize(10);
    view_->show();
    QVERIFY(QTest::qWaitForWindowExposed(view_.get()));
}

void TestEmbeddingView::cleanup() {
    view_.reset();
}

QImage TestEmbeddingView::frame(const QString& name) {
    QCoreApplication::processEvents();
    const QImage image = view_->grabFramebuffer();
    keepImage(image, name);
    return image;
}

void TestEmbeddingView::showPlot(std::shared_ptr<embed::PlotData> plot) {
    view_->setPlot(std::move(plot));
    frame("setup");
}

void TestEmbeddingView::pointsRenderAtTheirPixelsInTheirColours() {
    showPlot(makePlot({0, 0, 1, 0, 0, 1, 1, 1}, 2, {{"label", {"a", "b", "c", "d"}}}));
    view_->setLegendVisible(false);
    QVERIFY(view_->setColorBy("label"));
    // The unit square fitted into 400 x 300 with a 10 % margin: 270 px per unit about (200, 150).
    const QPointF expected[] = {{65, 285}, {335, 285}, {65, 15}, {335, 15}};
    const QImage image = frame("four_points");
    QCOMPARE(image.size(), kViewSize * view_->devicePixelRatioF());
    for (int row = 0; row < 4; ++row) {
        const QPointF pos = view_->pointPosition(row);
        QVERIFY2((pos - expected[row]).manhattanLength() < 0.01,
                 qPrintable(QString("row %1 at %2,%3").arg(row).arg(pos.x()).arg(pos.y())));
        const QColor color = toQColor(view_->encoding().colors[row]);
        const QRgb pixel = pixelAt(image, pos, view_->devicePixelRatioF());
        QVERIFY2(
            near(pixel, color),
            qPrintable(
                QString("row %1: %2, expected %3").arg(row).arg(describe(pixel), color.name())));
    }
    // The four colours differ, and between and beside the points lies background.
    QCOMPARE(int(view_->encoding().legend.size()), 4);
    for (const QPointF& empty :
         {QPointF(200, 150), QPointF(65, 150), QPointF(200, 285), QPointF(90, 285), QPointF(5, 5)})
        QVERIFY2(near(pixelAt(image, empty), Qt::white),
                 qPrintable(describe(pixelAt(image, empty))));
}

void TestEmbeddingView::markersFollowTheModality() {
    // A circle leaves the corners of its square empty; a square fills them.
    showPlot(makePlot({0, 0, 1, 1}, 2, {{"modality", {"object3d", "scene3d"}}}));
    view_->setLegendVisible(false);
    view_->setPointSize(20);
    const QImage image = frame("markers");
    const QPointF corner(7.5, -7.5);
    const QRgb circleCorner = pixelAt(image, view_->pointPosition(0) + corner);
    const QRgb squareCorner = pixelAt(image, view_->pointPosition(1) + corner);
    QVERIFY2(near(circleCorner, Qt::white), qPrintable(describe(circleCorner)));
    QVERIFY2(near(squareCorner, toQColor(view_->encoding().colors[1])),
             qPrintable(describe(squareCorner)));
}

void TestEmbeddingView::wheelZoomKeepsThePointUnderTheCursor() {
    showPlot(makePlot(randomPoints(200, 3), 2));
    const int row = 17;
    const QPointF cursor = view_->pointPosition(row);
    const QPointF other = view_->pointPosition(18);
    for (const int delta : {120, 120, 240, -120, 360}) {
        QWheelEvent event(cursor, view_->mapToGlobal(cursor), QPoint(), QPoint(0, delta),
                          Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(view_.get(), &event);
        const QPointF after = view_->pointPosition(row);
        QVERIFY2((after - cursor).manhattanLength() <= 1.0,
                 qPrintable(QString("moved to %1,%2").arg(after.x()).arg(after.y())));
    }
    QVERIFY((view_->pointPosition(18) - other).manhattanLength() > 10);
    const QImage image = frame("zoomed");
    QVERIFY(near(pixelAt(image, cursor), toQColor(view_->encoding().colors[row])));
}

void TestEmbeddingView::panAndResetMoveTheView() {
    showPlot(makePlot(randomPoints(100, 4), 2));
    const QPointF before = view_->pointPosition(0);
    const QRectF rect = view_->visibleDataRect();
    sendMouse(view_.get(), QEvent::MouseButtonPress, {100, 100}, Qt::RightButton, Qt::RightButton,
              {});
    sendMouse(view_.get(), QEvent::MouseMove, {130, 80}, Qt::NoButton, Qt::RightButton, {});
    sendMouse(view_.get(), QEvent::MouseButtonRelease, {130, 80}, Qt::RightButton, Qt::NoButton,
              {});
    QVERIFY((view_->pointPosition(0) - (before + QPointF(30, -20))).manhattanLength() < 1e-3);
    QVERIFY(view_->selectedPoints().empty());
    QTest::keyClick(view_.get(), Qt::Key_R);
    QVERIFY((view_->pointPosition(0) - before).manhattanLength() < 1e-3);
    QCOMPARE(view_->visibleDataRect(), rect);
}

void TestEmbeddingView::boxSelectionEqualsBruteForce() {
    const std::vector<float> coords = randomPoints(10000, 42);
    showPlot(makePlot(coords, 2));
    const QPointF from(83.5, 61.25), to(297.75, 233.5);
    drag(view_.get(), {from, QPointF(200, 150), to}, Qt::ShiftModifier);
    const QPointF a = view_->widgetToData(from), b = view_->widgetToData(to);
    std::vector<int> expected;
    for (int i = 0; i < 10000; ++i) {
        const double x = coords[2 * i], y = coords[2 * i + 1];
        if (x >= std::min(a.x(), b.x()) && x <= std::max(a.x(), b.x()) &&
            y >= std::min(a.y(), b.y()) && y <= std::max(a.y(), b.y()))
            expected.push_back(i);
    }
    QVERIFY(expected.size() > 1000);
    QCOMPARE(view_->selectedPoints(), expected);
    frame("box_selection");

    // Alt removes a second box from the selection.
    const QPointF from2(150, 100), to2(250, 200);
    drag(view_.get(), {from2, to2}, Qt::AltModifier);
    const QPointF c = view_->widgetToData(from2), d = view_->widgetToData(to2);
    std::vector<int> remaining;
    for (const int i : expected) {
        const double x = coords[2 * i], y = coords[2 * i + 1];
        if (!(x >= std::min(c.x(), d.x()) && x <= std::max(c.x(), d.x()) &&
              y >= std::min(c.y(), d.y()) && y <= std::max(c.y(), d.y())))
            remaining.push_back(i);
    }
    QVERIFY(remaining.size() < expected.size());
    QCOMPARE(view_->selectedPoints(), remaining);
}

void TestEmbeddingView::lassoSelectionEqualsBruteForce() {
    const std::vector<float> coords = randomPoints(10000, 43);
    showPlot(makePlot(coords, 2));
    // A concave star around the centre, drawn with ctrl held.
    QPolygonF path;
    for (int i = 0; i <= 24; ++i) {
        const double angle = 2 * M_PI * i / 24;
        const double radius = i % 2 ? 60 : 125;
        path << QPointF(200 + radius * std::cos(angle), 150 + radius * 0.9 * std::sin(angle));
    }
    drag(view_.get(), path, Qt::ControlModifier);
    // The view's lasso: the press, every move and the release point.
    std::vector<embed::Point2> polygon;
    for (const QPointF& p : path) {
        const QPointF data = view_->widgetToData(p);
        polygon.push_back({data.x(), data.y()});
    }
    polygon.push_back(polygon.back());
    std::vector<int> expected;
    for (int i = 0; i < 10000; ++i)
        if (embed::pointInPolygon({coords[2 * i], coords[2 * i + 1]}, polygon))
            expected.push_back(i);
    QVERIFY(expected.size() > 500);
    QCOMPARE(view_->selectedPoints(), expected);
    frame("lasso_selection");

    // The lasso tool draws without ctrl; shift adds.
    view_->setSelectionTool(EmbeddingView::SelectionTool::Lasso);
    const QPolygonF corner{{10, 10}, {90, 10}, {90, 90}, {10, 90}, {10, 10}};
    drag(view_.get(), corner, Qt::ShiftModifier);
    QVERIFY(view_->selectedPoints().size() > expected.size());
}

void TestEmbeddingView::clickAndKeysSelect() {
    showPlot(makePlot(randomPoints(300, 5), 2));
    const QPointF pos = view_->pointPosition(7);
    QTest::mouseClick(view_.get(), Qt::LeftButton, {}, pos.toPoint());
    QCOMPARE(view_->pointAt(pos), 7);
    QCOMPARE(view_->selectedPoints(), std::vector<int>{7});
    QTest::mouseClick(view_.get(), Qt::LeftButton, Qt::ShiftModifier,
                      view_->pointPosition(8).toPoint());
    QCOMPARE(view_->selectedPoints(), (std::vector<int>{7, 8}));
    QTest::mouseClick(view_.get(), Qt::LeftButton, Qt::ControlModifier, pos.toPoint());
    QCOMPARE(view_->selectedPoints(), std::vector<int>{8});
    QTest::keyClick(view_.get(), Qt::Key_A);
    QCOMPARE(int(view_->selectedPoints().size()), 300);
    QTest::keyClick(view_.get(), Qt::Key_Escape);
    QVERIFY(view_->selectedPoints().empty());
}

void TestEmbeddingView::selectionLinksBothWaysWithTheModel() {
    showPlot(makePlot({0, 0, 1, 0, 0, 1, 1, 1, 0.5, 0.5}, 2,
                      {{"scene", {"s1", "s1", "s2", "s1", "s1"}},
                       {"label", {"chair", "table", "chair", "bed", "prompt"}}},
                      {{"object_id", {1, 2, 1, 3, NAN}}}));
    SelectionModel model;
    QSignalSpy modelChanges(&model, &SelectionModel::selectionChanged);
    view_->setSelectionModel(&model);
    view_->setCurrentScene("s1");
    view_->setSelectedPoints({0, 1, 4});
    QCOMPARE(model.selectedObjects(), (QSet<int>{1, 2}));
    QCOMPARE(modelChanges.count(), 1);
    // The view keeps its own rows (4 is no object), it is not rewritten by its own change.
    QCOMPARE(view_->selectedPoints(), (std::vector<int>{0, 1, 4}));

    model.setSelectedObjects({1, 3});
    // Row 2 is object 1 of another scene.
    QCOMPARE(view_->selectedPoints(), (std::vector<int>{0, 3}));
    QCOMPARE(modelChanges.count(), 2);

    view_->setCurrentScene("s2");
    QCOMPARE(view_->selectedPoints(), std::vector<int>{2});
    view_->clearSelection();
    QVERIFY(model.selectedObjects().isEmpty());
}

void TestEmbeddingView::pulseGrowsTheObjectsPointsForAMoment() {
    showPlot(makePlot({0, 0, 1, 1}, 2, {{"scene", {"s1", "s1"}}}, {{"object_id", {5, 6}}}));
    view_->setLegendVisible(false);
    view_->setCurrentScene("s1");
    // Pixels that are not background in a 60 px square about a point.
    auto inkAround = [this](const QImage& image, int row) {
        const qreal ratio = view_->devicePixelRatioF();
        const QPoint centre = (view_->pointPosition(row) * ratio).toPoint();
        const QRgb background = view_->backgroundColor().rgb();
        int ink = 0;
        for (int y = centre.y() - 30; y <= centre.y() + 30; ++y)
            for (int x = centre.x() - 30; x <= centre.x() + 30; ++x)
                if (image.rect().contains(x, y) && image.pixel(x, y) != background)
                    ++ink;
        return ink;
    };
    const QImage before = frame("pulse_before");
    const int point0 = inkAround(before, 0), point1 = inkAround(before, 1);
    QVERIFY(point0 > 0 && point1 > 0);
    view_->pulseObject(5);
    // Frames while the 600 ms pulse runs: the largest must show the point grown, the other
    // object's point untouched.
    int grown = 0;
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < 500) {
        QTest::qWait(25);
        const QImage during = frame("pulse_during");
        grown = std::max(grown, inkAround(during, 0));
        QCOMPARE(inkAround(during, 1), point1);
    }
    QVERIFY2(grown > point0 * 3 / 2, qPrintable(QString("%1 -> %2").arg(point0).arg(grown)));
    QTRY_COMPARE_WITH_TIMEOUT(inkAround(frame("pulse_after"), 0), point0, 5000);
    view_->pulseObject(99); // no such object: nothing pulses
    QTest::qWait(300);
    QCOMPARE(inkAround(frame("pulse_none"), 0), point0);
}

void TestEmbeddingView::twoViewsShareOneSelection() {
    auto plot = makePlot({0, 0, 1, 0, 0, 1, 1, 1}, 2, {}, {{"object_id", {10, 11, 12, 13}}});
    showPlot(plot);
    EmbeddingView other;
    other.setFixedSize(kViewSize);
    other.setPlot(plot);
    other.show();
    QVERIFY(QTest::qWaitForWindowExposed(&other));
    SelectionModel model;
    QSignalSpy modelChanges(&model, &SelectionModel::selectionChanged);
    view_->setSelectionModel(&model);
    other.setSelectionModel(&model);
    QTest::mouseClick(view_.get(), Qt::LeftButton, {}, view_->pointPosition(2).toPoint());
    QCOMPARE(model.selectedObjects(), QSet<int>{12});
    QCOMPARE(other.selectedPoints(), std::vector<int>{2});
    QTest::mouseClick(&other, Qt::LeftButton, Qt::ShiftModifier, other.pointPosition(3).toPoint());
    QCOMPARE(model.selectedObjects(), (QSet<int>{12, 13}));
    QCOMPARE(view_->selectedPoints(), (std::vector<int>{2, 3}));
    QCOMPARE(modelChanges.count(), 2);
}

void TestEmbeddingView::tooltipNamesTheNearestPointWithinItsRadius() {
    showPlot(makePlot({0, 0, 1, 0, 0, 1}, 2,
                      {{"label", {"chair", "table", "a photo of a lamp"}},
                       {"scene", {"scene0000_00", "scene0000_00", ""}},
                       {"modality", {"object3d", "object3d", "text"}},
                       {"text", {"", "", "a photo of a lamp"}},
                       {"set", {"objects", "objects", "prompts"}}},
                      {{"object_id", {4, 7, NAN}}}));
    const QPointF table = view_->pointPosition(1);
    const QString text = view_->tooltipTextAt(table + QPointF(5, -4));
    QVERIFY2(text.contains("label: table"), qPrintable(text));
    QVERIFY(text.contains("scene: scene0000_00"));
    QVERIFY(text.contains("object id: 7"));
    QVERIFY(text.contains("set: objects (object3d)"));
    const QString prompt = view_->tooltipTextAt(view_->pointPosition(2));
    QVERIFY2(prompt.contains("text: a photo of a lamp"), qPrintable(prompt));
    QVERIFY(prompt.contains("set: prompts (text)"));
    QVERIFY(!prompt.contains("object id"));
    QVERIFY(view_->tooltipTextAt(table + QPointF(9, 0)).isEmpty());
    QVERIFY(view_->tooltipTextAt(QPointF(200, 150)).isEmpty());

    // Hovering shows the card: the frame changes near the point and nothing changes elsewhere.
    const QImage before = frame("no_hover");
    QSignalSpy hovered(view_.get(), &EmbeddingView::pointHovered);
    sendMouse(view_.get(), QEvent::MouseMove, table + QPointF(2, 0), Qt::NoButton, Qt::NoButton,
              {});
    QCOMPARE(hovered.count(), 1);
    QCOMPARE(hovered.first().first().toInt(), 1);
    const QImage after = frame("hover");
    QVERIFY(test::changedFraction(before, after) > 0.002);
}

void TestEmbeddingView::legendClickHidesACategory() {
    showPlot(makePlot({0, 0, 1, 0, 0, 1}, 2, {{"label", {"a", "b", "a"}}}));
    QVERIFY(view_->setColorBy("label"));
    const QPointF b = view_->pointPosition(1);
    const QColor bColor = toQColor(view_->encoding().colors[1]);
    QVERIFY(near(pixelAt(frame("legend_before"), b), bColor));

    const LegendLayout layout = layoutLegend(view_->encoding(), QSizeF(kViewSize));
    QCOMPARE(int(layout.entries.size()), 2);
    QCOMPARE(view_->encoding().legend[1].category, std::string("b"));
    QTest::mouseClick(view_.get(), Qt::LeftButton, {}, layout.entries[1].center().toPoint());
    QVERIFY(!view_->encoding().legend[1].visible);
    QVERIFY(!view_->isPointVisible(1));
    const QImage hidden = frame("legend_hidden");
    QVERIFY2(near(pixelAt(hidden, b), Qt::white), qPrintable(describe(pixelAt(hidden, b))));
    QCOMPARE(view_->pointAt(b), -1);
    QVERIFY(view_->tooltipTextAt(b).isEmpty());
    view_->selectAllVisible();
    QCOMPARE(view_->selectedPoints(), (std::vector<int>{0, 2}));

    QTest::mouseClick(view_.get(), Qt::LeftButton, {}, layout.entries[1].center().toPoint());
    QVERIFY(view_->isPointVisible(1));
    QVERIFY(near(pixelAt(frame("legend_shown"), b), bColor));
}

void TestEmbeddingView::colourChangeUploadsOnlyColours() {
    showPlot(makePlot(randomPoints(1000, 6), 2, {}, {{"value", std::vector<double>(1000, 0.0)}}));
    const UploadCounts first = view_->uploadCounts();
    QVERIFY(first.positions >= 1);
    QCOMPARE(view_->gpuPointBytes(), std::size_t(1000 * 13));

    // Pan, zoom and hover: uniforms only.
    sendMouse(view_.get(), QEvent::MouseButtonPress, {100, 100}, Qt::MiddleButton, Qt::MiddleButton,
              {});
    sendMouse(view_.get(), QEvent::MouseMove, {140, 90}, Qt::NoButton, Qt::MiddleButton, {});
    sendMouse(view_.get(), QEvent::MouseButtonRelease, {140, 90}, Qt::MiddleButton, Qt::NoButton,
              {});
    QWheelEvent wheel(QPointF(200, 150), view_->mapToGlobal(QPointF(200, 150)), QPoint(),
                      QPoint(0, 240), Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(view_.get(), &wheel);
    sendMouse(view_.get(), QEvent::MouseMove, view_->pointPosition(3), Qt::NoButton, Qt::NoButton,
              {});
    frame("moved");
    UploadCounts moved = view_->uploadCounts();
    QCOMPARE(moved.positions, first.positions);
    QCOMPARE(moved.colors, first.colors);
    QCOMPARE(moved.flags, first.flags);

    QString error;
    QVERIFY(!view_->setColorBy("missing", embed::Colormap::Viridis, &error));
    QVERIFY2(error.contains("missing"), qPrintable(error));
    QVERIFY(view_->setColorBy("value", embed::Colormap::Magma));
    frame("recoloured");
    const UploadCounts recoloured = view_->uploadCounts();
    QCOMPARE(recoloured.positions, first.positions);
    QCOMPARE(recoloured.colors, first.colors + 1);
    QCOMPARE(recoloured.flags, first.flags);
}

void TestEmbeddingView::searchHighlightsMatches() {
    showPlot(makePlot({0, 0, 1, 0, 0, 1, 1, 1}, 2,
                      {{"label", {"Chair", "armchair", "table", ""}},
                       {"text", {"", "", "", "a CHAIR by the window"}}}));
    QCOMPARE(view_->highlightMatches("chair"), 3);
    QCOMPARE(view_->highlightedPoints(), (std::vector<int>{0, 1, 3}));
    QCOMPARE(view_->highlightMatches("TAB"), 1);
    QCOMPARE(view_->highlightMatches("?a lamp"), 0);
    QString asked;
    view_->setNeighbourQuery([&](const QString& text) {
        asked = text;
        return std::vector<int>{2, 3, 99};
    });
    QCOMPARE(view_->highlightMatches("?a lamp"), 2);
    QCOMPARE(asked, QString("a lamp"));
    QCOMPARE(view_->highlightedPoints(), (std::vector<int>{2, 3}));
    QCOMPARE(view_->highlightMatches(""), 0);
}

void TestEmbeddingView::neighbourRowsAreTheNearestInTheOriginalSpace() {
    auto plot = makePlot({0, 0, 1, 0, 0, 1, 1, 1, 2, 2}, 2);
    // Original 3-D values unrelated to the layout: row 0's nearest are 3, then 1, then 4.
    plot->points.dims = 3;
    plot->points.values = {0, 0, 0, 5, 0, 0, 9, 9, 9, 1, 0, 0, 0, 7, 0};
    showPlot(plot);
    view_->setNeighbourCount(3);
    QVERIFY(view_->neighbourRows().empty());
    view_->setSelectedPoints({0});
    QCOMPARE(view_->neighbourRows(), (std::vector<int>{3, 1, 4}));
    const QImage lines = frame("neighbour_lines");
    // The line from row 0 to row 1 passes through the middle of the bottom edge.
    const QPointF middle = 0.5 * (view_->pointPosition(0) + view_->pointPosition(1));
    QVERIFY(!near(pixelAt(lines, middle), Qt::white));
    view_->setSelectedPoints({0, 1});
    QVERIFY(view_->neighbourRows().empty());
}

void TestEmbeddingView::renderImageScalesAndKeepsTransparency() {
    showPlot(makePlot({0, 0, 1, 0, 0, 1}, 2, {{"label", {"a", "b", "c"}}}));
    QVERIFY(view_->setColorBy("label"));
    const QImage screen = frame("screen");
    const QImage image = view_->renderImage(2.0, false);
    keepImage(image, "image_x2");
    QCOMPARE(image.size(), kViewSize * 2);
    for (int row = 0; row < 3; ++row)
        QVERIFY(near(pixelAt(image, view_->pointPosition(row), 2.0),
                     toQColor(view_->encoding().colors[row])));
    // The legend is part of the image.
    const LegendLayout layout = layoutLegend(view_->encoding(), QSizeF(kViewSize));
    QVERIFY(!near(pixelAt(image, layout.entries[0].topLeft() + QPointF(9, 8), 2.0), Qt::white));
    QVERIFY(test::meanAbsDifference(
                image.scaled(kViewSize, Qt::IgnoreAspectRatio, Qt::SmoothTransformation), screen) <
            6);

    const QImage transparent = view_->renderImage(1.0, true);
    QCOMPARE(qAlpha(pixelAt(transparent, {200, 150})), 0);
    QCOMPARE(qAlpha(pixelAt(transparent, view_->pointPosition(0))), 255);
}

void TestEmbeddingView::threeDimensionalPlotsRenderPickAndOrbit() {
    showPlot(makePlot({0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1}, 3, {{"label", {"o", "x", "y", "z"}}}));
    view_->setLegendVisible(false);
    QVERIFY(view_->setColorBy("label"));
    const QImage image = frame("3d");
    for (int row = 0; row < 4; ++row) {
        const QPointF pos = view_->pointPosition(row);
        QVERIFY(view_->rect().contains(pos.toPoint()));
        QCOMPARE(view_->pointAt(pos), row);
        QVERIFY(near(pixelAt(image, pos), toQColor(view_->encoding().colors[row])));
    }
    const QPointF before = view_->pointPosition(3);
    drag(view_.get(), {{200, 150}, {230, 150}, {260, 160}}, {});
    QVERIFY((view_->pointPosition(3) - before).manhattanLength() > 5);
    // The picking index follows the camera.
    QCOMPARE(view_->pointAt(view_->pointPosition(3)), 3);
    QVERIFY(view_->selectedPoints().empty());
    drag(view_.get(), {{0, 0}, {399, 299}}, Qt::ShiftModifier);
    QCOMPARE(int(view_->selectedPoints().size()), 4);
}

void TestEmbeddingView::densityAlphaFadesCrowdedViews() {
    showPlot(makePlot(randomPoints(50000, 8), 2));
    QCOMPARE(view_->effectiveAlpha(), 1.0);
    view_->setDensityAlpha(true);
    const double crowded = view_->effectiveAlpha();
    QVERIFY2(crowded < 0.5, qPrintable(QString::number(crowded)));
    // Zooming in leaves fewer points per pixel: alpha rises.
    QWheelEvent wheel(QPointF(200, 150), view_->mapToGlobal(QPointF(200, 150)), QPoint(),
                      QPoint(0, 960), Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(view_.get(), &wheel);
    QVERIFY(view_->effectiveAlpha() > crowded);
    view_->setContoursVisible(true);
    QVERIFY(test::distinctColors(frame("contours")) > 2);
}

void TestEmbeddingView::windowGrabsShowTheLegend() {
    // Window screenshots (QWidget::grab of a parent) must show what the screen shows: the
    // legend is painted over the points, not lost to the grab's paint redirection.
    QWidget window;
    auto* view = new EmbeddingView;
    auto* layout = new QVBoxLayout(&window);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(view);
    window.resize(kViewSize);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    view->setPlot(makePlot({0, 0, 1, 0, 0, 1}, 2, {{"label", {"alpha", "beta", "gamma"}}}));
    QVERIFY(view->setColorBy(QStringLiteral("label")));
    QTest::qWait(200);
    // Legend text is the only near-black ink: the points are palette colours.
    auto darkPixels = [](const QImage& image) {
        int dark = 0;
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x)
                dark += qGray(image.pixel(x, y)) < 60;
        return dark;
    };
    const QImage grabbed = window.grab().toImage().convertToFormat(QImage::Format_RGB32);
    const QImage direct = view->grabFramebuffer().convertToFormat(QImage::Format_RGB32);
    keepImage(grabbed, QStringLiteral("window_grab"));
    const int expected = darkPixels(direct);
    QVERIFY2(expected > 50, qPrintable(QString::number(expected)));
    QVERIFY2(std::abs(darkPixels(grabbed) - expected) <= expected / 20,
             qPrintable(QStringLiteral("%1 vs %2").arg(darkPixels(grabbed)).arg(expected)));
}

void TestEmbeddingView::largePlotsMoveAsTheirStillFrame() {
    // Above 20,000 points a 2-D plot pans and zooms as an image of its last still frame, with
    // the subsample drawn only where that image does not reach.
    const int rows = 30000;
    std::vector<std::string> labels(rows);
    std::vector<double> values(rows);
    for (int i = 0; i < rows; ++i) {
        labels[i] = "class " + std::to_string(i % 5);
        values[i] = i % 97;
    }
    showPlot(makePlot(randomPoints(rows, 9), 2, {{"label", labels}}, {{"value", values}}));
    view_->setLegendVisible(false);
    view_->setPointSize(4);
    QVERIFY(view_->setColorBy("label"));
    const double ratio = view_->devicePixelRatioF();
    // Zoomed in, so that panning brings points into view that the still frame does not show.
    QWheelEvent zoomIn(QPointF(200, 150), view_->mapToGlobal(QPointF(200, 150)), QPoint(),
                       QPoint(0, 240), Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(view_.get(), &zoomIn);
    QTest::qWait(400); // the settle delay
    const QImage still = frame("large_still");

    // Pan by (30, 20) and look while the button is still down.
    const QPoint shift(30, 20);
    sendMouse(view_.get(), QEvent::MouseButtonPress, {200, 150}, Qt::MiddleButton, Qt::MiddleButton,
              {});
    sendMouse(view_.get(), QEvent::MouseMove, QPointF(200, 150) + shift, Qt::NoButton,
              Qt::MiddleButton, {});
    const QImage moving = frame("large_panning");
    sendMouse(view_.get(), QEvent::MouseButtonRelease, QPointF(200, 150) + shift, Qt::MiddleButton,
              Qt::NoButton, {});
    const QImage settled = frame("large_panned");

    // Where the still frame landed its pixels are copied exactly.
    const QPoint offset = shift * ratio;
    const auto outsideStill = [&](int x, int y) { return x < offset.x() || y < offset.y(); };
    int copied = 0, mismatched = 0;
    for (int y = offset.y(); y < moving.height(); ++y)
        for (int x = offset.x(); x < moving.width(); ++x, ++copied)
            mismatched += moving.pixel(x, y) != still.pixel(x - offset.x(), y - offset.y());
    QCOMPARE(mismatched, 0);
    QVERIFY(copied > moving.width() * moving.height() / 2);
    // Outside it the points are drawn, and the moving frame is the settled one everywhere except
    // within a marker's width of an edge: markers straddle the still frame's edge, and OpenGL
    // drops a point whose centre leaves the viewport, so a fresh frame loses the parts of
    // markers at the view's edges that the moved still frame keeps.
    const int band = int(std::ceil((view_->pointSize() + 2) * ratio));
    const auto nearEdge = [&](int x, int y) {
        return std::abs(x - offset.x()) <= band || std::abs(y - offset.y()) <= band || x < band ||
               y < band || x >= moving.width() - band || y >= moving.height() - band;
    };
    int drawnOutside = 0;
    for (int y = 0; y < settled.height(); ++y)
        for (int x = 0; x < settled.width(); ++x)
            drawnOutside +=
                outsideStill(x, y) && !nearEdge(x, y) && !near(settled.pixel(x, y), Qt::white);
    QVERIFY2(drawnOutside > 200, qPrintable(QString::number(drawnOutside)));
    QCOMPARE(differingPixels(moving, settled, 3, nearEdge), 0);

    // A change during the motion is never shown from the stale frame: the colours follow it.
    sendMouse(view_.get(), QEvent::MouseButtonPress, {200, 150}, Qt::MiddleButton, Qt::MiddleButton,
              {});
    sendMouse(view_.get(), QEvent::MouseMove, {201, 150}, Qt::NoButton, Qt::MiddleButton, {});
    QVERIFY(view_->setColorBy("value"));
    const QImage recoloured = frame("large_recoloured_moving");
    sendMouse(view_.get(), QEvent::MouseButtonRelease, {201, 150}, Qt::MiddleButton, Qt::NoButton,
              {});
    QCOMPARE(
        differingPixels(recoloured, frame("large_recoloured"), 3, [](int, int) { return false; }),
        0);

    // Zooming in about the cursor shows the still frame scaled about the cursor: a pixel p of the
    // moving frame shows what the still frame had at cursor + (p - cursor) / zoom.
    QVERIFY(view_->setColorBy("label"));
    const QImage before = frame("large_before_zoom");
    const QPointF cursor(150, 120);
    const QPointF a = view_->pointPosition(0), b = view_->pointPosition(1);
    QWheelEvent wheel(cursor, view_->mapToGlobal(cursor), QPoint(), QPoint(0, 360), Qt::NoButton,
                      Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(view_.get(), &wheel);
    const double zoom =
        QLineF(view_->pointPosition(0), view_->pointPosition(1)).length() / QLineF(a, b).length();
    QVERIFY(zoom > 1.2);
    const QImage zooming = frame("large_zooming");
    // Agreement with the still frame read through the right mapping, through the same zoom about
    // the view's centre instead, and unscaled. Linear filtering blurs the small markers' edges,
    // so only about a third of the samples agree even through the right mapping (a tenth
    // otherwise).
    const QPointF centre(kViewSize.width() / 2.0, kViewSize.height() / 2.0);
    int samples = 0, aboutCursor = 0, aboutCentre = 0, unscaled = 0;
    for (int y = 5; y < kViewSize.height() - 5; y += 7)
        for (int x = 5; x < kViewSize.width() - 5; x += 7) {
            const QPointF p(x, y);
            const QRgb shown = pixelAt(zooming, p, ratio);
            ++samples;
            aboutCursor += near(shown, pixelAt(before, cursor + (p - cursor) / zoom, ratio));
            aboutCentre += near(shown, pixelAt(before, centre + (p - centre) / zoom, ratio));
            unscaled += near(shown, pixelAt(before, p, ratio));
        }
    QVERIFY2(aboutCursor > samples / 4 && aboutCursor > 4 * std::max(aboutCentre, unscaled),
             qPrintable(QString("of %1 samples %2 agree about the cursor, %3 about the centre, %4 "
                                "unscaled")
                            .arg(samples)
                            .arg(aboutCursor)
                            .arg(aboutCentre)
                            .arg(unscaled)));
}

QTEST_MAIN(TestEmbeddingView)
#include "test_embedding_view.moc"
