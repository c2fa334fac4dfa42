#pragma once
// Interactive 3D view of one Scene: VTK hosted in a QOpenGLWidget (see DESIGN.md, "Qt 6 + VTK
// 9.1"). Left drag rotates, middle drag / shift+left drag pans, wheel or right drag zooms; a click
// selects the object under the cursor (ctrl/shift+click toggles), a double click centres the
// camera on the clicked point, R resets the camera.

#include "SceneRenderer.h"
#include "scene/CameraPose.h"
#include "scene/Scene.h"
#include "scene/SceneViewOptions.h"

#include <QOpenGLWidget>
#include <QPointF>

#include <memory>
#include <optional>
#include <unordered_map>

namespace scenelens {

class SelectionModel;

class SceneView : public QOpenGLWidget {
    Q_OBJECT
public:
    explicit SceneView(QWidget* parent = nullptr);
    ~SceneView() override;

    /// Surface format VTK needs (OpenGL 3.2 core). Applications should make it the default
    /// (QSurfaceFormat::setDefaultFormat) before creating QApplication; the view also requests it.
    static QSurfaceFormat surfaceFormat();

    /// Shows `scene` (nullptr shows nothing) and resets the camera.
    void setScene(std::shared_ptr<const Scene> scene);
    const Scene* scene() const;

    void setOptions(const SceneViewOptions& options);
    const SceneViewOptions& options() const;

    /// The selection this view edits on click and highlights. Not owned; nullptr (or deleting
    /// the model) restores the view's own model.
    void setSelectionModel(SelectionModel* model);
    SelectionModel* selectionModel() const;

    /// Paints these objects in these colours over the colour mode (SceneRenderer::setObjectColors);
    /// an empty map restores the colour mode. Cleared when the scene changes.
    void setObjectColors(std::unordered_map<int, Rgb8> colors);
    /// Draws these boxes over the scene (SceneRenderer::setMarkedBoxes).
    void setMarkedBoxes(std::vector<MarkedBox> boxes);

    /// Cyan: the agent the user places; magenta: the one a model predicts.
    static constexpr Rgb8 kPlacedAgentColor{80, 220, 255};
    static constexpr Rgb8 kPredictedAgentColor{255, 80, 200};
    /// While on, a left press on the scene places an agent there and the drag sets the way it
    /// faces (the camera stays); the release emits agentPlaced and turns the mode off.
    void setPlacingAgent(bool on);
    bool placingAgent() const;
    /// The placed agent (nullopt: none), e.g. from an SQA3D annotation.
    void setPlacedAgent(std::optional<AgentMarker> agent);
    const std::optional<AgentMarker>& placedAgent() const { return placedAgent_; }
    /// The agent a situated model predicts (nullopt: none).
    void setPredictedAgent(std::optional<AgentMarker> agent);

    void resetCamera();
    CameraPose camera() const;
    /// Puts the camera there; the view stops re-framing the scene when it is resized.
    void setCamera(const CameraPose& pose);
    /// Frames the object; false when the scene has no such object.
    bool focusOnObject(int objectId);

    /// The objectId under a widget position (logical pixels), or -1.
    int objectAt(const QPointF& widgetPos) const;
    /// The surface point under a widget position (logical pixels), if any.
    std::optional<Eigen::Vector3f> pointAt(const QPointF& widgetPos) const;
    /// Widget position (logical pixels, origin top left) where a world point is drawn.
    QPointF projectToWidget(const Eigen::Vector3f& world) const;

    /// Renders and returns the current frame.
    QImage grabScene();

    /// The pipeline behind the view, for callers that share its camera or export figures.
    SceneRenderer& sceneRenderer() const;

Q_SIGNALS:
    /// A click picked this object (-1: background or unannotated surface).
    void objectPicked(int objectId);
    /// The object under the mouse changed while no button is held (-1: none).
    void objectHovered(int objectId);
    /// The user placed an agent: position (metres) and yaw (radians from +x).
    void agentPlaced(float x, float y, float z, float yaw);
    void placingAgentChanged(bool on);

protected:
    void initializeGL() override;
    void paintGL() override;
    void resizeGL(int width, int height) override;

    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void keyReleaseEvent(QKeyEvent* event) override;
    void enterEvent(QEnterEvent* event) override;
    void leaveEvent(QEvent* event) override;

private:
    void applySelection();
    void handleClick(const QPointF& pos, Qt::KeyboardModifiers modifiers);
    void releaseGraphics();
    void showAgents();

    std::optional<AgentMarker> placedAgent_;
    std::optional<AgentMarker> predictedAgent_;
    struct Impl;
    std::unique_ptr<Impl> d_;
};

} // namespace scenelens
