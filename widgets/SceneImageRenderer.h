#pragma once
// Offscreen rendering of a Scene to images, for `scenelens render`, `render-views` and figure
// export. Draws with the same SceneRenderer as SceneView, so a saved image looks like the view
// after a camera reset.

#include "scene/Scene.h"
#include "scene/SceneViewOptions.h"

#include <Eigen/Core>

#include <QImage>
#include <QSize>

#include <cstddef>
#include <functional>
#include <vector>

namespace scenelens {

/// Largest width or height renderSceneImage accepts (the renderbuffer limit of common drivers).
constexpr int kMaxRenderSize = 16384;

/// Renders `scene` framed by SceneRenderer::resetCamera() into an RGB image of exactly
/// `sizeInPixels`, with `selectedObjects` (objectIds) highlighted. Needs an X display (VTK 9.1 on
/// Debian renders through GLX; `xvfb-run -a` provides one). Throws std::runtime_error with a
/// message a user can act on when there is no display, the size is invalid, or rendering fails.
/// Thread-safe; concurrent calls render one after the other.
QImage renderSceneImage(const Scene& scene, const SceneViewOptions& options, QSize sizeInPixels,
                        const std::vector<int>& selectedObjects = {});

/// Renders `scene` once per pose in `cameraToWorld` (OpenCV convention, as ScanNet's pose files:
/// x right, y down, looking along +z) through the pinhole `intrinsic` (4x4, fx fy cx cy in pixels,
/// see scene/ExportedFrames.h), so that points projected with them land on the drawn pixels.
/// Calls `onImage(i, image)` after each view; an exception it throws stops the rendering and
/// propagates. The scene is uploaded once for all views. Errors as renderSceneImage.
void renderSceneViews(const Scene& scene, const SceneViewOptions& options, QSize sizeInPixels,
                      const Eigen::Matrix4f& intrinsic,
                      const std::vector<Eigen::Matrix4f>& cameraToWorld,
                      const std::function<void(std::size_t, const QImage&)>& onImage);

} // namespace scenelens
