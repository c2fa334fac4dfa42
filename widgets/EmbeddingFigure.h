#pragma once
// Publication figures of an embedding plot drawn by our own QPainter code: points with markers by
// modality, title, legend or colour bar, optional axes. One painter routine serves the PNG, SVG and
// PDF writers, the GUI's Export and the `scenelens plot` command.

#include "embed/PlotData.h"
#include "embed/PlotEncoding.h"

#include <QImage>
#include <QRectF>
#include <QSizeF>
#include <QString>

#include <vector>

class QPainter;

namespace scenelens {

/// Above this many drawn points the SVG and PDF writers rasterise the point layer into one
/// embedded image and keep title, legend and colour bar as vector text and shapes.
constexpr int kMaxVectorPoints = 200000;

/// What a figure shows. Sizes are figure units: pixels of a PNG at scale 1, points in a PDF,
/// user units in an SVG.
struct FigureOptions {
    QString title;          ///< empty: no title
    QSizeF size{800, 600};  ///< whole figure
    QRectF dataRect;        ///< data coordinates shown (y up); null: every visible point
    double pointSize = 6;   ///< marker diameter
    double opacity = 0.8;   ///< multiplies each point's colour alpha; selected points opaque
    bool showAxes = false;  ///< frame with tick labels around the plot area
    bool showLegend = true; ///< legend (categorical) or colour bar (continuous)
    std::vector<bool> visibleCategories; ///< per legend entry; empty: each LegendEntry::visible
    std::vector<int> selectedRows;       ///< drawn on top with an outline
};

/// How the point layer is drawn: one shape per point, or one image of all points.
enum class PointLayer { Vector, Raster };

/// Paints the figure into `painter`'s device, whose drawing area must be options.size in painter
/// coordinates. Only the first two coordinates of 3-D plots are drawn.
void paintFigure(QPainter& painter, const embed::PlotData& plot, const embed::ColorEncoding& colors,
                 const FigureOptions& options, PointLayer layer = PointLayer::Vector);

/// Number of points paintFigure draws: visible categories inside the data rectangle.
int drawnPointCount(const embed::PlotData& plot, const embed::ColorEncoding& colors,
                    const FigureOptions& options);

/// The figure as an image of options.size * scale pixels; transparent leaves the background clear.
QImage renderFigureImage(const embed::PlotData& plot, const embed::ColorEncoding& colors,
                         const FigureOptions& options, double scale = 1, bool transparent = false);

/// Writers; each throws FileError naming `path` when it cannot be written.
void writeFigureSvg(const QString& path, const embed::PlotData& plot,
                    const embed::ColorEncoding& colors, const FigureOptions& options);
void writeFigurePdf(const QString& path, const embed::PlotData& plot,
                    const embed::ColorEncoding& colors, const FigureOptions& options);
void writeFigurePng(const QString& path, double scale, bool transparent,
                    const embed::PlotData& plot, const embed::ColorEncoding& colors,
                    const FigureOptions& options);

/// Writes by the suffix of `path` (.svg, .pdf, anything else PNG); throws FileError.
void writeFigure(const QString& path, const embed::PlotData& plot,
                 const embed::ColorEncoding& colors, const FigureOptions& options,
                 double pngScale = 1, bool pngTransparent = false);

} // namespace scenelens
