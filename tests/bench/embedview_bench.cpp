// embedview_bench: EmbeddingView frame time while panning and zooming at 100k, 1M and 5M points,
// and the GPU bytes per point. Needs a display (xvfb-run -a -s "-screen 0 1600x1000x24"); prints a
// Markdown table. Each frame is paintGL followed by glFinish, so the GPU (llvmpipe) work counts.
// Pan and zoom frames show the view's last still frame moved and scaled, with the interactive
// subsample (EmbeddingView::setInteractiveBudget) drawn only where that frame does not reach (2-D
// plots above 20,000 points); the still frame, after the motion settled, draws every point. "Pan a
// view away" is zoomed in 4x and dragged a whole view width, where the still frame shows nothing.
//
//   embedview_bench [points...]     e.g. embedview_bench 100000 1000000

#include "EmbeddingView.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QMouseEvent>
#include <QOpenGLContext>
#include <QOpenGLFunctions>
#include <QThread>
#include <QWheelEvent>

#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <random>
#include <vector>

using namespace scenelens;

namespace {

/// CPU time of the whole process (all threads, llvmpipe's included), in milliseconds.
double processCpuMs() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const auto ms = [](const timeval& t) { return t.tv_sec * 1e3 + t.tv_usec / 1e3; };
    return ms(usage.ru_utime) + ms(usage.ru_stime);
}

const QSize kViewSize(1200, 800);
constexpr int kFrames = 15;
constexpr int kStillFrames = 5;

/// A view whose frames can be timed one by one.
class TimedView : public EmbeddingView {
public:
    double frameMs() {
        makeCurrent();
        QElapsedTimer timer;
        timer.start();
        paintGL();
        context()->functions()->glFinish();
        const double ms = timer.nsecsElapsed() / 1e6;
        doneCurrent();
        return ms;
    }
};

/// Gaussian clusters, like a t-SNE layout, with a "label" column of cluster names.
std::shared_ptr<embed::PlotData> clusteredPlot(int rows) {
    auto plot = std::make_shared<embed::PlotData>();
    std::mt19937 random(1234);
    std::normal_distribution<float> normal(0.f, 1.f);
    std::uniform_int_distribution<int> cluster(0, 11);
    plot->coords.resize(std::size_t(rows) * 2);
    std::vector<std::string> labels(rows);
    for (int i = 0; i < rows; ++i) {
        const int c = cluster(random);
        plot->coords[2 * i] = 12.f * std::cos(c * 0.52f) + normal(random) * (1 + c % 3);
        plot->coords[2 * i + 1] = 12.f * std::sin(c * 0.52f) + normal(random) * (1 + c % 4);
        labels[i] = "cluster " + std::to_string(c);
    }
    plot->points.rows = rows;
    plot->points.textColumns["label"] = std::move(labels);
    return plot;
}

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

void send(QWidget* widget, QEvent* event) {
    QApplication::sendEvent(widget, event);
}

} // namespace

int main(int argc, char** argv) {
    QSurfaceFormat::setDefaultFormat(EmbeddingView::surfaceFormat());
    QApplication app(argc, argv);
    std::vector<int> sizes;
    for (int i = 1; i < argc; ++i)
        sizes.push_back(std::atoi(argv[i]));
    if (sizes.empty())
        sizes = {100000, 1000000, 5000000};

    TimedView view;
    view.setFixedSize(kViewSize);
    view.show();
    QApplication::processEvents();
    std::printf("| points | first frame (upload) ms | pan ms | zoom ms | CPU ms per pan/zoom frame "
                "| pan a view away ms | still frame, all points ms | GPU bytes/point |\n"
                "|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (const int rows : sizes) {
        view.setPlot(clusteredPlot(rows));
        view.setColorBy("label");
        const double first = view.frameMs();

        std::vector<double> pan, zoom, still;
        const double cpuStart = processCpuMs();
        const QPointF centre(600, 400);
        QMouseEvent press(QEvent::MouseButtonPress, centre, view.mapToGlobal(centre),
                          Qt::MiddleButton, Qt::MiddleButton, Qt::NoModifier);
        send(&view, &press);
        for (int frame = 0; frame < kFrames; ++frame) {
            const QPointF to = centre + QPointF(frame % 2 ? -8 : 8, 5);
            QMouseEvent move(QEvent::MouseMove, to, view.mapToGlobal(to), Qt::NoButton,
                             Qt::MiddleButton, Qt::NoModifier);
            send(&view, &move);
            pan.push_back(view.frameMs());
        }
        // Zoom in place: the wheel's settle timer keeps the subsample on between steps.
        QMouseEvent release(QEvent::MouseButtonRelease, centre, view.mapToGlobal(centre),
                            Qt::MiddleButton, Qt::NoButton, Qt::NoModifier);
        send(&view, &release);
        for (int frame = 0; frame < kFrames; ++frame) {
            QWheelEvent wheel(centre, view.mapToGlobal(centre), QPoint(),
                              QPoint(0, frame % 2 ? -120 : 120), Qt::NoButton, Qt::NoModifier,
                              Qt::NoScrollPhase, false);
            send(&view, &wheel);
            zoom.push_back(view.frameMs());
        }
        const double cpuPerFrame = (processCpuMs() - cpuStart) / (2 * kFrames);
        // A still view draws every point.
        QThread::msleep(300);
        QApplication::processEvents();
        for (int frame = 0; frame < kStillFrames; ++frame)
            still.push_back(view.frameMs());

        // The worst case: zoomed in 4x, so that the data reach past the view, then dragged a whole
        // view width, where the still frame shows nothing and only the subsample is drawn.
        const PlotCamera::Pose fitted = view.cameraPose();
        PlotCamera::Pose zoomed = fitted;
        zoomed.pixelsPerUnit *= 4;
        view.setCameraPose(zoomed);
        view.frameMs(); // the still frame at that zoom
        std::vector<double> far;
        QMouseEvent pressFar(QEvent::MouseButtonPress, centre, view.mapToGlobal(centre),
                             Qt::MiddleButton, Qt::MiddleButton, Qt::NoModifier);
        send(&view, &pressFar);
        for (int frame = 0; frame < kFrames; ++frame) {
            const QPointF to = centre + QPointF(frame % 2 ? 0 : kViewSize.width(), 0);
            QMouseEvent move(QEvent::MouseMove, to, view.mapToGlobal(to), Qt::NoButton,
                             Qt::MiddleButton, Qt::NoModifier);
            send(&view, &move);
            if (frame % 2 == 0)
                far.push_back(view.frameMs());
        }
        QMouseEvent releaseFar(QEvent::MouseButtonRelease, centre, view.mapToGlobal(centre),
                               Qt::MiddleButton, Qt::NoButton, Qt::NoModifier);
        send(&view, &releaseFar);
        view.setCameraPose(fitted);
        std::printf("| %d | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f |\n", rows, first,
                    median(pan), median(zoom), cpuPerFrame, median(far), median(still),
                    double(view.gpuPointBytes()) / rows);
        std::fflush(stdout);
    }
    return 0;
}
