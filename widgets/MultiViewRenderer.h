#pragma once
// Multi-view renders of a scene from cameras placed inside the room, written in ScanNet's
// exported-frames layout (color/, pose/, intrinsic/) so that image pipelines made for real ScanNet
// frames (CLIP image embeddings, 2D-3D projection) run on them unchanged.

#include "Progress.h"
#include "scene/ExportedFrames.h"
#include "scene/Scene.h"
#include "scene/SceneViewOptions.h"

#include <Eigen/Core>

#include <QSize>

#include <string>
#include <vector>

namespace scenelens {

/// Where placeViewCameras puts cameras (metres; the floor is the scene's lowest point, z up).
struct ViewPlacement {
    float eyeHeight = 1.5f;    ///< Camera height above the floor, about a person's eye level.
    float wallMargin = 0.6f;   ///< Distance kept inside the scene's horizontal bounds.
    float targetHeight = 0.6f; ///< Height above the floor of the point the cameras look at.
};

/// `count` camera-to-world poses (OpenCV convention, as ScanNet's pose files) evenly spaced on an
/// ellipse inside the scene's bounds, each looking with a downward pitch of 10 to 30 degrees
/// towards the centre of the annotated furniture (the bounds' centre when there is none). A camera
/// that would stand over furniture or outside the scan, within 0.4 m of a surface, or face a drawn
/// surface nearer than 1.5 m moves towards the centre or a little sideways. Deterministic; empty
/// for an empty scene or count < 1. Casts rays at the mesh: about 10 ms per camera per 100k faces
/// when the first spot is free.
std::vector<Eigen::Matrix4f> placeViewCameras(const Scene& scene, int count,
                                              const ViewPlacement& placement = {});

struct MultiViewOptions {
    int count = 8;
    QSize size{320, 320};
    double verticalFovDegrees = 60.0;
    SceneViewOptions look; ///< Colour mode and boxes, as in the 3D view.
    ViewPlacement placement;
};

/// fx = fy = height / (2 tan(fov / 2)), principal point at the image centre (width/2, height/2).
Eigen::Matrix4f viewIntrinsic(QSize size, double verticalFovDegrees);

/// Renders options.count views of `scene` and writes color/<i>.png, pose/<i>.txt and
/// intrinsic/intrinsic_color.txt under `folder` (created when missing; files of the same names
/// are replaced). Returns what readExportedFrames(folder) reads back. Reports progress to
/// `progress` and throws Cancelled when it asks to stop (the views written so far stay). Throws
/// std::runtime_error when `folder` already holds frames numbered count or more (they would mix
/// with the new ones), a file cannot be written, or rendering fails (see renderSceneImage).
ExportedFrames renderViewsToFolder(const Scene& scene, const std::string& folder,
                                   const MultiViewOptions& options,
                                   ProgressSink* progress = nullptr);

} // namespace scenelens
