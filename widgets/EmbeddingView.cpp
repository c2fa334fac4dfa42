#include "EmbeddingView.h"

#include "DensityGrid.h"
#include "EmbeddingOverlay.h"
#include "EmbeddingRenderer.h"
#include "PlotCamera.h"
#include "SelectionModel.h"
#include "embed/PointIndex2D.h"

#include <QCache>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QOpenGLContext>
#include <QOpenGLExtraFunctions>
#include <QOpenGLFramebufferObject>
#include <QOpenGLFunctions>
#include <QOpenGLPaintDevice>
#include <QPainter>
#include <QPointer>
#include <QTimer>
#include <QVariantAnimation>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>
#include <random>
#include <stdexcept>
#include <utility>

namespace scenelens {

namespace {

// Hover and click reach: the nearest point within this many logical pixels.
constexpr double kPickRadius = 8.0;
// A press and release closer than this (logical pixels) is a click, not a drag.
constexpr double kClickTolerance = 4.0;
// Wheel zoom per degree of wheel rotation (120 units = one notch of 15 degrees = about 1.2x).
constexpr double kWheelZoomBase = 1.0015;
// 3-D: the screen-space picking index is rebuilt this long after the camera stopped.
constexpr int kIndexRebuildDelayMs = 200;
constexpr int kPulseDurationMs = 600;
constexpr double kPulseGrowth = 1.5;
// Density-aware alpha never goes below this share of the opacity.
constexpr double kMinDensityAlpha = 0.08;
// Motion counts as ongoing this long after the last wheel step.
constexpr int kSettleDelayMs = 200;
constexpr int kDefaultInteractiveBudget = 100000;
// Above this many points a 2-D plot moves as an image of its last still frame: drawing them all
// again costs llvmpipe more than 15 ms a frame.
constexpr int kStillFrameRows = 20000;
constexpr unsigned kDrawOrderSeed = 20240611;
constexpr int kThumbnailSize = 96;
constexpr int kThumbnailCacheEntries = 64;
const std::vector<double> kContourLevels{0.08, 0.2, 0.4, 0.65};

std::uint8_t markerFor(const std::string& modality) {
    if (modality == "scene3d")
        return 1;
    if (modality == "text")
        return 2;
    if (modality == "image")
        return 3;
    return 0;
}

const std::vector<std::string>* textColumn(const embed::EmbeddingSet& set, const char* name) {
    const auto it = set.textColumns.find(name);
    return it == set.textColumns.end() ? nullptr : &it->second;
}

/// The row's value of a number or text column as an integer, or nothing.
std::optional<int> integerCell(const embed::EmbeddingSet& set, const char* name, int row) {
    if (const auto it = set.numberColumns.find(name); it != set.numberColumns.end()) {
        const double value = it->second[row];
        if (std::isfinite(value))
            return int(std::lround(value));
        return std::nullopt;
    }
    if (const std::vector<std::string>* column = textColumn(set, name)) {
        try {
            std::size_t used = 0;
            const int value = std::stoi((*column)[row], &used);
            if (used == (*column)[row].size())
                return value;
        } catch (const std::exception&) {
        }
    }
    return std::nullopt;
}

bool containsCaseInsensitive(const std::string& haystack, const std::string& lowerNeedle) {
    const auto lower = [](char c) { return char(std::tolower(static_cast<unsigned char>(c))); };
    return std::search(haystack.begin(), haystack.end(), lowerNeedle.begin(), lowerNeedle.end(),
                       [&](char a, char b) { return lower(a) == b; }) != haystack.end();
}

std::vector<embed::Point2> toPoints(const QPolygonF& polygon) {
    std::vector<embed::Point2> points;
    points.reserve(polygon.size());
    for (const QPointF& p : polygon)
        points.push_back({p.x(), p.y()});
    return points;
}

} // namespace

struct EmbeddingView::Impl {
    enum class Drag { None, Pan, Orbit, Box, Lasso };

    EmbeddingView* view;
    std::shared_ptr<const embed::PlotData> plot;
    embed::ColorEncoding encoding;
    std::vector<std::uint8_t> markers; // per row: pointflags marker
    std::vector<std::uint8_t> flags;   // per row: marker | hidden, as uploaded
    std::vector<std::uint8_t> selected;
    int selectedCount = 0;
    std::vector<int> highlighted, pulsing;
    std::vector<int> objectIds;         // per row, -1 when none
    std::vector<std::uint8_t> linkable; // per row: in the current scene

    PlotCamera camera;
    EmbeddingRenderer renderer;
    // GPU buffers hold the rows shuffled, so that any prefix is a uniform random subsample.
    std::vector<int> drawOrder;
    int interactiveBudget = kDefaultInteractiveBudget;
    QTimer settleTimer; // running while a wheel zoom is in progress
    // The last still frame of a 2-D plot too large to redraw whole while moving. Pan and zoom
    // frames show it moved and scaled, so every point stays in view for the price of one blit, and
    // draw the interactive subsample only where it does not reach.
    struct StillFrame {
        std::unique_ptr<QOpenGLFramebufferObject> image;
        PlotCamera::Pose pose; // the camera it was drawn with
        std::size_t key = 0;   // contentKey() when it was drawn
    } still;
    bool glReady = false;
    bool positionsDirty = true, colorsDirty = true, flagsDirty = true, overlayDirty = true;

    // Picking: an index over the visible rows, in data space (2-D) or screen space (3-D).
    embed::PointIndex2D index;
    std::vector<int> indexRows;
    bool indexStale = true;
    QTimer indexTimer;

    DensityGrid density;
    QPainterPath contourPath;
    bool contoursStale = true;

    double pointSize = 6, opacity = 1;
    bool densityAlpha = true, showContours = false, showAxes = false, showLegend = true;
    QColor background{255, 255, 255};
    SelectionTool tool = SelectionTool::Box;
    int neighbourCount = 8;
    mutable int neighbourSource = -1;
    mutable std::vector<int> neighbours;
    std::function<std::vector<int>(const QString&)> neighbourQuery;

    QPointer<SelectionModel> selection;
    QMetaObject::Connection selectionConnection, destroyedConnection;
    QString currentScene;
    bool applyingLink = false;

    Drag drag = Drag::None;
    SelectionOp dragOp = SelectionOp::Replace;
    QPointF pressPos, lastPos;
    QPolygonF lasso;
    bool dragMoved = false, spaceHeld = false;
    int hovered = -1;
    QPointF hoverPos;
    mutable QCache<QString, QImage> thumbnails{kThumbnailCacheEntries};

    QVariantAnimation pulse;
    float pulseScale = 1;

    explicit Impl(EmbeddingView* owner);
    int rows() const { return plot ? plot->rows() : 0; }
    bool is3D() const { return plot && plot->coordDims == 3; }
    QPointF position(int row) const;

    void resetPerRowState();
    void computeLinkColumns();
    void applyEncoding(embed::ColorEncoding newEncoding);
    void visibilityChanged();
    void fitCamera();
    void cameraChanged();
    /// The camera still frames the whole plot (no pan, zoom or orbit since): a resize refits it,
    /// so a dock that opens small and then grows keeps every point in view.
    bool fitted = false;
    bool moving() const {
        return drag == Drag::Pan || drag == Drag::Orbit || settleTimer.isActive();
    }
    int pointLimit() const;
    bool keepsStillFrame() const {
        return !is3D() && interactiveBudget > 0 && rows() > kStillFrameRows;
    }
    std::size_t contentKey(const QSize& devicePixels, double pixelRatio) const;
    void paintStill(GLuint screen, const QSize& devicePixels, double pixelRatio);
    bool paintMoving(GLuint screen, const QSize& devicePixels, double pixelRatio);
    template <typename T> std::vector<T> inDrawOrder(const T* perRow, int width) const;

    void ensureIndex();
    void rebuildIndex();
    embed::Point2 toIndexSpace(const QPointF& widgetPos) const;
    double indexRadius() const;
    std::vector<int> toRows(const std::vector<int>& indexHits) const;

    void applySelection(const std::vector<int>& rows, SelectionOp op);
    void selectionChanged();
    void pushSelectionToModel();
    SelectionOp opFor(Qt::KeyboardModifiers modifiers, bool drawingLasso) const;
    void clickSelect(const QPointF& pos, Qt::KeyboardModifiers modifiers);
    bool legendClick(const QPointF& pos);

    double densityFactor() const;
    PointStyle pointStyle(const QSize& devicePixels, double pixelRatio) const;
    void uploadDirty();
    std::vector<OverlayPoint> overlayPoints() const;
    /// Clears and draws the points, except those inside excludeClip (clip space; empty: none).
    void drawScene(const QSize& devicePixels, double pixelRatio, const QColor& clearColor,
                   const QRectF& excludeClip = {});
    void paintOverlay(QPainter& painter, bool interactive);
    QImage thumbnailFor(int row) const;
};

EmbeddingView::Impl::Impl(EmbeddingView* owner) : view(owner) {
    indexTimer.setSingleShot(true);
    indexTimer.setInterval(kIndexRebuildDelayMs);
    QObject::connect(&indexTimer, &QTimer::timeout, view, [this] {
        if (indexStale)
            rebuildIndex();
    });
    settleTimer.setSingleShot(true);
    settleTimer.setInterval(kSettleDelayMs);
    QObject::connect(&settleTimer, &QTimer::timeout, view, [this] { view->update(); });
    pulse.setDuration(kPulseDurationMs);
    pulse.setStartValue(0.0);
    pulse.setEndValue(1.0);
    QObject::connect(&pulse, &QVariantAnimation::valueChanged, view, [this](const QVariant& t) {
        pulseScale = float(1.0 + kPulseGrowth * std::sin(M_PI * t.toDouble()));
        view->update();
    });
    QObject::connect(&pulse, &QVariantAnimation::finished, view, [this] {
        pulsing.clear();
        pulseScale = 1;
        overlayDirty = true;
        view->update();
    });
}

QPointF EmbeddingView::Impl::position(int row) const {
    const float* p = plot->coord(row);
    return camera.toWidget(p[0], p[1], plot->coordDims == 3 ? p[2] : 0.f);
}

void EmbeddingView::Impl::resetPerRowState() {
    const int n = rows();
    markers.assign(n, 0);
    const std::vector<std::string>* modality =
        plot ? textColumn(plot->points, embed::columns::kModality) : nullptr;
    for (int i = 0; i < n; ++i)
        markers[i] = markerFor(modality ? (*modality)[i] : plot->points.modality);
    flags = markers;
    drawOrder.resize(n);
    std::iota(drawOrder.begin(), drawOrder.end(), 0);
    std::shuffle(drawOrder.begin(), drawOrder.end(), std::mt19937(kDrawOrderSeed));
    selected.assign(n, 0);
    selectedCount = 0;
    highlighted.clear();
    pulsing.clear();
    neighbourSource = -1;
    hovered = -1;
    computeLinkColumns();
}

void EmbeddingView::Impl::computeLinkColumns() {
    const int n = rows();
    objectIds.assign(n, -1);
    linkable.assign(n, 0);
    if (!plot)
        return;
    const std::vector<std::string>* scenes = textColumn(plot->points, embed::columns::kScene);
    const std::string scene = currentScene.toStdString();
    for (int i = 0; i < n; ++i) {
        objectIds[i] = integerCell(plot->points, embed::columns::kObjectId, i).value_or(-1);
        linkable[i] = objectIds[i] >= 0 && (!scenes || scene.empty() || (*scenes)[i] == scene);
    }
}

void EmbeddingView::Impl::applyEncoding(embed::ColorEncoding newEncoding) {
    encoding = std::move(newEncoding);
    colorsDirty = true;
    overlayDirty = true;
    if (flags != markers) {
        flags = markers;
        flagsDirty = true;
        visibilityChanged();
    }
    view->update();
}

void EmbeddingView::Impl::visibilityChanged() {
    const int dims = plot ? plot->coordDims : 2;
    density =
        plot ? DensityGrid(plot->coords.data(), rows(), dims, flags.data(), pointflags::kHidden)
             : DensityGrid();
    contoursStale = true;
    indexStale = true;
    overlayDirty = true;
    if (hovered >= 0 && (flags[hovered] & pointflags::kHidden))
        hovered = -1;
}

void EmbeddingView::Impl::fitCamera() {
    fitted = true;
    camera.setViewport(view->size());
    camera.setMode3D(is3D());
    if (!plot || rows() == 0) {
        camera.fit(QVector3D(-1, -1, -1), QVector3D(1, 1, 1));
        return;
    }
    const int dims = plot->coordDims;
    QVector3D min(INFINITY, INFINITY, INFINITY), max(-INFINITY, -INFINITY, -INFINITY);
    for (int i = 0; i < rows(); ++i) {
        const float* p = plot->coord(i);
        for (int axis = 0; axis < dims; ++axis) {
            min[axis] = std::min(min[axis], p[axis]);
            max[axis] = std::max(max[axis], p[axis]);
        }
    }
    if (dims == 2)
        min[2] = max[2] = 0;
    camera.fit(min, max);
    cameraChanged();
}

void EmbeddingView::Impl::cameraChanged() {
    if (is3D()) {
        indexStale = true;
        indexTimer.start();
    }
    view->update();
}

void EmbeddingView::Impl::ensureIndex() {
    if (indexStale)
        rebuildIndex();
}

void EmbeddingView::Impl::rebuildIndex() {
    indexRows.clear();
    std::vector<float> xy;
    for (int i = 0; i < rows(); ++i) {
        if (flags[i] & pointflags::kHidden)
            continue;
        indexRows.push_back(i);
        if (is3D()) {
            const QPointF p = position(i);
            xy.push_back(float(p.x()));
            xy.push_back(float(p.y()));
        } else {
            xy.push_back(plot->coord(i)[0]);
            xy.push_back(plot->coord(i)[1]);
        }
    }
    index = embed::PointIndex2D(xy.data(), int(indexRows.size()));
    indexStale = false;
}

embed::Point2 EmbeddingView::Impl::toIndexSpace(const QPointF& widgetPos) const {
    if (is3D())
        return {widgetPos.x(), widgetPos.y()};
    const QVector3D data = camera.toData(widgetPos);
    return {data.x(), data.y()};
}

double EmbeddingView::Impl::indexRadius() const {
    return is3D() ? kPickRadius : kPickRadius / camera.pixelsPerUnit();
}

std::vector<int> EmbeddingView::Impl::toRows(const std::vector<int>& indexHits) const {
    std::vector<int> result;
    result.reserve(indexHits.size());
    for (const int hit : indexHits)
        result.push_back(indexRows[hit]);
    std::sort(result.begin(), result.end());
    return result;
}

void EmbeddingView::Impl::applySelection(const std::vector<int>& rowsToApply, SelectionOp op) {
    if (op == SelectionOp::Replace) {
        std::fill(selected.begin(), selected.end(), 0);
        selectedCount = 0;
    }
    const std::uint8_t value = op == SelectionOp::Remove ? 0 : 1;
    for (const int row : rowsToApply) {
        if (row < 0 || row >= rows() || selected[row] == value)
            continue;
        selected[row] = value;
        selectedCount += value ? 1 : -1;
    }
    selectionChanged();
}

void EmbeddingView::Impl::selectionChanged() {
    overlayDirty = true;
    neighbourSource = -1;
    view->update();
    pushSelectionToModel();
    Q_EMIT view->selectionChanged(selectedCount);
}

void EmbeddingView::Impl::pushSelectionToModel() {
    if (!selection || applyingLink || !plot)
        return;
    QSet<int> objects;
    for (int i = 0; i < rows(); ++i)
        if (selected[i] && linkable[i])
            objects.insert(objectIds[i]);
    // Other views (and this one) hear the change; the guard keeps this view's own point
    // selection, which may hold rows that are not objects.
    applyingLink = true;
    selection->setSelectedObjects(objects);
    applyingLink = false;
}

EmbeddingView::SelectionOp EmbeddingView::Impl::opFor(Qt::KeyboardModifiers modifiers,
                                                      bool drawingLasso) const {
    if (modifiers & Qt::AltModifier)
        return SelectionOp::Remove;
    if (modifiers & Qt::ShiftModifier)
        return SelectionOp::Add;
    // Ctrl draws a lasso with the box tool; with the lasso tool (or on a click) it removes.
    const bool ctrlRemoves = !drawingLasso || tool == SelectionTool::Lasso;
    if ((modifiers & Qt::ControlModifier) && ctrlRemoves)
        return SelectionOp::Remove;
    return SelectionOp::Replace;
}

void EmbeddingView::Impl::clickSelect(const QPointF& pos, Qt::KeyboardModifiers modifiers) {
    const int row = view->pointAt(pos);
    const SelectionOp op = opFor(modifiers, false);
    if (row >= 0)
        applySelection({row}, op);
    else if (op == SelectionOp::Replace && selectedCount > 0)
        applySelection({}, SelectionOp::Replace);
}

bool EmbeddingView::Impl::legendClick(const QPointF& pos) {
    if (!showLegend)
        return false;
    const LegendLayout layout = layoutLegend(encoding, camera.viewport());
    for (std::size_t i = 0; i < layout.entries.size(); ++i)
        if (layout.entries[i].contains(pos)) {
            view->setCategoryVisible(int(i), !encoding.legend[i].visible);
            return true;
        }
    return layout.frame.contains(pos);
}

double EmbeddingView::Impl::densityFactor() const {
    if (!densityAlpha || !plot)
        return 1;
    const double drawnShare = rows() > 0 ? double(pointLimit()) / rows() : 1.0;
    const double inView =
        drawnShare * (is3D() ? density.total() : density.countIn(camera.visibleDataRect()));
    const QSizeF size = camera.viewport();
    // Share of the screen the visible markers would cover if none overlapped.
    const double coverage =
        inView * (M_PI / 4) * pointSize * pointSize / (size.width() * size.height());
    return coverage <= 1 ? 1 : std::max(kMinDensityAlpha, 1 / std::sqrt(coverage));
}

PointStyle EmbeddingView::Impl::pointStyle(const QSize& devicePixels, double pixelRatio) const {
    PointStyle style;
    style.viewport = devicePixels;
    style.dataToClip = camera.dataToClip();
    style.pixelRatio = pixelRatio;
    style.pointSize = float(pointSize);
    style.alpha = float(opacity * densityFactor());
    style.pulseScale = pulseScale;
    style.depthTest = is3D();
    style.pointLimit = pointLimit();
    return style;
}

int EmbeddingView::Impl::pointLimit() const {
    return moving() && interactiveBudget > 0 ? std::min(rows(), interactiveBudget) : rows();
}

template <typename T>
std::vector<T> EmbeddingView::Impl::inDrawOrder(const T* perRow, int width) const {
    std::vector<T> ordered(drawOrder.size() * std::size_t(width));
    for (std::size_t slot = 0; slot < drawOrder.size(); ++slot)
        std::copy_n(perRow + std::size_t(drawOrder[slot]) * width, width,
                    ordered.begin() + slot * width);
    return ordered;
}

void EmbeddingView::Impl::uploadDirty() {
    const int n = rows();
    if (positionsDirty) {
        const int dims = plot ? plot->coordDims : 2;
        renderer.setPositions(inDrawOrder(plot ? plot->coords.data() : nullptr, dims).data(), n,
                              dims);
        positionsDirty = false;
    }
    if (colorsDirty) {
        const bool complete = encoding.colors.size() == std::size_t(n);
        renderer.setColors(complete ? inDrawOrder(encoding.colors.data(), 1).data() : nullptr,
                           complete ? n : 0);
        colorsDirty = false;
    }
    if (flagsDirty) {
        renderer.setFlags(inDrawOrder(flags.data(), 1).data(), n);
        flagsDirty = false;
    }
    if (overlayDirty) {
        renderer.setOverlay(overlayPoints());
        overlayDirty = false;
    }
}

std::vector<OverlayPoint> EmbeddingView::Impl::overlayPoints() const {
    std::vector<OverlayPoint> points;
    if (!plot || encoding.colors.size() != std::size_t(rows()))
        return points;
    const auto add = [&](int row, std::uint8_t bit) {
        if (flags[row] & pointflags::kHidden)
            return;
        OverlayPoint point;
        const float* p = plot->coord(row);
        for (int axis = 0; axis < plot->coordDims; ++axis)
            point.position[axis] = p[axis];
        point.color = encoding.colors[row];
        point.flags = std::uint8_t(markers[row] | bit);
        points.push_back(point);
    };
    // Later entries draw over earlier ones: matches, then the selection, then pulsing points.
    for (const int row : highlighted)
        add(row, pointflags::kHighlighted);
    for (int row = 0; row < rows(); ++row)
        if (selected[row])
            add(row, pointflags::kSelected);
    for (const int row : pulsing)
        add(row, pointflags::kPulsing);
    return points;
}

void EmbeddingView::Impl::drawScene(const QSize& devicePixels, double pixelRatio,
                                    const QColor& clearColor, const QRectF& excludeClip) {
    QOpenGLFunctions* gl = QOpenGLContext::currentContext()->functions();
    gl->glViewport(0, 0, devicePixels.width(), devicePixels.height());
    gl->glClearColor(float(clearColor.redF()), float(clearColor.greenF()),
                     float(clearColor.blueF()), float(clearColor.alphaF()));
    gl->glClearDepthf(1.f);
    gl->glClear(GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT);
    if (!glReady)
        return;
    uploadDirty();
    PointStyle style = pointStyle(devicePixels, pixelRatio);
    style.excludeClip = excludeClip;
    renderer.render(style);
}

std::size_t EmbeddingView::Impl::contentKey(const QSize& devicePixels, double pixelRatio) const {
    // Everything a still frame depends on except the camera, which paintMoving() accounts for.
    const UploadCounts uploads = renderer.uploadCounts();
    return qHashMulti(0, uploads.positions, uploads.colors, uploads.flags, uploads.overlay,
                      pointSize, opacity, densityAlpha, background.rgba(), pulseScale,
                      devicePixels.width(), devicePixels.height(), pixelRatio);
}

void EmbeddingView::Impl::paintStill(GLuint screen, const QSize& devicePixels, double pixelRatio) {
    if (!still.image || still.image->size() != devicePixels)
        still.image = std::make_unique<QOpenGLFramebufferObject>(devicePixels);
    QOpenGLExtraFunctions* gl = QOpenGLContext::currentContext()->extraFunctions();
    if (!still.image->isValid()) {
        // No framebuffer object to keep the frame in: draw directly, as small plots do.
        still.image.reset();
        gl->glBindFramebuffer(GL_FRAMEBUFFER, screen);
        drawScene(devicePixels, pixelRatio, background);
        return;
    }
    still.image->bind();
    drawScene(devicePixels, pixelRatio, background);
    still.pose = camera.pose();
    still.key = contentKey(devicePixels, pixelRatio);
    gl->glBindFramebuffer(GL_READ_FRAMEBUFFER, still.image->handle());
    gl->glBindFramebuffer(GL_DRAW_FRAMEBUFFER, screen);
    const int w = devicePixels.width(), h = devicePixels.height();
    gl->glBlitFramebuffer(0, 0, w, h, 0, 0, w, h, GL_COLOR_BUFFER_BIT, GL_NEAREST);
    gl->glBindFramebuffer(GL_FRAMEBUFFER, screen);
}

bool EmbeddingView::Impl::paintMoving(GLuint screen, const QSize& devicePixels, double pixelRatio) {
    QOpenGLExtraFunctions* gl = QOpenGLContext::currentContext()->extraFunctions();
    gl->glBindFramebuffer(GL_FRAMEBUFFER, screen);
    if (!still.image || !glReady)
        return false;
    uploadDirty();
    if (still.key != contentKey(devicePixels, pixelRatio))
        return false;
    // Where the still frame lands now, in device pixels with y down: scaled about the viewport's
    // centre by the zoom since, and moved by the pan since. Computed from the two poses in double
    // precision, so that a pan by whole pixels copies the frame exactly.
    const PlotCamera::Pose now = camera.pose();
    const double zoom = now.pixelsPerUnit / still.pose.pixelsPerUnit;
    const QPointF half(0.5 * camera.viewport().width(), 0.5 * camera.viewport().height());
    const QPointF moved((still.pose.centre[0] - now.centre[0]) * now.pixelsPerUnit,
                        (now.centre[1] - still.pose.centre[1]) * now.pixelsPerUnit);
    const QRectF landed((half - half * zoom + moved) * pixelRatio,
                        (half + half * zoom + moved) * pixelRatio);
    const QRectF frame(QPointF(0, 0), QSizeF(devicePixels));
    const QRectF visible = landed.intersected(frame);

    const auto clipX = [&](double x) { return 2 * x / devicePixels.width() - 1; };
    const auto clipY = [&](double y) { return 1 - 2 * y / devicePixels.height(); };
    drawScene(devicePixels, pixelRatio, background,
              QRectF(QPointF(clipX(visible.left()), clipY(visible.bottom())),
                     QPointF(clipX(visible.right()), clipY(visible.top()))));
    if (visible.isEmpty())
        return true;

    // The part of the still frame that is in view, in both framebuffers' coordinates (y up).
    const double sx = devicePixels.width() / landed.width();
    const double sy = devicePixels.height() / landed.height();
    const QRectF source((visible.left() - landed.left()) * sx, (visible.top() - landed.top()) * sy,
                        visible.width() * sx, visible.height() * sy);
    const int h = devicePixels.height();
    const bool scaled = std::abs(sx - 1) > 1e-6 || std::abs(sy - 1) > 1e-6;
    gl->glBindFramebuffer(GL_READ_FRAMEBUFFER, still.image->handle());
    gl->glBindFramebuffer(GL_DRAW_FRAMEBUFFER, screen);
    gl->glBlitFramebuffer(qRound(source.left()), h - qRound(source.bottom()),
                          qRound(source.right()), h - qRound(source.top()), qRound(visible.left()),
                          h - qRound(visible.bottom()), qRound(visible.right()),
                          h - qRound(visible.top()), GL_COLOR_BUFFER_BIT,
                          scaled ? GL_LINEAR : GL_NEAREST);
    gl->glBindFramebuffer(GL_FRAMEBUFFER, screen);
    return true;
}

void EmbeddingView::Impl::paintOverlay(QPainter& painter, bool interactive) {
    painter.setRenderHint(QPainter::Antialiasing);
    if (plot && showContours && !is3D()) {
        if (contoursStale) {
            contourPath = density.contours(kContourLevels);
            contoursStale = false;
        }
        const QPointF origin = camera.toWidget(0, 0);
        const double scale = camera.pixelsPerUnit();
        painter.save();
        painter.setTransform(QTransform(scale, 0, 0, -scale, origin.x(), origin.y()), true);
        QPen pen(QColor(60, 60, 60, 170), 1.0);
        pen.setCosmetic(true);
        painter.setPen(pen);
        painter.drawPath(contourPath);
        painter.restore();
    }
    const std::vector<int> lines = view->neighbourRows();
    if (!lines.empty()) {
        const int source = neighbourSource;
        painter.setPen(QPen(QColor(40, 40, 40, 200), 1.2));
        for (const int row : lines)
            painter.drawLine(position(source), position(row));
    }
    if (showAxes && !is3D())
        drawAxes(painter, camera, QColor(80, 80, 80));
    if (showLegend) {
        drawLegend(painter, encoding, layoutLegend(encoding, camera.viewport()));
        drawColorBar(painter, encoding, camera.viewport());
    }
    if (!interactive)
        return;
    if (drag == Drag::Box && dragMoved) {
        painter.setPen(QPen(QColor(30, 90, 200), 1, Qt::DashLine));
        painter.setBrush(QColor(30, 90, 200, 30));
        painter.drawRect(QRectF(pressPos, lastPos).normalized());
    } else if (drag == Drag::Lasso && lasso.size() > 1) {
        painter.setPen(QPen(QColor(30, 90, 200), 1, Qt::DashLine));
        painter.setBrush(QColor(30, 90, 200, 30));
        painter.drawPolygon(lasso);
    }
    if (hovered >= 0 && drag == Drag::None) {
        painter.setPen(QPen(QColor(0, 0, 0), 1.5));
        painter.setBrush(Qt::NoBrush);
        const double r = 0.5 * pointSize + 3;
        painter.drawEllipse(position(hovered), r, r);
        drawHoverCard(painter, hoverPos, view->tooltipTextAt(position(hovered)),
                      thumbnailFor(hovered), camera.viewport());
    }
}

QImage EmbeddingView::Impl::thumbnailFor(int row) const {
    const std::vector<std::string>* paths = textColumn(plot->points, embed::columns::kImagePath);
    if (!paths || (*paths)[row].empty())
        return {};
    const QString path = QString::fromStdString((*paths)[row]);
    if (const QImage* cached = thumbnails.object(path))
        return *cached;
    // A file that cannot be read is cached as a null image so it is not read on every move.
    QImage image(path);
    if (!image.isNull())
        image = image.scaled(kThumbnailSize, kThumbnailSize, Qt::KeepAspectRatio,
                             Qt::SmoothTransformation);
    thumbnails.insert(path, new QImage(image));
    return image;
}

EmbeddingView::EmbeddingView(QWidget* parent)
    : QOpenGLWidget(parent), d_(std::make_unique<Impl>(this)) {
    setFormat(surfaceFormat());
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    setMinimumSize(64, 64);
}

EmbeddingView::~EmbeddingView() {
    if (context())
        disconnect(context(), nullptr, this, nullptr);
    makeCurrent();
    releaseGraphics();
    doneCurrent();
}

QSurfaceFormat EmbeddingView::surfaceFormat() {
    QSurfaceFormat format = QSurfaceFormat::defaultFormat();
    format.setRenderableType(QSurfaceFormat::OpenGL);
    if (format.version() < qMakePair(3, 3))
        format.setVersion(3, 3);
    format.setProfile(QSurfaceFormat::CoreProfile);
    format.setDepthBufferSize(std::max(24, format.depthBufferSize()));
    return format;
}

void EmbeddingView::setPlot(std::shared_ptr<const embed::PlotData> plot) {
    if (plot && (plot->coordDims < 2 || plot->coordDims > 3 ||
                 plot->coords.size() != std::size_t(plot->rows()) * plot->coordDims))
        throw std::invalid_argument("EmbeddingView: plot coordinates must be rows x 2 or 3");
    d_->plot = std::move(plot);
    d_->resetPerRowState();
    d_->encoding = {};
    const embed::EmbeddingSet* set = d_->plot ? &d_->plot->points : nullptr;
    const bool hasModality = set && textColumn(*set, embed::columns::kModality);
    d_->encoding = set ? embed::encodeColors(*set, hasModality ? embed::columns::kModality : "")
                       : embed::ColorEncoding{};
    d_->positionsDirty = d_->colorsDirty = d_->flagsDirty = d_->overlayDirty = true;
    d_->visibilityChanged();
    d_->fitCamera();
    Q_EMIT selectionChanged(0);
    applyLinkedSelection();
    update();
}

const embed::PlotData* EmbeddingView::plot() const {
    return d_->plot.get();
}

bool EmbeddingView::setColorBy(const QString& column, embed::Colormap colormap, QString* error) {
    if (!d_->plot)
        return false;
    try {
        d_->applyEncoding(embed::encodeColors(d_->plot->points, column.toStdString(), colormap));
        return true;
    } catch (const std::invalid_argument& e) {
        if (error)
            *error = QString::fromStdString(e.what());
        return false;
    }
}

const embed::ColorEncoding& EmbeddingView::encoding() const {
    return d_->encoding;
}

void EmbeddingView::setCategoryVisible(int legendIndex, bool visible) {
    if (legendIndex < 0 || legendIndex >= int(d_->encoding.legend.size()) ||
        d_->encoding.legend[legendIndex].visible == visible)
        return;
    d_->encoding.legend[legendIndex].visible = visible;
    for (int i = 0; i < d_->rows(); ++i)
        if (d_->encoding.category[i] == legendIndex)
            d_->flags[i] = visible ? std::uint8_t(d_->flags[i] & ~pointflags::kHidden)
                                   : std::uint8_t(d_->flags[i] | pointflags::kHidden);
    d_->flagsDirty = true;
    d_->visibilityChanged();
    update();
    Q_EMIT categoryVisibilityChanged(legendIndex, visible);
}

bool EmbeddingView::isPointVisible(int row) const {
    return row >= 0 && row < d_->rows() && !(d_->flags[row] & pointflags::kHidden);
}

void EmbeddingView::setPointSize(double logicalPixels) {
    d_->pointSize = std::clamp(logicalPixels, 1.0, 64.0);
    update();
}

double EmbeddingView::pointSize() const {
    return d_->pointSize;
}

void EmbeddingView::setOpacity(double opacity) {
    d_->opacity = std::clamp(opacity, 0.0, 1.0);
    update();
}

double EmbeddingView::opacity() const {
    return d_->opacity;
}

void EmbeddingView::setDensityAlpha(bool on) {
    d_->densityAlpha = on;
    update();
}

double EmbeddingView::effectiveAlpha() const {
    return d_->opacity * d_->densityFactor();
}

void EmbeddingView::setContoursVisible(bool on) {
    d_->showContours = on;
    update();
}

void EmbeddingView::setAxesVisible(bool on) {
    d_->showAxes = on;
    update();
}

void EmbeddingView::setLegendVisible(bool on) {
    d_->showLegend = on;
    update();
}

void EmbeddingView::setBackgroundColor(const QColor& color) {
    d_->background = color;
    update();
}

QColor EmbeddingView::backgroundColor() const {
    return d_->background;
}

void EmbeddingView::setSelectionTool(SelectionTool tool) {
    d_->tool = tool;
}

void EmbeddingView::setInteractiveBudget(int points) {
    d_->interactiveBudget = std::max(0, points);
    update();
}

void EmbeddingView::setNeighbourCount(int k) {
    d_->neighbourCount = std::max(0, k);
    d_->neighbourSource = -1;
    update();
}

void EmbeddingView::resetView() {
    d_->fitCamera();
}

PlotCamera::Pose EmbeddingView::cameraPose() const {
    return d_->camera.pose();
}

void EmbeddingView::setCameraPose(const PlotCamera::Pose& pose) {
    if (!d_->plot)
        return;
    d_->camera.setViewport(size());
    d_->camera.setPose(pose);
    d_->fitted = false;
    d_->cameraChanged();
}

QRectF EmbeddingView::visibleDataRect() const {
    return d_->camera.visibleDataRect();
}

QPointF EmbeddingView::pointPosition(int row) const {
    if (row < 0 || row >= d_->rows())
        return {};
    return d_->position(row);
}

QPointF EmbeddingView::widgetToData(const QPointF& widgetPos) const {
    const QVector3D data = d_->camera.toData(widgetPos);
    return {data.x(), data.y()};
}

int EmbeddingView::pointAt(const QPointF& widgetPos) const {
    if (d_->rows() == 0)
        return -1;
    d_->ensureIndex();
    const int hit = d_->index.nearest(d_->toIndexSpace(widgetPos), d_->indexRadius());
    return hit < 0 ? -1 : d_->indexRows[hit];
}

std::vector<int> EmbeddingView::selectedPoints() const {
    std::vector<int> rows;
    rows.reserve(d_->selectedCount);
    for (int i = 0; i < d_->rows(); ++i)
        if (d_->selected[i])
            rows.push_back(i);
    return rows;
}

void EmbeddingView::setSelectedPoints(const std::vector<int>& rows, SelectionOp op) {
    d_->applySelection(rows, op);
}

void EmbeddingView::selectInRectangle(const QRectF& widgetRect, SelectionOp op) {
    if (d_->rows() == 0)
        return;
    d_->ensureIndex();
    const QRectF rect = widgetRect.normalized();
    const std::vector<int> hits = d_->index.inRectangle(d_->toIndexSpace(rect.topLeft()),
                                                        d_->toIndexSpace(rect.bottomRight()));
    d_->applySelection(d_->toRows(hits), op);
}

void EmbeddingView::selectInPolygon(const QPolygonF& widgetPolygon, SelectionOp op) {
    if (d_->rows() == 0 || widgetPolygon.size() < 3)
        return;
    d_->ensureIndex();
    QPolygonF polygon;
    for (const QPointF& p : widgetPolygon) {
        const embed::Point2 q = d_->toIndexSpace(p);
        polygon.append(QPointF(q.x, q.y));
    }
    d_->applySelection(d_->toRows(d_->index.inPolygon(toPoints(polygon))), op);
}

void EmbeddingView::clearSelection() {
    d_->applySelection({}, SelectionOp::Replace);
}

void EmbeddingView::selectAllVisible() {
    std::vector<int> rows;
    for (int i = 0; i < d_->rows(); ++i)
        if (isPointVisible(i))
            rows.push_back(i);
    d_->applySelection(rows, SelectionOp::Replace);
}

int EmbeddingView::highlightMatches(const QString& query) {
    std::vector<int> matches;
    if (d_->plot && query.startsWith(QLatin1Char('?'))) {
        if (d_->neighbourQuery)
            matches = d_->neighbourQuery(query.mid(1).trimmed());
        matches.erase(std::remove_if(matches.begin(), matches.end(),
                                     [&](int row) { return row < 0 || row >= d_->rows(); }),
                      matches.end());
    } else if (d_->plot && !query.isEmpty()) {
        const std::string needle = query.toLower().toStdString();
        const auto* labels = textColumn(d_->plot->points, embed::columns::kLabel);
        const auto* texts = textColumn(d_->plot->points, embed::columns::kText);
        for (int i = 0; i < d_->rows(); ++i)
            if ((labels && containsCaseInsensitive((*labels)[i], needle)) ||
                (texts && containsCaseInsensitive((*texts)[i], needle)))
                matches.push_back(i);
    }
    d_->highlighted = std::move(matches);
    d_->overlayDirty = true;
    update();
    return int(d_->highlighted.size());
}

std::vector<int> EmbeddingView::highlightedPoints() const {
    return d_->highlighted;
}

void EmbeddingView::setNeighbourQuery(std::function<std::vector<int>(const QString&)> query) {
    d_->neighbourQuery = std::move(query);
}

std::vector<int> EmbeddingView::neighbourRows() const {
    if (d_->selectedCount != 1 || d_->neighbourCount == 0 || !d_->plot)
        return {};
    const int source =
        int(std::find(d_->selected.begin(), d_->selected.end(), 1) - d_->selected.begin());
    if (source == d_->neighbourSource)
        return d_->neighbours;
    // One row against all: a brute-force scan is fast enough and needs no index.
    const embed::EmbeddingSet& set = d_->plot->points;
    std::vector<std::pair<float, int>> distances;
    if (set.dims > 0 && set.values.size() == std::size_t(set.rows) * set.dims) {
        const float* a = set.row(source);
        distances.reserve(set.rows);
        for (int i = 0; i < set.rows; ++i) {
            if (i == source)
                continue;
            const float* b = set.row(i);
            float sum = 0;
            for (int j = 0; j < set.dims; ++j)
                sum += (a[j] - b[j]) * (a[j] - b[j]);
            distances.emplace_back(sum, i);
        }
    }
    const std::size_t k = std::min(distances.size(), std::size_t(d_->neighbourCount));
    std::partial_sort(distances.begin(), distances.begin() + k, distances.end());
    d_->neighbours.clear();
    for (std::size_t i = 0; i < k; ++i)
        d_->neighbours.push_back(distances[i].second);
    d_->neighbourSource = source;
    return d_->neighbours;
}

void EmbeddingView::setSelectionModel(SelectionModel* model) {
    disconnect(d_->selectionConnection);
    disconnect(d_->destroyedConnection);
    d_->selection = model;
    if (!model)
        return;
    d_->selectionConnection = connect(model, &SelectionModel::selectionChanged, this,
                                      &EmbeddingView::applyLinkedSelection);
    d_->destroyedConnection =
        connect(model, &QObject::destroyed, this, [this] { setSelectionModel(nullptr); });
    applyLinkedSelection();
}

SelectionModel* EmbeddingView::selectionModel() const {
    return d_->selection;
}

void EmbeddingView::setCurrentScene(const QString& sceneId) {
    d_->currentScene = sceneId;
    d_->computeLinkColumns();
    applyLinkedSelection();
}

void EmbeddingView::applyLinkedSelection() {
    if (!d_->selection || d_->applyingLink || !d_->plot)
        return;
    const QSet<int>& objects = d_->selection->selectedObjects();
    std::vector<int> rows;
    for (int i = 0; i < d_->rows(); ++i)
        if (d_->linkable[i] && objects.contains(d_->objectIds[i]))
            rows.push_back(i);
    d_->applyingLink = true;
    d_->applySelection(rows, SelectionOp::Replace);
    d_->applyingLink = false;
}

QString EmbeddingView::tooltipTextAt(const QPointF& widgetPos) const {
    const int row = pointAt(widgetPos);
    if (row < 0)
        return {};
    const embed::EmbeddingSet& set = d_->plot->points;
    QStringList lines;
    const auto addText = [&](const char* column, const QString& title) {
        if (const auto* values = textColumn(set, column); values && !(*values)[row].empty())
            lines << title + QString::fromStdString((*values)[row]);
    };
    addText(embed::columns::kLabel, QStringLiteral("label: "));
    addText(embed::columns::kScene, QStringLiteral("scene: "));
    if (const auto id = integerCell(set, embed::columns::kObjectId, row))
        lines << QStringLiteral("object id: %1").arg(*id);
    const auto* sets = textColumn(set, embed::columns::kSet);
    const auto* modality = textColumn(set, embed::columns::kModality);
    const QString setName = QString::fromStdString(sets ? (*sets)[row] : set.name);
    const QString modalityName = QString::fromStdString(modality ? (*modality)[row] : set.modality);
    if (!setName.isEmpty() || !modalityName.isEmpty())
        lines << QStringLiteral("set: %1 (%2)").arg(setName, modalityName);
    addText(embed::columns::kText, QStringLiteral("text: "));
    addText(embed::columns::kImagePath, QStringLiteral("image: "));
    lines << QStringLiteral("row: %1").arg(row);
    return lines.join(QLatin1Char('\n'));
}

QImage EmbeddingView::renderImage(double scale, bool transparentBackground) {
    const QSize pixels = (QSizeF(size()) * scale).toSize();
    if (pixels.isEmpty())
        return {};
    makeCurrent();
    QOpenGLFramebufferObjectFormat format;
    format.setAttachment(QOpenGLFramebufferObject::Depth);
    QOpenGLFramebufferObject target(pixels, format);
    target.bind();
    d_->camera.setViewport(size());
    QColor clear = d_->background;
    if (transparentBackground)
        clear.setAlpha(0);
    d_->drawScene(pixels, scale, clear);
    QImage image = target.toImage();
    target.release();
    doneCurrent();
    QPainter painter(&image);
    painter.scale(scale, scale);
    d_->paintOverlay(painter, false);
    return image;
}

UploadCounts EmbeddingView::uploadCounts() const {
    return d_->renderer.uploadCounts();
}

std::size_t EmbeddingView::gpuPointBytes() const {
    return d_->renderer.pointBufferBytes();
}

const std::vector<int>& EmbeddingView::pulsingPoints() const {
    return d_->pulsing;
}

void EmbeddingView::pulseObject(int objectId) {
    std::vector<int> rows;
    for (int i = 0; i < d_->rows(); ++i)
        if (d_->linkable[i] && d_->objectIds[i] == objectId)
            rows.push_back(i);
    d_->pulse.stop();
    d_->pulsing = std::move(rows);
    d_->overlayDirty = true;
    if (!d_->pulsing.empty())
        d_->pulse.start();
    update();
}

void EmbeddingView::initializeGL() {
    QString error;
    d_->glReady = d_->renderer.initialize(&error);
    if (!d_->glReady) {
        qWarning("EmbeddingView: %s", qPrintable(error));
        Q_EMIT renderError(error);
    }
    d_->positionsDirty = d_->colorsDirty = d_->flagsDirty = d_->overlayDirty = true;
    connect(context(), &QOpenGLContext::aboutToBeDestroyed, this, &EmbeddingView::releaseGraphics,
            Qt::UniqueConnection);
}

void EmbeddingView::paintGL() {
    const double ratio = devicePixelRatioF();
    const QSize pixels = size() * ratio;
    const GLuint screen = defaultFramebufferObject();
    if (!d_->keepsStillFrame()) {
        d_->still.image.reset();
        d_->drawScene(pixels, ratio, d_->background);
    } else if (!d_->moving()) {
        d_->paintStill(screen, pixels, ratio);
    } else if (!d_->paintMoving(screen, pixels, ratio)) {
        d_->drawScene(pixels, ratio, d_->background);
    }
    // The overlay is painted into this widget's framebuffer through a paint device of our own:
    // QPainter(this) would be redirected while QWidget::grab() renders the window, and the
    // legend and labels would be missing from window screenshots.
    context()->functions()->glBindFramebuffer(GL_FRAMEBUFFER, defaultFramebufferObject());
    QOpenGLPaintDevice device(size() * ratio);
    device.setDevicePixelRatio(ratio);
    QPainter painter(&device);
    d_->paintOverlay(painter, true);
}

void EmbeddingView::resizeGL(int, int) {
    if (d_->fitted)
        d_->fitCamera();
    else
        d_->camera.setViewport(size());
    d_->cameraChanged();
}

void EmbeddingView::mousePressEvent(QMouseEvent* event) {
    const QPointF pos = event->position();
    d_->pressPos = d_->lastPos = pos;
    d_->dragMoved = false;
    d_->lasso.clear();
    const Qt::KeyboardModifiers mods = event->modifiers();
    if (event->button() == Qt::LeftButton && !d_->spaceHeld && d_->legendClick(pos)) {
        d_->drag = Impl::Drag::None;
        return;
    }
    if (event->button() == Qt::MiddleButton || event->button() == Qt::RightButton ||
        (event->button() == Qt::LeftButton && d_->spaceHeld)) {
        d_->drag = Impl::Drag::Pan;
    } else if (event->button() == Qt::LeftButton) {
        const bool selecting = !d_->is3D() || d_->tool == SelectionTool::Lasso ||
                               (mods & (Qt::ShiftModifier | Qt::ControlModifier | Qt::AltModifier));
        const bool lasso = d_->tool == SelectionTool::Lasso || (mods & Qt::ControlModifier);
        d_->drag = !selecting ? Impl::Drag::Orbit : lasso ? Impl::Drag::Lasso : Impl::Drag::Box;
        d_->dragOp = d_->opFor(mods, lasso);
        d_->lasso << pos;
    }
    d_->hovered = -1;
    update();
}

void EmbeddingView::mouseMoveEvent(QMouseEvent* event) {
    const QPointF pos = event->position();
    const QPointF delta = pos - d_->lastPos;
    if ((pos - d_->pressPos).manhattanLength() > kClickTolerance)
        d_->dragMoved = true;
    d_->lastPos = pos;
    switch (d_->drag) {
    case Impl::Drag::None: {
        const int row = pointAt(pos);
        d_->hoverPos = pos;
        if (row != d_->hovered) {
            d_->hovered = row;
            Q_EMIT pointHovered(row);
            update();
        } else if (row >= 0) {
            update();
        }
        break;
    }
    case Impl::Drag::Pan:
        d_->fitted = false;
        d_->camera.pan(delta);
        d_->cameraChanged();
        break;
    case Impl::Drag::Orbit:
        d_->fitted = false;
        d_->camera.orbit(delta);
        d_->cameraChanged();
        break;
    case Impl::Drag::Box:
        update();
        break;
    case Impl::Drag::Lasso:
        d_->lasso << pos;
        update();
        break;
    }
}

void EmbeddingView::mouseReleaseEvent(QMouseEvent* event) {
    const Impl::Drag drag = std::exchange(d_->drag, Impl::Drag::None);
    const QPointF pos = event->position();
    const bool click = !d_->dragMoved && event->button() == Qt::LeftButton && !d_->spaceHeld;
    if (click &&
        (drag == Impl::Drag::Box || drag == Impl::Drag::Lasso || drag == Impl::Drag::Orbit)) {
        d_->clickSelect(pos, event->modifiers());
    } else if (drag == Impl::Drag::Box) {
        selectInRectangle(QRectF(d_->pressPos, pos), d_->dragOp);
    } else if (drag == Impl::Drag::Lasso) {
        d_->lasso << pos;
        selectInPolygon(d_->lasso, d_->dragOp);
    }
    d_->lasso.clear();
    update();
}

void EmbeddingView::mouseDoubleClickEvent(QMouseEvent* event) {
    if (event->button() == Qt::LeftButton && pointAt(event->position()) < 0 &&
        !layoutLegend(d_->encoding, d_->camera.viewport()).frame.contains(event->position()))
        resetView();
}

void EmbeddingView::wheelEvent(QWheelEvent* event) {
    const int delta = event->angleDelta().y();
    if (delta == 0)
        return;
    d_->fitted = false;
    d_->camera.zoomAt(event->position(), std::pow(kWheelZoomBase, delta));
    d_->settleTimer.start();
    d_->cameraChanged();
    event->accept();
}

void EmbeddingView::keyPressEvent(QKeyEvent* event) {
    if (event->modifiers() == Qt::NoModifier) {
        switch (event->key()) {
        case Qt::Key_Escape:
            clearSelection();
            return;
        case Qt::Key_A:
            selectAllVisible();
            return;
        case Qt::Key_R:
            resetView();
            return;
        case Qt::Key_Space:
            d_->spaceHeld = true;
            return;
        default:
            break;
        }
    }
    QOpenGLWidget::keyPressEvent(event);
}

void EmbeddingView::keyReleaseEvent(QKeyEvent* event) {
    if (event->key() == Qt::Key_Space && !event->isAutoRepeat())
        d_->spaceHeld = false;
    QOpenGLWidget::keyReleaseEvent(event);
}

void EmbeddingView::leaveEvent(QEvent* event) {
    if (d_->hovered >= 0) {
        d_->hovered = -1;
        Q_EMIT pointHovered(-1);
        update();
    }
    QOpenGLWidget::leaveEvent(event);
}

void EmbeddingView::releaseGraphics() {
    if (!d_->renderer.isInitialized())
        return;
    d_->renderer.release();
    d_->still.image.reset();
    d_->glReady = false;
}

} // namespace scenelens
