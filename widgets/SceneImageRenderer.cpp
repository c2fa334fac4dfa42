#include "SceneImageRenderer.h"

#include "SceneRenderer.h"

#include <vtkCamera.h>
#include <vtkImageData.h>
#include <vtkNew.h>
#include <vtkPointData.h>
#include <vtkRenderWindow.h>
#include <vtkRenderer.h>
#include <vtkTransform.h>
#include <vtkUnsignedCharArray.h>
#include <vtkWindowToImageFilter.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>

// Last: Xlib defines macros (None, Bool, Status) that clash with names in the headers above.
#include <X11/Xlib.h>

namespace scenelens {

namespace {

// VTK 9.1's FXAA renders black on Mesa llvmpipe here: smooth edges by multisampling instead.
constexpr int kMultiSamples = 8;
constexpr double kPi = 3.14159265358979323846;

/// The X connection VTK renders through. Opened here because VTK 9.1 aborts the process when it
/// cannot open one itself, and kept for the life of the process because Xvfb resets when its last
/// client disconnects: a connection attempted during that reset fails. Callers hold renderMutex.
Display* xDisplay() {
    const char* name = std::getenv("DISPLAY");
    if (!name || !*name)
        throw std::runtime_error("scenelens render needs an X display; run it under xvfb-run -a");
    static Display* display = nullptr;
    if (!display)
        display = XOpenDisplay(nullptr);
    if (!display)
        throw std::runtime_error(std::string("cannot open X display \"") + name +
                                 "\"; run scenelens render under xvfb-run -a");
    return display;
}

// One render at a time: the X connection is shared and Xlib is not initialised for threads.
std::mutex renderMutex;

void checkSize(QSize size) {
    if (size.width() < 1 || size.height() < 1 || size.width() > kMaxRenderSize ||
        size.height() > kMaxRenderSize)
        throw std::runtime_error("image size " + std::to_string(size.width()) + "x" +
                                 std::to_string(size.height()) + " is invalid: expected 1 to " +
                                 std::to_string(kMaxRenderSize) + " pixels per side");
}

/// Copies VTK's bottom-up RGB pixels into a top-down QImage.
QImage toQImage(vtkImageData* image, QSize size) {
    int dims[3];
    image->GetDimensions(dims);
    auto* pixels = vtkUnsignedCharArray::SafeDownCast(image->GetPointData()->GetScalars());
    if (dims[0] != size.width() || dims[1] != size.height() || !pixels ||
        pixels->GetNumberOfComponents() != 3)
        throw std::runtime_error("offscreen rendering failed: OpenGL returned no image of size " +
                                 std::to_string(size.width()) + "x" +
                                 std::to_string(size.height()));
    QImage out(size, QImage::Format_RGB888);
    const std::size_t rowBytes = 3 * static_cast<std::size_t>(size.width());
    for (int y = 0; y < size.height(); ++y)
        std::memcpy(out.scanLine(size.height() - 1 - y), pixels->GetPointer(y * 3 * size.width()),
                    rowBytes);
    return out;
}

/// An offscreen window showing one scene, alive for one call; holds the render lock meanwhile.
class OffscreenScene {
public:
    OffscreenScene(const Scene& scene, const SceneViewOptions& options, QSize size)
        : lock_(renderMutex), size_(size) {
        Display* display = xDisplay();
        renderer_.setOptions(options);
        // Non-owning: the renderer does not outlive this object, which does not outlive the call.
        renderer_.setScene(std::shared_ptr<const Scene>(std::shared_ptr<const Scene>(), &scene));
        window_->SetDisplayId(display);
        window_->SetOffScreenRendering(true);
        window_->SetMultiSamples(kMultiSamples);
        window_->SetSize(size.width(), size.height());
        window_->AddRenderer(renderer_.renderer());
    }
    ~OffscreenScene() { window_->Finalize(); }
    OffscreenScene(const OffscreenScene&) = delete;
    OffscreenScene& operator=(const OffscreenScene&) = delete;

    SceneRenderer& renderer() { return renderer_; }

    QImage render() {
        window_->Render();
        vtkNew<vtkWindowToImageFilter> grab;
        grab->SetInput(window_);
        grab->SetInputBufferTypeToRGB();
        grab->ReadFrontBufferOff();
        grab->Update();
        return toQImage(grab->GetOutput(), size_);
    }

private:
    std::lock_guard<std::mutex> lock_;
    QSize size_;
    SceneRenderer renderer_;
    vtkNew<vtkRenderWindow> window_;
};

/// Points the VTK camera like an OpenCV pinhole camera: VTK looks along -z with y up, so the
/// focal point lies along the pose's +z and the view-up is its -y. The view angle gives fy; a
/// horizontal scale of normalised device coordinates gives fx (VTK 9.1's explicit aspect ratio
/// does not reach the OpenGL path); the window centre puts the principal point at (cx, cy), with
/// pixel centres at integers as in OpenCV.
void setPinholeCamera(vtkRenderer* renderer, const Eigen::Matrix4f& cameraToWorld,
                      const Eigen::Matrix4f& intrinsic, QSize size) {
    const Eigen::Matrix4d pose = cameraToWorld.cast<double>();
    const Eigen::Vector3d position = pose.topRightCorner<3, 1>();
    const Eigen::Vector3d focal = position + pose.block<3, 1>(0, 2);
    const Eigen::Vector3d up = -pose.block<3, 1>(0, 1);
    const double w = size.width(), h = size.height();
    const double fx = intrinsic(0, 0), fy = intrinsic(1, 1);
    const double cx = intrinsic(0, 2), cy = intrinsic(1, 2);
    vtkCamera* camera = renderer->GetActiveCamera();
    camera->SetPosition(position.data());
    camera->SetFocalPoint(focal.data());
    camera->SetViewUp(up.data());
    camera->SetViewAngle(2.0 * std::atan(h / (2.0 * fy)) * 180.0 / kPi);
    vtkNew<vtkTransform> stretch;
    stretch->Scale(fx / fy, 1.0, 1.0);
    camera->SetUserTransform(stretch);
    // VTK puts the optical axis at normalised device coordinates -WindowCenter, before the
    // stretch.
    camera->SetWindowCenter((1.0 - 2.0 * (cx + 0.5) / w) * fy / fx, 2.0 * (cy + 0.5) / h - 1.0);
    renderer->ResetCameraClippingRange();
}

} // namespace

QImage renderSceneImage(const Scene& scene, const SceneViewOptions& options, QSize sizeInPixels,
                        const std::vector<int>& selectedObjects) {
    checkSize(sizeInPixels);
    OffscreenScene offscreen(scene, options, sizeInPixels);
    offscreen.renderer().setSelectedObjects(selectedObjects);
    // After the window has its size: the framing depends on the aspect ratio.
    offscreen.renderer().resetCamera();
    return offscreen.render();
}

void renderSceneViews(const Scene& scene, const SceneViewOptions& options, QSize sizeInPixels,
                      const Eigen::Matrix4f& intrinsic,
                      const std::vector<Eigen::Matrix4f>& cameraToWorld,
                      const std::function<void(std::size_t, const QImage&)>& onImage) {
    checkSize(sizeInPixels);
    if (!(intrinsic(0, 0) > 0.f && intrinsic(1, 1) > 0.f))
        throw std::runtime_error("camera intrinsic needs positive focal lengths fx and fy");
    OffscreenScene offscreen(scene, options, sizeInPixels);
    for (std::size_t i = 0; i < cameraToWorld.size(); ++i) {
        setPinholeCamera(offscreen.renderer().renderer(), cameraToWorld[i], intrinsic,
                         sizeInPixels);
        onImage(i, offscreen.render());
    }
}

} // namespace scenelens
