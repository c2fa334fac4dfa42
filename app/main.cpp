// scenelens: the desktop app, and headless subcommands (info, render, render-views, synth,
// project, plot, bundle-info, encode, ask, eval-qa) for scripted use.

#include "BackgroundJob.h"
#include "Cli.h"
#include "MainWindow.h"
#include "ModelLibrary.h"
#include "ProjectController.h"
#include "SceneView.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QImageWriter>
#include <QSurfaceFormat>
#include <QTimer>

#include <cstdio>
#include <cstring>

namespace {

enum class WaitFor { Nothing, Scene, Project };

/// Saves the whole window once it has painted (after the scene or the project and its scene have
/// loaded), then quits with 0 (or 1 on failure).
void screenshotWhenReady(scenelens::MainWindow& window, const QString& out, WaitFor waitFor) {
    auto capture = [&window, out] {
        // Two event-loop turns let QOpenGLWidget finish its first frames.
        QTimer::singleShot(300, &window, [&window, out] {
            QImageWriter writer(out);
            const bool ok = writer.write(window.grab().toImage());
            if (!ok)
                std::fprintf(stderr, "scenelens: %s: %s\n", qPrintable(out),
                             qPrintable(writer.errorString()));
            else
                std::printf("wrote %s\n", qPrintable(out));
            QCoreApplication::exit(ok ? 0 : 1);
        });
    };
    auto fail = [](const QString& message) {
        std::fprintf(stderr, "scenelens: %s\n", qPrintable(message));
        QCoreApplication::exit(1);
    };
    switch (waitFor) {
    case WaitFor::Nothing:
        capture();
        return;
    case WaitFor::Project:
        // The project's scene (if it has one) starts loading when the project has opened.
        QObject::connect(window.projects(), &scenelens::ProjectController::opened, &window,
                         [&window, capture] {
                             if (!window.loadJob()->isRunning())
                                 capture();
                         });
        QObject::connect(window.projects(), &scenelens::ProjectController::failed, &window, fail);
        break;
    case WaitFor::Scene:
        break;
    }
    QObject::connect(&window, &scenelens::MainWindow::sceneLoaded, &window, capture);
    QObject::connect(&window, &scenelens::MainWindow::sceneLoadFailed, &window, fail);
}

int runGui(int argc, char** argv) {
    QSurfaceFormat::setDefaultFormat(scenelens::SceneView::surfaceFormat());
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("SceneLens"));
    QCoreApplication::setApplicationName(QStringLiteral("SceneLens"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SCENELENS_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Visual analytics for 3D scenes and their embeddings.\n\n") +
        QString::fromUtf8(scenelens::cli::usage()));
    parser.addHelpOption();
    parser.addOption({QStringLiteral("scene"),
                      QStringLiteral("ScanNet scene folder or .ply to open."),
                      QStringLiteral("DIR")});
    parser.addOption({QStringLiteral("project"),
                      QStringLiteral("SceneLens project (.slh5) to open."),
                      QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("models"),
                      QStringLiteral("Model bundle folder, or a folder of bundles, to load "
                                     "(repeatable)."),
                      QStringLiteral("DIR")});
    parser.addOption({QStringLiteral("screenshot"),
                      QStringLiteral("Save the window to a PNG once ready, then quit."),
                      QStringLiteral("OUT.png")});
    parser.process(app);

    scenelens::MainWindow window;
    window.show();
    if (parser.isSet(QStringLiteral("models")))
        window.models()->load(parser.values(QStringLiteral("models")));
    const QString scene = parser.value(QStringLiteral("scene"));
    const bool project = parser.isSet(QStringLiteral("project"));
    if (parser.isSet(QStringLiteral("screenshot")))
        screenshotWhenReady(window, parser.value(QStringLiteral("screenshot")),
                            project            ? WaitFor::Project
                            : !scene.isEmpty() ? WaitFor::Scene
                                               : WaitFor::Nothing);
    if (!scene.isEmpty())
        window.openScene(scene);
    if (project)
        window.projects()->open(parser.value(QStringLiteral("project")));
    else if (!parser.isSet(QStringLiteral("screenshot")))
        window.projects()->offerRecovery();
    return app.exec();
}

} // namespace

int main(int argc, char** argv) {
    if (argc > 1 && std::strcmp(argv[1], "--version") == 0) {
        std::printf("scenelens %s\n", SCENELENS_VERSION);
        return 0;
    }
    if (argc > 1 && std::strcmp(argv[1], "info") == 0)
        return scenelens::cli::runInfo(argc, argv);
    if (argc > 1 && std::strcmp(argv[1], "render") == 0)
        return scenelens::cli::runRender(argc, argv);
    if (argc > 1 && std::strcmp(argv[1], "render-views") == 0)
        return scenelens::cli::runRenderViews(argc, argv);
    if (argc > 1 && std::strcmp(argv[1], "synth") == 0)
        return scenelens::cli::runSynth(argc, argv);
    if (argc > 1 && std::strcmp(argv[1], "project") == 0)
        return scenelens::cli::runProject(argc, argv);
    if (argc > 1 && std::strcmp(argv[1], "plot") == 0)
        return scenelens::cli::runPlot(argc, argv);
    if (argc > 1 && std::strcmp(argv[1], "bundle-info") == 0)
        return scenelens::cli::runBundleInfo(argc, argv);
    if (argc > 1 && std::strcmp(argv[1], "encode") == 0)
        return scenelens::cli::runEncode(argc, argv);
    if (argc > 1 && std::strcmp(argv[1], "ask") == 0)
        return scenelens::cli::runAsk(argc, argv);
    if (argc > 1 && std::strcmp(argv[1], "eval-qa") == 0)
        return scenelens::cli::runEvalQa(argc, argv);
    return runGui(argc, argv);
}
