#include "PlotCamera.h"

#include <algorithm>
#include <cmath>

namespace scenelens {

namespace {

// Share of the viewport a fitted plot fills: leaves room for markers at the edges.
constexpr double kFitMargin = 0.9;
// Radians per pixel of mouse motion when orbiting.
constexpr double kOrbitSpeed = 0.01;
constexpr double kDefaultYaw = -0.6, kDefaultPitch = 0.45;
constexpr double kMaxPitch = 1.55;

double extentOr1(double extent) {
    return extent > 1e-12 ? extent : 1.0;
}

} // namespace

void PlotCamera::setViewport(const QSizeF& logicalPixels) {
    viewport_ = QSizeF(std::max(1.0, logicalPixels.width()), std::max(1.0, logicalPixels.height()));
}

void PlotCamera::setMode3D(bool on) {
    mode3D_ = on;
    if (!on) {
        yaw_ = pitch_ = 0;
        updateRotation();
    }
}

void PlotCamera::fit(const QVector3D& min, const QVector3D& max) {
    const QVector3D extent = max - min;
    centre_ = {0.5 * (double(min.x()) + max.x()), 0.5 * (double(min.y()) + max.y()),
               mode3D_ ? 0.5 * (double(min.z()) + max.z()) : 0.0};
    if (mode3D_) {
        radius_ = extentOr1(0.5 * double(extent.length()));
        scale_ = kFitMargin * 0.5 * std::min(viewport_.width(), viewport_.height()) / radius_;
        yaw_ = kDefaultYaw;
        pitch_ = kDefaultPitch;
    } else {
        const double width = extentOr1(extent.x()), height = extentOr1(extent.y());
        radius_ = 0.5 * std::hypot(width, height);
        scale_ = kFitMargin * std::min(viewport_.width() / width, viewport_.height() / height);
        yaw_ = pitch_ = 0;
    }
    updateRotation();
}

void PlotCamera::setPose(const Pose& pose) {
    centre_ = pose.centre;
    scale_ = pose.pixelsPerUnit > 0 ? pose.pixelsPerUnit : scale_;
    yaw_ = mode3D_ ? pose.yaw : 0;
    pitch_ = mode3D_ ? std::clamp(pose.pitch, -kMaxPitch, kMaxPitch) : 0;
    if (!mode3D_)
        centre_[2] = 0;
    updateRotation();
}

void PlotCamera::zoomAt(const QPointF& widgetPos, double factor) {
    const QVector3D anchor = toData(widgetPos);
    scale_ *= factor;
    // Put the anchor back under the cursor: centre = anchor - R^T (cursor offset / scale).
    const Vec3 offset = rotateInverse({(widgetPos.x() - 0.5 * viewport_.width()) / scale_,
                                       (0.5 * viewport_.height() - widgetPos.y()) / scale_, 0});
    centre_ = {anchor.x() - offset[0], anchor.y() - offset[1], anchor.z() - offset[2]};
    if (!mode3D_)
        centre_[2] = 0;
}

void PlotCamera::pan(const QPointF& delta) {
    const Vec3 shift = rotateInverse({delta.x() / scale_, -delta.y() / scale_, 0});
    for (int i = 0; i < 3; ++i)
        centre_[i] -= shift[i];
}

void PlotCamera::orbit(const QPointF& delta) {
    if (!mode3D_)
        return;
    yaw_ += delta.x() * kOrbitSpeed;
    pitch_ = std::clamp(pitch_ + delta.y() * kOrbitSpeed, -kMaxPitch, kMaxPitch);
    updateRotation();
}

QPointF PlotCamera::toWidget(double x, double y, double z) const {
    const Vec3 view = rotate({x - centre_[0], y - centre_[1], mode3D_ ? z - centre_[2] : 0});
    return {0.5 * viewport_.width() + view[0] * scale_,
            0.5 * viewport_.height() - view[1] * scale_};
}

QVector3D PlotCamera::toData(const QPointF& widgetPos) const {
    const Vec3 offset = rotateInverse({(widgetPos.x() - 0.5 * viewport_.width()) / scale_,
                                       (0.5 * viewport_.height() - widgetPos.y()) / scale_, 0});
    return QVector3D(float(centre_[0] + offset[0]), float(centre_[1] + offset[1]),
                     float(centre_[2] + offset[2]));
}

QMatrix4x4 PlotCamera::dataToClip() const {
    // Widget pixels (y down) with depth towards the viewer; then Qt's orthographic projection.
    const double depth = 2.0 * radius_ * scale_ + 1.0;
    QMatrix4x4 clip;
    clip.ortho(0, float(viewport_.width()), float(viewport_.height()), 0, float(-depth),
               float(depth));
    QMatrix4x4 view;
    view.translate(float(0.5 * viewport_.width()), float(0.5 * viewport_.height()));
    view.scale(float(scale_), float(-scale_), float(scale_));
    QMatrix4x4 rotation;
    for (int row = 0; row < 3; ++row)
        for (int col = 0; col < 3; ++col)
            rotation(row, col) = float(rotation_[row * 3 + col]);
    QMatrix4x4 toCentre;
    toCentre.translate(float(-centre_[0]), float(-centre_[1]), float(-centre_[2]));
    return clip * view * rotation * toCentre;
}

QRectF PlotCamera::visibleDataRect() const {
    const QVector3D topLeft = toData({0, 0});
    const QVector3D bottomRight = toData({viewport_.width(), viewport_.height()});
    return QRectF(QPointF(topLeft.x(), bottomRight.y()), QPointF(bottomRight.x(), topLeft.y()));
}

PlotCamera::Vec3 PlotCamera::rotate(const Vec3& v) const {
    const auto& r = rotation_;
    return {r[0] * v[0] + r[1] * v[1] + r[2] * v[2], r[3] * v[0] + r[4] * v[1] + r[5] * v[2],
            r[6] * v[0] + r[7] * v[1] + r[8] * v[2]};
}

PlotCamera::Vec3 PlotCamera::rotateInverse(const Vec3& v) const {
    const auto& r = rotation_;
    return {r[0] * v[0] + r[3] * v[1] + r[6] * v[2], r[1] * v[0] + r[4] * v[1] + r[7] * v[2],
            r[2] * v[0] + r[5] * v[1] + r[8] * v[2]};
}

void PlotCamera::updateRotation() {
    // Yaw about the data's y axis, then pitch about the view's x axis.
    const double cy = std::cos(yaw_), sy = std::sin(yaw_);
    const double cp = std::cos(pitch_), sp = std::sin(pitch_);
    rotation_ = {cy, 0, sy, sp * sy, cp, -sp * cy, -cp * sy, sp, cp * cy};
}

} // namespace scenelens
