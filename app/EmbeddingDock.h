#pragma once
// A dock with one EmbeddingView and its controls: colour by any metadata column (colormap for
// continuous ones), point size, opacity, density alpha, contours, axes, selection tool, label
// search, figure export (PNG/SVG/PDF), the projection's quality metrics with their parameters, and
// a summary of the selected points with CSV export. Several docks share the window's
// SelectionModel, so their selections are linked with each other and with the scene.

#include "EmbeddingFigure.h"
#include "embed/PlotData.h"

#include <QDockWidget>
#include <QJsonObject>

#include <memory>

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSlider;
class QTreeWidget;

namespace scenelens {

class EmbeddingView;
class SelectionModel;

class EmbeddingDock : public QDockWidget {
    Q_OBJECT
public:
    /// Shows `plot`, linked through `selection` (not owned; may be nullptr).
    EmbeddingDock(std::shared_ptr<const embed::PlotData> plot, SelectionModel* selection,
                  QWidget* parent = nullptr);
    ~EmbeddingDock() override;

    EmbeddingView* view() const { return view_; }
    const embed::PlotData& plot() const { return *plot_; }

    /// The scene whose objects the shared selection holds (see EmbeddingView::setCurrentScene).
    void setCurrentScene(const QString& sceneId);
    /// Colours by a metadata column ("" = one colour) and updates the controls; false with a
    /// message in the status line when the plot lacks the column.
    bool setColorBy(const QString& column);

    /// The view's settings as JSON for the project file: colouring, point size, opacity, display
    /// toggles, hidden legend entries, selected rows, search text and camera.
    QJsonObject viewState() const;
    /// Applies a viewState(); columns, categories and rows the plot lacks are skipped.
    void restoreViewState(const QJsonObject& state);

    /// The figure of what the view shows now: its data rectangle, colours, hidden categories,
    /// point size, opacity, selection, axes and legend, at the view's size.
    FigureOptions figureOptions() const;
    /// Writes that figure by the suffix of `path` (.png, .svg, .pdf); a 3-D plot as the camera
    /// shows it. Throws FileError.
    void exportFigure(const QString& path, double pngScale = 1, bool transparent = false) const;
    /// Writes the selected rows with coordinates and metadata as CSV; throws FileError.
    void exportSelection(const QString& path) const;
    /// The selection summary as shown: counts per modality and label.
    QString selectionSummaryText() const;
    /// The quality metrics as shown, one "name value" per row.
    QTreeWidget* metricsTable() const { return metrics_; }

Q_SIGNALS:
    /// A setting that viewState() keeps changed: colouring, point size, opacity, a toggle, a
    /// hidden legend entry or the selected points (camera moves do not count).
    void viewStateChanged();

private:
    /// The plot as the view draws it: 2-D widget positions, y up, and the modality column.
    embed::PlotData viewedPlot() const;
    QWidget* createToolbar();
    QWidget* createSidePanel();
    void fillColumns();
    void applyColorBy();
    void searchChanged(const QString& text);
    void showMetrics();
    void updateSelectionSummary();
    void browseFigureExport();
    void browseSelectionExport();
    void showError(const QString& title, const QString& message);

    std::shared_ptr<const embed::PlotData> plot_;
    EmbeddingView* view_;
    QComboBox* colorBy_ = nullptr;
    QComboBox* colormap_ = nullptr;
    QSlider* pointSize_ = nullptr;
    QSlider* opacity_ = nullptr;
    QAction* density_ = nullptr;
    QAction* contours_ = nullptr;
    QAction* axes_ = nullptr;
    QAction* legend_ = nullptr;
    QLineEdit* search_ = nullptr;
    QLabel* status_ = nullptr;
    QLabel* parameters_ = nullptr;
    QTreeWidget* metrics_ = nullptr;
    QLabel* summary_ = nullptr;
    QPushButton* exportSelection_ = nullptr;
};

} // namespace scenelens
