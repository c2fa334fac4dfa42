#include "ml/ModelEmbeddings.h"

#include "embed/Pca.h"
#include "embed/PlotData.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace scenelens {

namespace {

namespace cols = embed::columns;
namespace mcols = model_columns;

/// A principal component whose spread is at most this fraction of the first one's is flat.
constexpr float kFlatComponent = 1e-4f;

embed::EmbeddingSet emptySet(std::string name, const char* modality, const BundleManifest& model) {
    embed::EmbeddingSet set;
    set.name = std::move(name);
    set.modality = modality;
    set.space = model.embeddingSpace;
    set.model = model.name;
    set.dims = model.embeddingDim;
    return set;
}

void requireRows(const EmbeddingRows& rows, std::size_t expected, const BundleManifest& model) {
    if (rows.rows != int(expected) || rows.cols != model.embeddingDim)
        throw std::invalid_argument(model.name + ": got " + std::to_string(rows.rows) + " x " +
                                    std::to_string(rows.cols) + " embeddings, expected " +
                                    std::to_string(expected) + " x " +
                                    std::to_string(model.embeddingDim));
}

void requireObjectEmbeddings(const EncodedScene& scene, const BundleManifest& encoder) {
    if (scene.embeddingDim != encoder.embeddingDim)
        throw std::invalid_argument(
            scene.sceneId + ": object embeddings have " + std::to_string(scene.embeddingDim) +
            " dimensions, " + encoder.name + " declares " + std::to_string(encoder.embeddingDim));
    const std::size_t expected = scene.objects.size() * std::size_t(encoder.embeddingDim);
    if (scene.objectEmbeddings.size() != expected)
        throw std::invalid_argument(
            scene.sceneId + ": " + std::to_string(scene.objectEmbeddings.size()) +
            " object embedding values for " + std::to_string(scene.objects.size()) +
            " objects, expected " + std::to_string(expected));
}

/// Whether some token of the scene overlaps an annotated object: scenes without annotations match
/// nothing, and their tokens are labelled by the detection head instead.
bool anyMatched(const EncodedScene& scene) {
    return std::any_of(scene.objects.begin(), scene.objects.end(),
                       [](const ObjectPrediction& object) { return object.match.objectId >= 0; });
}

double norm(const float* v, int dims) {
    double sum = 0;
    for (int d = 0; d < dims; ++d)
        sum += double(v[d]) * v[d];
    return std::sqrt(sum);
}

} // namespace

embed::EmbeddingSet objectEmbeddingSet(const std::vector<EncodedScene>& scenes,
                                       const BundleManifest& encoder, float minObjectness,
                                       std::string name) {
    embed::EmbeddingSet set = emptySet(std::move(name), "object3d", encoder);
    auto& sceneColumn = set.textColumns[cols::kScene];
    auto& labelColumn = set.textColumns[cols::kLabel];
    auto& predictedColumn = set.textColumns[mcols::kPredictedClass];
    auto& objectIdColumn = set.numberColumns[cols::kObjectId];
    auto& tokenColumn = set.numberColumns[mcols::kObjectToken];
    auto& objectnessColumn = set.numberColumns[mcols::kObjectness];
    auto& iouColumn = set.numberColumns[mcols::kIou];
    for (const EncodedScene& scene : scenes) {
        requireObjectEmbeddings(scene, encoder);
        const bool annotated = anyMatched(scene);
        for (std::size_t k = 0; k < scene.objects.size(); ++k) {
            const ObjectPrediction& object = scene.objects[k];
            if (object.objectness < minObjectness)
                continue;
            const float* row = scene.objectEmbeddings.data() + k * std::size_t(set.dims);
            set.values.insert(set.values.end(), row, row + set.dims);
            sceneColumn.push_back(scene.sceneId);
            labelColumn.push_back(annotated ? object.match.rawLabel : object.className);
            predictedColumn.push_back(object.className);
            objectIdColumn.push_back(object.match.objectId);
            tokenColumn.push_back(double(k));
            objectnessColumn.push_back(object.objectness);
            iouColumn.push_back(object.match.iou);
            ++set.rows;
        }
    }
    return set;
}

embed::EmbeddingSet sceneEmbeddingSet(const std::vector<EncodedScene>& scenes,
                                      const BundleManifest& encoder, std::string name) {
    embed::EmbeddingSet set = emptySet(std::move(name), "scene3d", encoder);
    auto& sceneColumn = set.textColumns[cols::kScene];
    for (const EncodedScene& scene : scenes) {
        if (int(scene.sceneEmbedding.size()) != set.dims)
            throw std::invalid_argument(scene.sceneId + ": the scene embedding has " +
                                        std::to_string(scene.sceneEmbedding.size()) + " values, " +
                                        encoder.name + " declares " + std::to_string(set.dims));
        set.values.insert(set.values.end(), scene.sceneEmbedding.begin(),
                          scene.sceneEmbedding.end());
        sceneColumn.push_back(scene.sceneId);
        ++set.rows;
    }
    set.textColumns[cols::kLabel] = sceneColumn;
    return set;
}

std::vector<std::string> defaultPromptTemplates() {
    return {"a photo of a {} in a scene", "a {} in a room", "there is a {} in the scene"};
}

std::vector<PromptText> classPrompts(const std::vector<std::string>& templates,
                                     const std::vector<std::string>& classes) {
    if (classes.empty())
        throw std::invalid_argument("class prompts need at least one class");
    if (templates.empty())
        throw std::invalid_argument("class prompts need at least one template");
    for (const std::string& t : templates)
        if (t.find("{}") == std::string::npos)
            throw std::invalid_argument("the prompt template '" + t +
                                        "' has no {} where the class goes");
    std::vector<PromptText> prompts;
    for (const std::string& label : classes)
        for (const std::string& t : templates) {
            std::string text = t;
            text.replace(t.find("{}"), 2, label);
            prompts.push_back({std::move(text), label, t});
        }
    return prompts;
}

std::vector<PromptText> freeTexts(const std::vector<std::string>& lines) {
    std::vector<PromptText> texts;
    for (const std::string& line : lines) {
        const auto first = line.find_first_not_of(" \t\r\n");
        if (first == std::string::npos)
            continue;
        const auto last = line.find_last_not_of(" \t\r\n");
        const std::string text = line.substr(first, last - first + 1);
        texts.push_back({text, text, ""});
    }
    return texts;
}

embed::EmbeddingSet textEmbeddingSet(const EmbeddingRows& rows,
                                     const std::vector<PromptText>& texts,
                                     const BundleManifest& clip, std::string name) {
    requireRows(rows, texts.size(), clip);
    embed::EmbeddingSet set = emptySet(std::move(name), "text", clip);
    set.rows = rows.rows;
    set.values = rows.values;
    for (const PromptText& prompt : texts) {
        set.textColumns[cols::kText].push_back(prompt.text);
        set.textColumns[cols::kLabel].push_back(prompt.label);
        set.textColumns[mcols::kTemplate].push_back(prompt.promptTemplate);
    }
    return set;
}

embed::EmbeddingSet imageEmbeddingSet(const EmbeddingRows& rows,
                                      const std::vector<ImageSource>& images,
                                      const BundleManifest& clip, std::string name) {
    requireRows(rows, images.size(), clip);
    embed::EmbeddingSet set = emptySet(std::move(name), "image", clip);
    set.rows = rows.rows;
    set.values = rows.values;
    for (const ImageSource& image : images) {
        set.textColumns[cols::kScene].push_back(image.scene);
        set.textColumns[cols::kLabel].push_back(image.scene);
        set.textColumns[cols::kImagePath].push_back(image.path);
        set.numberColumns[mcols::kView].push_back(image.view);
    }
    return set;
}

std::vector<RankedRow> rankByCosine(const embed::EmbeddingSet& set, const float* query) {
    const double queryNorm = norm(query, set.dims);
    if (queryNorm == 0)
        throw std::invalid_argument("ranking '" + set.name + "': the query vector is zero");
    std::vector<RankedRow> ranked(std::size_t(set.rows));
    for (int i = 0; i < set.rows; ++i) {
        const float* row = set.row(i);
        double dot = 0;
        for (int d = 0; d < set.dims; ++d)
            dot += double(row[d]) * query[d];
        const double rowNorm = norm(row, set.dims);
        ranked[std::size_t(i)] = {i, rowNorm == 0 ? 0.f : float(dot / (rowNorm * queryNorm))};
    }
    std::stable_sort(ranked.begin(), ranked.end(), [](const RankedRow& a, const RankedRow& b) {
        return a.similarity > b.similarity;
    });
    return ranked;
}

std::vector<std::array<float, 3>> principalComponentColors(const embed::EmbeddingSet& set) {
    std::vector<std::array<float, 3>> colors(std::size_t(set.rows), {0.5f, 0.5f, 0.5f});
    const int components = std::min({3, set.rows, set.dims});
    if (components < 1)
        return colors;
    const embed::PcaResult pca = embed::pca(set.values.data(), set.rows, set.dims, components);
    std::vector<std::pair<float, float>> ranges(static_cast<std::size_t>(components));
    for (int c = 0; c < components; ++c) {
        auto& [lo, hi] = ranges[std::size_t(c)];
        lo = hi = pca.coords[std::size_t(c)];
        for (int i = 0; i < set.rows; ++i) {
            const float v = pca.coords[std::size_t(i) * components + c];
            lo = std::min(lo, v);
            hi = std::max(hi, v);
        }
    }
    // Components beyond the data's rank (two rows, points on a line) hold rounding noise only;
    // stretching that noise over 0..1 would colour alike rows differently.
    const float flat = kFlatComponent * (ranges[0].second - ranges[0].first);
    for (int c = 0; c < components; ++c) {
        const auto [lo, hi] = ranges[std::size_t(c)];
        if (hi - lo <= flat)
            continue;
        for (int i = 0; i < set.rows; ++i) {
            const float v = pca.coords[std::size_t(i) * components + c];
            colors[std::size_t(i)][std::size_t(c)] = (v - lo) / (hi - lo);
        }
    }
    return colors;
}

void requireSameSpace(const BundleManifest& a, const BundleManifest& b) {
    if (a.embeddingSpace != b.embeddingSpace)
        throw std::invalid_argument(
            "'" + b.name + "' embeds into the space '" + b.embeddingSpace + "', but '" + a.name +
            "' embeds into '" + a.embeddingSpace +
            "': their vectors cannot be compared. Use bundles trained for the same space.");
}

} // namespace scenelens
