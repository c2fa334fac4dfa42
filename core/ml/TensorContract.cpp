#include "ml/TensorContract.h"

#include "Error.h"

#include <cctype>
#include <map>
#include <optional>
#include <utility>
#include <vector>

namespace scenelens {

namespace {

/// One output's expected shape: symbols (B, K, F, E, A, C) or fixed sizes.
struct Expected {
    std::string key;
    std::vector<std::string> axes;
};

std::string patternText(const std::vector<std::string>& axes) {
    std::string text = "[";
    for (std::size_t i = 0; i < axes.size(); ++i)
        text += (i ? "," : "") + axes[i];
    return text + "]";
}

class ShapeChecker {
public:
    ShapeChecker(const BundleManifest& manifest, std::int64_t batch) : manifest_(manifest) {
        known_["B"] = batch;
        known_["E"] = manifest.embeddingDim;
        if (!manifest.answers.empty())
            known_["A"] = std::int64_t(manifest.answers.size());
        if (!manifest.classes.empty())
            known_["C"] = std::int64_t(manifest.classes.size());
        if (manifest.numObjects)
            known_["K"] = *manifest.numObjects;
        if (manifest.featureDim)
            known_["F"] = *manifest.featureDim;
    }

    void check(const std::string& what, const Tensor& tensor,
               const std::vector<std::string>& axes) {
        const std::string expected = patternText(axes);
        if (tensor.type != TensorType::Float32)
            fail(what + " is " + tensorTypeName(tensor.type) + ", expected float32 " + expected);
        bool ok = tensor.shape.size() == axes.size();
        for (std::size_t i = 0; ok && i < axes.size(); ++i) {
            const std::string& axis = axes[i];
            const std::int64_t size = tensor.shape[i];
            if (std::isdigit(static_cast<unsigned char>(axis[0]))) {
                ok = size == std::stoll(axis);
                continue;
            }
            auto known = known_.find(axis);
            if (known == known_.end()) {
                if (size <= 0)
                    ok = false;
                else
                    known_[axis] = size;
            } else if (known->second != size) {
                fail(what + " has shape " + tensor.shapeText() + ", expected " + expected +
                     " with " + axis + " = " + std::to_string(known->second) + " (" +
                     meaning(axis) + ")");
            }
        }
        if (!ok)
            fail(what + " has shape " + tensor.shapeText() + ", expected " + expected);
    }

    std::int64_t value(const std::string& axis) const {
        auto it = known_.find(axis);
        return it == known_.end() ? 0 : it->second;
    }

    [[noreturn]] void fail(const std::string& message) const {
        throw FileError(manifest_.modulePath, "", message);
    }

private:
    static std::string meaning(const std::string& axis) {
        static const std::map<std::string, std::string> meanings = {
            {"B", "the batch size"},
            {"E", "embedding_dim"},
            {"A", "the number of answers"},
            {"C", "the number of classes"},
            {"K", "the object count of the other outputs / num_objects"},
            {"F", "the feature width of the other outputs / feature_dim"}};
        auto it = meanings.find(axis);
        return it == meanings.end() ? axis : it->second;
    }

    const BundleManifest& manifest_;
    std::map<std::string, std::int64_t> known_;
};

} // namespace

int checkModuleOutputs(const BundleManifest& manifest, const TensorMap& outputs,
                       std::int64_t batch) {
    std::vector<Expected> contract;
    if (manifest.kind == BundleKind::SceneEncoder) {
        contract = {{"object_boxes", {"B", "K", "6"}},        {"objectness", {"B", "K"}},
                    {"object_class_logits", {"B", "K", "C"}}, {"object_features", {"B", "K", "F"}},
                    {"object_embeddings", {"B", "K", "E"}},   {"scene_embedding", {"B", "E"}}};
    } else if (manifest.kind == BundleKind::Qa) {
        contract = {{"answer_logits", {"B", "A"}},
                    {"object_scores", {"B", "K"}},
                    {"object_boxes", {"B", "K", "6"}}};
        if (manifest.situated) {
            contract.push_back({"position", {"B", "3"}});
            contract.push_back({"rotation", {"B", "4"}});
        }
    } else {
        throw FileError(manifest.modulePath, "", "a clip module has no forward() dictionary");
    }
    const std::string kind = bundleKindName(manifest.kind);
    ShapeChecker checker(manifest, batch);
    for (const Expected& expected : contract) {
        auto it = outputs.find(expected.key);
        if (it == outputs.end()) {
            std::string present;
            for (const auto& [key, value] : outputs)
                present += (present.empty() ? "" : ", ") + key;
            checker.fail(kind + " output '" + expected.key + "' is missing (forward returned: " +
                         (present.empty() ? "nothing" : present) + ")");
        }
        checker.check(kind + " output '" + expected.key + "'", it->second, expected.axes);
    }
    return int(checker.value("K"));
}

void checkEmbeddingOutput(const BundleManifest& manifest, const std::string& method,
                          const Tensor& output, std::int64_t batch) {
    ShapeChecker checker(manifest, batch);
    checker.check(std::string(bundleKindName(manifest.kind)) + " " + method + " output", output,
                  {"B", "E"});
}

} // namespace scenelens
