#include "EmbeddingOverlay.h"

#include "PlotCamera.h"

#include <QFontMetricsF>
#include <QLinearGradient>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace scenelens {

namespace {

constexpr double kMargin = 8, kPadding = 6, kSwatch = 10, kLineGap = 3;
constexpr int kMaxLegendEntries = 24;
constexpr double kColorBarWidth = 14, kColorBarHeight = 160;
constexpr int kColorBarSteps = 64;

QColor toQColor(const embed::Rgba8& c) {
    return QColor(c[0], c[1], c[2], c[3]);
}

QString entryText(const embed::LegendEntry& entry) {
    const QString name =
        entry.category.empty() ? QStringLiteral("(none)") : QString::fromStdString(entry.category);
    return QStringLiteral("%1 (%2)").arg(name).arg(entry.count);
}

QString columnTitle(const embed::ColorEncoding& encoding) {
    return QString::fromStdString(encoding.column);
}

void drawPanel(QPainter& painter, const QRectF& rect) {
    painter.setPen(QColor(0, 0, 0, 60));
    painter.setBrush(QColor(255, 255, 255, 225));
    painter.drawRoundedRect(rect, 4, 4);
}

/// A round step (1, 2 or 5 times a power of ten) giving about `ticks` ticks over `range`.
double niceStep(double range, int ticks) {
    const double raw = range / ticks;
    const double power = std::pow(10.0, std::floor(std::log10(raw)));
    for (const double factor : {1.0, 2.0, 5.0})
        if (raw <= factor * power)
            return factor * power;
    return 10 * power;
}

} // namespace

LegendLayout layoutLegend(const embed::ColorEncoding& encoding, const QSizeF& viewport) {
    LegendLayout layout;
    if (encoding.continuous || encoding.legend.empty())
        return layout;
    const QFontMetricsF metrics{QFont()};
    const double line = std::max(metrics.height(), kSwatch) + kLineGap;
    const int fitting =
        std::max(1, int((viewport.height() - 2 * kMargin - 2 * kPadding) / line) - 2);
    const int shown = std::min({int(encoding.legend.size()), kMaxLegendEntries, fitting});
    layout.hiddenEntries = int(encoding.legend.size()) - shown;
    double width = metrics.horizontalAdvance(columnTitle(encoding));
    for (int i = 0; i < shown; ++i)
        width = std::max(width, kSwatch + kPadding +
                                    metrics.horizontalAdvance(entryText(encoding.legend[i])));
    const int lines = 1 + shown + (layout.hiddenEntries > 0);
    const QSizeF size(width + 2 * kPadding, lines * line + 2 * kPadding - kLineGap);
    layout.frame = QRectF(QPointF(viewport.width() - kMargin - size.width(), kMargin), size);
    for (int i = 0; i < shown; ++i)
        layout.entries.emplace_back(layout.frame.left(),
                                    layout.frame.top() + kPadding + (i + 1) * line,
                                    layout.frame.width(), line);
    return layout;
}

void drawLegend(QPainter& painter, const embed::ColorEncoding& encoding,
                const LegendLayout& layout) {
    if (layout.frame.isEmpty())
        return;
    painter.save();
    drawPanel(painter, layout.frame);
    const QFontMetricsF metrics(painter.font());
    const double textX = layout.frame.left() + kPadding;
    painter.setPen(Qt::black);
    painter.drawText(QPointF(textX, layout.frame.top() + kPadding + metrics.ascent()),
                     columnTitle(encoding));
    for (std::size_t i = 0; i < layout.entries.size(); ++i) {
        const embed::LegendEntry& entry = encoding.legend[i];
        const QRectF& row = layout.entries[i];
        const QRectF swatch(textX, row.center().y() - kSwatch / 2, kSwatch, kSwatch);
        painter.setPen(QColor(0, 0, 0, 90));
        painter.setBrush(entry.visible ? toQColor(entry.color) : QColor(Qt::transparent));
        painter.drawRect(swatch);
        painter.setPen(entry.visible ? QColor(Qt::black) : QColor(150, 150, 150));
        painter.drawText(
            QPointF(swatch.right() + kPadding, row.center().y() + metrics.ascent() / 2 - 1),
            entryText(entry));
    }
    if (layout.hiddenEntries > 0) {
        painter.setPen(QColor(90, 90, 90));
        painter.drawText(QPointF(textX, layout.frame.bottom() - kPadding - metrics.descent()),
                         QStringLiteral("+ %1 more").arg(layout.hiddenEntries));
    }
    painter.restore();
}

void drawColorBar(QPainter& painter, const embed::ColorEncoding& encoding, const QSizeF& viewport) {
    if (!encoding.continuous)
        return;
    painter.save();
    const QFontMetricsF metrics(painter.font());
    const QString maxText = QString::number(encoding.maxValue, 'g', 4);
    const QString minText = QString::number(encoding.minValue, 'g', 4);
    const QString title = columnTitle(encoding);
    const double textWidth =
        std::max({metrics.horizontalAdvance(maxText), metrics.horizontalAdvance(minText)});
    const double width =
        std::max(kColorBarWidth + kPadding + textWidth, metrics.horizontalAdvance(title)) +
        2 * kPadding;
    const double height = kColorBarHeight + metrics.height() + 3 * kPadding;
    const QRectF frame(viewport.width() - kMargin - width, kMargin, width, height);
    drawPanel(painter, frame);
    painter.setPen(Qt::black);
    painter.drawText(QPointF(frame.left() + kPadding, frame.top() + kPadding + metrics.ascent()),
                     title);
    const QRectF bar(frame.left() + kPadding, frame.top() + 2 * kPadding + metrics.height(),
                     kColorBarWidth, kColorBarHeight);
    QLinearGradient gradient(bar.bottomLeft(), bar.topLeft());
    for (int i = 0; i <= kColorBarSteps; ++i) {
        const double t = double(i) / kColorBarSteps;
        gradient.setColorAt(t, toQColor(embed::colormapColor(encoding.colormap, t)));
    }
    painter.fillRect(bar, gradient);
    painter.setPen(QColor(0, 0, 0, 90));
    painter.setBrush(Qt::NoBrush);
    painter.drawRect(bar);
    painter.setPen(Qt::black);
    const double textX = bar.right() + kPadding;
    painter.drawText(QPointF(textX, bar.top() + metrics.ascent()), maxText);
    painter.drawText(QPointF(textX, bar.bottom() - metrics.descent()), minText);
    painter.restore();
}

void drawAxes(QPainter& painter, const PlotCamera& camera, const QColor& color) {
    const QSizeF size = camera.viewport();
    const QRectF data = camera.visibleDataRect();
    painter.save();
    painter.setPen(color);
    const QFontMetricsF metrics(painter.font());
    const double bottom = size.height() - 1, left = 0;
    painter.drawLine(QPointF(left, bottom), QPointF(size.width(), bottom));
    painter.drawLine(QPointF(left, 0), QPointF(left, size.height()));
    const double stepX = niceStep(data.width(), 6);
    for (double x = std::ceil(data.left() / stepX) * stepX; x <= data.right(); x += stepX) {
        const double px = camera.toWidget(x, 0).x();
        painter.drawLine(QPointF(px, bottom), QPointF(px, bottom - 5));
        painter.drawText(QPointF(px + 2, bottom - 7), QString::number(x, 'g', 4));
    }
    const double stepY = niceStep(data.height(), 6);
    for (double y = std::ceil(data.top() / stepY) * stepY; y <= data.bottom(); y += stepY) {
        const double py = camera.toWidget(0, y).y();
        painter.drawLine(QPointF(left, py), QPointF(left + 5, py));
        painter.drawText(QPointF(left + 7, py + metrics.ascent() / 2 - 1),
                         QString::number(y, 'g', 4));
    }
    painter.restore();
}

void drawHoverCard(QPainter& painter, const QPointF& anchor, const QString& text,
                   const QImage& thumbnail, const QSizeF& viewport) {
    if (text.isEmpty())
        return;
    painter.save();
    const QFontMetricsF metrics(painter.font());
    const QStringList lines = text.split(QLatin1Char('\n'));
    double width = thumbnail.width();
    for (const QString& line : lines)
        width = std::max(width, metrics.horizontalAdvance(line));
    const double thumbHeight = thumbnail.isNull() ? 0 : thumbnail.height() + kPadding;
    const QSizeF size(width + 2 * kPadding,
                      thumbHeight + lines.size() * metrics.height() + 2 * kPadding);
    // Below right of the cursor, flipped to the other side where it would leave the view, so
    // that the card never covers the point it describes.
    constexpr double kOffset = 14;
    QPointF topLeft = anchor + QPointF(kOffset, kOffset);
    if (topLeft.x() + size.width() > viewport.width())
        topLeft.setX(anchor.x() - kOffset - size.width());
    if (topLeft.y() + size.height() > viewport.height())
        topLeft.setY(anchor.y() - kOffset - size.height());
    topLeft.setX(std::max(0.0, topLeft.x()));
    topLeft.setY(std::max(0.0, topLeft.y()));
    const QRectF frame(topLeft, size);
    drawPanel(painter, frame);
    if (!thumbnail.isNull())
        painter.drawImage(frame.topLeft() + QPointF(kPadding, kPadding), thumbnail);
    painter.setPen(Qt::black);
    double y = frame.top() + kPadding + thumbHeight + metrics.ascent();
    for (const QString& line : lines) {
        painter.drawText(QPointF(frame.left() + kPadding, y), line);
        y += metrics.height();
    }
    painter.restore();
}

} // namespace scenelens
