#pragma once
// Pixel statistics the rendering tests assert on: how much of an image is not background, and how
// much two images differ.

#include "scene/Scene.h"

#include <QImage>

#include <QSet>

#include <cstdlib>

namespace scenelens::test {

/// Sum over R, G, B of the absolute difference; 0..765.
inline int colorDistance(QRgb a, QRgb b) {
    return std::abs(qRed(a) - qRed(b)) + std::abs(qGreen(a) - qGreen(b)) +
           std::abs(qBlue(a) - qBlue(b));
}

/// Share of pixels farther than `tolerance` from `background`.
inline double nonBackgroundFraction(const QImage& image, const Rgb8& background,
                                    int tolerance = 12) {
    const QImage rgb = image.convertToFormat(QImage::Format_RGB32);
    const QRgb bg = qRgb(background[0], background[1], background[2]);
    qint64 count = 0;
    for (int y = 0; y < rgb.height(); ++y)
        for (int x = 0; x < rgb.width(); ++x)
            count += colorDistance(rgb.pixel(x, y), bg) > tolerance;
    return double(count) / (qint64(rgb.width()) * rgb.height());
}

/// Number of different colours, a guard against uniform (black, cleared) frames.
inline int distinctColors(const QImage& image) {
    const QImage rgb = image.convertToFormat(QImage::Format_RGB32);
    QSet<QRgb> colors;
    for (int y = 0; y < rgb.height(); ++y)
        for (int x = 0; x < rgb.width(); ++x)
            colors.insert(rgb.pixel(x, y));
    return int(colors.size());
}

/// Mean absolute difference per channel (0..255) of two images of equal size.
inline double meanAbsDifference(const QImage& a, const QImage& b) {
    const QImage ra = a.convertToFormat(QImage::Format_RGB32);
    const QImage rb = b.convertToFormat(QImage::Format_RGB32);
    double sum = 0;
    for (int y = 0; y < ra.height(); ++y)
        for (int x = 0; x < ra.width(); ++x)
            sum += colorDistance(ra.pixel(x, y), rb.pixel(x, y));
    return sum / (3.0 * ra.width() * ra.height());
}

/// Share of pixels that differ by more than `tolerance` between two images of equal size.
inline double changedFraction(const QImage& a, const QImage& b, int tolerance = 30) {
    const QImage ra = a.convertToFormat(QImage::Format_RGB32);
    const QImage rb = b.convertToFormat(QImage::Format_RGB32);
    qint64 count = 0;
    for (int y = 0; y < ra.height(); ++y)
        for (int x = 0; x < ra.width(); ++x)
            count += colorDistance(ra.pixel(x, y), rb.pixel(x, y)) > tolerance;
    return double(count) / (qint64(ra.width()) * ra.height());
}

} // namespace scenelens::test
