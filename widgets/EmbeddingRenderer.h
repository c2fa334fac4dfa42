#pragma once
// The OpenGL 3.3 part of EmbeddingView: embedding points as point sprites. The points live in
// three GPU buffers uploaded once (positions, RGBA8 colours, one flags byte each); a second, small
// set of buffers holds the emphasised points (selected, search matches, pulsing) drawn on top.
// Pan, zoom and hover only change uniforms. Needs a current context for every call.

#include <QColor>
#include <QMatrix4x4>
#include <QRectF>
#include <QSizeF>
#include <QString>

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace scenelens {

/// Bits of a point's flags byte (shared with shaders/embedding_points.*).
namespace pointflags {
inline constexpr std::uint8_t kMarkerMask = 3; ///< 0 circle, 1 square, 2 triangle, 3 diamond
inline constexpr std::uint8_t kHidden = 4;
inline constexpr std::uint8_t kSelected = 8;
inline constexpr std::uint8_t kHighlighted = 16;
inline constexpr std::uint8_t kPulsing = 32;
} // namespace pointflags

/// One emphasised point, drawn in the overlay pass.
struct OverlayPoint {
    float position[3] = {0, 0, 0};
    std::array<std::uint8_t, 4> color{};
    std::uint8_t flags = 0;
};

/// How the points are drawn this frame.
struct PointStyle {
    QMatrix4x4 dataToClip;
    QSizeF viewport;       ///< device pixels of the target framebuffer
    double pixelRatio = 1; ///< device pixels per logical pixel
    float pointSize = 6;   ///< logical pixels
    float alpha = 1;       ///< opacity times the density factor
    float outlineWidth = 1.5f;
    float pulseScale = 1;
    bool depthTest = false; ///< 3-D plots
    int pointLimit = -1;    ///< draw only the first this many buffer entries (-1: all)
    QRectF excludeClip;     ///< clip-space rectangle (x, y: min corner) whose points are not drawn
    QColor selectedOutline{20, 20, 20};
    QColor highlightOutline{230, 60, 20};
};

/// How often each buffer was (re)filled: the tests check that changes re-upload only what changed.
struct UploadCounts {
    int positions = 0, colors = 0, flags = 0, overlay = 0;
};

class EmbeddingRenderer {
public:
    EmbeddingRenderer();
    ~EmbeddingRenderer();
    EmbeddingRenderer(const EmbeddingRenderer&) = delete;
    EmbeddingRenderer& operator=(const EmbeddingRenderer&) = delete;

    /// Compiles the shaders from :/shaders and creates the buffers; false with `error` set when
    /// the context lacks OpenGL 3.3 core or a shader does not compile.
    bool initialize(QString* error);
    bool isInitialized() const;
    /// Frees the GL objects (the context must be current).
    void release();

    /// Buffers hold the points in the caller's draw order, so that a prefix of them can be drawn
    /// (PointStyle::pointLimit). rows x dims (2 or 3) row-major data coordinates.
    void setPositions(const float* coords, int rows, int dims);
    void setColors(const std::array<std::uint8_t, 4>* colors, int rows);
    void setFlags(const std::uint8_t* flags, int rows);
    void setOverlay(const std::vector<OverlayPoint>& points);

    /// Draws all points, then the overlay on top, into the bound framebuffer.
    void render(const PointStyle& style);

    const UploadCounts& uploadCounts() const;
    /// Bytes held in the per-point buffers (the overlay excluded).
    std::size_t pointBufferBytes() const;

private:
    struct Impl;
    std::unique_ptr<Impl> d_;
};

} // namespace scenelens
