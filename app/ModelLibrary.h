#pragma once
// The model bundles loaded in the app (Models menu): scene encoders, CLIP models and QA models,
// each loaded off the GUI thread. Bundles whose embeddings are compared with each other (scene
// encoders and CLIP models) must share one embedding space; a bundle of another space is refused
// with a message naming both.

#include "ml/ModelBundle.h"

#include <QObject>
#include <QStringList>

#include <memory>
#include <vector>

namespace scenelens {

class BackgroundJob;
class ClipEmbedder;
class QaModel;
class SceneEncoder;

struct LoadedBundle {
    BundleManifest manifest;
    std::string device; ///< where it runs, e.g. "cpu", "cuda:0"
    std::shared_ptr<const SceneEncoder> encoder;
    std::shared_ptr<const ClipEmbedder> clip;
    std::shared_ptr<const QaModel> qa;
};

class ModelLibrary : public QObject {
    Q_OBJECT
public:
    explicit ModelLibrary(QObject* parent = nullptr);
    ~ModelLibrary() override;

    /// Loads bundle folders in the background: a folder with bundle.json, or a folder whose
    /// subfolders are bundles (e.g. resources/models). A bundle already loaded from the same
    /// folder is kept as it is. Bundles that fail are reported through failed() one by one; the
    /// others load.
    void load(const QStringList& folders);
    /// Forgets the bundle loaded from `folder` (its absolute path).
    void unload(const QString& folder);
    void unloadAll();

    /// Loads bundles, shows progress and can be cancelled.
    BackgroundJob* job() const { return job_; }
    const std::vector<LoadedBundle>& bundles() const { return bundles_; }
    /// Absolute folders of the loaded bundles, in load order.
    QStringList folders() const;
    /// The first loaded bundle of each kind, or nullptr.
    std::shared_ptr<const SceneEncoder> sceneEncoder() const;
    std::shared_ptr<const ClipEmbedder> clip() const;
    /// "scene-encoder · demo scene-encoder · cpu · space demo-clip (E = 64)"
    static QString describe(const LoadedBundle& bundle);

Q_SIGNALS:
    /// The set of loaded bundles changed.
    void bundlesChanged();
    /// A load pass ended (every folder either loaded or reported).
    void loadFinished();
    /// One bundle could not be loaded; the message names its folder.
    void failed(const QString& message);

private:
    void add(std::vector<LoadedBundle> loaded, const QStringList& errors);

    BackgroundJob* job_;
    std::vector<LoadedBundle> bundles_;
};

} // namespace scenelens
