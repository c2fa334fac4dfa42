#pragma once
// Where an embedding plot's data lands on screen: an orthographic camera in logical widget pixels
// (origin top left, y down). 2-D plots are shown face on; 3-D plots can be orbited. Plain C++ on
// QtGui's value types so that zoom, pan and picking geometry are testable without OpenGL.

#include <QMatrix4x4>
#include <QPointF>
#include <QRectF>
#include <QSizeF>
#include <QVector3D>

#include <array>

namespace scenelens {

class PlotCamera {
public:
    /// What the user changed by zooming, panning and orbiting; independent of the viewport size.
    struct Pose {
        std::array<double, 3> centre{0, 0, 0}; ///< data point at the viewport's centre
        double pixelsPerUnit = 1;
        double yaw = 0, pitch = 0; ///< radians; 0 in 2-D mode
    };

    void setViewport(const QSizeF& logicalPixels);
    QSizeF viewport() const { return viewport_; }

    /// 3-D mode allows orbiting; 2-D mode keeps the plot face on.
    void setMode3D(bool on);
    bool is3D() const { return mode3D_; }

    /// Frames the box [min, max] with a margin and, in 3-D, a slightly tilted default direction.
    void fit(const QVector3D& min, const QVector3D& max);

    Pose pose() const { return {centre_, scale_, yaw_, pitch_}; }
    /// Restores a pose (the orbit angles only in 3-D mode); the depth range stays the fitted one.
    void setPose(const Pose& pose);

    /// Scales by `factor` (> 1 zooms in) keeping the data under `widgetPos` where it is.
    void zoomAt(const QPointF& widgetPos, double factor);
    /// Moves the plot by `delta` logical pixels.
    void pan(const QPointF& delta);
    /// Rotates a 3-D plot about its centre: `delta` pixels of mouse motion.
    void orbit(const QPointF& delta);

    /// Widget position (logical pixels) of a data point.
    QPointF toWidget(double x, double y, double z = 0) const;
    /// The data point drawn at `widgetPos` on the plane through the centre facing the viewer.
    QVector3D toData(const QPointF& widgetPos) const;
    /// Data -> OpenGL clip space for the current viewport.
    QMatrix4x4 dataToClip() const;

    /// Logical pixels per data unit.
    double pixelsPerUnit() const { return scale_; }
    /// The data rectangle the 2-D view shows (x right, y up: top() is the smallest y).
    QRectF visibleDataRect() const;

private:
    using Vec3 = std::array<double, 3>;
    Vec3 rotate(const Vec3& v) const;        // data axes -> view axes
    Vec3 rotateInverse(const Vec3& v) const; // view axes -> data axes
    void updateRotation();

    QSizeF viewport_{1, 1};
    bool mode3D_ = false;
    Vec3 centre_{0, 0, 0};
    double scale_ = 1;
    double radius_ = 1; // of the fitted box: bounds the depth range
    double yaw_ = 0, pitch_ = 0;
    std::array<double, 9> rotation_{1, 0, 0, 0, 1, 0, 0, 0, 1}; // row-major
};

} // namespace scenelens
