#include "ProjectController.h"

#include "BackgroundJob.h"
#include "EmbeddingDock.h"
#include "EmbeddingWorkflow.h"
#include "MainWindow.h"
#include "ModelLibrary.h"
#include "RecentFilesMenu.h"
#include "SceneView.h"
#include "SelectionModel.h"
#include "Settings.h"
#include "UserMessages.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QJsonDocument>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>

#include <algorithm>
#include <map>

namespace scenelens {

namespace {

const QString kRecoveryProject = QStringLiteral("recovery/project");

bool sameContent(const embed::EmbeddingSet& a, const embed::EmbeddingSet& b) {
    return a.rows == b.rows && a.dims == b.dims && a.values == b.values &&
           a.textColumns == b.textColumns && a.numberColumns == b.numberColumns;
}

/// Gives every distinct set one name in the session: a set shown by several docks is stored
/// once, and two different sets that share a name are told apart by " (2)", " (3)", ...
class SetNames {
public:
    explicit SetNames(std::vector<std::shared_ptr<const embed::EmbeddingSet>>& sets)
        : sets_(sets) {}

    std::string add(const std::shared_ptr<const embed::EmbeddingSet>& set) {
        for (const auto& stored : sets_)
            if (stored == set ||
                (original_[stored.get()] == set->name && sameContent(*stored, *set)))
                return stored->name;
        std::string name = set->name.empty() ? std::string("embeddings") : set->name;
        const std::string base = name;
        for (int n = 2; taken(name); ++n)
            name = base + " (" + std::to_string(n) + ")";
        std::shared_ptr<const embed::EmbeddingSet> stored = set;
        if (name != set->name) {
            auto renamed = std::make_shared<embed::EmbeddingSet>(*set);
            renamed->name = name;
            stored = std::move(renamed);
        }
        original_[stored.get()] = set->name;
        sets_.push_back(stored);
        return name;
    }

private:
    bool taken(const std::string& name) const {
        return std::any_of(sets_.begin(), sets_.end(),
                           [&name](const auto& stored) { return stored->name == name; });
    }

    std::vector<std::shared_ptr<const embed::EmbeddingSet>>& sets_;
    std::map<const embed::EmbeddingSet*, std::string> original_;
};

} // namespace

ProjectController::ProjectController(MainWindow* window)
    : QObject(window), window_(window), job_(new BackgroundJob(this)) {
    auto changed = [this] {
        if (!pending_)
            setModified(true);
    };
    connect(window_->selection(), &SelectionModel::selectionChanged, this, changed);
    connect(window_->embeddings(), &EmbeddingWorkflow::projectionsChanged, this, changed);
    connect(window_->embeddings(), &EmbeddingWorkflow::viewsChanged, this, changed);
    connect(window_->embeddings(), &EmbeddingWorkflow::setsChanged, this, changed);
    connect(window_->models(), &ModelLibrary::bundlesChanged, this, changed);
    connect(window_, &MainWindow::sceneLoaded, this, [this, changed] {
        if (pending_)
            restoreSceneState();
        else
            changed();
    });
    connect(window_, &MainWindow::sceneLoadFailed, this, [this] {
        if (pending_)
            setModified(std::exchange(pending_, std::nullopt)->modified);
    });
    connect(&autosaveTimer_, &QTimer::timeout, this, &ProjectController::autosave);
    setAutosaveInterval(settings::autosaveMinutes(QSettings()) * 60 * 1000);
}

void ProjectController::setModified(bool modified) {
    changedSinceAutosave_ = changedSinceAutosave_ || modified;
    if (modified)
        ++changes_;
    if (modified == modified_)
        return;
    modified_ = modified;
    Q_EMIT modifiedChanged(modified);
}

void ProjectController::setPath(const QString& path) {
    if (path == path_)
        return;
    path_ = path;
    Q_EMIT pathChanged(path);
}

Session ProjectController::captureSession() const {
    Session session;
    if (const Scene* scene = window_->scene()) {
        session.scenes.push_back(storedSceneOf(*scene));
        session.currentScene = scene->id;
        session.camera = window_->sceneView()->camera();
        const QSet<int>& selected = window_->selection()->selectedObjects();
        session.selectedObjects.assign(selected.begin(), selected.end());
        std::sort(session.selectedObjects.begin(), session.selectedObjects.end());
    }
    session.bookmarks = bookmarks_;
    session.viewOptions = window_->sceneView()->options();
    session.windowLayout = window_->saveState().toBase64().toStdString();
    for (const QString& folder : window_->models()->folders())
        session.modelBundles.push_back(folder.toStdString());
    SetNames names(session.sets);
    for (const auto& set : window_->embeddings()->sets())
        names.add(set);
    for (const EmbeddingWorkflow::ShownProjection& shown : window_->embeddings()->projections()) {
        std::vector<std::string> inputs;
        for (const auto& set : shown.inputs)
            inputs.push_back(names.add(set));
        const QByteArray view =
            QJsonDocument(shown.dock->viewState()).toJson(QJsonDocument::Compact);
        session.projections.push_back(storedProjection(shown.dock->plot(), shown.name.toStdString(),
                                                       std::move(inputs), view.toStdString()));
    }
    return session;
}

void ProjectController::applySession(const Session& session) {
    pending_ = PendingRestore{session.selectedObjects, session.camera, false};
    window_->embeddings()->closeAll();
    window_->embeddings()->setSets(session.sets);
    QStringList bundles;
    for (const std::string& folder : session.modelBundles)
        bundles << QString::fromStdString(folder);
    // Models stay loaded across projects; a project's own bundles are loaded when missing.
    if (!bundles.isEmpty())
        window_->models()->load(bundles);
    bookmarks_ = session.bookmarks;
    rebuildBookmarksMenu();
    window_->setSceneViewOptions(session.viewOptions);

    for (const store::StoredProjection& projection : session.projections) {
        // loadSession checked that every projection's sets are there.
        auto inputs = projectionInputs(session, projection);
        auto plot = std::make_shared<const embed::PlotData>(plotOf(inputs, projection));
        EmbeddingDock* dock = window_->embeddings()->showPlot(
            std::move(plot), std::move(inputs), QString::fromStdString(projection.name));
        dock->restoreViewState(
            QJsonDocument::fromJson(QByteArray::fromStdString(projection.viewState)).object());
    }
    window_->restoreState(QByteArray::fromBase64(QByteArray::fromStdString(session.windowLayout)));

    const auto scene = std::find_if(
        session.scenes.begin(), session.scenes.end(),
        [&session](const store::StoredScene& stored) { return stored.id == session.currentScene; });
    if (scene == session.scenes.end()) {
        window_->closeScene();
        restoreSceneState();
    } else {
        window_->openScene(QString::fromStdString(scene->sourcePath));
    }
}

void ProjectController::restoreSceneState() {
    const PendingRestore restore = *std::exchange(pending_, std::nullopt);
    if (window_->scene()) {
        window_->selection()->setSelectedObjects(
            QSet<int>(restore.selectedObjects.begin(), restore.selectedObjects.end()));
        if (restore.camera)
            window_->sceneView()->setCamera(*restore.camera);
    }
    changedSinceAutosave_ = restore.modified;
    setModified(restore.modified);
}

void ProjectController::writeInBackground(const QString& title, const QString& target,
                                          std::function<void()> onSaved) {
    auto session = std::make_shared<const Session>(captureSession());
    const std::string file = target.toStdString();
    job_->start(title, [session, file](ProgressSink& sink) { saveSession(*session, file, &sink); });
    disconnect(job_, &BackgroundJob::finished, this, nullptr);
    disconnect(job_, &BackgroundJob::failed, this, nullptr);
    connect(job_, &BackgroundJob::finished, this, std::move(onSaved));
    connect(job_, &BackgroundJob::failed, this, [this, target](const QString& message) {
        disconnect(closeAfterSave_);
        showError(tr("Could not save %1").arg(target), message);
    });
}

void ProjectController::saveAs(const QString& path) {
    const QString target = QFileInfo(path).absoluteFilePath();
    const int changesAtCapture = changes_;
    writeInBackground(tr("Saving %1").arg(QFileInfo(path).fileName()), target,
                      [this, target, changesAtCapture] {
                          setPath(target);
                          // Changes made while the file was written are still unsaved.
                          setModified(changes_ != changesAtCapture);
                          changedSinceAutosave_ = modified_;
                          QFile::remove(recoveryPath());
                          recentMenu_->add(target);
                          window_->statusBar()->showMessage(tr("Saved %1").arg(target), 5000);
                          Q_EMIT saved(target);
                      });
}

void ProjectController::save() {
    if (path_.isEmpty())
        browseSaveAs();
    else
        saveAs(path_);
}

void ProjectController::browseSaveAs() {
    QSettings settings;
    const QString name =
        window_->scene() ? QString::fromStdString(window_->scene()->id) : QStringLiteral("project");
    const QString suggested =
        !path_.isEmpty()
            ? path_
            : QDir(settings::lastDirectory(settings)).filePath(name + QStringLiteral(".slh5"));
    QString file = QFileDialog::getSaveFileName(window_, tr("Save Project As"), suggested,
                                                tr("SceneLens projects (*.slh5)"));
    if (file.isEmpty())
        return;
    if (QFileInfo(file).suffix().isEmpty())
        file += QStringLiteral(".slh5");
    settings::setLastDirectory(settings, QFileInfo(file).absolutePath());
    saveAs(file);
}

void ProjectController::startNew() {
    job_->cancel();
    applySession(Session{});
    setPath({});
}

void ProjectController::open(const QString& path) {
    const QString source = QFileInfo(path).absoluteFilePath();
    auto result = std::make_shared<Session>();
    const std::string file = source.toStdString();
    job_->start(tr("Opening %1").arg(QFileInfo(path).fileName()),
                [file, result](ProgressSink& sink) { *result = loadSession(file, &sink); });
    disconnect(job_, &BackgroundJob::finished, this, nullptr);
    disconnect(job_, &BackgroundJob::failed, this, nullptr);
    const bool recovering = source == QFileInfo(recoveryPath()).absoluteFilePath();
    connect(job_, &BackgroundJob::finished, this, [this, result, source, recovering] {
        applySession(*result);
        if (pending_)
            pending_->modified = recovering;
        else
            setModified(recovering);
        if (recovering) {
            setPath(QSettings().value(kRecoveryProject).toString());
        } else {
            setPath(source);
            recentMenu_->add(source);
        }
        Q_EMIT opened(source);
    });
    connect(job_, &BackgroundJob::failed, this, [this, source](const QString& message) {
        showError(tr("Could not open project %1").arg(source), message);
    });
}

QString ProjectController::recoveryPath() {
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
        .filePath(QStringLiteral("recovery.slh5"));
}

bool ProjectController::autosave() {
    if (!changedSinceAutosave_ || job_->isRunning())
        return false;
    QDir().mkpath(QFileInfo(recoveryPath()).absolutePath());
    const int changesAtCapture = changes_;
    writeInBackground(tr("Autosaving"), recoveryPath(), [this, changesAtCapture] {
        changedSinceAutosave_ = changes_ != changesAtCapture;
        QSettings().setValue(kRecoveryProject, path_);
    });
    return true;
}

void ProjectController::setAutosaveInterval(int milliseconds) {
    autosaveTimer_.stop();
    if (milliseconds > 0)
        autosaveTimer_.start(milliseconds);
}

QMessageBox* ProjectController::offerRecovery() {
    const QFileInfo recovery(recoveryPath());
    if (!recovery.exists())
        return nullptr;
    const QString project = QSettings().value(kRecoveryProject).toString();
    auto* box =
        new QMessageBox(QMessageBox::Question, tr("Recover unsaved work?"),
                        tr("SceneLens did not close normally. Its last autosave, from %1, "
                           "holds work that was not saved.")
                            .arg(QLocale().toString(recovery.lastModified(), QLocale::ShortFormat)),
                        QMessageBox::NoButton, window_);
    if (!project.isEmpty())
        box->setInformativeText(tr("The work belongs to the project %1.").arg(project));
    QPushButton* recover = box->addButton(tr("&Recover"), QMessageBox::AcceptRole);
    box->addButton(tr("&Discard"), QMessageBox::DestructiveRole);
    box->setDefaultButton(recover);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::buttonClicked, this, [this, recover](QAbstractButton* button) {
        if (button == recover)
            open(recoveryPath());
        else
            QFile::remove(recoveryPath());
    });
    box->open();
    return box;
}

bool ProjectController::confirmClose() {
    if (modified_) {
        const auto answer = QMessageBox::question(
            window_, tr("Save changes?"),
            tr("The project %1 has changes that were not saved.")
                .arg(path_.isEmpty() ? tr("(not saved yet)") : QFileInfo(path_).fileName()),
            QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
        if (answer == QMessageBox::Cancel)
            return false;
        if (answer == QMessageBox::Save) {
            // Close again once the file is safely written.
            closeAfterSave_ = connect(this, &ProjectController::saved, window_, &QWidget::close,
                                      Qt::SingleShotConnection);
            save();
            if (!job_->isRunning()) // the user cancelled the file dialog
                disconnect(closeAfterSave_);
            return false;
        }
    }
    job_->cancel();
    QFile::remove(recoveryPath());
    return true;
}

void ProjectController::addBookmark(const QString& name) {
    bookmarks_.push_back({name.toStdString(), window_->sceneView()->camera()});
    rebuildBookmarksMenu();
    setModified(true);
}

bool ProjectController::goToBookmark(int index) {
    if (index < 0 || std::size_t(index) >= bookmarks_.size() || !window_->scene())
        return false;
    window_->sceneView()->setCamera(bookmarks_[std::size_t(index)].pose);
    return true;
}

void ProjectController::setMenus(RecentFilesMenu* recentProjects, QMenu* bookmarks) {
    recentMenu_ = recentProjects;
    bookmarksMenu_ = bookmarks;
    connect(recentMenu_, &RecentFilesMenu::fileChosen, this, &ProjectController::open);
    rebuildBookmarksMenu();
}

QStringList ProjectController::recentProjects() const {
    return recentMenu_ ? recentMenu_->files() : QStringList();
}

void ProjectController::rebuildBookmarksMenu() {
    if (!bookmarksMenu_)
        return;
    bookmarksMenu_->clear();
    QAction* add = bookmarksMenu_->addAction(tr("&Add Bookmark"), this, [this] {
        if (window_->scene())
            addBookmark(tr("View %1").arg(bookmarks_.size() + 1));
    });
    add->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_B));
    add->setStatusTip(tr("Remember the 3D camera; Ctrl+1…9 return to it"));
    if (!bookmarks_.empty())
        bookmarksMenu_->addSeparator();
    for (std::size_t i = 0; i < bookmarks_.size(); ++i) {
        QAction* go = bookmarksMenu_->addAction(QString::fromStdString(bookmarks_[i].name), this,
                                                [this, i] { goToBookmark(int(i)); });
        if (i < 9)
            go->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + int(i))));
    }
    if (!bookmarks_.empty()) {
        bookmarksMenu_->addSeparator();
        bookmarksMenu_->addAction(tr("&Clear Bookmarks"), this, [this] {
            bookmarks_.clear();
            rebuildBookmarksMenu();
            setModified(true);
        });
    }
}

void ProjectController::showError(const QString& title, const QString& message) {
    showWarning(window_, title, message);
    Q_EMIT failed(message);
}

} // namespace scenelens
