// Model subcommands: bundle-info, encode and ask (core/ml through plain headers; no LibTorch here).

#include "Cli.h"
#include "CliSupport.h"

#include "Error.h"
#include "Session.h"
#include "embed/Npy.h"
#include "ml/ClipEmbedder.h"
#include "ml/ModelBundle.h"
#include "ml/ModelEmbeddings.h"
#include "ml/QaModel.h"
#include "ml/SceneEncoder.h"
#include "ml/TorchModule.h"
#include "scene/ExportedFrames.h"
#include "scene/ScanNetSceneReader.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace scenelens::cli {

namespace {

using nlohmann::json;

void printWarnings(const char* command, const std::vector<std::string>& warnings) {
    for (const std::string& warning : warnings)
        std::fprintf(stderr, "scenelens %s: warning: %s\n", command, warning.c_str());
}

/// Reads the manifest of the bundle in `folder` (printing its warnings); throws unless it is of
/// the `expected` kind.
BundleManifest readManifest(const char* command, const std::string& folder, BundleKind expected) {
    const ManifestReading reading = readBundleManifest(folder);
    printWarnings(command, reading.warnings);
    if (reading.manifest.kind != expected)
        throw std::runtime_error(reading.manifest.manifestPath + ": a " +
                                 bundleKindName(reading.manifest.kind) + " bundle, but " + command +
                                 " needs a " + bundleKindName(expected) + " bundle");
    return reading.manifest;
}

/// Loads the module on --device; a device this machine lacks is a usage error.
TorchModule loadModule(const BundleManifest& manifest, const Arguments& args) {
    try {
        return TorchModule::load(manifest, args.value("--device").value_or(""));
    } catch (const std::invalid_argument& e) {
        throw UsageError(e.what());
    }
}

} // namespace

TorchModule loadBundle(const char* command, const Arguments& args, BundleKind expected) {
    return loadModule(readManifest(command, required(args, "--bundle"), expected), args);
}

std::uint64_t seedOf(const Arguments& args) {
    return std::uint64_t(parseCount(args.value("--seed").value_or("0"), "--seed", 1LL << 62, 0));
}

namespace {

json boxJson(const CentreSizeBox& box) {
    return json(std::vector<float>(box.begin(), box.end()));
}

std::string join(const std::vector<std::string>& items, const char* separator) {
    std::string text;
    for (const std::string& item : items)
        text += (text.empty() ? "" : separator) + item;
    return text;
}

json manifestJson(const BundleManifest& m) {
    json out = {{"folder", m.directory},          {"name", m.name},
                {"kind", bundleKindName(m.kind)}, {"module", m.modulePath},
                {"manifest_device", m.device},    {"embedding_space", m.embeddingSpace},
                {"embedding_dim", m.embeddingDim}};
    if (m.input)
        out["input"] = {{"num_points", m.input->numPoints},
                        {"channels", m.input->channels},
                        {"channel_count", m.input->channelCount()}};
    if (m.tokenizer)
        out["tokenizer"] = {{"type", m.tokenizer->type},
                            {"vocab", m.tokenizer->vocabPath},
                            {"context_length", m.tokenizer->contextLength}};
    if (m.kind == BundleKind::Qa) {
        out["answers"] = m.answers.size();
        out["situated"] = m.situated;
        out["situation_length"] = m.situationLength;
    }
    if (!m.classes.empty())
        out["classes"] = m.classes;
    return out;
}

std::vector<std::string> splitAt(const std::string& text, char separator) {
    std::vector<std::string> parts(1);
    for (char c : text)
        if (c == separator)
            parts.emplace_back();
        else
            parts.back() += c;
    return parts;
}

std::vector<std::string> textsOf(const std::vector<PromptText>& prompts) {
    std::vector<std::string> texts;
    for (const PromptText& prompt : prompts)
        texts.push_back(prompt.text);
    return texts;
}

bool endsWith(const std::string& text, const std::string& suffix) {
    return text.size() >= suffix.size() &&
           text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

/// Every ScanNet scene folder directly inside `scans`, sorted by name; `scans` itself when it is
/// one (as Analysis › Object Descriptors of Scenes takes it).
std::vector<std::string> sceneFoldersIn(const std::string& scans) {
    namespace fs = std::filesystem;
    std::error_code error;
    if (!fs::is_directory(scans, error))
        throw FileError(scans, "", "no such folder: expected a folder of ScanNet scene folders");
    if (isScanNetSceneFolder(scans))
        return {scans};
    std::vector<std::string> folders;
    for (const fs::directory_entry& entry : fs::directory_iterator(scans))
        if (isScanNetSceneFolder(entry.path().string()))
            folders.push_back(entry.path().string());
    if (folders.empty())
        throw FileError(scans, "",
                        "no ScanNet scene folders in it: expected folders holding a "
                        "<scene>_vh_clean_2.ply mesh");
    std::sort(folders.begin(), folders.end());
    return folders;
}

/// The scenes of every --scene, in order, then those --scans finds.
std::vector<std::string> sceneFolders(const Arguments& args) {
    std::vector<std::string> folders = args.all("--scene");
    if (const auto scans = args.value("--scans")) {
        const std::vector<std::string> found = sceneFoldersIn(*scans);
        folders.insert(folders.end(), found.begin(), found.end());
    }
    if (folders.empty())
        throw UsageError("--scene DIR (repeat it for several scenes) or --scans DIR is required");
    return folders;
}

/// What encode keeps of a scene once it is encoded. The mesh itself is dropped, so that a batch
/// holds one mesh at a time however many scenes it encodes.
struct EncodedFolder {
    EncodedScene encoded;
    store::StoredScene stored;
    std::vector<std::string> objectLabels; ///< raw labels of the annotated objects
};

/// Reads and encodes the scenes one at a time, each with the same seed (as a batch would).
std::vector<EncodedFolder> encodeFolders(const std::vector<std::string>& folders,
                                         const Arguments& args, const SceneEncoder& encoder) {
    const std::uint64_t seed = seedOf(args);
    ConsoleProgress progress;
    std::vector<EncodedFolder> encoded;
    for (std::size_t i = 0; i < folders.size(); ++i) {
        progress.report("encoding scenes", double(i) / double(folders.size()));
        const Scene scene = readScene(folders[i], args);
        EncodedFolder folder{encoder.encode(scene, seed), storedSceneOf(scene), {}};
        for (const SceneObject& object : scene.objects)
            folder.objectLabels.push_back(object.rawLabel);
        encoded.push_back(std::move(folder));
    }
    progress.report("encoding scenes", 1.0);
    return encoded;
}

/// FILE.npy (object embeddings), FILE.scenes.npy and FILE.json (metadata).
int encodeToNpy(const Arguments& args, const std::vector<std::string>& folders,
                const std::string& out) {
    const SceneEncoder encoder(loadBundle("encode", args, BundleKind::SceneEncoder));
    const std::vector<EncodedFolder> encoded = encodeFolders(folders, args, encoder);
    const int e = encoder.manifest().embeddingDim;
    std::vector<float> objectRows, sceneRows;
    json objects = json::array(), sceneIds = json::array();
    for (const EncodedFolder& folder : encoded) {
        const EncodedScene& scene = folder.encoded;
        sceneIds.push_back(scene.sceneId);
        objectRows.insert(objectRows.end(), scene.objectEmbeddings.begin(),
                          scene.objectEmbeddings.end());
        sceneRows.insert(sceneRows.end(), scene.sceneEmbedding.begin(), scene.sceneEmbedding.end());
        for (std::size_t i = 0; i < scene.objects.size(); ++i) {
            const ObjectPrediction& o = scene.objects[i];
            objects.push_back({{"scene_id", scene.sceneId},
                               {"object_index", i},
                               {"box", boxJson(o.box)},
                               {"objectness", o.objectness},
                               {"predicted_class", o.className},
                               {"matched_object_id", o.match.objectId},
                               {"matched_class", o.match.nyu40Class},
                               {"matched_label", o.match.rawLabel},
                               {"iou", o.match.iou}});
        }
    }
    const std::string stem = endsWith(out, ".npy") ? out.substr(0, out.size() - 4) : out;
    const int objectCount = int(objectRows.size() / std::size_t(e));
    embed::writeNpyMatrix(out, objectRows.data(), objectCount, e);
    embed::writeNpyMatrix(stem + ".scenes.npy", sceneRows.data(), int(encoded.size()), e);
    const json meta = {{"bundle", encoder.manifest().directory},
                       {"model", encoder.manifest().name},
                       {"embedding_space", encoder.manifest().embeddingSpace},
                       {"embedding_dim", e},
                       {"seed", seedOf(args)},
                       {"device", encoder.module().runtime().device},
                       {"scenes", sceneIds},
                       {"objects", objects}};
    std::ofstream metaFile(stem + ".json");
    metaFile << meta.dump(1) << '\n';
    if (!metaFile)
        throw std::runtime_error(stem + ".json: cannot write the metadata");
    std::printf("wrote %s [%d, %d], %s [%zu, %d] and %s.json (%zu scenes)\n", out.c_str(),
                objectCount, e, (stem + ".scenes.npy").c_str(), encoded.size(), e, stem.c_str(),
                encoded.size());
    return 0;
}

/// Options that only a project file uses.
constexpr const char* kProjectOptions[] = {"--clip", "--prompt-template", "--classes",
                                           "--text", "--min-objectness",  "--max-views"};

/// What the options ask a project file to hold beside the object and scene sets.
struct ProjectRequest {
    float minObjectness = 0.5f;
    int maxViews = 8;                   ///< colour frames per scene in the image set
    std::vector<std::string> templates; ///< class prompt templates, each with "{}"
    std::vector<std::string> classes;   ///< --classes; empty: the scenes' annotated labels
    std::vector<PromptText> texts;      ///< --text
};

/// The comma-separated names of --classes, trimmed.
std::vector<std::string> classList(const std::string& text) {
    std::vector<std::string> names;
    for (const PromptText& name : freeTexts(splitAt(text, ',')))
        names.push_back(name.text);
    if (names.empty())
        throw UsageError("--classes needs at least one class name, got '" + text + "'");
    return names;
}

ProjectRequest projectRequest(const Arguments& args) {
    ProjectRequest request;
    request.minObjectness =
        float(parseNumber(args.value("--min-objectness").value_or("0.5"), "--min-objectness"));
    if (request.minObjectness < 0.f || request.minObjectness > 1.f)
        throw UsageError("--min-objectness must be a probability from 0 to 1, got '" +
                         *args.value("--min-objectness") + "'");
    request.maxViews =
        int(parseCount(args.value("--max-views").value_or("8"), "--max-views", 10000));
    request.templates = args.all("--prompt-template");
    if (request.templates.empty())
        request.templates = defaultPromptTemplates();
    for (const std::string& promptTemplate : request.templates)
        if (promptTemplate.find("{}") == std::string::npos)
            throw UsageError("--prompt-template '" + promptTemplate +
                             "' has no {} where the class name goes");
    if (const auto classes = args.value("--classes"))
        request.classes = classList(*classes);
    request.texts = freeTexts(args.all("--text"));
    for (const char* option : {"--prompt-template", "--classes", "--text", "--max-views"})
        if (args.value(option) && !args.value("--clip"))
            throw UsageError(std::string(option) + " needs a CLIP bundle: --clip DIR");
    return request;
}

/// The --clip bundle's manifest, refused unless it embeds into the scene encoder's space.
BundleManifest clipManifest(const std::string& folder, const BundleManifest& encoder) {
    const BundleManifest clip = readManifest("encode", folder, BundleKind::Clip);
    try {
        requireSameSpace(encoder, clip);
    } catch (const std::invalid_argument& e) {
        throw UsageError(std::string(e.what()) + " (--bundle " + encoder.directory + ", --clip " +
                         clip.directory + ")");
    }
    return clip;
}

/// The annotated objects' raw labels, sorted and unique, without the room's shell.
std::vector<std::string> annotatedClasses(const std::vector<EncodedFolder>& scenes) {
    static const std::set<std::string> kShell = {"wall", "floor", "ceiling"};
    std::set<std::string> classes;
    for (const EncodedFolder& scene : scenes)
        for (const std::string& label : scene.objectLabels)
            if (!label.empty() && !kShell.count(label))
                classes.insert(label);
    return {classes.begin(), classes.end()};
}

/// Up to maxViews colour frames of each scene whose folder holds exported frames (pose/, color/,
/// intrinsic/), evenly spaced over the scene's frames.
std::vector<ImageSource> sceneViews(const std::vector<EncodedFolder>& scenes, int maxViews) {
    namespace fs = std::filesystem;
    std::vector<ImageSource> views;
    for (const EncodedFolder& scene : scenes) {
        std::error_code error;
        if (!fs::is_directory(fs::path(scene.stored.sourcePath) / "pose", error))
            continue;
        std::vector<CameraFrame> frames = readExportedFrames(scene.stored.sourcePath).frames;
        frames.erase(std::remove_if(frames.begin(), frames.end(),
                                    [](const CameraFrame& f) { return f.colorPath.empty(); }),
                     frames.end());
        const std::size_t count = std::min(frames.size(), std::size_t(maxViews));
        for (std::size_t i = 0; i < count; ++i) {
            const CameraFrame& frame = frames[i * frames.size() / count];
            views.push_back({frame.colorPath, scene.encoded.sceneId, frame.index});
        }
    }
    return views;
}

void printNote(const std::string& note) {
    std::fprintf(stderr, "scenelens encode: note: %s\n", note.c_str());
}

/// The text and image sets of a CLIP bundle: class prompts, free texts and the scenes' views.
std::vector<embed::EmbeddingSet> clipSets(const ClipEmbedder& clip, const ProjectRequest& request,
                                          const std::vector<EncodedFolder>& scenes) {
    std::vector<embed::EmbeddingSet> sets;
    ConsoleProgress progress;
    const std::vector<std::string> classes =
        request.classes.empty() ? annotatedClasses(scenes) : request.classes;
    if (classes.empty()) {
        printNote("the scenes have no annotated objects: no class prompts (name them with "
                  "--classes a,b,c)");
    } else {
        const std::vector<PromptText> prompts = classPrompts(request.templates, classes);
        sets.push_back(textEmbeddingSet(clip.embedTexts(textsOf(prompts), &progress), prompts,
                                        clip.manifest(), "class prompts"));
    }
    if (!request.texts.empty())
        sets.push_back(textEmbeddingSet(clip.embedTexts(textsOf(request.texts), &progress),
                                        request.texts, clip.manifest(), "texts"));
    const std::vector<ImageSource> views = sceneViews(scenes, request.maxViews);
    if (views.empty()) {
        printNote("no scene has exported colour frames (color/, pose/, intrinsic/ in its "
                  "folder): no image set");
    } else {
        std::vector<std::string> paths;
        for (const ImageSource& view : views)
            paths.push_back(view.path);
        sets.push_back(imageEmbeddingSet(clip.embedImageFiles(paths, &progress), views,
                                         clip.manifest(), "images"));
    }
    return sets;
}

/// The scenes, in order, each once; the first is the one the app shows on opening.
void addScenes(Session& session, const std::vector<EncodedFolder>& scenes) {
    std::set<std::string> ids;
    for (const EncodedFolder& scene : scenes) {
        if (!ids.insert(scene.stored.id).second)
            throw UsageError("the scene " + scene.stored.id + " is given twice (" +
                             scene.stored.sourcePath + ")");
        session.scenes.push_back(scene.stored);
    }
    session.currentScene = session.scenes.front().id;
}

std::string absolutePath(const std::string& path) {
    return std::filesystem::absolute(path).lexically_normal().string();
}

/// One project file (opened by the app as a project): the scenes, their object and scene sets
/// and, with --clip, the text and image sets.
int encodeToProject(const Arguments& args, const std::vector<std::string>& folders,
                    const std::string& out) {
    const ProjectRequest request = projectRequest(args);
    const SceneEncoder encoder(loadBundle("encode", args, BundleKind::SceneEncoder));
    // The CLIP bundle is checked and loaded before encoding, so that a mistake shows at once.
    std::optional<ClipEmbedder> clip;
    if (const auto clipFolder = args.value("--clip"))
        clip.emplace(loadModule(clipManifest(*clipFolder, encoder.manifest()), args));
    const std::vector<EncodedFolder> scenes = encodeFolders(folders, args, encoder);

    Session session;
    addScenes(session, scenes);
    session.modelBundles.push_back(absolutePath(encoder.manifest().directory));
    std::vector<EncodedScene> encoded;
    for (const EncodedFolder& scene : scenes)
        encoded.push_back(scene.encoded);
    embed::EmbeddingSet objects =
        objectEmbeddingSet(encoded, encoder.manifest(), request.minObjectness, "objects");
    if (objects.rows == 0)
        throw std::runtime_error("no object token of the " + std::to_string(scenes.size()) +
                                 " scenes has an objectness of at least " +
                                 args.value("--min-objectness").value_or("0.5") +
                                 ": lower --min-objectness");
    std::vector<embed::EmbeddingSet> sets;
    sets.push_back(std::move(objects));
    sets.push_back(sceneEmbeddingSet(encoded, encoder.manifest(), "scenes"));
    if (clip) {
        session.modelBundles.push_back(absolutePath(clip->manifest().directory));
        for (embed::EmbeddingSet& set : clipSets(*clip, request, scenes))
            sets.push_back(std::move(set));
    }
    std::string summary;
    for (embed::EmbeddingSet& set : sets) {
        summary += (summary.empty() ? "" : ", ") + set.name + " " + std::to_string(set.rows) +
                   " x " + std::to_string(set.dims);
        session.sets.push_back(std::make_shared<const embed::EmbeddingSet>(std::move(set)));
    }
    {
        ConsoleProgress progress;
        saveSession(session, out, &progress);
    }
    std::printf("wrote %s (%zu scenes): %s\n", out.c_str(), scenes.size(), summary.c_str());
    return 0;
}
} // namespace

int runBundleInfo(int argc, char** argv) {
    return guarded("bundle-info", [&] {
        // The bundle folder is positional (`bundle-info DIR`); --bundle DIR works too.
        std::vector<char*> rest(argv, argv + argc);
        std::string folder;
        if (argc > 2 && std::string(argv[2]).rfind("--", 0) != 0) {
            folder = argv[2];
            rest.erase(rest.begin() + 2);
        }
        const Arguments args =
            parse(int(rest.size()), rest.data(), {"--bundle", "--device"}, {"--json"});
        if (folder.empty())
            folder = args.value("--bundle").value_or("");
        if (folder.empty())
            throw UsageError("the bundle folder is required: bundle-info DIR");
        const ManifestReading reading = readBundleManifest(folder);
        const BundleManifest& m = reading.manifest;
        printWarnings("bundle-info", reading.warnings);
        TorchModule module = loadModule(m, args);
        const RuntimeInfo& runtime = module.runtime();
        if (args.flag("--json")) {
            json out = manifestJson(m);
            out["warnings"] = reading.warnings;
            out["methods"] = module.methods();
            out["parameters"] = module.parameterCount();
            if (m.kind != BundleKind::Clip)
                out["object_tokens"] = module.objectCount();
            out["device"] = runtime.device;
            out["libtorch"] = runtime.torchVersion;
            out["cuda_available"] = runtime.cudaAvailable;
            out["cuda_devices"] = runtime.cudaDeviceCount;
            out["threads"] = runtime.threads;
            std::cout << out.dump(2) << '\n';
            return 0;
        }
        std::printf("%s  (%s bundle, %s)\n", m.name.c_str(), bundleKindName(m.kind),
                    m.directory.c_str());
        std::printf("module: %s\n", m.modulePath.c_str());
        std::printf("methods: %s\n", join(module.methods(), ", ").c_str());
        std::printf("parameters: %lld\n", module.parameterCount());
        std::printf("embedding space: %s, E = %d\n", m.embeddingSpace.c_str(), m.embeddingDim);
        if (m.input)
            std::printf("input: %d points, channels %s (C = %d)\n", m.input->numPoints,
                        join(m.input->channels, " ").c_str(), m.input->channelCount());
        if (m.kind != BundleKind::Clip)
            std::printf("object tokens: K = %d\n", module.objectCount());
        if (m.tokenizer)
            std::printf("tokenizer: %s, context %d, vocabulary %s\n", m.tokenizer->type.c_str(),
                        m.tokenizer->contextLength, m.tokenizer->vocabPath.c_str());
        if (m.kind == BundleKind::Qa)
            std::printf("answers: %zu, situated: %s\n", m.answers.size(),
                        m.situated ? "yes" : "no");
        if (!m.classes.empty())
            std::printf("classes: %zu (%s)\n", m.classes.size(), join(m.classes, ", ").c_str());
        std::printf("device: %s (manifest: %s)\n", runtime.device.c_str(), m.device.c_str());
        std::printf("LibTorch %s, CUDA available: %s (%d devices), CPU threads %d\n",
                    runtime.torchVersion.c_str(), runtime.cudaAvailable ? "yes" : "no",
                    runtime.cudaDeviceCount, runtime.threads);
        for (const std::string& warning : reading.warnings)
            std::printf("warning: %s\n", warning.c_str());
        return 0;
    });
}

int runEncode(int argc, char** argv) {
    return guarded("encode", [&] {
        const Arguments args =
            parse(argc, argv,
                  {"--bundle", "--out", "--device", "--seed", "--labels", "--scans", "--clip",
                   "--classes", "--min-objectness", "--max-views"},
                  {}, {"--scene", "--prompt-template", "--text"});
        const std::string out = required(args, "--out");
        const std::vector<std::string> folders = sceneFolders(args);
        if (endsWith(out, ".slh5"))
            return encodeToProject(args, folders, out);
        for (const char* option : kProjectOptions)
            if (args.value(option))
                throw UsageError(std::string(option) + " is for project files: --out FILE.slh5");
        return encodeToNpy(args, folders, out);
    });
}

int runAsk(int argc, char** argv) {
    return guarded("ask", [&] {
        const Arguments args = parse(argc, argv,
                                     {"--bundle", "--scene", "--question", "--situation", "--top-k",
                                      "--device", "--seed", "--labels"},
                                     {"--json"});
        const std::string question = required(args, "--question");
        const std::string situation = args.value("--situation").value_or("");
        const int topK = int(parseCount(args.value("--top-k").value_or("10"), "--top-k", 100000));
        const std::uint64_t seed = seedOf(args);
        const QaModel model(loadBundle("ask", args, BundleKind::Qa));
        const Scene scene = readScene(args);
        const QaResult result = model.ask(scene, question, situation, topK, seed);
        const std::size_t shownObjects = std::min<std::size_t>(5, result.objects.size());
        if (args.flag("--json")) {
            json answers = json::array(), objects = json::array();
            for (const QaAnswer& a : result.answers)
                answers.push_back(
                    {{"answer", a.text}, {"index", a.index}, {"probability", a.probability}});
            for (const QaObject& o : result.objects)
                objects.push_back({{"token", o.token},
                                   {"score", o.score},
                                   {"probability", o.probability},
                                   {"box", boxJson(o.box)},
                                   {"matched_object_id", o.match.objectId},
                                   {"matched_class", o.match.nyu40Class},
                                   {"matched_label", o.match.rawLabel},
                                   {"iou", o.match.iou}});
            json out = {{"scene_id", scene.id},
                        {"question", question},
                        {"situation", situation},
                        {"model", model.manifest().name},
                        {"device", model.module().runtime().device},
                        {"answers", answers},
                        {"objects", objects}};
            if (result.position)
                out["position"] = *result.position;
            if (result.rotation)
                out["rotation"] = *result.rotation;
            std::cout << out.dump(2) << '\n';
            return 0;
        }
        std::printf("%s: %s\n", scene.id.c_str(), question.c_str());
        if (!situation.empty())
            std::printf("situation: %s\n", situation.c_str());
        for (std::size_t i = 0; i < result.answers.size(); ++i)
            std::printf("%3zu. %-24s %.4f\n", i + 1, result.answers[i].text.c_str(),
                        result.answers[i].probability);
        std::printf("\nobjects (most likely first):\n");
        for (std::size_t i = 0; i < shownObjects; ++i) {
            const QaObject& o = result.objects[i];
            std::printf("  token %3d  p %.3f  centre (%.2f %.2f %.2f) size (%.2f %.2f %.2f)",
                        o.token, o.probability, o.box[0], o.box[1], o.box[2], o.box[3], o.box[4],
                        o.box[5]);
            if (o.match.objectId >= 0)
                std::printf("  ~ object %d %s (IoU %.2f)", o.match.objectId,
                            o.match.rawLabel.c_str(), o.match.iou);
            std::printf("\n");
        }
        if (result.position && result.rotation)
            std::printf("\nposition (%.2f %.2f %.2f)  rotation (%.3f %.3f %.3f %.3f)\n",
                        (*result.position)[0], (*result.position)[1], (*result.position)[2],
                        (*result.rotation)[0], (*result.rotation)[1], (*result.rotation)[2],
                        (*result.rotation)[3]);
        return 0;
    });
}

} // namespace scenelens::cli
