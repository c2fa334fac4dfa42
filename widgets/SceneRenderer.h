#pragma once
// The VTK pipeline that draws one Scene: coloured mesh, object boxes, selection highlight, camera.
// Shared by the interactive SceneView and the offscreen renderer so both draw the same picture.
// VTK stays behind this header; callers add renderer() to a render window they own.

#include "scene/CameraPose.h"
#include "scene/Scene.h"
#include "scene/SceneViewOptions.h"

#include <Eigen/Core>

#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

class vtkRenderer;

namespace scenelens {

/// A box drawn on top of the scene in its own colour.
struct MarkedBox {
    Box3 box;
    Rgb8 color{255, 255, 255};
};

/// An SQA3D-style agent drawn in the scene: where it stands (on the floor) and which way it faces.
struct AgentMarker {
    Eigen::Vector3f position = Eigen::Vector3f::Zero();
    float yaw = 0.f; ///< radians, counter-clockwise from +x
    Rgb8 color{80, 220, 255};
};

class SceneRenderer {
public:
    /// Dark grey, plain so exported figures and image tests have one known background.
    static constexpr Rgb8 kDefaultBackground{38, 40, 46};

    SceneRenderer();
    ~SceneRenderer();
    SceneRenderer(const SceneRenderer&) = delete;
    SceneRenderer& operator=(const SceneRenderer&) = delete;

    /// The renderer holding every actor; owned by this object, valid for its lifetime.
    vtkRenderer* renderer() const;

    /// Shows `scene` (nullptr shows nothing), clears the selection and resets the camera.
    void setScene(std::shared_ptr<const Scene> scene);
    const Scene* scene() const;

    void setOptions(const SceneViewOptions& options);
    const SceneViewOptions& options() const;

    /// Highlights these objects (ScanNet objectIds); unknown ids are ignored.
    void setSelectedObjects(const std::vector<int>& objectIds);

    /// Paints objects in given colours over the colour mode (e.g. a feature's principal
    /// components, or the similarity to a text query); every other vertex is drawn as a dim grey
    /// of its own colour so the painted objects stand out. An empty map restores the colour mode.
    void setObjectColors(std::unordered_map<int, Rgb8> colors);
    const std::unordered_map<int, Rgb8>& objectColors() const;

    /// Boxes drawn over the scene whatever the options say, e.g. a model's predicted boxes
    /// coloured by score. An empty list removes them; cleared when the scene changes.
    void setMarkedBoxes(std::vector<MarkedBox> boxes);
    const std::vector<MarkedBox>& markedBoxes() const;

    /// Agents drawn as a ring, a post and an arrow (e.g. the placed and the predicted pose of a
    /// situated question). Cleared when the scene changes.
    void setAgents(std::vector<AgentMarker> agents);
    const std::vector<AgentMarker>& agents() const;

    void setBackground(const Rgb8& color);
    Rgb8 background() const;

    /// Fits the whole scene in a 3/4 view from above, z up. Uses the renderer's aspect ratio, so
    /// call it once the render window has its size.
    void resetCamera();
    CameraPose camera() const;
    /// Puts the camera exactly there (clipping range recomputed for the scene).
    void setCamera(const CameraPose& pose);
    /// Moves the focal point to `point` keeping the view direction, and dollies in towards it.
    void focusOn(const Eigen::Vector3f& point);
    /// Frames the object's vertices from the current view direction; false when the scene has no
    /// such object.
    bool focusOnObject(int objectId);

    /// The objectId under a display position (VTK convention: device pixels, origin bottom
    /// left), or -1 for background and unannotated surface.
    int pickObject(double displayX, double displayY) const;
    /// The surface point under a display position, if any.
    std::optional<Eigen::Vector3f> pickPoint(double displayX, double displayY) const;
    /// Display position (device pixels, origin bottom left) of a world point.
    Eigen::Vector2d worldToDisplay(const Eigen::Vector3f& world) const;

private:
    struct Impl;
    std::unique_ptr<Impl> d_;
};

} // namespace scenelens
