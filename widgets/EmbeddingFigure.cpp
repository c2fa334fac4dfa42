#include "EmbeddingFigure.h"

#include "Error.h"

#include <QFile>
#include <QFileInfo>
#include <QFontMetricsF>
#include <QImageWriter>
#include <QLinearGradient>
#include <QPageSize>
#include <QPainter>
#include <QPainterPath>
#include <QPdfWriter>
#include <QSvgGenerator>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace scenelens {

namespace {

// Figure units per raster pixel of an embedded point layer: sharp at print sizes, bounded memory.
constexpr double kRasterResolution = 3;
constexpr double kMaxRasterPixels = 8192; // per side of the embedded point image
constexpr double kMargin = 12;
constexpr int kTitlePixels = 16;
constexpr int kTextPixels = 11;
constexpr int kMaxLegendRows = 40;

enum class Marker : std::uint8_t { Circle, Square, Triangle, Diamond };

Marker markerOf(const std::string& modality) {
    if (modality == "scene3d")
        return Marker::Square;
    if (modality == "text")
        return Marker::Triangle;
    if (modality == "image")
        return Marker::Diamond;
    return Marker::Circle;
}

const char* modalityOf(Marker marker) {
    switch (marker) {
    case Marker::Square:
        return "scene3d";
    case Marker::Triangle:
        return "text";
    case Marker::Diamond:
        return "image";
    case Marker::Circle:
        break;
    }
    return "object3d";
}

QColor toQColor(const embed::Rgba8& c, double opacity = 1) {
    return QColor(c[0], c[1], c[2], int(std::lround(c[3] * std::clamp(opacity, 0.0, 1.0))));
}

QFont figureFont(int pixels, bool bold = false) {
    QFont font(QStringLiteral("DejaVu Sans"));
    font.setPixelSize(pixels);
    font.setBold(bold);
    return font;
}

/// Round tick values covering [lo, hi], about `target` of them.
std::vector<double> niceTicks(double lo, double hi, int target = 5) {
    const double span = hi - lo;
    if (!(span > 0) || !std::isfinite(span))
        return {lo};
    const double raw = span / target;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    const double normalised = raw / magnitude;
    const double step = (normalised < 1.5 ? 1
                         : normalised < 3 ? 2
                         : normalised < 7 ? 5
                                          : 10) *
                        magnitude;
    std::vector<double> ticks;
    for (double v = std::ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
        ticks.push_back(std::abs(v) < step * 1e-9 ? 0.0 : v);
    return ticks;
}

QString tickLabel(double value) {
    return QString::number(value, 'g', 4);
}

/// A marker of diameter `size` centred at `c` as a path (legend swatches, so that only data points
/// become SVG ellipse/rect/polygon elements).
QPainterPath markerPath(Marker marker, QPointF c, double size) {
    const double r = size / 2;
    QPainterPath path;
    switch (marker) {
    case Marker::Circle:
        path.addEllipse(c, r, r);
        break;
    case Marker::Square:
        path.addRect(QRectF(c.x() - r, c.y() - r, size, size));
        break;
    case Marker::Triangle:
        path.moveTo(c.x(), c.y() - r);
        path.lineTo(c.x() + r, c.y() + r);
        path.lineTo(c.x() - r, c.y() + r);
        path.closeSubpath();
        break;
    case Marker::Diamond:
        path.moveTo(c.x(), c.y() - r);
        path.lineTo(c.x() + r, c.y());
        path.lineTo(c.x(), c.y() + r);
        path.lineTo(c.x() - r, c.y());
        path.closeSubpath();
        break;
    }
    return path;
}

/// One marker as one primitive, which the SVG engine writes as one element.
void drawMarker(QPainter& painter, Marker marker, QPointF c, double size) {
    const double r = size / 2;
    switch (marker) {
    case Marker::Circle:
        painter.drawEllipse(c, r, r);
        return;
    case Marker::Square:
        painter.drawRect(QRectF(c.x() - r, c.y() - r, size, size));
        return;
    case Marker::Triangle: {
        const QPointF corners[3] = {
            {c.x(), c.y() - r}, {c.x() + r, c.y() + r}, {c.x() - r, c.y() + r}};
        painter.drawPolygon(corners, 3);
        return;
    }
    case Marker::Diamond: {
        const QPointF corners[4] = {
            {c.x(), c.y() - r}, {c.x() + r, c.y()}, {c.x(), c.y() + r}, {c.x() - r, c.y()}};
        painter.drawPolygon(corners, 4);
        return;
    }
    }
}

/// Everything a figure needs, computed once from the inputs: which points are drawn, with which
/// marker, and where the parts of the figure go.
class Figure {
public:
    Figure(const embed::PlotData& plot, const embed::ColorEncoding& colors,
           const FigureOptions& options)
        : plot_(plot), colors_(colors), options_(options) {
        checkInputs();
        assignMarkers();
        chooseDrawnPoints();
    }

    int drawnCount() const { return drawnCount_; }

    void paint(QPainter& painter, PointLayer layer) {
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setRenderHint(QPainter::TextAntialiasing);
        layout(painter);
        if (layer == PointLayer::Raster)
            paintRasterPoints(painter);
        else
            paintPoints(painter);
        if (options_.showAxes)
            paintAxes(painter);
        paintTitle(painter);
        if (options_.showLegend)
            paintSide(painter);
    }

private:
    void checkInputs() const {
        const int rows = plot_.rows();
        if (int(plot_.coords.size()) < rows * plot_.coordDims || plot_.coordDims < 2)
            throw std::invalid_argument("figure: the plot has fewer coordinates than rows");
        if (int(colors_.colors.size()) != rows)
            throw std::invalid_argument("figure: the colour encoding has " +
                                        std::to_string(colors_.colors.size()) + " colours for " +
                                        std::to_string(rows) + " points");
        if (!options_.size.isValid() || options_.size.isEmpty())
            throw std::invalid_argument("figure: the size must be positive");
    }

    void assignMarkers() {
        markers_.assign(std::size_t(plot_.rows()), markerOf(plot_.points.modality));
        const auto column = plot_.points.textColumns.find(embed::columns::kModality);
        if (column == plot_.points.textColumns.end())
            return;
        for (int i = 0; i < plot_.rows(); ++i)
            markers_[std::size_t(i)] = markerOf(column->second[std::size_t(i)]);
    }

    bool categoryVisible(int category) const {
        if (category < 0)
            return true;
        if (!options_.visibleCategories.empty())
            return std::size_t(category) >= options_.visibleCategories.size() ||
                   options_.visibleCategories[std::size_t(category)];
        return std::size_t(category) >= colors_.legend.size() ||
               colors_.legend[std::size_t(category)].visible;
    }

    bool pointVisible(int i) const {
        const int category = colors_.category.empty() ? -1 : colors_.category[std::size_t(i)];
        return categoryVisible(category) && std::isfinite(plot_.coord(i)[0]) &&
               std::isfinite(plot_.coord(i)[1]);
    }

    void chooseDrawnPoints() {
        const int rows = plot_.rows();
        data_ = options_.dataRect.normalized();
        if (options_.dataRect.isNull())
            data_ = visibleBounds();
        drawn_.assign(std::size_t(rows), 0);
        selected_.assign(std::size_t(rows), 0);
        for (int row : options_.selectedRows)
            if (row >= 0 && row < rows)
                selected_[std::size_t(row)] = 1;
        for (int i = 0; i < rows; ++i) {
            const float* p = plot_.coord(i);
            const bool inside = p[0] >= data_.left() && p[0] <= data_.right() &&
                                p[1] >= data_.top() && p[1] <= data_.bottom();
            drawn_[std::size_t(i)] = pointVisible(i) && inside;
            drawnCount_ += drawn_[std::size_t(i)];
        }
    }

    /// Bounds of the visible points with 4% padding; a unit square around a single point.
    QRectF visibleBounds() const {
        double x0 = std::numeric_limits<double>::max(), y0 = x0;
        double x1 = std::numeric_limits<double>::lowest(), y1 = x1;
        for (int i = 0; i < plot_.rows(); ++i) {
            if (!pointVisible(i))
                continue;
            const float* p = plot_.coord(i);
            x0 = std::min(x0, double(p[0]));
            x1 = std::max(x1, double(p[0]));
            y0 = std::min(y0, double(p[1]));
            y1 = std::max(y1, double(p[1]));
        }
        if (x0 > x1)
            return QRectF(-1, -1, 2, 2);
        const double padX = x1 > x0 ? 0.04 * (x1 - x0) : 1;
        const double padY = y1 > y0 ? 0.04 * (y1 - y0) : 1;
        return QRectF(QPointF(x0 - padX, y0 - padY), QPointF(x1 + padX, y1 + padY));
    }

    // Layout -------------------------------------------------------------------------------------

    void layout(QPainter& painter) {
        const QSizeF size = options_.size;
        double top = kMargin;
        if (!options_.title.isEmpty())
            top += QFontMetricsF(figureFont(kTitlePixels, true), painter.device()).height() + 6;
        const double sideWidth =
            options_.showLegend ? std::min(sideWidthNeeded(painter), 0.4 * size.width()) : 0;
        const double axisLeft = options_.showAxes ? 44 : 0;
        const double axisBottom = options_.showAxes ? 22 : 0;
        plotArea_ =
            QRectF(kMargin + axisLeft, top, size.width() - 2 * kMargin - axisLeft - sideWidth,
                   size.height() - top - kMargin - axisBottom);
        sideArea_ =
            QRectF(plotArea_.right() + kMargin, top, sideWidth - kMargin, plotArea_.height());
        fitData();
    }

    /// Widens the data rectangle to the plot area's aspect ratio so that distances in x and y
    /// keep their proportion, then maps it onto the plot area with y up.
    void fitData() {
        const double w = std::max(plotArea_.width(), 1.0), h = std::max(plotArea_.height(), 1.0);
        const double dw = std::max(data_.width(), 1e-12), dh = std::max(data_.height(), 1e-12);
        scale_ = std::min(w / dw, h / dh);
        const QPointF centre = data_.center();
        shown_ = QRectF(centre.x() - w / scale_ / 2, centre.y() - h / scale_ / 2, w / scale_,
                        h / scale_);
    }

    QPointF toFigure(const float* p) const {
        return {plotArea_.left() + (p[0] - shown_.left()) * scale_,
                plotArea_.bottom() - (p[1] - shown_.top()) * scale_};
    }

    // Points -------------------------------------------------------------------------------------

    void paintPoints(QPainter& painter) const {
        painter.save();
        painter.setPen(Qt::NoPen);
        const double size = options_.pointSize;
        for (int pass = 0; pass < 2; ++pass) {
            const bool selectedPass = pass == 1;
            if (selectedPass)
                painter.setPen(QPen(QColor(20, 20, 20), std::max(1.0, size / 5)));
            for (int i = 0; i < plot_.rows(); ++i) {
                if (!drawn_[std::size_t(i)] || bool(selected_[std::size_t(i)]) != selectedPass)
                    continue;
                painter.setBrush(
                    toQColor(colors_.colors[std::size_t(i)], selectedPass ? 1 : options_.opacity));
                drawMarker(painter, markers_[std::size_t(i)], toFigure(plot_.coord(i)), size);
            }
        }
        painter.restore();
    }

    void paintRasterPoints(QPainter& painter) const {
        const double longest = std::max(plotArea_.width(), plotArea_.height());
        const double resolution = std::min(kRasterResolution, kMaxRasterPixels / longest);
        const QSize pixels = (plotArea_.size() * resolution).toSize().expandedTo({1, 1});
        QImage layer(pixels, QImage::Format_ARGB32_Premultiplied);
        layer.fill(Qt::transparent);
        {
            QPainter layerPainter(&layer);
            layerPainter.setRenderHint(QPainter::Antialiasing);
            layerPainter.scale(resolution, resolution);
            layerPainter.translate(-plotArea_.topLeft());
            paintPoints(layerPainter);
        }
        painter.drawImage(plotArea_, layer);
    }

    // Axes and title -----------------------------------------------------------------------------

    void paintAxes(QPainter& painter) const {
        painter.save();
        const QFont font = figureFont(kTextPixels);
        const QFontMetricsF metrics(font, painter.device());
        painter.setFont(font);
        QPainterPath lines;
        lines.addRect(plotArea_);
        const std::vector<double> xTicks = niceTicks(shown_.left(), shown_.right());
        const std::vector<double> yTicks = niceTicks(shown_.top(), shown_.bottom());
        for (double x : xTicks) {
            const double fx = plotArea_.left() + (x - shown_.left()) * scale_;
            lines.moveTo(fx, plotArea_.bottom());
            lines.lineTo(fx, plotArea_.bottom() + 4);
        }
        for (double y : yTicks) {
            const double fy = plotArea_.bottom() - (y - shown_.top()) * scale_;
            lines.moveTo(plotArea_.left() - 4, fy);
            lines.lineTo(plotArea_.left(), fy);
        }
        painter.setPen(QPen(QColor(60, 60, 60), 0.8));
        painter.setBrush(Qt::NoBrush);
        painter.drawPath(lines);
        painter.setPen(QColor(40, 40, 40));
        for (double x : xTicks) {
            const double fx = plotArea_.left() + (x - shown_.left()) * scale_;
            const QString text = tickLabel(x);
            painter.drawText(QPointF(fx - metrics.horizontalAdvance(text) / 2,
                                     plotArea_.bottom() + 6 + metrics.ascent()),
                             text);
        }
        for (double y : yTicks) {
            const double fy = plotArea_.bottom() - (y - shown_.top()) * scale_;
            const QString text = tickLabel(y);
            painter.drawText(QPointF(plotArea_.left() - 6 - metrics.horizontalAdvance(text),
                                     fy + metrics.ascent() / 2 - 1),
                             text);
        }
        painter.restore();
    }

    void paintTitle(QPainter& painter) const {
        if (options_.title.isEmpty())
            return;
        const QFont font = figureFont(kTitlePixels, true);
        const QFontMetricsF metrics(font, painter.device());
        painter.save();
        painter.setFont(font);
        painter.setPen(QColor(20, 20, 20));
        const double x = (options_.size.width() - metrics.horizontalAdvance(options_.title)) / 2;
        painter.drawText(QPointF(std::max(kMargin, x), kMargin + metrics.ascent()), options_.title);
        painter.restore();
    }

    // Legend, colour bar and marker key ----------------------------------------------------------

    /// Legend rows shown: visible categories, at most kMaxLegendRows.
    std::vector<int> legendRows() const {
        std::vector<int> rows;
        for (int c = 0; c < int(colors_.legend.size()); ++c)
            if (categoryVisible(c))
                rows.push_back(c);
        return rows;
    }

    QString legendText(int category) const {
        const embed::LegendEntry& entry = colors_.legend[std::size_t(category)];
        const QString name = entry.category.empty() ? QStringLiteral("(none)")
                                                    : QString::fromStdString(entry.category);
        return QStringLiteral("%1 (%2)").arg(name).arg(entry.count);
    }

    /// Markers that drawn points use, in a fixed order.
    std::vector<Marker> usedMarkers() const {
        std::array<bool, 4> used{};
        for (int i = 0; i < plot_.rows(); ++i)
            if (drawn_[std::size_t(i)])
                used[std::size_t(markers_[std::size_t(i)])] = true;
        std::vector<Marker> markers;
        for (std::size_t m = 0; m < used.size(); ++m)
            if (used[m])
                markers.push_back(Marker(m));
        return markers;
    }

    double sideWidthNeeded(QPainter& painter) const {
        const QFontMetricsF metrics(figureFont(kTextPixels), painter.device());
        double text = metrics.horizontalAdvance(QString::fromStdString(colors_.column));
        if (colors_.continuous) {
            for (double tick : niceTicks(colors_.minValue, colors_.maxValue))
                text = std::max(text, 22 + metrics.horizontalAdvance(tickLabel(tick)));
        } else {
            for (int c : legendRows())
                text = std::max(text, 18 + metrics.horizontalAdvance(legendText(c)));
        }
        for (Marker marker : usedMarkers())
            text = std::max(
                text, 18 + metrics.horizontalAdvance(QString::fromLatin1(modalityOf(marker))));
        return text + 2 * kMargin;
    }

    void paintSide(QPainter& painter) const {
        painter.save();
        const QFont font = figureFont(kTextPixels);
        const QFont heading = figureFont(kTextPixels, true);
        const QFontMetricsF metrics(font, painter.device());
        const double line = metrics.height() + 3;
        double y = sideArea_.top();
        if (!colors_.column.empty()) {
            painter.setFont(heading);
            painter.setPen(QColor(20, 20, 20));
            painter.drawText(QPointF(sideArea_.left(), y + metrics.ascent()),
                             QString::fromStdString(colors_.column));
            y += line;
            painter.setFont(font);
            y = colors_.continuous ? paintColorBar(painter, y) : paintLegend(painter, y, line);
        }
        const std::vector<Marker> markers = usedMarkers();
        if (markers.size() > 1)
            paintMarkerKey(painter, markers, y + line / 2, line);
        painter.restore();
    }

    double paintLegend(QPainter& painter, double y, double line) const {
        const QFontMetricsF metrics(painter.font(), painter.device());
        const std::vector<int> rows = legendRows();
        const int shown = std::min<int>(int(rows.size()), kMaxLegendRows);
        for (int r = 0; r < shown; ++r) {
            const int c = rows[std::size_t(r)];
            const QPointF centre(sideArea_.left() + 6, y + line / 2 - 1);
            painter.setPen(Qt::NoPen);
            painter.setBrush(toQColor(colors_.legend[std::size_t(c)].color));
            painter.drawPath(markerPath(Marker::Circle, centre, 9));
            painter.setPen(QColor(20, 20, 20));
            painter.drawText(QPointF(sideArea_.left() + 16, y + metrics.ascent()), legendText(c));
            y += line;
        }
        if (int(rows.size()) > shown) {
            painter.drawText(QPointF(sideArea_.left() + 16, y + metrics.ascent()),
                             QStringLiteral("… %1 more").arg(int(rows.size()) - shown));
            y += line;
        }
        return y;
    }

    /// A vertical gradient bar (max at the top) with tick labels; returns the y below it.
    double paintColorBar(QPainter& painter, double y) const {
        const QFontMetricsF metrics(painter.font(), painter.device());
        const QRectF bar(sideArea_.left(), y + metrics.height() / 2, 14,
                         std::max(40.0, 0.6 * sideArea_.height()));
        QLinearGradient gradient(bar.bottomLeft(), bar.topLeft());
        constexpr int kStops = 16;
        for (int s = 0; s <= kStops; ++s) {
            const double t = double(s) / kStops;
            gradient.setColorAt(t, toQColor(embed::colormapColor(colors_.colormap, t)));
        }
        // The bar and its tick marks are one path, so an SVG holds no lone quadrilateral besides
        // the point markers.
        const double lo = colors_.minValue, hi = colors_.maxValue;
        const std::vector<double> ticks = niceTicks(lo, hi);
        const auto tickY = [&](double tick) {
            return bar.bottom() - (hi > lo ? (tick - lo) / (hi - lo) : 0.5) * bar.height();
        };
        QPainterPath barPath;
        barPath.addRect(bar);
        for (double tick : ticks) {
            barPath.moveTo(bar.right(), tickY(tick));
            barPath.lineTo(bar.right() + 3, tickY(tick));
        }
        painter.setPen(QPen(QColor(60, 60, 60), 0.6));
        painter.setBrush(gradient);
        painter.drawPath(barPath);
        painter.setPen(QColor(20, 20, 20));
        for (double tick : ticks)
            painter.drawText(QPointF(bar.right() + 6, tickY(tick) + metrics.ascent() / 2 - 1),
                             tickLabel(tick));
        return bar.bottom() + metrics.height();
    }

    /// The markers of the modalities present; the swatches are one path (see paintColorBar).
    void paintMarkerKey(QPainter& painter, const std::vector<Marker>& markers, double y,
                        double line) const {
        const QFontMetricsF metrics(painter.font(), painter.device());
        QPainterPath swatches;
        for (std::size_t m = 0; m < markers.size(); ++m)
            swatches.addPath(markerPath(
                markers[m], QPointF(sideArea_.left() + 6, y + (double(m) + 0.5) * line - 1), 9));
        painter.setPen(Qt::NoPen);
        painter.setBrush(QColor(110, 110, 110));
        painter.drawPath(swatches);
        painter.setPen(QColor(20, 20, 20));
        for (std::size_t m = 0; m < markers.size(); ++m)
            painter.drawText(
                QPointF(sideArea_.left() + 16, y + double(m) * line + metrics.ascent()),
                QString::fromLatin1(modalityOf(markers[m])));
    }

    const embed::PlotData& plot_;
    const embed::ColorEncoding& colors_;
    const FigureOptions& options_;
    std::vector<Marker> markers_;
    std::vector<std::uint8_t> drawn_, selected_;
    int drawnCount_ = 0;
    QRectF data_;     // data rectangle asked for (or the visible bounds)
    QRectF shown_;    // data rectangle after fitting the plot area's aspect ratio
    QRectF plotArea_; // figure units
    QRectF sideArea_;
    double scale_ = 1; // figure units per data unit
};

/// Fails early with the operating system's reason when `path` cannot be created or replaced.
void checkWritable(const QString& path) {
    QFile file(path);
    const bool existed = file.exists();
    if (!file.open(QIODevice::WriteOnly | QIODevice::Append))
        throw FileError(path.toStdString(), "",
                        "cannot write: " + file.errorString().toStdString());
    file.close();
    if (!existed)
        file.remove();
}

PointLayer vectorLayerFor(int drawnPoints) {
    return drawnPoints > kMaxVectorPoints ? PointLayer::Raster : PointLayer::Vector;
}

} // namespace

void paintFigure(QPainter& painter, const embed::PlotData& plot, const embed::ColorEncoding& colors,
                 const FigureOptions& options, PointLayer layer) {
    Figure(plot, colors, options).paint(painter, layer);
}

int drawnPointCount(const embed::PlotData& plot, const embed::ColorEncoding& colors,
                    const FigureOptions& options) {
    return Figure(plot, colors, options).drawnCount();
}

QImage renderFigureImage(const embed::PlotData& plot, const embed::ColorEncoding& colors,
                         const FigureOptions& options, double scale, bool transparent) {
    if (!(scale > 0) || !std::isfinite(scale))
        throw std::invalid_argument("figure: the scale must be positive");
    Figure figure(plot, colors, options);
    const QSize pixels = (options.size * scale).toSize().expandedTo({1, 1});
    QImage image(pixels, QImage::Format_ARGB32_Premultiplied);
    if (image.isNull())
        throw std::invalid_argument("figure: " + std::to_string(pixels.width()) + " x " +
                                    std::to_string(pixels.height()) +
                                    " pixels is too large for an image");
    image.fill(transparent ? QColor(Qt::transparent) : QColor(Qt::white));
    QPainter painter(&image);
    painter.scale(scale, scale);
    figure.paint(painter, PointLayer::Vector);
    return image;
}

void writeFigureSvg(const QString& path, const embed::PlotData& plot,
                    const embed::ColorEncoding& colors, const FigureOptions& options) {
    Figure figure(plot, colors, options);
    checkWritable(path);
    QSvgGenerator generator;
    generator.setFileName(path);
    generator.setSize(options.size.toSize());
    generator.setViewBox(QRectF(QPointF(0, 0), options.size));
    generator.setResolution(72);
    generator.setTitle(options.title);
    generator.setDescription(QStringLiteral("SceneLens embedding figure"));
    QPainter painter;
    if (!painter.begin(&generator))
        throw FileError(path.toStdString(), "", "cannot write SVG");
    QPainterPath background;
    background.addRect(QRectF(QPointF(0, 0), options.size));
    painter.fillPath(background, Qt::white);
    figure.paint(painter, vectorLayerFor(figure.drawnCount()));
    if (!painter.end())
        throw FileError(path.toStdString(), "", "could not finish writing SVG");
}

void writeFigurePdf(const QString& path, const embed::PlotData& plot,
                    const embed::ColorEncoding& colors, const FigureOptions& options) {
    Figure figure(plot, colors, options);
    checkWritable(path);
    QPdfWriter writer(path);
    writer.setResolution(72); // one painter unit = one PostScript point
    writer.setPageSize(QPageSize(options.size, QPageSize::Point, QString(), QPageSize::ExactMatch));
    writer.setPageMargins(QMarginsF(0, 0, 0, 0));
    writer.setTitle(options.title);
    writer.setCreator(QStringLiteral("SceneLens"));
    QPainter painter;
    if (!painter.begin(&writer))
        throw FileError(path.toStdString(), "", "cannot write PDF");
    figure.paint(painter, vectorLayerFor(figure.drawnCount()));
    if (!painter.end())
        throw FileError(path.toStdString(), "", "could not finish writing PDF");
}

void writeFigurePng(const QString& path, double scale, bool transparent,
                    const embed::PlotData& plot, const embed::ColorEncoding& colors,
                    const FigureOptions& options) {
    const QImage image = renderFigureImage(plot, colors, options, scale, transparent);
    checkWritable(path);
    QImageWriter writer(path, "png");
    if (!writer.write(image))
        throw FileError(path.toStdString(), "",
                        "cannot write PNG: " + writer.errorString().toStdString());
}

void writeFigure(const QString& path, const embed::PlotData& plot,
                 const embed::ColorEncoding& colors, const FigureOptions& options, double pngScale,
                 bool pngTransparent) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("svg"))
        writeFigureSvg(path, plot, colors, options);
    else if (suffix == QLatin1String("pdf"))
        writeFigurePdf(path, plot, colors, options);
    else
        writeFigurePng(path, pngScale, pngTransparent, plot, colors, options);
}

} // namespace scenelens
