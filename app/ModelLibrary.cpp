#include "ModelLibrary.h"

#include "BackgroundJob.h"
#include "Error.h"
#include "ml/ClipEmbedder.h"
#include "ml/ModelEmbeddings.h"
#include "ml/QaModel.h"
#include "ml/SceneEncoder.h"

#include <QDir>
#include <QFileInfo>

#include <algorithm>

namespace scenelens {

namespace {

bool producesEmbeddings(const BundleManifest& manifest) {
    return manifest.kind == BundleKind::SceneEncoder || manifest.kind == BundleKind::Clip;
}

/// The bundle folders `folder` stands for: itself when it holds bundle.json, else its subfolders
/// that do (sorted), else itself (so that loading reports the missing manifest).
QStringList bundleFolders(const QString& folder) {
    const QDir dir(folder);
    if (dir.exists(QStringLiteral("bundle.json")))
        return {dir.absolutePath()};
    QStringList found;
    for (const QString& sub : dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name))
        if (QFileInfo::exists(dir.filePath(sub + QStringLiteral("/bundle.json"))))
            found << QDir(dir.filePath(sub)).absolutePath();
    return found.isEmpty() ? QStringList{dir.absolutePath()} : found;
}

LoadedBundle loadBundle(const std::string& folder) {
    const ManifestReading reading = readBundleManifest(folder);
    TorchModule module = TorchModule::load(reading.manifest, {});
    LoadedBundle bundle;
    bundle.manifest = reading.manifest;
    bundle.manifest.directory = folder;
    bundle.device = module.runtime().device;
    switch (reading.manifest.kind) {
    case BundleKind::SceneEncoder:
        bundle.encoder = std::make_shared<const SceneEncoder>(std::move(module));
        break;
    case BundleKind::Clip:
        bundle.clip = std::make_shared<const ClipEmbedder>(std::move(module));
        break;
    case BundleKind::Qa:
        bundle.qa = std::make_shared<const QaModel>(std::move(module));
        break;
    }
    return bundle;
}

} // namespace

ModelLibrary::ModelLibrary(QObject* parent) : QObject(parent), job_(new BackgroundJob(this)) {}

ModelLibrary::~ModelLibrary() = default;

void ModelLibrary::load(const QStringList& folders) {
    const QStringList loaded = this->folders();
    QStringList wanted;
    for (const QString& folder : folders)
        for (const QString& bundle : bundleFolders(folder))
            if (!loaded.contains(bundle) && !wanted.contains(bundle))
                wanted << bundle;
    if (wanted.isEmpty()) {
        Q_EMIT loadFinished();
        return;
    }
    // The worker checks spaces against a copy of what is loaded now and of what it loads itself.
    std::vector<BundleManifest> comparable;
    for (const LoadedBundle& bundle : bundles_)
        if (producesEmbeddings(bundle.manifest))
            comparable.push_back(bundle.manifest);
    struct Outcome {
        std::vector<LoadedBundle> loaded;
        QStringList errors;
    };
    auto outcome = std::make_shared<Outcome>();
    job_->start(tr("Loading models"), [wanted, comparable, outcome](ProgressSink& sink) mutable {
        for (int i = 0; i < wanted.size(); ++i) {
            const std::string folder = wanted[i].toStdString();
            checkpoint(&sink, "loading " + QFileInfo(wanted[i]).fileName().toStdString(),
                       double(i) / wanted.size());
            try {
                const BundleManifest manifest = readBundleManifest(folder).manifest;
                if (producesEmbeddings(manifest))
                    for (const BundleManifest& other : comparable)
                        requireSameSpace(other, manifest);
                outcome->loaded.push_back(loadBundle(folder));
                if (producesEmbeddings(manifest))
                    comparable.push_back(manifest);
            } catch (const Cancelled&) {
                throw;
            } catch (const std::exception& e) {
                outcome->errors << QStringLiteral("%1: %2").arg(wanted[i],
                                                                QString::fromUtf8(e.what()));
            }
        }
    });
    disconnect(job_, &BackgroundJob::finished, this, nullptr);
    connect(job_, &BackgroundJob::finished, this,
            [this, outcome] { add(std::move(outcome->loaded), outcome->errors); });
    disconnect(job_, &BackgroundJob::failed, this, nullptr);
    connect(job_, &BackgroundJob::failed, this, [this](const QString& message) {
        Q_EMIT failed(message);
        Q_EMIT loadFinished();
    });
}

void ModelLibrary::add(std::vector<LoadedBundle> loaded, const QStringList& errors) {
    for (LoadedBundle& bundle : loaded)
        bundles_.push_back(std::move(bundle));
    if (!loaded.empty())
        Q_EMIT bundlesChanged();
    for (const QString& error : errors)
        Q_EMIT failed(error);
    Q_EMIT loadFinished();
}

void ModelLibrary::unload(const QString& folder) {
    const auto before = bundles_.size();
    bundles_.erase(std::remove_if(bundles_.begin(), bundles_.end(),
                                  [&folder](const LoadedBundle& bundle) {
                                      return QString::fromStdString(bundle.manifest.directory) ==
                                             folder;
                                  }),
                   bundles_.end());
    if (bundles_.size() != before)
        Q_EMIT bundlesChanged();
}

void ModelLibrary::unloadAll() {
    if (bundles_.empty())
        return;
    bundles_.clear();
    Q_EMIT bundlesChanged();
}

QStringList ModelLibrary::folders() const {
    QStringList out;
    for (const LoadedBundle& bundle : bundles_)
        out << QString::fromStdString(bundle.manifest.directory);
    return out;
}

std::shared_ptr<const SceneEncoder> ModelLibrary::sceneEncoder() const {
    for (const LoadedBundle& bundle : bundles_)
        if (bundle.encoder)
            return bundle.encoder;
    return nullptr;
}

std::shared_ptr<const ClipEmbedder> ModelLibrary::clip() const {
    for (const LoadedBundle& bundle : bundles_)
        if (bundle.clip)
            return bundle.clip;
    return nullptr;
}

QString ModelLibrary::describe(const LoadedBundle& bundle) {
    const BundleManifest& m = bundle.manifest;
    QString kind = QString::fromLatin1(bundleKindName(m.kind));
    if (m.kind == BundleKind::Qa && m.situated)
        kind += tr(" (situated)");
    return tr("%1 · %2 · %3 · space %4 (E = %5)")
        .arg(kind, QString::fromStdString(m.name), QString::fromStdString(bundle.device),
             QString::fromStdString(m.embeddingSpace))
        .arg(m.embeddingDim);
}

} // namespace scenelens
