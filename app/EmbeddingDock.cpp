#include "EmbeddingDock.h"

#include "EmbeddingView.h"
#include "Settings.h"
#include "embed/EmbeddingImport.h"

#include <QActionGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QRegularExpression>
#include <QSlider>
#include <QSplitter>
#include <QToolBar>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <atomic>
#include <cmath>

namespace scenelens {

namespace {

QString fromStd(std::string_view text) {
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

/// "pca, 2D, seed 0" plus the method's own parameters, as the metrics were taken with.
QString projectionParameters(const embed::PlotData& plot) {
    const embed::ProjectionOptions& p = plot.projection;
    QStringList parts{fromStd(embed::toString(p.method)), QStringLiteral("%1D").arg(p.dims)};
    if (p.method == embed::ProjectionMethod::Tsne)
        parts << QStringLiteral("perplexity %1").arg(p.perplexity);
    if (p.method == embed::ProjectionMethod::Umap)
        parts << QStringLiteral("neighbours %1").arg(p.neighbours)
              << QStringLiteral("min_dist %1").arg(p.minDist);
    if (p.method != embed::ProjectionMethod::Pca)
        parts << (p.metric == embed::Metric::Cosine ? QStringLiteral("cosine")
                                                    : QStringLiteral("euclidean"));
    parts << QStringLiteral("seed %1").arg(qulonglong(p.seed));
    return parts.join(QStringLiteral(", "));
}

/// Asks where to export the figure and, for PNG, at which scale and background.
class FigureExportDialog : public QDialog {
public:
    FigureExportDialog(const QString& suggestedPath, QWidget* parent)
        : QDialog(parent), path_(new QLineEdit(suggestedPath)), scale_(new QDoubleSpinBox),
          transparent_(new QCheckBox(tr("&Transparent background"))) {
        setWindowTitle(tr("Export Figure"));
        scale_->setRange(0.25, 8);
        scale_->setSingleStep(0.5);
        scale_->setValue(2);
        scale_->setSuffix(QStringLiteral(" ×"));
        auto* browse = new QPushButton(tr("&Browse…"));
        connect(browse, &QPushButton::clicked, this, [this] {
            const QString file = QFileDialog::getSaveFileName(
                this, tr("Export Figure"), path_->text(),
                tr("PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"));
            if (!file.isEmpty())
                path_->setText(file);
        });
        connect(path_, &QLineEdit::textChanged, this, &FigureExportDialog::updateFields);
        auto* pathRow = new QHBoxLayout;
        pathRow->addWidget(path_, 1);
        pathRow->addWidget(browse);
        auto* form = new QFormLayout;
        form->addRow(tr("&File:"), pathRow);
        form->addRow(tr("PNG &scale:"), scale_);
        form->addRow(QString(), transparent_);
        auto* note = new QLabel(tr("SVG and PDF keep points, legend and text as vector shapes "
                                   "(above %L1 points the point layer becomes one image).")
                                    .arg(kMaxVectorPoints));
        note->setWordWrap(true);
        auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
        buttons->button(QDialogButtonBox::Ok)->setText(tr("&Export"));
        connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
        connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
        auto* layout = new QVBoxLayout(this);
        layout->addLayout(form);
        layout->addWidget(note);
        layout->addWidget(buttons);
        updateFields();
    }

    QString path() const { return path_->text(); }
    double scale() const { return scale_->value(); }
    bool transparent() const { return transparent_->isChecked(); }

private:
    void updateFields() {
        const QString suffix = QFileInfo(path_->text()).suffix().toLower();
        const bool png = suffix != QLatin1String("svg") && suffix != QLatin1String("pdf");
        scale_->setEnabled(png);
        transparent_->setEnabled(png);
    }

    QLineEdit* path_;
    QDoubleSpinBox* scale_;
    QCheckBox* transparent_;
};

QString safeFileStem(const QString& title) {
    QString stem = title;
    stem.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9_.-]+")), QStringLiteral("_"));
    return stem.isEmpty() ? QStringLiteral("embedding") : stem;
}

} // namespace

EmbeddingDock::EmbeddingDock(std::shared_ptr<const embed::PlotData> plot, SelectionModel* selection,
                             QWidget* parent)
    : QDockWidget(parent), plot_(std::move(plot)), view_(new EmbeddingView) {
    static std::atomic<int> serial{0};
    setObjectName(QStringLiteral("EmbeddingDock%1").arg(++serial));
    setWindowTitle(QString::fromStdString(plot_->title));
    setAttribute(Qt::WA_DeleteOnClose);
    view_->setPlot(plot_);
    view_->setSelectionModel(selection);
    view_->setMinimumSize(320, 240);

    auto* splitter = new QSplitter(Qt::Horizontal);
    splitter->addWidget(view_);
    splitter->addWidget(createSidePanel());
    splitter->setStretchFactor(0, 1);
    auto* content = new QWidget;
    auto* layout = new QVBoxLayout(content);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addWidget(createToolbar());
    layout->addWidget(splitter, 1);
    status_ = new QLabel;
    layout->addWidget(status_);
    setWidget(content);

    fillColumns();
    showMetrics();
    updateSelectionSummary();
    connect(view_, &EmbeddingView::selectionChanged, this, &EmbeddingDock::updateSelectionSummary);
    connect(view_, &EmbeddingView::selectionChanged, this, &EmbeddingDock::viewStateChanged);
    connect(view_, &EmbeddingView::categoryVisibilityChanged, this,
            &EmbeddingDock::viewStateChanged);
    for (QSlider* slider : {pointSize_, opacity_})
        connect(slider, &QSlider::valueChanged, this, &EmbeddingDock::viewStateChanged);
    for (QAction* toggle : {density_, contours_, axes_, legend_})
        connect(toggle, &QAction::toggled, this, &EmbeddingDock::viewStateChanged);
    connect(view_, &EmbeddingView::renderError, this,
            [this](const QString& message) { status_->setText(message); });
}

EmbeddingDock::~EmbeddingDock() = default;

QWidget* EmbeddingDock::createToolbar() {
    // Three rows that fit a dock half a screen wide: colours and sizes, display toggles and
    // selection tools, then search and export.
    auto* looks = new QToolBar;
    auto* toggles = new QToolBar;
    auto* tasks = new QToolBar;
    colorBy_ = new QComboBox;
    colorBy_->setToolTip(tr("Colour the points by a metadata column"));
    colormap_ = new QComboBox;
    for (embed::Colormap map :
         {embed::Colormap::Viridis, embed::Colormap::Magma, embed::Colormap::Coolwarm})
        colormap_->addItem(fromStd(embed::toString(map)), int(map));
    colormap_->setToolTip(tr("Colormap of continuous columns"));
    looks->addWidget(new QLabel(tr("Colour by ")));
    looks->addWidget(colorBy_);
    looks->addWidget(colormap_);
    connect(colorBy_, &QComboBox::currentIndexChanged, this, &EmbeddingDock::applyColorBy);
    connect(colormap_, &QComboBox::currentIndexChanged, this, &EmbeddingDock::applyColorBy);
    looks->addSeparator();

    pointSize_ = new QSlider(Qt::Horizontal);
    pointSize_->setRange(1, 30);
    pointSize_->setValue(int(std::lround(view_->pointSize())));
    pointSize_->setFixedWidth(80);
    pointSize_->setToolTip(tr("Point size"));
    connect(pointSize_, &QSlider::valueChanged, view_,
            [this](int size) { view_->setPointSize(size); });
    opacity_ = new QSlider(Qt::Horizontal);
    opacity_->setRange(5, 100);
    opacity_->setValue(int(std::lround(view_->opacity() * 100)));
    opacity_->setFixedWidth(80);
    opacity_->setToolTip(tr("Opacity"));
    connect(opacity_, &QSlider::valueChanged, view_,
            [this](int percent) { view_->setOpacity(percent / 100.0); });
    looks->addWidget(new QLabel(tr("Size ")));
    looks->addWidget(pointSize_);
    looks->addWidget(new QLabel(tr(" Opacity ")));
    looks->addWidget(opacity_);

    density_ = toggles->addAction(tr("Density"));
    density_->setCheckable(true);
    density_->setToolTip(
        tr("Lower the opacity where points crowd, so dense clusters stay readable"));
    connect(density_, &QAction::toggled, view_, &EmbeddingView::setDensityAlpha);
    contours_ = toggles->addAction(tr("Contours"));
    contours_->setCheckable(true);
    contours_->setToolTip(tr("Density contours"));
    connect(contours_, &QAction::toggled, view_, &EmbeddingView::setContoursVisible);
    axes_ = toggles->addAction(tr("Axes"));
    axes_->setCheckable(true);
    connect(axes_, &QAction::toggled, view_, &EmbeddingView::setAxesVisible);
    legend_ = toggles->addAction(tr("Legend"));
    legend_->setCheckable(true);
    legend_->setChecked(true);
    connect(legend_, &QAction::toggled, view_, &EmbeddingView::setLegendVisible);
    toggles->addSeparator();

    // A click always selects the nearest point; a drag selects with the chosen tool.
    auto* tools = new QActionGroup(this);
    const std::pair<EmbeddingView::SelectionTool, QString> toolNames[] = {
        {EmbeddingView::SelectionTool::Box, tr("Box")},
        {EmbeddingView::SelectionTool::Lasso, tr("Lasso")}};
    for (const auto& [tool, name] : toolNames) {
        QAction* action = toggles->addAction(name);
        action->setCheckable(true);
        action->setChecked(tool == EmbeddingView::SelectionTool::Box);
        action->setToolTip(tr("Click: select a point · drag: %1 selection · shift adds, alt "
                              "removes")
                               .arg(name.toLower()));
        connect(action, &QAction::triggered, view_,
                [this, tool = tool] { view_->setSelectionTool(tool); });
        tools->addAction(action);
    }

    search_ = new QLineEdit;
    search_->setPlaceholderText(tr("Search labels (?text: neighbours)"));
    search_->setClearButtonEnabled(true);
    search_->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    connect(search_, &QLineEdit::textChanged, this, &EmbeddingDock::searchChanged);
    tasks->addWidget(search_);
    QAction* exportAction =
        tasks->addAction(tr("Export…"), this, &EmbeddingDock::browseFigureExport);
    exportAction->setToolTip(tr("Export the figure as PNG, SVG or PDF"));
    auto* rows = new QWidget;
    auto* layout = new QVBoxLayout(rows);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(looks);
    layout->addWidget(toggles);
    layout->addWidget(tasks);
    return rows;
}

QWidget* EmbeddingDock::createSidePanel() {
    auto* panel = new QWidget;
    auto* layout = new QVBoxLayout(panel);
    layout->setContentsMargins(0, 0, 0, 0);

    auto* metricsBox = new QGroupBox(tr("Projection"));
    auto* metricsLayout = new QVBoxLayout(metricsBox);
    parameters_ = new QLabel;
    parameters_->setWordWrap(true);
    parameters_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    metrics_ = new QTreeWidget;
    metrics_->setColumnCount(2);
    metrics_->setHeaderLabels({tr("Metric"), tr("Value")});
    metrics_->setRootIsDecorated(false);
    metrics_->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    metrics_->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    metrics_->header()->setStretchLastSection(false);
    metricsLayout->addWidget(parameters_);
    metricsLayout->addWidget(metrics_);

    auto* selectionBox = new QGroupBox(tr("Selection"));
    auto* selectionLayout = new QVBoxLayout(selectionBox);
    summary_ = new QLabel;
    summary_->setWordWrap(true);
    summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    summary_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    exportSelection_ = new QPushButton(tr("Export Selection to CSV…"));
    connect(exportSelection_, &QPushButton::clicked, this, &EmbeddingDock::browseSelectionExport);
    selectionLayout->addWidget(summary_, 1);
    selectionLayout->addWidget(exportSelection_);

    layout->addWidget(metricsBox, 1);
    layout->addWidget(selectionBox, 1);
    panel->setMinimumWidth(240);
    panel->setMaximumWidth(340);
    return panel;
}

void EmbeddingDock::fillColumns() {
    const embed::EmbeddingSet& points = plot_->points;
    QStringList names;
    for (const auto& [name, values] : points.textColumns)
        names << QString::fromStdString(name);
    for (const auto& [name, values] : points.numberColumns)
        names << QString::fromStdString(name);
    names.sort();
    const QSignalBlocker blocker(colorBy_);
    colorBy_->clear();
    colorBy_->addItem(tr("(one colour)"), QString());
    for (const QString& name : names)
        colorBy_->addItem(name, name);
    // Class labels say the most about a feature space; the view starts with the modality.
    for (const char* preferred : {embed::columns::kLabel, embed::columns::kModality})
        if (names.contains(QLatin1String(preferred))) {
            setColorBy(QLatin1String(preferred));
            return;
        }
    setColorBy(QString());
}

bool EmbeddingDock::setColorBy(const QString& column) {
    const int index = colorBy_->findData(column);
    if (index < 0) {
        status_->setText(tr("The plot has no column '%1'").arg(column));
        return false;
    }
    const QSignalBlocker blocker(colorBy_);
    colorBy_->setCurrentIndex(index);
    applyColorBy();
    return true;
}

QJsonObject EmbeddingDock::viewState() const {
    QJsonArray hidden;
    for (const embed::LegendEntry& entry : view_->encoding().legend)
        if (!entry.visible)
            hidden.append(fromStd(entry.category));
    QJsonArray selected;
    for (int row : view_->selectedPoints())
        selected.append(row);
    const PlotCamera::Pose pose = view_->cameraPose();
    const QJsonObject camera{
        {QStringLiteral("centre"), QJsonArray{pose.centre[0], pose.centre[1], pose.centre[2]}},
        {QStringLiteral("pixels_per_unit"), pose.pixelsPerUnit},
        {QStringLiteral("yaw"), pose.yaw},
        {QStringLiteral("pitch"), pose.pitch}};
    return {{QStringLiteral("color_by"), colorBy_->currentData().toString()},
            {QStringLiteral("colormap"), colormap_->currentText()},
            {QStringLiteral("point_size"), view_->pointSize()},
            {QStringLiteral("opacity"), view_->opacity()},
            {QStringLiteral("density"), density_->isChecked()},
            {QStringLiteral("contours"), contours_->isChecked()},
            {QStringLiteral("axes"), axes_->isChecked()},
            {QStringLiteral("legend"), legend_->isChecked()},
            {QStringLiteral("hidden_categories"), hidden},
            {QStringLiteral("selected_rows"), selected},
            {QStringLiteral("search"), search_->text()},
            {QStringLiteral("camera"), camera}};
}

void EmbeddingDock::restoreViewState(const QJsonObject& state) {
    const int colormap = colormap_->findText(state.value(QStringLiteral("colormap")).toString());
    if (colormap >= 0) {
        const QSignalBlocker blocker(colormap_);
        colormap_->setCurrentIndex(colormap);
    }
    setColorBy(state.value(QStringLiteral("color_by")).toString());
    // The view takes the exact values; the sliders show them rounded.
    view_->setPointSize(state.value(QStringLiteral("point_size")).toDouble(view_->pointSize()));
    view_->setOpacity(state.value(QStringLiteral("opacity")).toDouble(view_->opacity()));
    const QSignalBlocker sizeBlocker(pointSize_), opacityBlocker(opacity_);
    pointSize_->setValue(int(std::lround(view_->pointSize())));
    opacity_->setValue(int(std::lround(view_->opacity() * 100)));
    density_->setChecked(state.value(QStringLiteral("density")).toBool());
    contours_->setChecked(state.value(QStringLiteral("contours")).toBool());
    axes_->setChecked(state.value(QStringLiteral("axes")).toBool());
    legend_->setChecked(state.value(QStringLiteral("legend")).toBool(true));

    QSet<QString> hidden;
    for (const QJsonValue& category : state.value(QStringLiteral("hidden_categories")).toArray())
        hidden.insert(category.toString());
    const std::vector<embed::LegendEntry>& legend = view_->encoding().legend;
    for (std::size_t i = 0; i < legend.size(); ++i)
        if (hidden.contains(fromStd(legend[i].category)))
            view_->setCategoryVisible(int(i), false);

    std::vector<int> rows;
    for (const QJsonValue& row : state.value(QStringLiteral("selected_rows")).toArray())
        if (row.toInt(-1) >= 0 && row.toInt() < plot_->rows())
            rows.push_back(row.toInt());
    view_->setSelectedPoints(rows);
    search_->setText(state.value(QStringLiteral("search")).toString());

    const QJsonObject camera = state.value(QStringLiteral("camera")).toObject();
    const QJsonArray centre = camera.value(QStringLiteral("centre")).toArray();
    if (centre.size() == 3) {
        PlotCamera::Pose pose;
        pose.centre = {centre[0].toDouble(), centre[1].toDouble(), centre[2].toDouble()};
        pose.pixelsPerUnit = camera.value(QStringLiteral("pixels_per_unit")).toDouble();
        pose.yaw = camera.value(QStringLiteral("yaw")).toDouble();
        pose.pitch = camera.value(QStringLiteral("pitch")).toDouble();
        view_->setCameraPose(pose);
    }
}

void EmbeddingDock::applyColorBy() {
    const QString column = colorBy_->currentData().toString();
    const auto colormap = embed::Colormap(colormap_->currentData().toInt());
    QString error;
    if (!view_->setColorBy(column, colormap, &error))
        status_->setText(error);
    colormap_->setEnabled(view_->encoding().continuous);
    Q_EMIT viewStateChanged();
}

void EmbeddingDock::searchChanged(const QString& text) {
    const int matches = view_->highlightMatches(text.trimmed());
    if (text.trimmed().isEmpty())
        status_->clear();
    else
        status_->setText(tr("%Ln match(es) for “%1”", "", matches).arg(text.trimmed()));
}

void EmbeddingDock::showMetrics() {
    QString text = projectionParameters(*plot_);
    if (!plot_->projectionDetails.empty())
        text += QStringLiteral("\n") + QString::fromStdString(plot_->projectionDetails);
    const embed::MetricReport& report = plot_->metrics;
    if (!report.values.empty())
        text += QStringLiteral("\n") + tr("metrics on a sample of %L1 of %L2 points")
                                           .arg(report.sampleSize)
                                           .arg(plot_->rows());
    else
        text += QStringLiteral("\n") + tr("no quality metrics computed");
    parameters_->setText(text);
    metrics_->clear();
    for (const auto& [name, value] : report.values)
        metrics_->addTopLevelItem(
            new QTreeWidgetItem({QString::fromStdString(name), QString::number(value, 'f', 4)}));
}

QString EmbeddingDock::selectionSummaryText() const {
    return summary_->text();
}

void EmbeddingDock::updateSelectionSummary() {
    const std::vector<int> rows = view_->selectedPoints();
    exportSelection_->setEnabled(!rows.empty());
    if (rows.empty()) {
        summary_->setText(tr("No points selected.\nClick a point or drag around points."));
        return;
    }
    const embed::SelectionSummary summary = embed::summarize(plot_->points, rows);
    const auto counts = [](const std::vector<std::pair<std::string, int>>& entries) {
        constexpr std::size_t kShown = 12;
        QStringList lines;
        for (std::size_t i = 0; i < std::min(entries.size(), kShown); ++i)
            lines << QStringLiteral("  %1: %2")
                         .arg(QString::fromStdString(entries[i].first))
                         .arg(entries[i].second);
        if (entries.size() > kShown)
            lines << QStringLiteral("  … %1 more").arg(entries.size() - kShown);
        return lines.join(QLatin1Char('\n'));
    };
    summary_->setText(tr("%L1 points selected\nBy modality:\n%2\nBy label:\n%3")
                          .arg(summary.rows)
                          .arg(counts(summary.modalities), counts(summary.labels)));
}

void EmbeddingDock::setCurrentScene(const QString& sceneId) {
    view_->setCurrentScene(sceneId);
}

FigureOptions EmbeddingDock::figureOptions() const {
    FigureOptions options;
    options.title = QString::fromStdString(plot_->title);
    options.size = QSizeF(std::max(view_->width(), 400), std::max(view_->height(), 300));
    if (plot_->coordDims == 2)
        options.dataRect = view_->visibleDataRect();
    options.pointSize = view_->pointSize();
    options.opacity = view_->opacity();
    options.showAxes = axes_->isChecked();
    options.showLegend = legend_->isChecked();
    options.selectedRows = view_->selectedPoints();
    return options;
}

embed::PlotData EmbeddingDock::viewedPlot() const {
    // The points where the view draws them, y up, with what the figure reads of the metadata
    // (the modality gives the markers); the vectors stay behind.
    embed::PlotData flat;
    flat.title = plot_->title;
    flat.points.name = plot_->points.name;
    flat.points.modality = plot_->points.modality;
    flat.points.rows = plot_->rows();
    const auto modality = plot_->points.textColumns.find(embed::columns::kModality);
    if (modality != plot_->points.textColumns.end())
        flat.points.textColumns.insert(*modality);
    flat.coordDims = 2;
    flat.coords.resize(std::size_t(plot_->rows()) * 2);
    for (int i = 0; i < plot_->rows(); ++i) {
        const QPointF p = view_->pointPosition(i);
        flat.coords[2 * std::size_t(i)] = float(p.x());
        flat.coords[2 * std::size_t(i) + 1] = float(-p.y());
    }
    return flat;
}

void EmbeddingDock::exportFigure(const QString& path, double pngScale, bool transparent) const {
    if (plot_->coordDims == 2) {
        writeFigure(path, *plot_, view_->encoding(), figureOptions(), pngScale, transparent);
        return;
    }
    // A 3-D plot is exported as the camera shows it: the view's rectangle in its own pixels.
    FigureOptions options = figureOptions();
    options.dataRect = QRectF(0, -view_->height(), view_->width(), view_->height());
    writeFigure(path, viewedPlot(), view_->encoding(), options, pngScale, transparent);
}

void EmbeddingDock::exportSelection(const QString& path) const {
    embed::writeSelectionCsv(path.toStdString(), *plot_, view_->selectedPoints());
}

void EmbeddingDock::browseFigureExport() {
    QSettings settings;
    const QString suggested = QDir(settings::lastDirectory(settings))
                                  .filePath(safeFileStem(windowTitle()) + QStringLiteral(".png"));
    auto* dialog = new FigureExportDialog(suggested, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const QString path = dialog->path();
        try {
            exportFigure(path, dialog->scale(), dialog->transparent());
            QSettings settings;
            settings::setLastDirectory(settings, QFileInfo(path).absolutePath());
            status_->setText(tr("Saved %1").arg(path));
        } catch (const std::exception& e) {
            showError(tr("Could not export the figure"), QString::fromUtf8(e.what()));
        }
    });
    dialog->open();
}

void EmbeddingDock::browseSelectionExport() {
    QSettings settings;
    const QString suggested =
        QDir(settings::lastDirectory(settings))
            .filePath(safeFileStem(windowTitle()) + QStringLiteral("-selection.csv"));
    const QString path = QFileDialog::getSaveFileName(this, tr("Export Selection"), suggested,
                                                      tr("CSV tables (*.csv)"));
    if (path.isEmpty())
        return;
    try {
        exportSelection(path);
        settings::setLastDirectory(settings, QFileInfo(path).absolutePath());
        status_->setText(tr("Saved %1").arg(path));
    } catch (const std::exception& e) {
        showError(tr("Could not export the selection"), QString::fromUtf8(e.what()));
    }
}

void EmbeddingDock::showError(const QString& title, const QString& message) {
    status_->setText(message);
    auto* box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

} // namespace scenelens
