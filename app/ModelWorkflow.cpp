#include "ModelWorkflow.h"

#include "BackgroundJob.h"
#include "EmbeddingWorkflow.h"
#include "MainWindow.h"
#include "ModelLibrary.h"
#include "MultiViewRenderer.h"
#include "ObjectQueryDock.h"
#include "SceneView.h"
#include "UserMessages.h"
#include "embed/PlotData.h"
#include "embed/PlotEncoding.h"
#include "ml/ModelEmbeddings.h"
#include "scene/ExportedFrames.h"
#include "scene/ScanNetSceneReader.h"

#include <QDir>
#include <QFileInfo>
#include <QMainWindow>
#include <QStandardPaths>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <unordered_map>

namespace scenelens {

namespace {

namespace cols = embed::columns;

std::vector<std::string> toStd(const QStringList& list) {
    std::vector<std::string> out;
    for (const QString& item : list)
        out.push_back(item.toStdString());
    return out;
}

/// The scene folders in `folder`: itself when it is one, else its scene subfolders (sorted).
QStringList sceneFolders(const QString& folder) {
    if (isScanNetSceneFolder(folder.toStdString()))
        return {folder};
    QStringList scenes;
    const QDir dir(folder);
    for (const QString& name : dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name))
        if (isScanNetSceneFolder(dir.filePath(name).toStdString()))
            scenes << dir.filePath(name);
    return scenes;
}

/// Up to `count` colour frames of the exported-frames layout in `folder`, evenly spaced.
std::vector<ImageSource> framesIn(const std::string& folder, const std::string& sceneId,
                                  int count) {
    if (!QDir(QString::fromStdString(folder) + QStringLiteral("/pose")).exists())
        return {};
    const ExportedFrames frames = readExportedFrames(folder);
    std::vector<const CameraFrame*> withColor;
    for (const CameraFrame& frame : frames.frames)
        if (!frame.colorPath.empty())
            withColor.push_back(&frame);
    std::vector<ImageSource> images;
    const std::size_t n = withColor.size();
    const std::size_t take = std::min<std::size_t>(n, std::size_t(count));
    for (std::size_t i = 0; i < take; ++i) {
        const CameraFrame* frame = withColor[i * n / take];
        images.push_back({frame->colorPath, sceneId, frame->index});
    }
    return images;
}

std::string folderOf(const Scene& scene) {
    const QFileInfo source(QString::fromStdString(scene.sourcePath));
    return (source.isDir() ? source.absoluteFilePath() : source.absolutePath()).toStdString();
}

/// Renders the scene's views once into the cache (VTK, GUI thread) and returns the folder.
std::string renderedViews(const Scene& scene) {
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::CacheLocation) +
                           QStringLiteral("/renders/%1-%2")
                               .arg(QString::fromStdString(scene.id))
                               .arg(qHash(QString::fromStdString(scene.sourcePath)), 0, 16);
    if (!QFileInfo::exists(folder + QStringLiteral("/intrinsic/intrinsic_color.txt")))
        renderViewsToFolder(scene, folder.toStdString(), MultiViewOptions{});
    return folder.toStdString();
}

constexpr int kViewsPerScene = 8;

struct EncodeInputs {
    EncodeChoices choices;
    std::shared_ptr<const Scene> openScene;
    QStringList folders;
    std::string openSceneRenders; ///< "" unless renders were asked for
    std::shared_ptr<const SceneEncoder> encoder;
    std::shared_ptr<const ClipEmbedder> clip;
};

std::vector<std::shared_ptr<const embed::EmbeddingSet>> runEncoding(const EncodeInputs& in,
                                                                    ProgressSink& sink) {
    std::vector<std::shared_ptr<const Scene>> scenes;
    if (in.openScene)
        scenes.push_back(in.openScene);
    for (int i = 0; i < in.folders.size(); ++i) {
        ProgressRange share(&sink, 0.3 * i / in.folders.size(), 0.3 * (i + 1) / in.folders.size());
        auto scene = std::make_shared<const Scene>(
            ScanNetSceneReader().read(in.folders[i].toStdString(), &share));
        const bool duplicate = std::any_of(scenes.begin(), scenes.end(),
                                           [&](const auto& s) { return s->id == scene->id; });
        if (!duplicate)
            scenes.push_back(std::move(scene));
    }
    std::vector<std::shared_ptr<const embed::EmbeddingSet>> sets;
    const EncodeChoices& c = in.choices;
    if (c.objects || c.scenes) {
        std::vector<const Scene*> pointers;
        for (const auto& scene : scenes)
            pointers.push_back(scene.get());
        ProgressRange share(&sink, 0.3, 0.7);
        const std::vector<EncodedScene> encoded = in.encoder->encode(pointers, 0, &share);
        const BundleManifest& m = in.encoder->manifest();
        if (c.objects)
            sets.push_back(std::make_shared<const embed::EmbeddingSet>(
                objectEmbeddingSet(encoded, m, float(c.minObjectness), "objects")));
        if (c.scenes)
            sets.push_back(std::make_shared<const embed::EmbeddingSet>(
                sceneEmbeddingSet(encoded, m, "scenes")));
    }
    if (!in.clip)
        return sets;
    const auto embedPrompts = [&](const std::vector<PromptText>& prompts, const char* name,
                                  double begin, double end) {
        std::vector<std::string> texts;
        for (const PromptText& prompt : prompts)
            texts.push_back(prompt.text);
        ProgressRange share(&sink, begin, end);
        sets.push_back(std::make_shared<const embed::EmbeddingSet>(textEmbeddingSet(
            in.clip->embedTexts(texts, &share), prompts, in.clip->manifest(), name)));
    };
    if (c.classPrompts)
        embedPrompts(classPrompts(toStd(c.templates), toStd(c.classes)), "class prompts", 0.7, 0.8);
    if (!c.freeTexts.isEmpty())
        embedPrompts(freeTexts(toStd(c.freeTexts)), "texts", 0.8, 0.85);
    if (c.images != EncodeChoices::Images::None) {
        std::vector<ImageSource> images;
        for (const auto& scene : scenes) {
            const bool rendered = scene == in.openScene && !in.openSceneRenders.empty();
            const auto found = framesIn(rendered ? in.openSceneRenders : folderOf(*scene),
                                        scene->id, kViewsPerScene);
            images.insert(images.end(), found.begin(), found.end());
        }
        if (!images.empty()) {
            std::vector<std::string> paths;
            for (const ImageSource& image : images)
                paths.push_back(image.path);
            ProgressRange share(&sink, 0.85, 1.0);
            sets.push_back(std::make_shared<const embed::EmbeddingSet>(imageEmbeddingSet(
                in.clip->embedImageFiles(paths, &share), images, in.clip->manifest(), "images")));
        }
    }
    return sets;
}

QString needModel(const char* kind) {
    return QObject::tr("Load a %1 bundle first (Models › Load Bundle…).").arg(QLatin1String(kind));
}

/// Rows of `set` for objects of `sceneId` that match an annotated object, best objectness first
/// per object: object id -> row.
std::map<int, int> objectRows(const embed::EmbeddingSet& set, const std::string& sceneId) {
    const auto& scenes = set.textColumns.at(cols::kScene);
    const auto& ids = set.numberColumns.at(cols::kObjectId);
    const auto objectness = set.numberColumns.find(model_columns::kObjectness);
    std::map<int, int> rows;
    for (int i = 0; i < set.rows; ++i) {
        if (scenes[std::size_t(i)] != sceneId || !(ids[std::size_t(i)] >= 0))
            continue;
        const int id = int(ids[std::size_t(i)]);
        const auto [it, inserted] = rows.emplace(id, i);
        if (!inserted && objectness != set.numberColumns.end() &&
            objectness->second[std::size_t(i)] > objectness->second[std::size_t(it->second)])
            it->second = i;
    }
    return rows;
}

Rgb8 toRgb8(const std::array<float, 3>& c) {
    Rgb8 out;
    for (int k = 0; k < 3; ++k)
        out[std::size_t(k)] =
            std::uint8_t(std::lround(255.f * std::clamp(c[std::size_t(k)], 0.f, 1.f)));
    return out;
}

} // namespace

ModelWorkflow::ModelWorkflow(MainWindow* window, ModelLibrary* models)
    : QObject(window), window_(window), models_(models), job_(new BackgroundJob(this)),
      queryDock_(new ObjectQueryDock(window->selection(), window)) {
    window->addDockWidget(Qt::LeftDockWidgetArea, queryDock_);
    queryDock_->hide();
    connect(queryDock_, &ObjectQueryDock::queryEntered, this, &ModelWorkflow::query);
    connect(queryDock_, &ObjectQueryDock::focusRequested, window->sceneView(),
            &SceneView::focusOnObject);
    connect(queryDock_, &ObjectQueryDock::colourBySimilarityToggled, this, [this](bool on) {
        if (on)
            setColourByFeature(false);
        refreshColours();
    });
    connect(window, &MainWindow::sceneLoaded, this, [this] {
        queryDock_->setMessage({});
        refreshColours();
    });
    connect(window->embeddings(), &EmbeddingWorkflow::setsChanged, this,
            &ModelWorkflow::refreshColours);
}

void ModelWorkflow::requestEncode() {
    if (!models_->sceneEncoder() && !models_->clip()) {
        showError(tr("No model loaded"), needModel("scene-encoder"));
        return;
    }
    if (dialog_)
        dialog_->reject();
    QStringList classes;
    if (const Scene* scene = window_->scene()) {
        std::set<QString> labels;
        for (const SceneObject& object : scene->objects) {
            const QString label = QString::fromStdString(object.rawLabel);
            if (!label.isEmpty() && label != QLatin1String("wall") &&
                label != QLatin1String("floor") && label != QLatin1String("ceiling"))
                labels.insert(label);
        }
        classes = QStringList(labels.begin(), labels.end());
    }
    const QString open =
        window_->scene() ? QString::fromStdString(window_->scene()->id) : QString();
    auto* dialog = new EncodeDialog(open, classes, models_->clip() != nullptr, window_);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] { encode(dialog->choices()); });
    dialog_ = dialog;
    dialog->open();
}

void ModelWorkflow::encode(const EncodeChoices& choices) {
    EncodeInputs in;
    in.choices = choices;
    in.encoder = models_->sceneEncoder();
    in.clip = models_->clip();
    if ((choices.objects || choices.scenes) && !in.encoder)
        return showError(tr("Cannot encode"), needModel("scene-encoder"));
    const bool needsClip = choices.classPrompts || !choices.freeTexts.isEmpty() ||
                           choices.images != EncodeChoices::Images::None;
    if (needsClip && !in.clip)
        return showError(tr("Cannot encode"), needModel("clip"));
    if (choices.openScene)
        in.openScene = window_->sharedScene();
    if (!choices.sceneFolder.isEmpty()) {
        in.folders = sceneFolders(choices.sceneFolder);
        if (in.folders.isEmpty())
            return showError(tr("No scenes found"),
                             tr("%1: holds no ScanNet scene folder (sceneXXXX_XX with a "
                                "_vh_clean_2.ply mesh)")
                                 .arg(choices.sceneFolder));
    }
    if (!in.openScene && in.folders.isEmpty())
        return showError(tr("Cannot encode"), tr("Open a scene or choose a folder of scenes."));
    if (choices.images == EncodeChoices::Images::Renders && in.openScene) {
        try {
            in.openSceneRenders = renderedViews(*in.openScene);
        } catch (const std::exception& e) {
            return showError(tr("Could not render views"), QString::fromUtf8(e.what()));
        }
    }
    auto result = std::make_shared<std::vector<std::shared_ptr<const embed::EmbeddingSet>>>();
    const int count = int(in.folders.size()) + (in.openScene ? 1 : 0);
    const QString title = tr("Encoding %n scene(s)", "", count);
    job_->start(title, [in, result](ProgressSink& sink) { *result = runEncoding(in, sink); });
    disconnect(job_, &BackgroundJob::finished, this, nullptr);
    disconnect(job_, &BackgroundJob::failed, this, nullptr);
    connect(job_, &BackgroundJob::finished, this, [this, result] {
        if (result->empty())
            return showError(tr("Nothing encoded"),
                             tr("The scenes gave no embeddings (no exported frames for images?)."));
        const auto added = window_->embeddings()->addSets(*result);
        Q_EMIT encoded(added);
        window_->embeddings()->requestProjection(added);
    });
    connect(job_, &BackgroundJob::failed, this, [this, title](const QString& message) {
        showError(tr("%1 failed").arg(title), message);
    });
}

std::shared_ptr<const embed::EmbeddingSet> ModelWorkflow::objectSetOfOpenScene() const {
    const Scene* scene = window_->scene();
    if (!scene)
        return nullptr;
    const auto& sets = window_->embeddings()->sets();
    for (auto it = sets.rbegin(); it != sets.rend(); ++it) {
        const embed::EmbeddingSet& set = **it;
        if (set.modality != "object3d" || !set.textColumns.count(cols::kScene) ||
            !set.numberColumns.count(cols::kObjectId))
            continue;
        if (!objectRows(set, scene->id).empty())
            return *it;
    }
    return nullptr;
}

void ModelWorkflow::query(const QString& text) {
    queryDock_->show();
    const auto clip = models_->clip();
    if (!clip)
        return queryDock_->setMessage(needModel("clip"));
    const auto set = objectSetOfOpenScene();
    if (!set)
        return queryDock_->setMessage(
            tr("No encoded objects of the open scene: encode it first (Models › Encode Scenes…)."));
    if (set->space != clip->manifest().embeddingSpace)
        return queryDock_->setMessage(
            tr("The objects were encoded into the space '%1', the CLIP model embeds into '%2'.")
                .arg(QString::fromStdString(set->space),
                     QString::fromStdString(clip->manifest().embeddingSpace)));
    try {
        const EmbeddingRows embedded = clip->embedTexts({text.toStdString()});
        const std::map<int, int> rows = objectRows(*set, window_->scene()->id);
        std::map<int, int> objectOfRow;
        for (const auto& [id, row] : rows)
            objectOfRow[row] = id;
        const auto& labels = set->textColumns.at(cols::kLabel);
        QVector<RankedObject> ranked;
        for (const RankedRow& r : rankByCosine(*set, embedded.row(0))) {
            const auto found = objectOfRow.find(r.row);
            if (found != objectOfRow.end())
                ranked.push_back({found->second, QString::fromStdString(labels[std::size_t(r.row)]),
                                  r.similarity});
        }
        queryDock_->setResults(text, ranked);
    } catch (const std::exception& e) {
        queryDock_->setMessage(QString::fromUtf8(e.what()));
    }
    refreshColours();
}

void ModelWorkflow::setColourByFeature(bool on) {
    if (on == colourByFeature_)
        return;
    colourByFeature_ = on;
    if (on)
        queryDock_->setColourBySimilarity(false);
    refreshColours();
    Q_EMIT colourByFeatureChanged(on);
}

void ModelWorkflow::refreshColours() {
    std::unordered_map<int, Rgb8> colors;
    const Scene* scene = window_->scene();
    if (scene && colourByFeature_) {
        if (const auto set = objectSetOfOpenScene()) {
            // Components over the whole set, so colours compare across its scenes.
            const auto rgb = principalComponentColors(*set);
            for (const auto& [id, row] : objectRows(*set, scene->id))
                colors[id] = toRgb8(rgb[std::size_t(row)]);
        }
    } else if (scene && queryDock_->colourBySimilarity() && !queryDock_->results().isEmpty()) {
        const auto& ranked = queryDock_->results();
        const float hi = ranked.front().similarity, lo = ranked.back().similarity;
        for (const RankedObject& o : ranked) {
            const double t = hi > lo ? (o.similarity - lo) / (hi - lo) : 1.0;
            const embed::Rgba8 c = embed::colormapColor(embed::Colormap::Viridis, t);
            colors[o.objectId] = {c[0], c[1], c[2]};
        }
    }
    window_->sceneView()->setObjectColors(std::move(colors));
}

void ModelWorkflow::showError(const QString& title, const QString& message) {
    showWarning(window_, title, message);
    Q_EMIT failed(message);
}

} // namespace scenelens
