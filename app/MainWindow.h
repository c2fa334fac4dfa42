#pragma once
// The main window: wires the scene view, the Objects dock, the embedding docks and the welcome page
// to the loaded scene and the shared selection. Scenes load off the GUI thread with progress and
// Cancel.

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
class ObjectsDock;
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

    const Scene* scene() const { return scene_.get(); }
    SceneView* sceneView() const { return sceneView_; }
    ObjectsDock* objectsDock() const { return objectsDock_; }
    SelectionModel* selection() const { return selection_; }
    BackgroundJob* loadJob() const { return loadJob_; }
    /// Embedding import, object descriptors, projections and their docks.
    EmbeddingWorkflow* embeddings() const { return embeddings_; }
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
    void addRecentScene(const QString& path);
    void rebuildRecentMenu();
    void applyViewOptions();
    void updateSelectionStatus();

    std::shared_ptr<const Scene> scene_;
    QString loadingPath_;
    SelectionModel* selection_;
    BackgroundJob* loadJob_;
    EmbeddingWorkflow* embeddings_;
    QStackedWidget* pages_;
    WelcomePage* welcome_;
    SceneView* sceneView_;
    ObjectsDock* objectsDock_;
    QLabel* summaryLabel_;
    QLabel* selectionLabel_;
    QMenu* recentMenu_ = nullptr;
    QActionGroup* colorModes_ = nullptr;
    QAction* boxesAction_ = nullptr;
};

} // namespace scenelens
