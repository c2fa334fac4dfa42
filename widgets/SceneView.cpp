#include "SceneView.h"

#include "SceneRenderer.h"
#include "SelectionModel.h"

#include <vtkCommand.h>
#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkGenericRenderWindowInteractor.h>
#include <vtkInteractorStyleTrackballCamera.h>
#include <vtkNew.h>
#include <vtkOpenGLState.h>

#include <QKeyEvent>
#include <QMetaMethod>
#include <QMouseEvent>
#include <QOpenGLContext>
#include <QPointer>
#include <QScopedValueRollback>
#include <QWheelEvent>
#include <qopengl.h>

#include <cmath>
#include <optional>
#include <utility>
#include <vector>

namespace scenelens {

namespace {

// A press and release closer than this (logical pixels) is a click, not a camera drag.
constexpr double kClickTolerance = 4.0;
// VTK 9.1's FXAA renders black on Mesa llvmpipe: smooth edges by multisampling instead.
constexpr int kMultiSamples = 4;

struct ButtonEvents {
    unsigned long press = 0, release = 0; // 0: a button VTK's trackball does not use
};

ButtonEvents vtkButtonEvents(Qt::MouseButton button) {
    switch (button) {
    case Qt::LeftButton:
        return {vtkCommand::LeftButtonPressEvent, vtkCommand::LeftButtonReleaseEvent};
    case Qt::MiddleButton:
        return {vtkCommand::MiddleButtonPressEvent, vtkCommand::MiddleButtonReleaseEvent};
    case Qt::RightButton:
        return {vtkCommand::RightButtonPressEvent, vtkCommand::RightButtonReleaseEvent};
    default:
        return {};
    }
}

std::vector<int> toVector(const QSet<int>& ids) {
    return {ids.begin(), ids.end()};
}

} // namespace

struct SceneView::Impl {
    SceneView* view;
    SceneRenderer scene;
    vtkNew<vtkGenericOpenGLRenderWindow> window;
    vtkNew<vtkGenericRenderWindowInteractor> interactor;
    vtkNew<vtkInteractorStyleTrackballCamera> style;
    SelectionModel ownSelection;
    QPointer<SelectionModel> selection;
    QMetaObject::Connection selectionConnection;
    QMetaObject::Connection destroyedConnection;
    std::optional<QPointF> pressPos;
    bool painting = false;
    // True until the user moves the camera: resizes then re-frame the scene, so a scene set
    // before the view is laid out still fills it.
    bool autoFrame = true;
    int hoveredObject = -1;
    bool placingAgent = false;
    /// While placing: where the agent stands (the press) and the yaw the drag points to.
    std::optional<AgentMarker> placing;

    explicit Impl(SceneView* owner);
    void onWindowEvent(vtkObject* caller, unsigned long event, void* callData);
    void onInteractorRender(vtkObject*, unsigned long, void*) { view->update(); }
    /// The model set by the application, or the view's own when none is set.
    SelectionModel& selectionModel() { return selection ? *selection : ownSelection; }
    QSize deviceSize() const;
    QPointF toDisplay(const QPointF& widgetPos) const;
    void setEventPosition(const QPointF& widgetPos, Qt::KeyboardModifiers modifiers);
};

SceneView::Impl::Impl(SceneView* owner) : view(owner) {
    window->AddRenderer(scene.renderer());
    // Qt owns the framebuffer: paintGL blits VTK's frame into it, VTK never draws to screen.
    window->SetFrameBlitModeToNoBlit();
    window->SetMultiSamples(kMultiSamples);
    window->SetReadyForRendering(false);
    for (unsigned long event : {vtkCommand::WindowMakeCurrentEvent,
                                vtkCommand::WindowIsCurrentEvent, vtkCommand::WindowFrameEvent})
        window->AddObserver(event, this, &Impl::onWindowEvent);

    interactor->SetRenderWindow(window);
    interactor->SetInteractorStyle(style);
    // Renders happen in paintGL only; the interactor asks for one through RenderEvent.
    interactor->EnableRenderOff();
    interactor->AddObserver(vtkCommand::RenderEvent, this, &Impl::onInteractorRender);
    interactor->Initialize();
}

void SceneView::Impl::onWindowEvent(vtkObject*, unsigned long event, void* callData) {
    QOpenGLContext* context = view->context();
    switch (event) {
    case vtkCommand::WindowMakeCurrentEvent:
        // Never QOpenGLWidget::makeCurrent() here: it rebinds Qt's framebuffer behind VTK's
        // state cache and VTK then attaches its buffers to Qt's FBO.
        if (context && QOpenGLContext::currentContext() != context)
            context->makeCurrent(context->surface());
        break;
    case vtkCommand::WindowIsCurrentEvent:
        *static_cast<bool*>(callData) = context && QOpenGLContext::currentContext() == context;
        break;
    case vtkCommand::WindowFrameEvent:
        if (!painting)
            view->update();
        break;
    }
}

QSize SceneView::Impl::deviceSize() const {
    return view->size() * view->devicePixelRatioF();
}

QPointF SceneView::Impl::toDisplay(const QPointF& widgetPos) const {
    const double ratio = view->devicePixelRatioF();
    return {widgetPos.x() * ratio, deviceSize().height() - 1 - widgetPos.y() * ratio};
}

void SceneView::Impl::setEventPosition(const QPointF& widgetPos, Qt::KeyboardModifiers modifiers) {
    const double ratio = view->devicePixelRatioF();
    interactor->SetEventInformationFlipY(
        qRound(widgetPos.x() * ratio), qRound(widgetPos.y() * ratio),
        modifiers.testFlag(Qt::ControlModifier), modifiers.testFlag(Qt::ShiftModifier));
    interactor->SetAltKey(modifiers.testFlag(Qt::AltModifier));
}

SceneView::SceneView(QWidget* parent) : QOpenGLWidget(parent), d_(std::make_unique<Impl>(this)) {
    setFormat(surfaceFormat());
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true); // for objectHovered
    setMinimumSize(64, 64);
    setSelectionModel(nullptr);
}

SceneView::~SceneView() {
    // QOpenGLWidget's destructor destroys the context after this part of the object is gone.
    if (context())
        disconnect(context(), nullptr, this, nullptr);
    makeCurrent();
    releaseGraphics();
    doneCurrent();
    // The window finalizes again when it is deleted, after the context has gone.
    d_->window->RemoveAllObservers();
}

QSurfaceFormat SceneView::surfaceFormat() {
    QSurfaceFormat format = QSurfaceFormat::defaultFormat();
    format.setRenderableType(QSurfaceFormat::OpenGL);
    format.setVersion(3, 2);
    format.setProfile(QSurfaceFormat::CoreProfile);
    return format;
}

void SceneView::setScene(std::shared_ptr<const Scene> scene) {
    d_->scene.setScene(std::move(scene));
    d_->autoFrame = true;
    d_->placing.reset();
    placedAgent_.reset();
    predictedAgent_.reset();
    applySelection();
}

const Scene* SceneView::scene() const {
    return d_->scene.scene();
}

void SceneView::setOptions(const SceneViewOptions& options) {
    d_->scene.setOptions(options);
    update();
}

const SceneViewOptions& SceneView::options() const {
    return d_->scene.options();
}

void SceneView::setSelectionModel(SelectionModel* model) {
    disconnect(d_->selectionConnection);
    disconnect(d_->destroyedConnection);
    d_->selection = model;
    d_->selectionConnection = connect(&d_->selectionModel(), &SelectionModel::selectionChanged,
                                      this, &SceneView::applySelection);
    if (model)
        d_->destroyedConnection =
            connect(model, &QObject::destroyed, this, [this] { setSelectionModel(nullptr); });
    applySelection();
}

SelectionModel* SceneView::selectionModel() const {
    return &d_->selectionModel();
}

void SceneView::setObjectColors(std::unordered_map<int, Rgb8> colors) {
    d_->scene.setObjectColors(std::move(colors));
    update();
}

void SceneView::setMarkedBoxes(std::vector<MarkedBox> boxes) {
    d_->scene.setMarkedBoxes(std::move(boxes));
    update();
}

void SceneView::setPlacingAgent(bool on) {
    if (on == d_->placingAgent)
        return;
    d_->placingAgent = on;
    d_->placing.reset();
    setCursor(on ? Qt::CrossCursor : Qt::ArrowCursor);
    Q_EMIT placingAgentChanged(on);
}

bool SceneView::placingAgent() const {
    return d_->placingAgent;
}

void SceneView::setPlacedAgent(std::optional<AgentMarker> agent) {
    placedAgent_ = std::move(agent);
    if (placedAgent_)
        placedAgent_->color = kPlacedAgentColor;
    showAgents();
}

void SceneView::setPredictedAgent(std::optional<AgentMarker> agent) {
    predictedAgent_ = std::move(agent);
    if (predictedAgent_)
        predictedAgent_->color = kPredictedAgentColor;
    showAgents();
}

void SceneView::showAgents() {
    std::vector<AgentMarker> agents;
    if (d_->placing)
        agents.push_back(*d_->placing);
    else if (placedAgent_)
        agents.push_back(*placedAgent_);
    if (predictedAgent_)
        agents.push_back(*predictedAgent_);
    d_->scene.setAgents(std::move(agents));
    update();
}

void SceneView::resetCamera() {
    d_->scene.resetCamera();
    d_->autoFrame = true;
    update();
}

CameraPose SceneView::camera() const {
    return d_->scene.camera();
}

void SceneView::setCamera(const CameraPose& pose) {
    d_->scene.setCamera(pose);
    d_->autoFrame = false;
    update();
}

bool SceneView::focusOnObject(int objectId) {
    const bool found = d_->scene.focusOnObject(objectId);
    d_->autoFrame = d_->autoFrame && !found;
    update();
    return found;
}

int SceneView::objectAt(const QPointF& widgetPos) const {
    const QPointF display = d_->toDisplay(widgetPos);
    return d_->scene.pickObject(display.x(), display.y());
}

std::optional<Eigen::Vector3f> SceneView::pointAt(const QPointF& widgetPos) const {
    const QPointF display = d_->toDisplay(widgetPos);
    return d_->scene.pickPoint(display.x(), display.y());
}

QPointF SceneView::projectToWidget(const Eigen::Vector3f& world) const {
    const Eigen::Vector2d display = d_->scene.worldToDisplay(world);
    const double ratio = devicePixelRatioF();
    return {display.x() / ratio, (d_->deviceSize().height() - 1 - display.y()) / ratio};
}

QImage SceneView::grabScene() {
    return grabFramebuffer();
}

SceneRenderer& SceneView::sceneRenderer() const {
    return d_->scene;
}

void SceneView::initializeGL() {
    const QSize size = d_->deviceSize();
    d_->interactor->UpdateSize(size.width(), size.height());
    d_->window->SetOwnContext(false);
    d_->window->SetReadyForRendering(true);
    d_->window->OpenGLInitContext();
    // Reparenting a QOpenGLWidget destroys its context; VTK's GL objects must go with it.
    connect(context(), &QOpenGLContext::aboutToBeDestroyed, this, &SceneView::releaseGraphics,
            Qt::UniqueConnection);
}

void SceneView::paintGL() {
    vtkGenericOpenGLRenderWindow* window = d_->window;
    if (!window->GetReadyForRendering())
        return;
    QScopedValueRollback<bool> painting(d_->painting, true);
    vtkOpenGLState* state = window->GetState();
    // Qt changed GL state since VTK last looked: re-read it, and give it back to Qt afterwards.
    state->Reset();
    state->Push();
    state->vtkglDepthFunc(GL_LEQUAL);
    window->Render();

    const QSize size = d_->deviceSize();
    state->vtkglBindFramebuffer(GL_DRAW_FRAMEBUFFER, defaultFramebufferObject());
    window->BlitDisplayFramebuffer(0, 0, 0, size.width(), size.height(), 0, 0, size.width(),
                                   size.height(), GL_COLOR_BUFFER_BIT, GL_NEAREST);
    // An alpha below one would let Qt blend the view with whatever lies behind the window.
    state->vtkglColorMask(GL_FALSE, GL_FALSE, GL_FALSE, GL_TRUE);
    state->vtkglClearColor(0.f, 0.f, 0.f, 1.f);
    state->vtkglClear(GL_COLOR_BUFFER_BIT);
    state->Pop();
}

void SceneView::resizeGL(int width, int height) {
    const double ratio = devicePixelRatioF();
    d_->interactor->UpdateSize(qRound(width * ratio), qRound(height * ratio));
    d_->window->SetDPI(qRound(72 * ratio));
    if (d_->autoFrame)
        d_->scene.resetCamera();
}

void SceneView::mousePressEvent(QMouseEvent* event) {
    if (d_->placingAgent && event->button() == Qt::LeftButton) {
        // The camera stays put: the press places the agent, the drag turns it.
        if (const auto point = pointAt(event->position())) {
            d_->placing = AgentMarker{*point, 0.f, kPlacedAgentColor};
            showAgents();
        }
        return;
    }
    d_->setEventPosition(event->position(), event->modifiers());
    d_->pressPos =
        event->button() == Qt::LeftButton ? std::optional(event->position()) : std::nullopt;
    if (const ButtonEvents events = vtkButtonEvents(event->button()); events.press)
        d_->interactor->InvokeEvent(events.press);
}

void SceneView::mouseMoveEvent(QMouseEvent* event) {
    if (d_->placing) {
        if (const auto point = pointAt(event->position())) {
            const Eigen::Vector2f towards = point->head<2>() - d_->placing->position.head<2>();
            if (towards.norm() > 0.05f)
                d_->placing->yaw = std::atan2(towards.y(), towards.x());
            showAgents();
        }
        return;
    }
    if (event->buttons() != Qt::NoButton)
        d_->autoFrame = false;
    d_->setEventPosition(event->position(), event->modifiers());
    d_->interactor->InvokeEvent(vtkCommand::MouseMoveEvent);
    // Picking casts a ray through the whole mesh: only when someone listens.
    if (event->buttons() == Qt::NoButton &&
        isSignalConnected(QMetaMethod::fromSignal(&SceneView::objectHovered))) {
        if (const int objectId = objectAt(event->position()); objectId != d_->hoveredObject) {
            d_->hoveredObject = objectId;
            Q_EMIT objectHovered(objectId);
        }
    }
}

void SceneView::mouseReleaseEvent(QMouseEvent* event) {
    if (d_->placing && event->button() == Qt::LeftButton) {
        const AgentMarker placed = *std::exchange(d_->placing, std::nullopt);
        placedAgent_ = placed;
        setPlacingAgent(false);
        showAgents();
        Q_EMIT agentPlaced(placed.position.x(), placed.position.y(), placed.position.z(),
                           placed.yaw);
        return;
    }
    d_->setEventPosition(event->position(), event->modifiers());
    if (const ButtonEvents events = vtkButtonEvents(event->button()); events.release)
        d_->interactor->InvokeEvent(events.release);
    const std::optional<QPointF> pressPos = std::exchange(d_->pressPos, std::nullopt);
    if (event->button() == Qt::LeftButton && pressPos &&
        (event->position() - *pressPos).manhattanLength() <= kClickTolerance)
        handleClick(event->position(), event->modifiers());
}

void SceneView::mouseDoubleClickEvent(QMouseEvent* event) {
    // The first click of the pair already selected; the second one only moves the camera.
    d_->pressPos.reset();
    if (event->button() != Qt::LeftButton)
        return;
    const QPointF display = d_->toDisplay(event->position());
    if (const auto point = d_->scene.pickPoint(display.x(), display.y())) {
        d_->autoFrame = false;
        d_->scene.focusOn(*point);
        update();
    }
}

void SceneView::wheelEvent(QWheelEvent* event) {
    const int delta = event->angleDelta().y();
    if (delta == 0)
        return;
    d_->autoFrame = false;
    d_->setEventPosition(event->position(), event->modifiers());
    d_->interactor->InvokeEvent(delta > 0 ? vtkCommand::MouseWheelForwardEvent
                                          : vtkCommand::MouseWheelBackwardEvent);
    event->accept();
}

void SceneView::keyPressEvent(QKeyEvent* event) {
    if (event->key() == Qt::Key_R && event->modifiers() == Qt::NoModifier) {
        resetCamera();
        return;
    }
    // Only KeyPressEvent, never CharEvent: the style's one-letter shortcuts (w = wireframe,
    // e = exit, ...) would change the view behind the application's back.
    const QByteArray text = event->text().toLatin1();
    d_->interactor->SetKeyEventInformation(event->modifiers().testFlag(Qt::ControlModifier),
                                           event->modifiers().testFlag(Qt::ShiftModifier),
                                           text.isEmpty() ? 0 : text.at(0), event->count());
    d_->interactor->InvokeEvent(vtkCommand::KeyPressEvent);
    QOpenGLWidget::keyPressEvent(event);
}

void SceneView::keyReleaseEvent(QKeyEvent* event) {
    d_->interactor->InvokeEvent(vtkCommand::KeyReleaseEvent);
    QOpenGLWidget::keyReleaseEvent(event);
}

void SceneView::enterEvent(QEnterEvent* event) {
    d_->setEventPosition(event->position(), event->modifiers());
    d_->interactor->InvokeEvent(vtkCommand::EnterEvent);
    QOpenGLWidget::enterEvent(event);
}

void SceneView::leaveEvent(QEvent* event) {
    d_->interactor->InvokeEvent(vtkCommand::LeaveEvent);
    QOpenGLWidget::leaveEvent(event);
}

void SceneView::applySelection() {
    d_->scene.setSelectedObjects(toVector(d_->selectionModel().selectedObjects()));
    update();
}

void SceneView::handleClick(const QPointF& pos, Qt::KeyboardModifiers modifiers) {
    const int objectId = objectAt(pos);
    Q_EMIT objectPicked(objectId);
    const bool toggle = modifiers & (Qt::ControlModifier | Qt::ShiftModifier);
    SelectionModel& selection = d_->selectionModel();
    if (objectId < 0) {
        if (!toggle)
            selection.clear();
    } else if (toggle) {
        selection.toggle(objectId);
    } else {
        selection.selectOnly(objectId);
    }
}

void SceneView::releaseGraphics() {
    if (!d_->window->GetReadyForRendering())
        return;
    d_->window->Finalize();
    d_->window->SetReadyForRendering(false);
}

} // namespace scenelens
