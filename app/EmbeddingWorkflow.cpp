#include "EmbeddingWorkflow.h"

#include "BackgroundJob.h"
#include "EmbeddingDock.h"
#include "ImportEmbeddingsDialog.h"
#include "ProjectionDialog.h"
#include "UserMessages.h"
#include "embed/EmbeddingImport.h"
#include "embed/ObjectDescriptors.h"
#include "scene/ScanNetSceneReader.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QLocale>
#include <QMainWindow>
#include <QStatusBar>

#include <algorithm>

namespace scenelens {

namespace {

/// The scene folders to describe: `folder` itself when it is one, else its scene subfolders.
QStringList sceneFoldersIn(const QString& folder) {
    if (isScanNetSceneFolder(folder.toStdString()))
        return {folder};
    QStringList scenes;
    const QDir dir(folder);
    for (const QString& name : dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        const QString path = dir.filePath(name);
        if (isScanNetSceneFolder(path.toStdString()))
            scenes << path;
    }
    return scenes;
}

/// Reads the scenes one after the other (each reports a share of the progress) and describes
/// their objects.
embed::EmbeddingSet describeScenes(const QStringList& folders, ProgressSink& sink) {
    std::vector<Scene> scenes;
    scenes.reserve(std::size_t(folders.size()));
    for (int i = 0; i < folders.size(); ++i) {
        // Each scene's reader reports 0..1 of its share of the job.
        ProgressRange share(&sink, 0.9 * i / folders.size(), 0.9 * (i + 1) / folders.size());
        scenes.push_back(ScanNetSceneReader().read(folders[i].toStdString(), &share));
    }
    checkpoint(&sink, "computing object descriptors", 0.9);
    std::vector<const Scene*> pointers;
    for (const Scene& scene : scenes)
        pointers.push_back(&scene);
    return embed::objectDescriptors(pointers);
}

QString inputSummary(const embed::EmbeddingSet& set) {
    const QLocale locale;
    QString text = QObject::tr("%1: %2 rows × %3 dimensions")
                       .arg(QString::fromStdString(set.name), locale.toString(set.rows),
                            locale.toString(set.dims));
    if (!set.modality.empty())
        text += QStringLiteral(" (%1)").arg(QString::fromStdString(set.modality));
    QStringList columns;
    for (const auto& [name, values] : set.textColumns)
        columns << QString::fromStdString(name);
    for (const auto& [name, values] : set.numberColumns)
        columns << QString::fromStdString(name);
    if (!columns.isEmpty())
        text += QStringLiteral("\n") +
                QObject::tr("metadata: %1").arg(columns.join(QStringLiteral(", ")));
    return text;
}

} // namespace

EmbeddingWorkflow::EmbeddingWorkflow(QMainWindow* window, SelectionModel* selection)
    : QObject(window), window_(window), selection_(selection), job_(new BackgroundJob(this)) {}

QList<EmbeddingDock*> EmbeddingWorkflow::docks() const {
    QList<EmbeddingDock*> docks;
    for (const DockEntry& entry : docks_)
        if (entry.dock)
            docks << entry.dock;
    return docks;
}

QList<EmbeddingWorkflow::ShownProjection> EmbeddingWorkflow::projections() const {
    QList<ShownProjection> shown;
    for (const DockEntry& entry : docks_)
        if (entry.dock)
            shown.push_back({entry.dock, entry.name, entry.inputs});
    return shown;
}

void EmbeddingWorkflow::closeAll() {
    // Forget the docks now (their deletion is deferred) so that their names are free at once.
    const QList<EmbeddingDock*> open = docks();
    docks_.clear();
    for (EmbeddingDock* dock : open) {
        disconnect(dock, &QObject::destroyed, this, nullptr);
        dock->close();
    }
    Q_EMIT projectionsChanged();
}

QString EmbeddingWorkflow::uniqueName(const QString& wanted) const {
    const QString base = wanted.isEmpty() ? tr("projection") : wanted;
    auto taken = [this](const QString& name) {
        return std::any_of(docks_.begin(), docks_.end(), [&name](const DockEntry& entry) {
            return entry.dock && entry.name == name;
        });
    };
    QString name = base;
    for (int n = 2; taken(name); ++n)
        name = QStringLiteral("%1 (%2)").arg(base).arg(n);
    return name;
}

void EmbeddingWorkflow::browseImport() {
    auto* dialog = new ImportEmbeddingsDialog(window_);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        importEmbeddings(dialog->embeddingsPath(), dialog->metadataPath(), dialog->modality());
    });
    dialog->open();
}

void EmbeddingWorkflow::browseSceneFolders(const QString& suggested) {
    const QString folder = QFileDialog::getExistingDirectory(
        window_, tr("Describe the Objects of the Scenes in a Folder"), suggested);
    if (!folder.isEmpty())
        describeSceneObjects(folder);
}

bool EmbeddingWorkflow::importEmbeddings(const QString& npyPath, const QString& metadataPath,
                                         const QString& modality) {
    try {
        auto set = std::make_shared<const embed::EmbeddingSet>(embed::importEmbeddings(
            npyPath.toStdString(), metadataPath.toStdString(), modality.toStdString()));
        requestProjection(std::move(set));
        return true;
    } catch (const std::exception& e) {
        showError(tr("Could not import embeddings"), QString::fromUtf8(e.what()));
        return false;
    }
}

void EmbeddingWorkflow::describeSceneObjects(const QString& folder) {
    const QStringList scenes = sceneFoldersIn(folder);
    if (scenes.isEmpty()) {
        showError(tr("No scenes found"),
                  tr("%1: holds no ScanNet scene folder (sceneXXXX_XX with a _vh_clean_2.ply "
                     "mesh)")
                      .arg(folder));
        return;
    }
    auto result = std::make_shared<std::shared_ptr<const embed::EmbeddingSet>>();
    runJob(
        tr("Describing objects of %n scene(s)", "", int(scenes.size())),
        [scenes, result](ProgressSink& sink) {
            *result = std::make_shared<const embed::EmbeddingSet>(describeScenes(scenes, sink));
        },
        [this, result] { requestProjection(*result); });
}

void EmbeddingWorkflow::requestProjection(std::shared_ptr<const embed::EmbeddingSet> set) {
    requestProjection(std::vector{std::move(set)});
}

void EmbeddingWorkflow::requestProjection(
    std::vector<std::shared_ptr<const embed::EmbeddingSet>> sets) {
    if (sets.empty())
        return;
    sets = addSets(std::move(sets));
    if (dialog_)
        dialog_->reject();
    QStringList summaries;
    for (const auto& set : sets)
        summaries << inputSummary(*set);
    auto* dialog = new ProjectionDialog(
        sets.size() == 1 ? summaries.front() : tr("Project these sets together:"), window_);
    if (sets.size() > 1)
        dialog->setInputChoices(summaries);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog, sets] {
        std::vector<std::shared_ptr<const embed::EmbeddingSet>> chosen;
        if (sets.size() == 1)
            chosen = sets;
        for (int i : dialog->chosenInputs())
            chosen.push_back(sets[std::size_t(i)]);
        project(std::move(chosen), dialog->options(), dialog->computeMetrics());
    });
    dialog_ = dialog;
    dialog->open();
    Q_EMIT projectionRequested(dialog);
}

void EmbeddingWorkflow::requestProjectionOfSets() {
    if (sets_.empty()) {
        showError(tr("No embeddings yet"),
                  tr("Import embeddings, describe scene objects or encode scenes first."));
        return;
    }
    requestProjection(sets_);
}

void EmbeddingWorkflow::project(std::vector<std::shared_ptr<const embed::EmbeddingSet>> sets,
                                const embed::ProjectionOptions& options, bool computeMetrics) {
    auto result = std::make_shared<std::shared_ptr<const embed::PlotData>>();
    const std::string_view name = embed::toString(options.method);
    const QString method = QString::fromLatin1(name.data(), qsizetype(name.size()));
    QStringList names;
    for (const auto& set : sets)
        names << QString::fromStdString(set->name);
    runJob(
        tr("Projecting %1 with %2").arg(names.join(QStringLiteral(" + ")), method),
        [sets, options, computeMetrics, result](ProgressSink& sink) {
            std::vector<const embed::EmbeddingSet*> inputs;
            for (const auto& set : sets)
                inputs.push_back(set.get());
            embed::EmbeddingSet points =
                inputs.size() == 1 ? *inputs.front() : embed::concatenateSets(inputs);
            *result = std::make_shared<const embed::PlotData>(
                embed::makePlotData(std::move(points), options, computeMetrics, &sink));
        },
        [this, result, sets] { showPlot(*result, sets); });
}

std::vector<std::shared_ptr<const embed::EmbeddingSet>>
EmbeddingWorkflow::addSets(std::vector<std::shared_ptr<const embed::EmbeddingSet>> sets) {
    bool added = false;
    for (auto& set : sets) {
        if (std::find(sets_.begin(), sets_.end(), set) != sets_.end())
            continue;
        auto taken = [this](const std::string& name) {
            return std::any_of(sets_.begin(), sets_.end(),
                               [&name](const auto& other) { return other->name == name; });
        };
        if (taken(set->name)) {
            auto renamed = std::make_shared<embed::EmbeddingSet>(*set);
            for (int n = 2; taken(renamed->name); ++n)
                renamed->name = set->name + " (" + std::to_string(n) + ")";
            set = std::move(renamed);
        }
        sets_.push_back(set);
        added = true;
    }
    if (added)
        Q_EMIT setsChanged();
    return sets;
}

void EmbeddingWorkflow::setSets(std::vector<std::shared_ptr<const embed::EmbeddingSet>> sets) {
    sets_ = std::move(sets);
    Q_EMIT setsChanged();
}

EmbeddingDock*
EmbeddingWorkflow::showPlot(std::shared_ptr<const embed::PlotData> plot,
                            std::vector<std::shared_ptr<const embed::EmbeddingSet>> inputs,
                            const QString& name) {
    const QList<EmbeddingDock*> existing = docks();
    const QString unique = uniqueName(name.isEmpty() ? QString::fromStdString(plot->title) : name);
    auto* dock = new EmbeddingDock(std::move(plot), selection_, window_);
    // Named after the projection so that a saved window layout finds the dock again.
    dock->setObjectName(QStringLiteral("EmbeddingDock:") + unique);
    dock->setWindowTitle(unique);
    dock->setCurrentScene(currentScene_);
    docks_.push_back({dock, unique, std::move(inputs)});
    connect(dock, &EmbeddingDock::viewStateChanged, this, &EmbeddingWorkflow::viewsChanged);
    connect(dock, &QObject::destroyed, this, [this] {
        docks_.erase(std::remove_if(docks_.begin(), docks_.end(),
                                    [](const DockEntry& entry) { return !entry.dock; }),
                     docks_.end());
        Q_EMIT projectionsChanged();
    });
    window_->addDockWidget(Qt::RightDockWidgetArea, dock);
    if (!existing.isEmpty())
        window_->splitDockWidget(existing.back(), dock, Qt::Horizontal);
    dock->show();
    dock->raise();
    window_->statusBar()->showMessage(tr("Showing %1").arg(dock->windowTitle()), 5000);
    Q_EMIT plotShown(dock);
    Q_EMIT projectionsChanged();
    return dock;
}

void EmbeddingWorkflow::setCurrentScene(const QString& sceneId) {
    currentScene_ = sceneId;
    for (EmbeddingDock* dock : docks())
        dock->setCurrentScene(sceneId);
}

void EmbeddingWorkflow::runJob(const QString& title, std::function<void(ProgressSink&)> work,
                               std::function<void()> onFinished) {
    job_->start(title, std::move(work));
    // One-shot connections for this run: the next runJob() replaces them.
    disconnect(job_, &BackgroundJob::finished, this, nullptr);
    disconnect(job_, &BackgroundJob::failed, this, nullptr);
    connect(job_, &BackgroundJob::finished, this, std::move(onFinished));
    connect(job_, &BackgroundJob::failed, this, [this, title](const QString& message) {
        showError(tr("%1 failed").arg(title), message);
    });
}

void EmbeddingWorkflow::showError(const QString& title, const QString& message) {
    showWarning(window_, title, message);
    Q_EMIT failed(message);
}

} // namespace scenelens
