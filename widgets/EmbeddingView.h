#pragma once
// Interactive scatter view of an embedding projection (embed::PlotData), drawn with OpenGL 3.3 as
// point sprites; millions of points stay interactive because pan, zoom and hover only change
// uniforms, and a large 2-D plot moves as an image of its last still frame. Markers follow the
// modality (object3d circle, scene3d square, text triangle, image diamond); colours follow an
// embed::ColorEncoding with a clickable legend or a colour bar.
//
// Mouse and keys:
// - wheel zooms about the cursor; middle drag, right drag or space + left drag pans; in 3-D plots
//   a plain left drag orbits. R or a double click on the background resets the view.
// - click selects the nearest point within 8 px; left drag selects with the selection tool (box
//   by default; holding ctrl draws a lasso; in 3-D a modifier is needed to select rather than
//   orbit). Shift adds to the selection, alt removes (ctrl also removes with the lasso tool).
// - Esc clears the selection, A selects every visible point.
// - a click on a legend entry shows or hides that category: hidden points are neither drawn nor
//   picked.

#include "PlotCamera.h"
#include "embed/PlotData.h"
#include "embed/PlotEncoding.h"

#include <QOpenGLWidget>
#include <QPolygonF>
#include <QRectF>

#include <functional>
#include <memory>
#include <vector>

namespace scenelens {

class SelectionModel;
struct UploadCounts;

class EmbeddingView : public QOpenGLWidget {
    Q_OBJECT
public:
    enum class SelectionTool { Box, Lasso };
    enum class SelectionOp { Replace, Add, Remove };

    explicit EmbeddingView(QWidget* parent = nullptr);
    ~EmbeddingView() override;

    /// OpenGL 3.3 core with a depth buffer; the view requests it itself.
    static QSurfaceFormat surfaceFormat();

    /// Shows `plot` (nullptr shows nothing), coloured by its "modality" column when present, and
    /// frames it. Clears the selection and the search highlight.
    void setPlot(std::shared_ptr<const embed::PlotData> plot);
    const embed::PlotData* plot() const;

    /// Colours the points by a metadata column ("" = one colour). Only the colour (and visibility)
    /// buffers are re-uploaded. False, with `error` naming the column, when the plot lacks it.
    bool setColorBy(const QString& column, embed::Colormap colormap = embed::Colormap::Viridis,
                    QString* error = nullptr);
    /// The current encoding; legend entries carry their visibility.
    const embed::ColorEncoding& encoding() const;
    /// Shows or hides the points of one legend entry.
    void setCategoryVisible(int legendIndex, bool visible);
    bool isPointVisible(int row) const;

    void setPointSize(double logicalPixels);
    double pointSize() const;
    /// Opacity of a point in [0, 1] before the density factor.
    void setOpacity(double opacity);
    double opacity() const;
    /// Scales alpha down where many points share the screen so that dense clusters stay readable.
    void setDensityAlpha(bool on);
    /// The alpha points are drawn with now: opacity times the density factor.
    double effectiveAlpha() const;
    void setContoursVisible(bool on);
    void setAxesVisible(bool on);
    void setLegendVisible(bool on);
    void setBackgroundColor(const QColor& color);
    QColor backgroundColor() const;
    void setSelectionTool(SelectionTool tool);
    /// While the view moves (drag, or within 200 ms of a wheel step), draw at most this many
    /// points: a fixed random subsample with alpha raised to match; every point is drawn once the
    /// motion stops. 2-D plots of more than 20,000 points also keep their last still frame and
    /// show it moved and scaled while panning and zooming, so every point stays in view; the
    /// subsample fills only what that frame does not cover. 0 always draws every point and keeps
    /// no still frame. Default 100,000: llvmpipe's cost is per point.
    void setInteractiveBudget(int points);
    /// Neighbour lines drawn from a single selected point (0 turns them off; default 8).
    void setNeighbourCount(int k);

    /// Frames all points (R key).
    void resetView();
    /// The zoom, pan and orbit the user chose, to put them back later (sessions).
    PlotCamera::Pose cameraPose() const;
    /// Shows the plot from `pose`; a later resize keeps it instead of re-framing the plot.
    void setCameraPose(const PlotCamera::Pose& pose);
    /// The data rectangle shown (2-D plots; x right, y up, so top() is the smallest y).
    QRectF visibleDataRect() const;
    /// Widget position (logical pixels) where `row` is drawn.
    QPointF pointPosition(int row) const;
    /// The 2-D data point under a widget position (3-D: on the plane through the view centre).
    QPointF widgetToData(const QPointF& widgetPos) const;

    /// Nearest visible point within 8 px of `widgetPos`, or -1.
    int pointAt(const QPointF& widgetPos) const;
    /// Selected rows, ascending.
    std::vector<int> selectedPoints() const;
    void setSelectedPoints(const std::vector<int>& rows, SelectionOp op = SelectionOp::Replace);
    void selectInRectangle(const QRectF& widgetRect, SelectionOp op);
    void selectInPolygon(const QPolygonF& widgetPolygon, SelectionOp op);
    void clearSelection();
    void selectAllVisible();

    /// Highlights the points whose label or text contains `query` (case-insensitive) and returns
    /// how many. A query starting with "?" is handed (without the "?") to the neighbour query
    /// instead, whose returned rows are highlighted. An empty query clears the highlight.
    int highlightMatches(const QString& query);
    std::vector<int> highlightedPoints() const;
    /// Answers "?text" searches with rows, e.g. the nearest neighbours of a CLIP text embedding
    /// of `text` among the plot's points. Called on the GUI thread; may be empty (no answer).
    void setNeighbourQuery(std::function<std::vector<int>(const QString&)> query);
    /// The k nearest neighbours, in the original embedding space, of the single selected point
    /// (empty unless exactly one point is selected); their lines are drawn from it.
    std::vector<int> neighbourRows() const;

    /// Links this view with others: selected points select the objects (object_id column) of
    /// rows in the current scene, and a selection made elsewhere selects the points of those
    /// objects. Not owned; nullptr unlinks.
    void setSelectionModel(SelectionModel* model);
    SelectionModel* selectionModel() const;
    /// The scene (value of the "scene" column) whose objects the SelectionModel holds; rows of
    /// other scenes never link. Empty: plots without a scene column link every row.
    void setCurrentScene(const QString& sceneId);

    /// Tooltip text (plain lines) for the nearest point within 8 px, or "" when none is near.
    QString tooltipTextAt(const QPointF& widgetPos) const;

    /// Renders the view at widget size x `scale` offscreen, legend and colour bar included.
    QImage renderImage(double scale = 1.0, bool transparentBackground = false);

    /// Buffer upload counters and GPU bytes per point, for tests and benchmarks.
    UploadCounts uploadCounts() const;
    std::size_t gpuPointBytes() const;

    /// The rows pulsing now (see pulseObject), empty when none.
    const std::vector<int>& pulsingPoints() const;

public Q_SLOTS:
    /// Briefly enlarges the points of `objectId` in the current scene (about 0.6 s).
    void pulseObject(int objectId);

Q_SIGNALS:
    /// The point selection changed (by the user, the API or the SelectionModel).
    void selectionChanged(int selectedCount);
    /// A legend entry was shown or hidden (by a click on it or setCategoryVisible).
    void categoryVisibilityChanged(int legendIndex, bool visible);
    /// The hovered point changed (-1: none).
    void pointHovered(int row);
    /// OpenGL could not be set up; the view then stays empty.
    void renderError(const QString& message);

protected:
    void initializeGL() override;
    void paintGL() override;
    void resizeGL(int width, int height) override;

    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void keyReleaseEvent(QKeyEvent* event) override;
    void leaveEvent(QEvent* event) override;

private:
    void releaseGraphics();
    void applyLinkedSelection();

    struct Impl;
    std::unique_ptr<Impl> d_;
};

} // namespace scenelens
