#pragma once
// The project-file side of the main window: Save / Save As / Open Project (*.slh5) in the
// background with progress and Cancel, the window's "modified" marker, autosave of a modified
// project to a recovery file and the offer to recover it after a crash, camera bookmarks and the
// recent projects. The window's state goes through a core Session value: captureSession() reads
// it from the views, applySession() rebuilds them from it.

#include "Session.h"

#include <QObject>
#include <QString>
#include <QTimer>

#include <functional>
#include <optional>

class QMenu;
class QMessageBox;

namespace scenelens {

class BackgroundJob;
class MainWindow;
class RecentFilesMenu;

class ProjectController : public QObject {
    Q_OBJECT
public:
    explicit ProjectController(MainWindow* window);

    /// The project file the window shows, "" for a project never saved.
    const QString& path() const { return path_; }
    bool isModified() const { return modified_; }
    /// Marks the project changed (the title shows it) or saved.
    void setModified(bool modified);
    /// Saves, opens and autosaves; one at a time.
    BackgroundJob* job() const { return job_; }

    /// The window's state now: scene, selection, camera, bookmarks, view options, embedding sets
    /// and projections with their docks' settings, dock layout.
    Session captureSession() const;
    /// Replaces the window's state: closes the embedding docks, shows the session's projections,
    /// opens its scene and, once loaded, restores its selection and camera.
    void applySession(const Session& session);

    /// Saves to `path` in the background; saved() or failed() follows.
    void saveAs(const QString& path);
    /// Saves to path(), or asks for a file when there is none.
    void save();
    /// Asks for a file (suggesting path() or the scene's name) and saves there.
    void browseSaveAs();
    /// Starts an empty, unnamed project: no scene, no embedding docks, no bookmarks.
    void startNew();
    /// Reads `path` in the background and applies it; opened() or failed() follows.
    void open(const QString& path);

    /// Where autosave writes: <app data>/recovery.slh5.
    static QString recoveryPath();
    /// Writes the recovery file now (in the background) when the project changed since the last
    /// save or autosave; false when there was nothing to write or another job runs.
    bool autosave();
    /// Autosave period; 0 turns autosave off.
    void setAutosaveInterval(int milliseconds);
    /// When a recovery file was left by a session that did not end normally, asks (window-modal)
    /// whether to recover it; recovering opens it as a modified project. Returns the question box
    /// (nullptr when there is nothing to recover) so that tests can answer it.
    QMessageBox* offerRecovery();
    /// Called when the window closes: after Save/Discard/Cancel when the project is modified;
    /// false when the user cancelled. A normal close removes the recovery file.
    bool confirmClose();

    /// Adds the current camera as a bookmark named `name`.
    void addBookmark(const QString& name);
    const std::vector<CameraBookmark>& bookmarks() const { return bookmarks_; }
    /// Puts the 3D camera at bookmark `index`; false when there is no such bookmark.
    bool goToBookmark(int index);
    /// File > Open Recent Project and View > Bookmarks, kept up to date by this object.
    void setMenus(RecentFilesMenu* recentProjects, QMenu* bookmarks);
    QStringList recentProjects() const;

Q_SIGNALS:
    void saved(const QString& path);
    void opened(const QString& path);
    void failed(const QString& message);
    void modifiedChanged(bool modified);
    /// path() changed (after Save As, Open, or recovery).
    void pathChanged(const QString& path);

private:
    void writeInBackground(const QString& title, const QString& target,
                           std::function<void()> onSaved);
    /// Once the session's scene has loaded: its selection and camera, then the modified flag.
    void restoreSceneState();
    void rebuildBookmarksMenu();
    void showError(const QString& title, const QString& message);
    void setPath(const QString& path);

    MainWindow* window_;
    BackgroundJob* job_;
    QTimer autosaveTimer_;
    QString path_;
    bool modified_ = false;
    int changes_ = 0; ///< counts setModified(true): tells changes made while a save ran
    QMetaObject::Connection closeAfterSave_;
    bool changedSinceAutosave_ = false;
    std::vector<CameraBookmark> bookmarks_;
    /// Set while a session is being applied: its scene's selection and camera wait for the scene
    /// to load, and changes made by applying it do not count as modifications.
    struct PendingRestore {
        std::vector<int> selectedObjects;
        std::optional<CameraPose> camera;
        bool modified = false;
    };
    std::optional<PendingRestore> pending_;
    RecentFilesMenu* recentMenu_ = nullptr;
    QMenu* bookmarksMenu_ = nullptr;
};

} // namespace scenelens
