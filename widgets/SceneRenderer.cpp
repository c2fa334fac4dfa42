#include "SceneRenderer.h"

#include "scene/MeshRayPicker.h"
#include "scene/Palettes.h"

#include <vtkActor.h>
#include <vtkBillboardTextActor3D.h>
#include <vtkCamera.h>
#include <vtkCellArray.h>
#include <vtkCellPicker.h>
#include <vtkFloatArray.h>
#include <vtkIdTypeArray.h>
#include <vtkNew.h>
#include <vtkPointData.h>
#include <vtkPoints.h>
#include <vtkPolyData.h>
#include <vtkPolyDataMapper.h>
#include <vtkProperty.h>
#include <vtkRenderer.h>
#include <vtkSmartPointer.h>
#include <vtkTextProperty.h>
#include <vtkUnsignedCharArray.h>

#include <Eigen/Geometry>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>

namespace scenelens {

namespace {

constexpr Rgb8 kHighlight{255, 200, 40};
// Share of the highlight colour in a selected vertex: enough to read as "selected" while the
// object's own colour (class, instance or scan texture) stays recognisable.
constexpr float kHighlightBlend = 0.55f;
constexpr double kPi = 3.14159265358979323846;

Rgb8 blend(const Rgb8& a, const Rgb8& b, float t) {
    Rgb8 out;
    for (int c = 0; c < 3; ++c)
        out[c] = static_cast<std::uint8_t>(std::lround((1.f - t) * a[c] + t * b[c]));
    return out;
}

std::array<double, 3> toUnit(const Rgb8& c) {
    return {c[0] / 255.0, c[1] / 255.0, c[2] / 255.0};
}

Rgb8 vertexColor(const Scene& scene, SceneColorMode mode, std::size_t v) {
    switch (mode) {
    case SceneColorMode::Instance:
        return instanceColor(v < scene.instanceIds.size() ? scene.instanceIds[v] : 0);
    case SceneColorMode::Class:
        return nyu40Color(v < scene.nyu40Ids.size() ? scene.nyu40Ids[v] : 0);
    case SceneColorMode::Rgb:
        break;
    }
    return v < scene.colors.size() ? scene.colors[v] : kUnannotatedColor;
}

vtkSmartPointer<vtkPoints> toPoints(const std::vector<Eigen::Vector3f>& positions) {
    vtkNew<vtkFloatArray> coords;
    coords->SetNumberOfComponents(3);
    coords->SetNumberOfTuples(static_cast<vtkIdType>(positions.size()));
    float* out = coords->GetPointer(0);
    for (std::size_t i = 0; i < positions.size(); ++i)
        std::memcpy(out + 3 * i, positions[i].data(), 3 * sizeof(float));
    auto points = vtkSmartPointer<vtkPoints>::New();
    points->SetData(coords);
    return points;
}

vtkSmartPointer<vtkCellArray> toTriangles(const std::vector<std::array<std::uint32_t, 3>>& faces) {
    const auto count = static_cast<vtkIdType>(faces.size());
    vtkNew<vtkIdTypeArray> offsets;
    offsets->SetNumberOfValues(count + 1);
    vtkNew<vtkIdTypeArray> connectivity;
    connectivity->SetNumberOfValues(3 * count);
    for (vtkIdType f = 0; f < count; ++f) {
        offsets->SetValue(f, 3 * f);
        for (int k = 0; k < 3; ++k)
            connectivity->SetValue(3 * f + k, faces[f][k]);
    }
    offsets->SetValue(count, 3 * count);
    auto cells = vtkSmartPointer<vtkCellArray>::New();
    cells->SetData(offsets, connectivity);
    return cells;
}

/// One vertex cell per point, for scenes read from point clouds (a .ply without faces).
vtkSmartPointer<vtkCellArray> toVertexCells(std::size_t pointCount) {
    const auto count = static_cast<vtkIdType>(pointCount);
    vtkNew<vtkIdTypeArray> offsets;
    offsets->SetNumberOfValues(count + 1);
    vtkNew<vtkIdTypeArray> connectivity;
    connectivity->SetNumberOfValues(count);
    for (vtkIdType v = 0; v < count; ++v) {
        offsets->SetValue(v, v);
        connectivity->SetValue(v, v);
    }
    offsets->SetValue(count, count);
    auto cells = vtkSmartPointer<vtkCellArray>::New();
    cells->SetData(offsets, connectivity);
    return cells;
}

vtkSmartPointer<vtkPolyData> buildMesh(const Scene& scene) {
    auto mesh = vtkSmartPointer<vtkPolyData>::New();
    mesh->SetPoints(toPoints(scene.positions));
    if (scene.faces.empty())
        mesh->SetVerts(toVertexCells(scene.vertexCount()));
    else
        mesh->SetPolys(toTriangles(scene.faces));
    if (scene.normals.size() == scene.positions.size()) {
        vtkNew<vtkFloatArray> normals;
        normals->SetName("Normals");
        normals->SetNumberOfComponents(3);
        normals->SetNumberOfTuples(static_cast<vtkIdType>(scene.normals.size()));
        for (std::size_t i = 0; i < scene.normals.size(); ++i)
            normals->SetTypedTuple(static_cast<vtkIdType>(i), scene.normals[i].data());
        mesh->GetPointData()->SetNormals(normals);
    }
    return mesh;
}

struct ColoredSegment {
    Eigen::Vector3f from, to;
    Rgb8 color;
};

vtkSmartPointer<vtkPolyData> buildSegments(const std::vector<ColoredSegment>& segments) {
    vtkNew<vtkPoints> points;
    vtkNew<vtkCellArray> lines;
    vtkNew<vtkUnsignedCharArray> rgb;
    rgb->SetNumberOfComponents(3);
    for (const ColoredSegment& segment : segments) {
        const vtkIdType ids[2] = {points->InsertNextPoint(segment.from.data()),
                                  points->InsertNextPoint(segment.to.data())};
        rgb->InsertNextTypedTuple(segment.color.data());
        rgb->InsertNextTypedTuple(segment.color.data());
        lines->InsertNextCell(2, ids);
    }
    auto polyData = vtkSmartPointer<vtkPolyData>::New();
    polyData->SetPoints(points);
    polyData->SetLines(lines);
    polyData->GetPointData()->SetScalars(rgb);
    return polyData;
}

/// The twelve edges of a box.
void addBoxEdges(const Box3& box, const Rgb8& color, std::vector<ColoredSegment>& out) {
    static constexpr int kEdges[12][2] = {{0, 1}, {1, 3}, {3, 2}, {2, 0}, {4, 5}, {5, 7},
                                          {7, 6}, {6, 4}, {0, 4}, {1, 5}, {2, 6}, {3, 7}};
    const auto corner = [&box](int i) {
        return Eigen::Vector3f(i & 1 ? box.max.x() : box.min.x(), i & 2 ? box.max.y() : box.min.y(),
                               i & 4 ? box.max.z() : box.min.z());
    };
    for (const auto& edge : kEdges)
        out.push_back({corner(edge[0]), corner(edge[1]), color});
}

vtkSmartPointer<vtkPolyData> buildBoxLines(const std::vector<Box3>& boxes,
                                           const std::vector<Rgb8>& colors) {
    std::vector<ColoredSegment> segments;
    for (std::size_t b = 0; b < boxes.size(); ++b)
        addBoxEdges(boxes[b], colors[b], segments);
    return buildSegments(segments);
}

/// An agent as SQA3D places one: a ring on the floor, a post to eye height, and an arrow along
/// the floor the way it faces.
void addAgent(const AgentMarker& agent, std::vector<ColoredSegment>& out) {
    constexpr float kRing = 0.25f, kArrow = 0.6f, kHeight = 1.5f;
    constexpr int kRingSegments = 24;
    const Eigen::Vector3f& p = agent.position;
    const Eigen::Vector3f facing(std::cos(agent.yaw), std::sin(agent.yaw), 0.f);
    const Eigen::Vector3f side(-facing.y(), facing.x(), 0.f);
    for (int i = 0; i < kRingSegments; ++i) {
        const float a0 = float(2 * kPi * i / kRingSegments),
                    a1 = float(2 * kPi * (i + 1) / kRingSegments);
        out.push_back({p + kRing * Eigen::Vector3f(std::cos(a0), std::sin(a0), 0.f),
                       p + kRing * Eigen::Vector3f(std::cos(a1), std::sin(a1), 0.f), agent.color});
    }
    const Eigen::Vector3f tip = p + kArrow * facing;
    out.push_back({p, tip, agent.color});
    out.push_back({tip, tip - 0.18f * facing + 0.1f * side, agent.color});
    out.push_back({tip, tip - 0.18f * facing - 0.1f * side, agent.color});
    out.push_back({p, p + Eigen::Vector3f(0.f, 0.f, kHeight), agent.color});
}

vtkSmartPointer<vtkActor> makeActor(bool lit) {
    vtkNew<vtkPolyDataMapper> mapper;
    mapper->SetColorModeToDirectScalars();
    mapper->SetScalarModeToUsePointData();
    auto actor = vtkSmartPointer<vtkActor>::New();
    actor->SetMapper(mapper);
    actor->SetVisibility(false);
    if (!lit)
        actor->GetProperty()->LightingOff();
    return actor;
}

void setActorData(vtkActor* actor, vtkPolyData* data) {
    static_cast<vtkPolyDataMapper*>(actor->GetMapper())->SetInputData(data);
}

vtkSmartPointer<vtkBillboardTextActor3D> makeLabel(const SceneObject& object) {
    auto label = vtkSmartPointer<vtkBillboardTextActor3D>::New();
    label->SetInput((object.rawLabel + " #" + std::to_string(object.id)).c_str());
    const Eigen::Vector3f anchor = object.box.center();
    label->SetPosition(anchor.x(), anchor.y(), object.box.max.z());
    // Lift the text above the top edge of the outline so it never covers the object itself.
    label->SetDisplayOffset(0, 12);
    vtkTextProperty* text = label->GetTextProperty();
    text->SetFontSize(18);
    text->SetBold(true);
    text->SetColor(1.0, 1.0, 1.0);
    text->SetJustificationToCentered();
    text->SetBackgroundColor(0.08, 0.08, 0.1);
    text->SetBackgroundOpacity(0.75);
    return label;
}

/// Camera axes and half field of view, for framing points.
struct ViewBasis {
    Eigen::Vector3d back; ///< Unit vector from the focal point to the camera.
    Eigen::Vector3d right;
    Eigen::Vector3d up;
    double tanHalfWidth;
    double tanHalfHeight;
};

ViewBasis makeViewBasis(const Eigen::Vector3d& back, const Eigen::Vector3d& up, double viewAngleDeg,
                        double aspect) {
    ViewBasis basis;
    basis.back = back.normalized();
    basis.right = up.cross(basis.back).normalized();
    basis.up = basis.back.cross(basis.right);
    basis.tanHalfHeight = std::tan(0.5 * viewAngleDeg * kPi / 180.0);
    basis.tanHalfWidth = basis.tanHalfHeight * aspect;
    return basis;
}

/// Smallest distance from `focal` along basis.back at which every point is in view.
double fitDistance(const std::vector<Eigen::Vector3f>& points, const Eigen::Vector3d& focal,
                   const ViewBasis& basis) {
    double distance = 0.0;
    for (const Eigen::Vector3f& p : points) {
        const Eigen::Vector3d r = p.cast<double>() - focal;
        const double depth = r.dot(basis.back);
        distance = std::max({distance, depth + std::abs(r.dot(basis.right)) / basis.tanHalfWidth,
                             depth + std::abs(r.dot(basis.up)) / basis.tanHalfHeight});
    }
    return distance;
}

struct CameraFit {
    Eigen::Vector3d focal;
    double distance;
};

/// Frames `points` tightly: the focal point moves sideways until their projection is centred
/// (a few steps, since perspective makes each step inexact), then the distance fits them all.
/// Fitting the points rather than their bounding box keeps irregular rooms from looking small.
CameraFit fitCamera(const std::vector<Eigen::Vector3f>& points, const ViewBasis& basis) {
    Box3 bounds;
    for (const Eigen::Vector3f& p : points)
        bounds.extend(p);
    CameraFit fit{bounds.center().cast<double>(), 0.0};
    for (int step = 0; step < 3; ++step) {
        fit.distance = fitDistance(points, fit.focal, basis);
        Eigen::Vector2d low = Eigen::Vector2d::Constant(std::numeric_limits<double>::max());
        Eigen::Vector2d high = -low;
        for (const Eigen::Vector3f& p : points) {
            const Eigen::Vector3d r = p.cast<double>() - fit.focal;
            const double depth = std::max(fit.distance - r.dot(basis.back), 1e-6);
            const Eigen::Vector2d screen(r.dot(basis.right) / depth, r.dot(basis.up) / depth);
            low = low.cwiseMin(screen);
            high = high.cwiseMax(screen);
        }
        const Eigen::Vector2d shift = 0.5 * fit.distance * (low + high);
        fit.focal += shift.x() * basis.right + shift.y() * basis.up;
    }
    fit.distance = fitDistance(points, fit.focal, basis);
    return fit;
}

} // namespace

struct SceneRenderer::Impl {
    std::shared_ptr<const Scene> scene;
    SceneViewOptions options;
    std::vector<int> selected;
    std::unordered_map<int, Rgb8> objectColors;
    std::vector<MarkedBox> markedBoxes;
    std::vector<AgentMarker> agents;
    Rgb8 background = kDefaultBackground;

    vtkNew<vtkRenderer> renderer;
    vtkSmartPointer<vtkActor> mesh = makeActor(true);
    vtkSmartPointer<vtkActor> boxes = makeActor(false);
    vtkSmartPointer<vtkActor> outlines = makeActor(false);
    vtkSmartPointer<vtkActor> marked = makeActor(false);
    vtkSmartPointer<vtkActor> agentLines = makeActor(false);
    std::vector<vtkSmartPointer<vtkBillboardTextActor3D>> labels;
    vtkNew<vtkUnsignedCharArray> meshColors;
    vtkNew<vtkCellPicker> pointPicker; // point clouds; meshes are picked by pickFrontFace

    Impl();
    void setupMeshLook();
    /// The vertex drawn under a display position (VTK display coordinates) and the picked point.
    std::optional<std::pair<std::uint32_t, Eigen::Vector3f>> pick(double x, double y) const;
    /// A vertex's colour before objects are painted and the selection highlighted.
    Rgb8 baseColor(std::size_t v) const;
    void updateMeshColors();
    void updateBoxes();
    void updateMarkedBoxes();
    void updateAgents();
    void updateSelectionOutlines();
    /// Looks along -back (z up) at `points`, framed with `margin` (1 = touching the borders).
    void placeCamera(const std::vector<Eigen::Vector3f>& points, const Eigen::Vector3d& back,
                     double margin);
};

SceneRenderer::Impl::Impl() {
    renderer->SetBackground(toUnit(background).data());
    renderer->SetBackgroundAlpha(1.0);
    // Faces whose winding disagrees with their neighbours' are still lit from the camera side.
    renderer->TwoSidedLightingOn();
    setupMeshLook();
    boxes->GetProperty()->SetLineWidth(2.0f);
    outlines->GetProperty()->SetLineWidth(4.0f);
    marked->GetProperty()->SetLineWidth(3.0f);
    marked->SetVisibility(false);
    agentLines->GetProperty()->SetLineWidth(4.0f);
    agentLines->SetVisibility(false);
    for (vtkActor* actor :
         {mesh.Get(), boxes.Get(), outlines.Get(), marked.Get(), agentLines.Get()})
        renderer->AddActor(actor);
    meshColors->SetName("Colors");
    meshColors->SetNumberOfComponents(3);
    pointPicker->PickFromListOn();
    pointPicker->AddPickList(mesh);
    // In fractions of the window diagonal: a click near a point of a cloud hits it.
    pointPicker->SetTolerance(0.01);
}

void SceneRenderer::Impl::setupMeshLook() {
    vtkProperty* look = mesh->GetProperty();
    look->SetInterpolationToGouraud();
    // Scan colours already carry baked lighting: a high ambient share keeps them close to the
    // captured colours, the diffuse share still shows the shape of flat-coloured (class) meshes.
    look->SetAmbient(0.35);
    look->SetDiffuse(0.7);
    look->SetSpecular(0.0);
    look->SetPointSize(3.0f);
    // Scan faces point into the room (towards the scanner), so culling back faces hides the walls
    // between an outside camera and the room: a dollhouse view where objects are never occluded
    // by the near walls.
    look->BackfaceCullingOn();
}

std::optional<std::pair<std::uint32_t, Eigen::Vector3f>> SceneRenderer::Impl::pick(double x,
                                                                                   double y) const {
    if (!scene)
        return std::nullopt;
    if (scene->faces.empty()) {
        if (!pointPicker->Pick(x, y, 0.0, renderer) || pointPicker->GetPointId() < 0)
            return std::nullopt;
        return std::pair(static_cast<std::uint32_t>(pointPicker->GetPointId()),
                         Eigen::Vector3d(pointPicker->GetPickPosition()).cast<float>());
    }
    // The ray through the pixel, from the near to the far clipping plane. VTK's own pickers
    // ignore back-face culling and would pick the invisible near walls.
    Eigen::Vector3d ends[2];
    for (int i = 0; i < 2; ++i) {
        renderer->SetDisplayPoint(x, y, double(i));
        renderer->DisplayToWorld();
        double world[4];
        renderer->GetWorldPoint(world);
        ends[i] = Eigen::Vector3d(world[0], world[1], world[2]) / world[3];
    }
    const auto hit =
        pickFrontFace(*scene, ends[0].cast<float>(), (ends[1] - ends[0]).cast<float>());
    if (!hit)
        return std::nullopt;
    return std::pair(hit->nearestVertex, hit->position);
}

Rgb8 SceneRenderer::Impl::baseColor(std::size_t v) const {
    const Rgb8 own = vertexColor(*scene, options.colorBy, v);
    if (objectColors.empty())
        return own;
    // Painted objects get their colours afterwards; the rest fades to a dark grey of its luminance.
    const int grey = (77 * own[0] + 150 * own[1] + 29 * own[2]) >> 8;
    const auto dim = static_cast<std::uint8_t>(40 + grey / 4);
    return {dim, dim, dim};
}

void SceneRenderer::Impl::updateMeshColors() {
    if (!scene)
        return;
    const auto count = static_cast<vtkIdType>(scene->vertexCount());
    meshColors->SetNumberOfTuples(count);
    std::uint8_t* out = meshColors->GetPointer(0);
    for (vtkIdType v = 0; v < count; ++v)
        std::memcpy(out + 3 * v, baseColor(v).data(), 3);
    for (const auto& [id, color] : objectColors)
        if (const SceneObject* object = scene->findObject(id))
            for (std::uint32_t v : object->vertexIndices)
                std::memcpy(out + 3 * v, color.data(), 3);
    for (int id : selected) {
        for (std::uint32_t v : scene->findObject(id)->vertexIndices) {
            const Rgb8 tinted = blend(Rgb8{out[3 * v], out[3 * v + 1], out[3 * v + 2]}, kHighlight,
                                      kHighlightBlend);
            std::memcpy(out + 3 * v, tinted.data(), 3);
        }
    }
    meshColors->Modified();
}

void SceneRenderer::Impl::updateBoxes() {
    std::vector<Box3> shown;
    std::vector<Rgb8> colors;
    if (scene) {
        for (const SceneObject& object : scene->objects) {
            if (object.box.isEmpty())
                continue;
            shown.push_back(object.box);
            colors.push_back(nyu40Color(object.nyu40Id));
        }
    }
    setActorData(boxes, buildBoxLines(shown, colors));
    boxes->SetVisibility(options.showBoxes && !shown.empty());
}

void SceneRenderer::Impl::updateMarkedBoxes() {
    std::vector<Box3> shown;
    std::vector<Rgb8> colors;
    for (const MarkedBox& marked : markedBoxes) {
        if (marked.box.isEmpty())
            continue;
        shown.push_back(marked.box);
        colors.push_back(marked.color);
    }
    setActorData(marked, buildBoxLines(shown, colors));
    marked->SetVisibility(!shown.empty());
}

void SceneRenderer::Impl::updateAgents() {
    std::vector<ColoredSegment> segments;
    for (const AgentMarker& agent : agents)
        addAgent(agent, segments);
    setActorData(agentLines, buildSegments(segments));
    agentLines->SetVisibility(!segments.empty());
}

void SceneRenderer::Impl::updateSelectionOutlines() {
    for (const auto& label : labels)
        renderer->RemoveActor(label);
    labels.clear();
    std::vector<Box3> shown;
    for (int id : selected) {
        const SceneObject& object = *scene->findObject(id);
        if (object.box.isEmpty())
            continue;
        shown.push_back(object.box);
        labels.push_back(makeLabel(object));
        renderer->AddActor(labels.back());
    }
    setActorData(outlines, buildBoxLines(shown, std::vector<Rgb8>(shown.size(), kHighlight)));
    outlines->SetVisibility(!shown.empty());
}

void SceneRenderer::Impl::placeCamera(const std::vector<Eigen::Vector3f>& points,
                                      const Eigen::Vector3d& back, double margin) {
    if (points.empty())
        return;
    vtkCamera* camera = renderer->GetActiveCamera();
    const Eigen::Vector3d up = Eigen::Vector3d::UnitZ();
    const ViewBasis basis = makeViewBasis(back, up, camera->GetViewAngle(),
                                          std::max(renderer->GetTiledAspectRatio(), 1e-3));
    const CameraFit fit = fitCamera(points, basis);
    const Eigen::Vector3d position = fit.focal + std::max(margin * fit.distance, 0.1) * basis.back;
    camera->SetFocalPoint(fit.focal.data());
    camera->SetPosition(position.data());
    camera->SetViewUp(up.data());
    renderer->ResetCameraClippingRange();
}

SceneRenderer::SceneRenderer() : d_(std::make_unique<Impl>()) {}

SceneRenderer::~SceneRenderer() = default;

vtkRenderer* SceneRenderer::renderer() const {
    return d_->renderer;
}

void SceneRenderer::setScene(std::shared_ptr<const Scene> scene) {
    d_->scene = std::move(scene);
    d_->selected.clear();
    d_->objectColors.clear();
    d_->markedBoxes.clear();
    d_->updateMarkedBoxes();
    d_->agents.clear();
    d_->updateAgents();
    if (d_->scene) {
        vtkSmartPointer<vtkPolyData> mesh = buildMesh(*d_->scene);
        mesh->GetPointData()->SetScalars(d_->meshColors);
        d_->updateMeshColors();
        setActorData(d_->mesh, mesh);
    }
    d_->mesh->SetVisibility(d_->scene != nullptr);
    d_->updateBoxes();
    d_->updateSelectionOutlines();
    resetCamera();
}

const Scene* SceneRenderer::scene() const {
    return d_->scene.get();
}

void SceneRenderer::setOptions(const SceneViewOptions& options) {
    const bool recolor = options.colorBy != d_->options.colorBy;
    d_->options = options;
    if (recolor)
        d_->updateMeshColors();
    d_->updateBoxes();
}

const SceneViewOptions& SceneRenderer::options() const {
    return d_->options;
}

void SceneRenderer::setSelectedObjects(const std::vector<int>& objectIds) {
    d_->selected.clear();
    if (d_->scene) {
        for (int id : objectIds)
            if (d_->scene->findObject(id))
                d_->selected.push_back(id);
    }
    std::sort(d_->selected.begin(), d_->selected.end());
    d_->selected.erase(std::unique(d_->selected.begin(), d_->selected.end()), d_->selected.end());
    d_->updateMeshColors();
    d_->updateSelectionOutlines();
}

void SceneRenderer::setObjectColors(std::unordered_map<int, Rgb8> colors) {
    d_->objectColors = std::move(colors);
    d_->updateMeshColors();
}

const std::unordered_map<int, Rgb8>& SceneRenderer::objectColors() const {
    return d_->objectColors;
}

void SceneRenderer::setMarkedBoxes(std::vector<MarkedBox> boxes) {
    d_->markedBoxes = std::move(boxes);
    d_->updateMarkedBoxes();
}

const std::vector<MarkedBox>& SceneRenderer::markedBoxes() const {
    return d_->markedBoxes;
}

void SceneRenderer::setAgents(std::vector<AgentMarker> agents) {
    d_->agents = std::move(agents);
    d_->updateAgents();
}

const std::vector<AgentMarker>& SceneRenderer::agents() const {
    return d_->agents;
}

void SceneRenderer::setBackground(const Rgb8& color) {
    d_->background = color;
    d_->renderer->SetBackground(toUnit(color).data());
}

Rgb8 SceneRenderer::background() const {
    return d_->background;
}

void SceneRenderer::resetCamera() {
    if (!d_->scene)
        return;
    // Looking down at 50 degrees from the south-south-west: rooms read as rooms, floors stay
    // visible, and the diagonal view shows two walls' worth of furniture.
    const double azimuth = -35.0 * kPi / 180.0;
    const double elevation = 50.0 * kPi / 180.0;
    const Eigen::Vector3d back(std::cos(elevation) * std::sin(azimuth),
                               -std::cos(elevation) * std::cos(azimuth), std::sin(elevation));
    d_->placeCamera(d_->scene->positions, back, 1.03);
}

CameraPose SceneRenderer::camera() const {
    vtkCamera* camera = d_->renderer->GetActiveCamera();
    CameraPose pose;
    camera->GetPosition(pose.position.data());
    camera->GetFocalPoint(pose.focalPoint.data());
    camera->GetViewUp(pose.viewUp.data());
    pose.viewAngle = camera->GetViewAngle();
    return pose;
}

void SceneRenderer::setCamera(const CameraPose& pose) {
    vtkCamera* camera = d_->renderer->GetActiveCamera();
    camera->SetPosition(pose.position.data());
    camera->SetFocalPoint(pose.focalPoint.data());
    camera->SetViewUp(pose.viewUp.data());
    camera->SetViewAngle(pose.viewAngle);
    d_->renderer->ResetCameraClippingRange();
}

void SceneRenderer::focusOn(const Eigen::Vector3f& point) {
    vtkCamera* camera = d_->renderer->GetActiveCamera();
    const Eigen::Vector3d target = point.cast<double>();
    Eigen::Vector3d position(camera->GetPosition());
    const Eigen::Vector3d focal(camera->GetFocalPoint());
    // Halve the distance so a double click both recentres and brings the point closer.
    const double distance = std::max(0.5 * (position - focal).norm(), 0.3);
    position = target + distance * (position - focal).normalized();
    camera->SetFocalPoint(target.data());
    camera->SetPosition(position.data());
    d_->renderer->ResetCameraClippingRange();
}

bool SceneRenderer::focusOnObject(int objectId) {
    const SceneObject* object = d_->scene ? d_->scene->findObject(objectId) : nullptr;
    if (!object || object->vertexIndices.empty())
        return false;
    std::vector<Eigen::Vector3f> points;
    points.reserve(object->vertexIndices.size());
    for (std::uint32_t v : object->vertexIndices)
        points.push_back(d_->scene->positions[v]);
    vtkCamera* camera = d_->renderer->GetActiveCamera();
    const Eigen::Vector3d back =
        Eigen::Vector3d(camera->GetPosition()) - Eigen::Vector3d(camera->GetFocalPoint());
    // The margin leaves room around the object for its label and some context.
    d_->placeCamera(points, back, 1.4);
    return true;
}

int SceneRenderer::pickObject(double displayX, double displayY) const {
    const auto hit = d_->pick(displayX, displayY);
    const SceneObject* object = hit ? d_->scene->objectOfVertex(hit->first) : nullptr;
    return object ? object->id : -1;
}

std::optional<Eigen::Vector3f> SceneRenderer::pickPoint(double displayX, double displayY) const {
    const auto hit = d_->pick(displayX, displayY);
    return hit ? std::optional(hit->second) : std::nullopt;
}

Eigen::Vector2d SceneRenderer::worldToDisplay(const Eigen::Vector3f& world) const {
    d_->renderer->SetWorldPoint(world.x(), world.y(), world.z(), 1.0);
    d_->renderer->WorldToDisplay();
    double display[3];
    d_->renderer->GetDisplayPoint(display);
    return {display[0], display[1]};
}

} // namespace scenelens
