#pragma once
// Offscreen rendering of a Scene to an image, for `scenelens render` and figure export. Draws with
// the same SceneRenderer as SceneView, so a saved image looks like the view after a camera reset.

#include "scene/Scene.h"
#include "scene/SceneViewOptions.h"

#include <QImage>
#include <QSize>

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

} // namespace scenelens
