#include "MainWindow.h"

#include "BackgroundJob.h"
#include "EmbeddingDock.h"
#include "EmbeddingView.h"
#include "EmbeddingWorkflow.h"
#include "JobProgressWidget.h"
#include "ModelLibrary.h"
#include "ModelWorkflow.h"
#include "ObjectQueryDock.h"
#include "ObjectsDock.h"
#include "ProjectController.h"
#include "QaEvaluationDock.h"
#include "QaPanel.h"
#include "RecentFilesMenu.h"
#include "SceneView.h"
#include "SelectionModel.h"
#include "Settings.h"
#include "UserMessages.h"
#include "WelcomePage.h"
#include "scene/ScanNetSceneReader.h"

#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QImageWriter>
#include <QLabel>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>

// Resources compiled into the static scenelens_app library must be registered by name, outside
// any namespace; registering twice is harmless.
static void initAppResources() {
    Q_INIT_RESOURCE(scenelens);
}

namespace scenelens {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), selection_(new SelectionModel(this)), loadJob_(new BackgroundJob(this)),
      embeddings_(new EmbeddingWorkflow(this, selection_)), pages_(new QStackedWidget),
      welcome_(new WelcomePage), sceneView_(new SceneView),
      objectsDock_(new ObjectsDock(selection_, this)), summaryLabel_(new QLabel),
      selectionLabel_(new QLabel) {
    initAppResources();
    setWindowTitle(QStringLiteral("SceneLens"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/scenelens.svg")));
    setAcceptDrops(true);
    sceneView_->setSelectionModel(selection_);
    pages_->addWidget(welcome_);
    pages_->addWidget(sceneView_);
    setCentralWidget(pages_);
    addDockWidget(Qt::LeftDockWidgetArea, objectsDock_);
    objectsDock_->hide();

    statusBar()->addWidget(summaryLabel_);
    statusBar()->addWidget(selectionLabel_, 1);
    statusBar()->addPermanentWidget(new JobProgressWidget(loadJob_, this));
    statusBar()->addPermanentWidget(new JobProgressWidget(embeddings_->job(), this));
    summaryLabel_->setText(tr("No scene open"));
    models_ = new ModelLibrary(this);
    statusBar()->addPermanentWidget(new JobProgressWidget(models_->job(), this));
    modelWorkflow_ = new ModelWorkflow(this, models_);
    statusBar()->addPermanentWidget(new JobProgressWidget(modelWorkflow_->job(), this));
    qaPanel_ = new QaPanel(this, models_);
    addDockWidget(Qt::LeftDockWidgetArea, qaPanel_);
    qaPanel_->hide();
    statusBar()->addPermanentWidget(new JobProgressWidget(qaPanel_->job(), this));
    connect(models_, &ModelLibrary::failed, this, [this](const QString& message) {
        showWarning(this, tr("Could not load a model"), message);
    });
    projects_ = new ProjectController(this);
    statusBar()->addPermanentWidget(new JobProgressWidget(projects_->job(), this));
    connect(projects_, &ProjectController::modifiedChanged, this, &MainWindow::updateTitle);
    connect(projects_, &ProjectController::pathChanged, this, &MainWindow::updateTitle);

    sceneView_->setOptions(settings::loadSceneViewOptions(QSettings()));
    createActions();
    connect(welcome_, &WelcomePage::openFolderRequested, this, &MainWindow::browseForFolder);
    connect(welcome_, &WelcomePage::openMeshRequested, this, &MainWindow::browseForMesh);
    connect(welcome_, &WelcomePage::openProjectRequested, this, &MainWindow::browseForProject);
    connect(welcome_, &WelcomePage::openPathRequested, this, &MainWindow::openPath);
    connect(objectsDock_, &ObjectsDock::focusRequested, sceneView_, &SceneView::focusOnObject);
    connect(selection_, &SelectionModel::selectionChanged, this,
            &MainWindow::updateSelectionStatus);
    // Hovering an object in 3D pulses its points in every embedding view.
    connect(embeddings_, &EmbeddingWorkflow::plotShown, this, [this](EmbeddingDock* dock) {
        connect(sceneView_, &SceneView::objectHovered, dock->view(), &EmbeddingView::pulseObject);
    });

    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    if (!settings.contains(QStringLiteral("window/geometry")))
        resize(1400, 900);
    updateTitle();
}

MainWindow::~MainWindow() = default;

void MainWindow::createActions() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* openFolder = file->addAction(tr("&Open Scene…"), this, &MainWindow::browseForFolder);
    openFolder->setShortcut(QKeySequence::Open);
    openFolder->setStatusTip(tr("Open a ScanNet scene folder (scans/sceneXXXX_XX)"));
    QAction* openMesh = file->addAction(tr("Open &Mesh…"), this, &MainWindow::browseForMesh);
    openMesh->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    recentMenu_ = new RecentFilesMenu(tr("Open &Recent"), settings::RecentList::Scenes, this);
    file->addMenu(recentMenu_);
    connect(recentMenu_, &RecentFilesMenu::fileChosen, this, &MainWindow::openScene);
    connect(recentMenu_, &RecentFilesMenu::filesChanged, welcome_, &WelcomePage::setRecentScenes);
    welcome_->setRecentScenes(recentMenu_->files());
    file->addSeparator();
    QAction* newProject = file->addAction(tr("&New Project"), this, &MainWindow::newProject);
    newProject->setShortcut(QKeySequence::New);
    QAction* openProject =
        file->addAction(tr("Open &Project…"), this, &MainWindow::browseForProject);
    openProject->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_O));
    openProject->setStatusTip(tr("Open a SceneLens project (.slh5)"));
    auto* recentProjects =
        new RecentFilesMenu(tr("Open Recent Pro&ject"), settings::RecentList::Projects, this);
    file->addMenu(recentProjects);
    connect(recentProjects, &RecentFilesMenu::filesChanged, welcome_,
            &WelcomePage::setRecentProjects);
    welcome_->setRecentProjects(recentProjects->files());
    QAction* saveProject =
        file->addAction(tr("&Save Project"), projects_, &ProjectController::save);
    saveProject->setShortcut(QKeySequence::Save);
    saveProject->setStatusTip(tr("Save the scene, embeddings, projections, selection and views"));
    QAction* saveAs =
        file->addAction(tr("Save Project &As…"), projects_, &ProjectController::browseSaveAs);
    saveAs->setShortcut(QKeySequence::SaveAs);
    file->addSeparator();
    QAction* importEmbeddings =
        file->addAction(tr("Import &Embeddings…"), embeddings_, &EmbeddingWorkflow::browseImport);
    importEmbeddings->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    importEmbeddings->setStatusTip(
        tr("Project embeddings from a .npy file with optional metadata (.csv or .json)"));
    file->addSeparator();
    QAction* screenshot =
        file->addAction(tr("Save &Screenshot…"), this, &MainWindow::saveScreenshot);
    screenshot->setShortcut(QKeySequence(Qt::Key_F12));
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    colorModes_ = new QActionGroup(this);
    const std::pair<SceneColorMode, QString> modes[] = {
        {SceneColorMode::Rgb, tr("Colour by &RGB")},
        {SceneColorMode::Instance, tr("Colour by &Instance")},
        {SceneColorMode::Class, tr("Colour by NYU40 &Class")}};
    int key = Qt::Key_1;
    for (const auto& [mode, text] : modes) {
        QAction* action = view->addAction(text);
        action->setCheckable(true);
        action->setShortcut(QKeySequence(key++));
        action->setData(int(mode));
        action->setChecked(sceneView_->options().colorBy == mode);
        colorModes_->addAction(action);
    }
    connect(colorModes_, &QActionGroup::triggered, this, &MainWindow::applyViewOptions);
    view->addSeparator();
    boxesAction_ = view->addAction(tr("Show Object &Boxes"));
    boxesAction_->setCheckable(true);
    boxesAction_->setShortcut(QKeySequence(Qt::Key_B));
    boxesAction_->setChecked(sceneView_->options().showBoxes);
    connect(boxesAction_, &QAction::toggled, this, &MainWindow::applyViewOptions);
    QAction* reset = view->addAction(tr("R&eset Camera"), sceneView_, &SceneView::resetCamera);
    reset->setShortcut(QKeySequence(Qt::Key_R));
    QAction* clear = view->addAction(tr("Clear Selection"), selection_, &SelectionModel::clear);
    clear->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A));
    QAction* byFeature = view->addAction(tr("Colour Objects by &Feature"));
    byFeature->setCheckable(true);
    byFeature->setShortcut(QKeySequence(Qt::Key_4));
    byFeature->setStatusTip(tr("Paint encoded objects with the principal components of their "
                               "embeddings"));
    connect(byFeature, &QAction::toggled, modelWorkflow_, &ModelWorkflow::setColourByFeature);
    connect(modelWorkflow_, &ModelWorkflow::colourByFeatureChanged, byFeature,
            &QAction::setChecked);
    QMenu* bookmarks = view->addMenu(tr("Camera &Bookmarks"));
    view->addSeparator();
    view->addAction(objectsDock_->toggleViewAction());
    view->addAction(modelWorkflow_->queryDock()->toggleViewAction());
    view->addAction(qaPanel_->toggleViewAction());
    view->addAction(qaPanel_->evaluationDock()->toggleViewAction());
    projects_->setMenus(recentProjects, bookmarks);

    QMenu* analysis = menuBar()->addMenu(tr("&Analysis"));
    QAction* describe = analysis->addAction(tr("Object &Descriptors of Scenes…"), this,
                                            &MainWindow::browseSceneFoldersToDescribe);
    describe->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D));
    describe->setStatusTip(tr("Project a geometry and colour descriptor of every object in a "
                              "folder of scenes (no model needed)"));

    analysis
        ->addAction(tr("&Project Embedding Sets…"), embeddings_,
                    &EmbeddingWorkflow::requestProjectionOfSets)
        ->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P));
    createModelsMenu();

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About SceneLens"), this, [this] {
        QMessageBox::about(
            this, tr("About SceneLens"),
            tr("<h3>SceneLens %1</h3><p>Visual analytics for 3D scenes and their "
               "embeddings.</p><p>Qt %2</p>")
                .arg(QStringLiteral(SCENELENS_VERSION), QString::fromLatin1(qVersion())));
    });
}

void MainWindow::createModelsMenu() {
    modelsMenu_ = menuBar()->addMenu(tr("&Models"));
    QAction* load = modelsMenu_->addAction(tr("&Load Bundle…"), this, &MainWindow::browseForBundle);
    load->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M));
    load->setStatusTip(tr("Load a model bundle folder (bundle.json), or a folder of them"));
    modelsMenu_->addSeparator();
    bundlesEnd_ = modelsMenu_->addSeparator();
    QAction* encode = modelsMenu_->addAction(tr("&Encode Scenes…"), modelWorkflow_,
                                             &ModelWorkflow::requestEncode);
    encode->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    encode->setStatusTip(tr("Object and scene embeddings, CLIP text and image embeddings"));
    QAction* find = modelsMenu_->addAction(tr("&Find Objects by Text…"), this,
                                           [this] { modelWorkflow_->queryDock()->focusSearch(); });
    find->setShortcut(QKeySequence::Find);
    QAction* ask =
        modelsMenu_->addAction(tr("&Ask a Question…"), this, [this] { qaPanel_->focusQuestion(); });
    ask->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Q));
    modelsMenu_->addAction(tr("Open &Question File…"), this, [this] {
        QSettings settings;
        const QString file = QFileDialog::getOpenFileName(this, tr("Open Question File"),
                                                          settings::lastDirectory(settings),
                                                          tr("ScanQA or SQA3D questions (*.json)"));
        if (file.isEmpty())
            return;
        qaPanel_->focusQuestion();
        qaPanel_->questions()->open(file);
    });
    modelsMenu_->addAction(tr("&Unload All"), models_, &ModelLibrary::unloadAll);
    connect(models_, &ModelLibrary::bundlesChanged, this, &MainWindow::rebuildBundleActions);
    rebuildBundleActions();
}

void MainWindow::rebuildBundleActions() {
    // The entries between the two separators list the loaded bundles, each with Unload.
    for (QObject* entry : std::exchange(bundleEntries_, {})) {
        if (auto* menu = qobject_cast<QMenu*>(entry))
            modelsMenu_->removeAction(menu->menuAction());
        else
            modelsMenu_->removeAction(static_cast<QAction*>(entry));
        entry->deleteLater(); // later: an Unload of this entry may be what is running
    }
    if (models_->bundles().empty()) {
        QAction* none = new QAction(tr("No model loaded"), modelsMenu_);
        none->setEnabled(false);
        modelsMenu_->insertAction(bundlesEnd_, none);
        bundleEntries_ << none;
        return;
    }
    for (const LoadedBundle& bundle : models_->bundles()) {
        const QString folder = QString::fromStdString(bundle.manifest.directory);
        auto* entry = new QMenu(ModelLibrary::describe(bundle), modelsMenu_);
        entry->setToolTipsVisible(true);
        entry->addAction(folder)->setEnabled(false);
        entry->addAction(tr("&Unload"), models_, [this, folder] { models_->unload(folder); });
        modelsMenu_->insertMenu(bundlesEnd_, entry);
        bundleEntries_ << entry;
    }
}

void MainWindow::browseForBundle() {
    QSettings settings;
    const QString folder = QFileDialog::getExistingDirectory(
        this, tr("Load Model Bundle"),
        settings.value(QStringLiteral("models/lastFolder"), settings::lastDirectory(settings))
            .toString());
    if (folder.isEmpty())
        return;
    settings.setValue(QStringLiteral("models/lastFolder"), folder);
    models_->load({folder});
}

void MainWindow::openScene(const QString& path) {
    loadingPath_ = QFileInfo(path).absoluteFilePath();
    auto result = std::make_shared<std::shared_ptr<const Scene>>();
    // The reader reports through the job's sink; the scene is handed over once it is complete.
    const std::string file = loadingPath_.toStdString();
    loadJob_->start(
        tr("Opening %1").arg(QFileInfo(path).fileName()), [file, result](ProgressSink& sink) {
            *result = std::make_shared<const Scene>(ScanNetSceneReader().read(file, &sink));
        });
    // One-shot connections for this load: a newer openScene() disconnects them.
    disconnect(loadJob_, &BackgroundJob::finished, this, nullptr);
    disconnect(loadJob_, &BackgroundJob::failed, this, nullptr);
    connect(loadJob_, &BackgroundJob::finished, this, [this, result] { showScene(*result); });
    connect(loadJob_, &BackgroundJob::failed, this,
            [this](const QString& message) { showLoadError(loadingPath_, message); });
}

void MainWindow::showScene(std::shared_ptr<const Scene> scene) {
    scene_ = std::move(scene);
    selection_->clear();
    sceneView_->setScene(scene_);
    objectsDock_->setScene(scene_.get());
    embeddings_->setCurrentScene(QString::fromStdString(scene_->id));
    objectsDock_->setVisible(!scene_->objects.empty());
    pages_->setCurrentWidget(sceneView_);
    sceneView_->setFocus();
    updateTitle();
    summaryLabel_->setText(sceneSummary());
    recentMenu_->add(loadingPath_);
    Q_EMIT sceneLoaded();
}

void MainWindow::showLoadError(const QString& path, const QString& message) {
    showWarning(this, tr("Could not open scene"), tr("SceneLens could not open\n%1").arg(path),
                message);
    Q_EMIT sceneLoadFailed(message);
}

void MainWindow::closeScene() {
    loadJob_->cancel();
    scene_.reset();
    selection_->clear();
    sceneView_->setScene(nullptr);
    objectsDock_->setScene(nullptr);
    objectsDock_->hide();
    embeddings_->setCurrentScene({});
    pages_->setCurrentWidget(welcome_);
    summaryLabel_->setText(sceneSummary());
    updateTitle();
}

void MainWindow::openPath(const QString& path) {
    if (QFileInfo(path).suffix().compare(QLatin1String("slh5"), Qt::CaseInsensitive) == 0)
        projects_->open(path);
    else
        openScene(path);
}

void MainWindow::updateTitle() {
    QStringList parts;
    if (scene_)
        parts << QString::fromStdString(scene_->id);
    if (!projects_->path().isEmpty())
        parts << QFileInfo(projects_->path()).fileName() + QStringLiteral("[*]");
    else if (projects_->isModified())
        parts << tr("unsaved project") + QStringLiteral("[*]");
    parts << QStringLiteral("SceneLens");
    setWindowTitle(parts.join(QStringLiteral(" — ")));
    setWindowModified(projects_->isModified());
}

void MainWindow::browseForProject() {
    QSettings settings;
    const QString file =
        QFileDialog::getOpenFileName(this, tr("Open Project"), settings::lastDirectory(settings),
                                     tr("SceneLens projects (*.slh5)"));
    if (file.isEmpty())
        return;
    settings::setLastDirectory(settings, QFileInfo(file).absolutePath());
    projects_->open(file);
}

void MainWindow::newProject() {
    if (projects_->isModified() &&
        QMessageBox::question(this, tr("Discard changes?"),
                              tr("The project has changes that were not saved. Start a new "
                                 "project anyway?"),
                              QMessageBox::Discard | QMessageBox::Cancel,
                              QMessageBox::Cancel) != QMessageBox::Discard)
        return;
    projects_->startNew();
}

QString MainWindow::sceneSummary() const {
    if (!scene_)
        return tr("No scene open");
    const QLocale locale;
    return tr("%1 · %2 vertices · %3 faces · %4 objects")
        .arg(QString::fromStdString(scene_->id), locale.toString(qulonglong(scene_->vertexCount())),
             locale.toString(qulonglong(scene_->faceCount())),
             locale.toString(qulonglong(scene_->objects.size())));
}

void MainWindow::updateSelectionStatus() {
    const QSet<int>& ids = selection_->selectedObjects();
    if (ids.isEmpty() || !scene_) {
        selectionLabel_->clear();
        return;
    }
    if (ids.size() > 1) {
        selectionLabel_->setText(tr("%1 objects selected").arg(ids.size()));
        return;
    }
    const SceneObject* object = scene_->findObject(*ids.begin());
    if (!object)
        return;
    selectionLabel_->setText(tr("Selected: %1 #%2 (%3, %4 vertices)")
                                 .arg(QString::fromStdString(object->rawLabel))
                                 .arg(object->id)
                                 .arg(QString::fromStdString(object->nyu40Class))
                                 .arg(object->vertexIndices.size()));
}

void MainWindow::applyViewOptions() {
    SceneViewOptions options = sceneView_->options();
    if (QAction* checked = colorModes_->checkedAction())
        options.colorBy = SceneColorMode(checked->data().toInt());
    options.showBoxes = boxesAction_->isChecked();
    sceneView_->setOptions(options);
    QSettings settings;
    settings::saveSceneViewOptions(settings, options);
    projects_->setModified(true);
}

void MainWindow::setSceneViewOptions(const SceneViewOptions& options) {
    sceneView_->setOptions(options);
    for (QAction* action : colorModes_->actions()) {
        const QSignalBlocker blocker(action);
        action->setChecked(SceneColorMode(action->data().toInt()) == options.colorBy);
    }
    const QSignalBlocker blocker(boxesAction_);
    boxesAction_->setChecked(options.showBoxes);
}

void MainWindow::browseForFolder() {
    QSettings settings;
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Open ScanNet Scene Folder"),
                                                          settings::lastDirectory(settings));
    if (dir.isEmpty())
        return;
    settings::setLastDirectory(settings, QFileInfo(dir).absolutePath());
    openScene(dir);
}

void MainWindow::browseForMesh() {
    QSettings settings;
    const QString file = QFileDialog::getOpenFileName(
        this, tr("Open Mesh"), settings::lastDirectory(settings), tr("PLY meshes (*.ply)"));
    if (file.isEmpty())
        return;
    settings::setLastDirectory(settings, QFileInfo(file).absolutePath());
    openScene(file);
}

void MainWindow::browseSceneFoldersToDescribe() {
    // The folder that holds the open scene's folder: every scene beside it (ScanNet's scans/).
    QString suggested = settings::lastDirectory(QSettings());
    if (scene_ && !scene_->sourcePath.empty())
        suggested =
            QFileInfo(QDir::cleanPath(QString::fromStdString(scene_->sourcePath))).absolutePath();
    embeddings_->browseSceneFolders(suggested);
}

void MainWindow::saveScreenshot() {
    if (!scene_)
        return;
    QSettings settings;
    const QString suggested =
        QDir(settings::lastDirectory(settings))
            .filePath(QString::fromStdString(scene_->id) + QStringLiteral(".png"));
    const QString file = QFileDialog::getSaveFileName(this, tr("Save Screenshot"), suggested,
                                                      tr("PNG images (*.png)"));
    if (file.isEmpty())
        return;
    QImageWriter writer(file);
    if (!writer.write(sceneView_->grabScene()))
        QMessageBox::warning(this, tr("Could not save screenshot"),
                             tr("%1: %2").arg(file, writer.errorString()));
    else
        statusBar()->showMessage(tr("Saved %1").arg(file), 5000);
}

QStringList MainWindow::recentScenes() const {
    return recentMenu_->files();
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (!projects_->confirmClose()) {
        event->ignore();
        return;
    }
    loadJob_->cancel();
    embeddings_->job()->cancel();
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
    const QList<QUrl> urls = event->mimeData()->urls();
    if (!urls.isEmpty() && urls.front().isLocalFile())
        openPath(urls.front().toLocalFile());
}

} // namespace scenelens
