#pragma once
// The embedding side of the main window: import embeddings or describe the objects of scene
// folders, choose a projection, run it off the GUI thread (progress and Cancel through job()),
// and show each result in a new EmbeddingDock linked to the window's SelectionModel.

#include "EmbeddingDock.h"
#include "ProjectionDialog.h"
#include "embed/EmbeddingSet.h"
#include "embed/PlotData.h"

#include <QList>
#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>
#include <vector>

class QMainWindow;

namespace scenelens {

class BackgroundJob;
class ProgressSink;
class SelectionModel;

class EmbeddingWorkflow : public QObject {
    Q_OBJECT
public:
    /// Docks go into `window`; `selection` links them (neither is owned).
    EmbeddingWorkflow(QMainWindow* window, SelectionModel* selection);

    /// Runs the scene loading and projections; one at a time, a new one cancels the last.
    BackgroundJob* job() const { return job_; }
    /// The open embedding docks, oldest first.
    QList<EmbeddingDock*> docks() const;
    /// The projection dialog waiting for the user, or nullptr.
    ProjectionDialog* projectionDialog() const { return dialog_; }

    /// Asks for the files (ImportEmbeddingsDialog), then imports them.
    void browseImport();
    /// Asks for a folder of scene folders, starting at `suggested`, then describes its objects.
    void browseSceneFolders(const QString& suggested);

    /// Reads a .npy (and metadata .csv/.json) and asks how to project it; false after showing
    /// an error that names the file.
    bool importEmbeddings(const QString& npyPath, const QString& metadataPath = {},
                          const QString& modality = {});
    /// Loads every ScanNet scene folder in `folder` (or `folder` itself when it is one) in the
    /// background, computes their object descriptors and asks how to project them.
    void describeSceneObjects(const QString& folder);
    /// Opens the projection dialog for `sets` (window-modal, returns at once), letting the user
    /// leave some out when there are several; its Project button starts project().
    void requestProjection(std::vector<std::shared_ptr<const embed::EmbeddingSet>> sets);
    void requestProjection(std::shared_ptr<const embed::EmbeddingSet> set);
    /// Asks which of the session's sets() to project together.
    void requestProjectionOfSets();
    /// Projects `sets` together (concatenated rows, see embed::concatenateSets) in the background
    /// and shows the result in a new dock.
    void project(std::vector<std::shared_ptr<const embed::EmbeddingSet>> sets,
                 const embed::ProjectionOptions& options, bool computeMetrics);

    /// The session's embedding sets: those added, imported or projected, oldest first, with
    /// unique names (a different set arriving under a taken name is renamed "name (2)", ...).
    const std::vector<std::shared_ptr<const embed::EmbeddingSet>>& sets() const { return sets_; }
    /// Adds sets (renamed as needed); returns them as added.
    std::vector<std::shared_ptr<const embed::EmbeddingSet>>
    addSets(std::vector<std::shared_ptr<const embed::EmbeddingSet>> sets);
    /// Replaces every set (e.g. from a project file, whose names are unique already).
    void setSets(std::vector<std::shared_ptr<const embed::EmbeddingSet>> sets);
    /// Shows `plot`, the projection of `inputs` (whose rows, concatenated, are the plot's), in a
    /// new dock beside the others. The projection gets a name unique among the open docks:
    /// `name` when given and free, else the plot's title with " (2)", " (3)", ... as needed.
    EmbeddingDock* showPlot(std::shared_ptr<const embed::PlotData> plot,
                            std::vector<std::shared_ptr<const embed::EmbeddingSet>> inputs,
                            const QString& name = {});

    /// An open dock with the name of its projection and the sets it projects.
    struct ShownProjection {
        EmbeddingDock* dock;
        QString name;
        std::vector<std::shared_ptr<const embed::EmbeddingSet>> inputs;
    };
    /// The open docks' projections, oldest first.
    QList<ShownProjection> projections() const;
    /// Closes every embedding dock.
    void closeAll();

    /// The scene whose objects the selection holds; every dock links its rows of that scene.
    void setCurrentScene(const QString& sceneId);

Q_SIGNALS:
    /// A projection dialog opened and waits for the user.
    void projectionRequested(ProjectionDialog* dialog);
    void plotShown(EmbeddingDock* dock);
    /// A dock opened or closed.
    void projectionsChanged();
    /// Sets were added or replaced.
    void setsChanged();
    /// A dock's view settings changed (EmbeddingDock::viewStateChanged).
    void viewsChanged();
    /// Something could not be done; the message (naming the file) is also shown to the user.
    void failed(const QString& message);

private:
    void runJob(const QString& title, std::function<void(ProgressSink&)> work,
                std::function<void()> onFinished);
    void showError(const QString& title, const QString& message);

    QMainWindow* window_;
    SelectionModel* selection_;
    BackgroundJob* job_;
    QPointer<ProjectionDialog> dialog_;
    struct DockEntry {
        QPointer<EmbeddingDock> dock;
        QString name;
        std::vector<std::shared_ptr<const embed::EmbeddingSet>> inputs;
    };
    QString uniqueName(const QString& wanted) const;

    QList<DockEntry> docks_;
    std::vector<std::shared_ptr<const embed::EmbeddingSet>> sets_;
    QString currentScene_;
};

} // namespace scenelens
