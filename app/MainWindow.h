#pragma once
// The main window: wires the scene view, the Objects dock, the embedding docks and the welcome page
// to the loaded scene and the shared selection. Scenes load off the GUI thread with progress and
// Cancel.

#include "scene/SceneViewOptions.h"

#include <QMainWindow>

#include <memory>

class QActionGroup;
class QLabel;
class QMenu;
class QStackedWidget;

namespace scenelens {

struct Scene;
class BackgroundJob;
class EmbeddingWorkflow;
class ModelLibrary;
class ModelWorkflow;
class QaPanel;
class ObjectsDock;
class ProjectController;
class RecentFilesMenu;
class SceneView;
class SelectionModel;
class WelcomePage;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    /// Loads a ScanNet scene folder or .ply in the background; sceneLoaded() or
    /// sceneLoadFailed() follows (a failure is also shown to the user).
    void openScene(const QString& path);
    /// Shows no scene (the welcome page); the embedding docks stay.
    void closeScene();
    /// Opens a project file (*.slh5) or, for anything else, a scene.
    void openPath(const QString& path);

    const Scene* scene() const { return scene_.get(); }
    std::shared_ptr<const Scene> sharedScene() const { return scene_; }
    SceneView* sceneView() const { return sceneView_; }
    ObjectsDock* objectsDock() const { return objectsDock_; }
    SelectionModel* selection() const { return selection_; }
    BackgroundJob* loadJob() const { return loadJob_; }
    /// Embedding import, object descriptors, projections and their docks.
    EmbeddingWorkflow* embeddings() const { return embeddings_; }
    /// Project files: save, open, modified marker, autosave and recovery, bookmarks.
    ProjectController* projects() const { return projects_; }
    /// The loaded model bundles (Models menu).
    ModelLibrary* models() const { return models_; }
    /// Encoding, text queries and feature colours with the loaded models.
    ModelWorkflow* modelWorkflow() const { return modelWorkflow_; }
    /// Questions to the loaded QA models about the open scene.
    QaPanel* qaPanel() const { return qaPanel_; }
    /// Applies scene view options and updates the View menu to match.
    void setSceneViewOptions(const SceneViewOptions& options);
    QStringList recentScenes() const;
    /// The status bar's summary of the open scene.
    QString sceneSummary() const;

Q_SIGNALS:
    void sceneLoaded();
    void sceneLoadFailed(const QString& message);

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void createActions();
    void browseForFolder();
    void browseForMesh();
    void saveScreenshot();
    void browseSceneFoldersToDescribe();
    void showScene(std::shared_ptr<const Scene> scene);
    void showLoadError(const QString& path, const QString& message);
    void applyViewOptions();
    void updateSelectionStatus();
    /// "<scene> — <project>[*] — SceneLens", with the modified marker.
    void updateTitle();
    void browseForProject();
    void newProject();
    void createModelsMenu();
    void rebuildBundleActions();
    void browseForBundle();

    std::shared_ptr<const Scene> scene_;
    QString loadingPath_;
    SelectionModel* selection_;
    BackgroundJob* loadJob_;
    EmbeddingWorkflow* embeddings_;
    ProjectController* projects_ = nullptr;
    ModelLibrary* models_ = nullptr;
    ModelWorkflow* modelWorkflow_ = nullptr;
    QaPanel* qaPanel_ = nullptr;
    QMenu* modelsMenu_ = nullptr;
    QAction* bundlesEnd_ = nullptr; // separator after the loaded bundles' entries
    QList<QObject*> bundleEntries_; // a submenu per loaded bundle, or "No model loaded"
    QStackedWidget* pages_;
    WelcomePage* welcome_;
    SceneView* sceneView_;
    ObjectsDock* objectsDock_;
    QLabel* summaryLabel_;
    QLabel* selectionLabel_;
    RecentFilesMenu* recentMenu_ = nullptr;
    QActionGroup* colorModes_ = nullptr;
    QAction* boxesAction_ = nullptr;
};

} // namespace scenelens
