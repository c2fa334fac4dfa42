// Model subcommands: bundle-info, encode and ask (core/ml through plain headers; no LibTorch here).

#include "Cli.h"
#include "CliSupport.h"

#include "embed/Npy.h"
#include "ml/ModelBundle.h"
#include "ml/QaModel.h"
#include "ml/SceneEncoder.h"
#include "ml/TorchModule.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

namespace scenelens::cli {

namespace {

using nlohmann::json;

void printWarnings(const char* command, const std::vector<std::string>& warnings) {
    for (const std::string& warning : warnings)
        std::fprintf(stderr, "scenelens %s: warning: %s\n", command, warning.c_str());
}

/// Reads the manifest (printing its warnings) and loads the module on --device.
TorchModule loadBundle(const char* command, const Arguments& args, BundleKind expected) {
    const ManifestReading reading = readBundleManifest(required(args, "--bundle"));
    printWarnings(command, reading.warnings);
    if (reading.manifest.kind != expected)
        throw std::runtime_error(reading.manifest.manifestPath + ": a " +
                                 bundleKindName(reading.manifest.kind) + " bundle, but " + command +
                                 " needs a " + bundleKindName(expected) + " bundle");
    try {
        return TorchModule::load(reading.manifest, args.value("--device").value_or(""));
    } catch (const std::invalid_argument& e) {
        throw UsageError(e.what());
    }
}

std::uint64_t seedOf(const Arguments& args) {
    return std::uint64_t(parseCount(args.value("--seed").value_or("0"), "--seed", 1LL << 62, 0));
}

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
        TorchModule module = [&] {
            try {
                return TorchModule::load(m, args.value("--device").value_or(""));
            } catch (const std::invalid_argument& e) {
                throw UsageError(e.what());
            }
        }();
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
        const Arguments args = parse(
            argc, argv, {"--bundle", "--out", "--device", "--seed", "--labels"}, {}, {"--scene"});
        const std::string out = required(args, "--out");
        const std::vector<std::string> scenePaths = args.all("--scene");
        if (scenePaths.empty())
            throw UsageError("--scene is required (repeat it for several scenes)");
        const std::uint64_t seed = seedOf(args);
        const SceneEncoder encoder(loadBundle("encode", args, BundleKind::SceneEncoder));

        std::vector<Scene> scenes;
        for (const std::string& path : scenePaths)
            scenes.push_back(readScene(path, args));
        std::vector<const Scene*> pointers;
        for (const Scene& scene : scenes)
            pointers.push_back(&scene);
        std::vector<EncodedScene> encoded;
        {
            ConsoleProgress progress;
            encoded = encoder.encode(pointers, seed, &progress);
        }

        const int e = encoder.manifest().embeddingDim;
        std::vector<float> objectRows, sceneRows;
        json objects = json::array();
        for (const EncodedScene& scene : encoded) {
            objectRows.insert(objectRows.end(), scene.objectEmbeddings.begin(),
                              scene.objectEmbeddings.end());
            sceneRows.insert(sceneRows.end(), scene.sceneEmbedding.begin(),
                             scene.sceneEmbedding.end());
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
        const std::string stem = out.size() > 4 && out.compare(out.size() - 4, 4, ".npy") == 0
                                     ? out.substr(0, out.size() - 4)
                                     : out;
        const int objectCount = int(objectRows.size() / std::size_t(e));
        embed::writeNpyMatrix(out, objectRows.data(), objectCount, e);
        embed::writeNpyMatrix(stem + ".scenes.npy", sceneRows.data(), int(encoded.size()), e);
        const json meta = {{"bundle", encoder.manifest().directory},
                           {"model", encoder.manifest().name},
                           {"embedding_space", encoder.manifest().embeddingSpace},
                           {"embedding_dim", e},
                           {"seed", seed},
                           {"device", encoder.module().runtime().device},
                           {"scenes",
                            [&] {
                                json ids = json::array();
                                for (const EncodedScene& s : encoded)
                                    ids.push_back(s.sceneId);
                                return ids;
                            }()},
                           {"objects", objects}};
        std::ofstream metaFile(stem + ".json");
        metaFile << meta.dump(1) << '\n';
        if (!metaFile)
            throw std::runtime_error(stem + ".json: cannot write the metadata");
        std::printf("wrote %s [%d, %d], %s [%zu, %d] and %s.json (%zu scenes)\n", out.c_str(),
                    objectCount, e, (stem + ".scenes.npy").c_str(), encoded.size(), e, stem.c_str(),
                    encoded.size());
        return 0;
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
