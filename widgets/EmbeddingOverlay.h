#pragma once
// What EmbeddingView paints with QPainter over its OpenGL points, in logical pixels: the legend
// (with the hit areas that toggle categories), the colour bar, axes and the hover card. Used for
// the screen and for offscreen images alike.

#include "embed/PlotEncoding.h"

#include <QImage>
#include <QRectF>
#include <QString>

#include <vector>

class QPainter;

namespace scenelens {

class PlotCamera;

struct LegendLayout {
    QRectF frame;                ///< empty: no legend
    std::vector<QRectF> entries; ///< one per shown legend entry, in legend order
    int hiddenEntries = 0;       ///< entries beyond what fits, summarised as "+ N more"
};

/// Places the legend of a categorical encoding in the top right corner of `viewport`.
LegendLayout layoutLegend(const embed::ColorEncoding& encoding, const QSizeF& viewport);
void drawLegend(QPainter& painter, const embed::ColorEncoding& encoding,
                const LegendLayout& layout);
/// Vertical colour bar with the range's ends for a continuous encoding, top right.
void drawColorBar(QPainter& painter, const embed::ColorEncoding& encoding, const QSizeF& viewport);
/// Bottom and left axes with round tick values of the 2-D view.
void drawAxes(QPainter& painter, const PlotCamera& camera, const QColor& color);
/// A card with `text` (lines) and an optional thumbnail near `anchor`, kept inside the viewport.
void drawHoverCard(QPainter& painter, const QPointF& anchor, const QString& text,
                   const QImage& thumbnail, const QSizeF& viewport);

} // namespace scenelens
