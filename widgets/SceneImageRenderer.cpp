#include "SceneImageRenderer.h"

#include "SceneRenderer.h"

#include <vtkImageData.h>
#include <vtkNew.h>
#include <vtkPointData.h>
#include <vtkRenderWindow.h>
#include <vtkUnsignedCharArray.h>
#include <vtkWindowToImageFilter.h>

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

} // namespace

QImage renderSceneImage(const Scene& scene, const SceneViewOptions& options, QSize sizeInPixels,
                        const std::vector<int>& selectedObjects) {
    checkSize(sizeInPixels);
    const std::lock_guard<std::mutex> lock(renderMutex);
    Display* display = xDisplay();
    SceneRenderer sceneRenderer;
    sceneRenderer.setOptions(options);
    // Non-owning: the renderer does not outlive this call.
    sceneRenderer.setScene(std::shared_ptr<const Scene>(std::shared_ptr<const Scene>(), &scene));
    sceneRenderer.setSelectedObjects(selectedObjects);

    vtkNew<vtkRenderWindow> window;
    window->SetDisplayId(display);
    window->SetOffScreenRendering(true);
    window->SetMultiSamples(kMultiSamples);
    window->SetSize(sizeInPixels.width(), sizeInPixels.height());
    window->AddRenderer(sceneRenderer.renderer());
    sceneRenderer.resetCamera();
    window->Render();

    vtkNew<vtkWindowToImageFilter> grab;
    grab->SetInput(window);
    grab->SetInputBufferTypeToRGB();
    grab->ReadFrontBufferOff();
    grab->Update();
    QImage image = toQImage(grab->GetOutput(), sizeInPixels);
    window->Finalize();
    return image;
}

} // namespace scenelens
