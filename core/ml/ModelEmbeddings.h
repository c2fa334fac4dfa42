#pragma once
// Embedding sets made from model outputs, in the one shape that the embedding views, the project
// store and `scenelens encode` share: object and scene embeddings of encoded scenes, CLIP text
// embeddings of prompts and free text, CLIP image embeddings of views. Also what the app asks of
// them: ranking rows by cosine similarity to a query and colouring objects by their principal
// components. Plain C++: no LibTorch here.

#include "embed/EmbeddingSet.h"
#include "ml/ClipEmbedder.h"
#include "ml/ModelBundle.h"
#include "ml/SceneEncoder.h"

#include <array>
#include <string>
#include <vector>

namespace scenelens {

/// Metadata columns of model-made sets, beside embed::columns (scene, object_id, label, text,
/// image_path, modality).
namespace model_columns {
inline constexpr const char* kObjectToken = "object_token";       ///< number: token index 0..K-1
inline constexpr const char* kPredictedClass = "predicted_class"; ///< text: detection head
inline constexpr const char* kObjectness = "objectness";          ///< number: probability
inline constexpr const char* kIou = "iou"; ///< number: box IoU with the matched object
inline constexpr const char* kTemplate =
    "template";                              ///< text: the prompt template, "" for free text
inline constexpr const char* kView = "view"; ///< number: view index within the scene
} // namespace model_columns

/// One row per object token whose objectness is at least `minObjectness`, scene by scene in token
/// order. object_id and label name the matched ground-truth object (-1 and "" when none overlaps);
/// in a scene where no token overlaps any object (one without annotations) label is the predicted
/// class. Modality object3d, space and model from `encoder`; created is left empty (the store
/// writes the time of saving). Throws std::invalid_argument when a scene's embeddings do not have
/// the encoder's width or one row per object.
embed::EmbeddingSet objectEmbeddingSet(const std::vector<EncodedScene>& scenes,
                                       const BundleManifest& encoder, float minObjectness,
                                       std::string name);

/// One row per scene (modality scene3d) with the scene column.
embed::EmbeddingSet sceneEmbeddingSet(const std::vector<EncodedScene>& scenes,
                                      const BundleManifest& encoder, std::string name);

/// A text to embed: the text itself, the label it stands for (a class, or the text) and the
/// template it was made from ("" for free text).
struct PromptText {
    std::string text;
    std::string label;
    std::string promptTemplate;
};

/// The templates the app starts from; "{}" stands for the class.
std::vector<std::string> defaultPromptTemplates();

/// Every template filled with every class, class by class. Throws std::invalid_argument for a
/// template without "{}" or an empty class list.
std::vector<PromptText> classPrompts(const std::vector<std::string>& templates,
                                     const std::vector<std::string>& classes);

/// Free texts as prompts of their own (label = text); blank lines are dropped.
std::vector<PromptText> freeTexts(const std::vector<std::string>& lines);

/// `rows` (one per text, in order) as a text set: columns text, label, template.
embed::EmbeddingSet textEmbeddingSet(const EmbeddingRows& rows,
                                     const std::vector<PromptText>& texts,
                                     const BundleManifest& clip, std::string name);

/// An image to embed: its file, the scene it shows and its view index there.
struct ImageSource {
    std::string path;
    std::string scene;
    int view = 0;
};

/// `rows` (one per image, in order) as an image set: columns scene, view, image_path.
embed::EmbeddingSet imageEmbeddingSet(const EmbeddingRows& rows,
                                      const std::vector<ImageSource>& images,
                                      const BundleManifest& clip, std::string name);

/// A row and its cosine similarity to a query.
struct RankedRow {
    int row = 0;
    float similarity = 0.f;
};

/// The set's rows ranked by cosine similarity to `query` (set.dims values), most similar first,
/// ties by row. Zero rows get similarity 0. Throws std::invalid_argument when the query is zero.
std::vector<RankedRow> rankByCosine(const embed::EmbeddingSet& set, const float* query);

/// One colour per row from the rows' first three principal components, each mapped to 0..1 over
/// the rows (channels of components the rows do not span, e.g. beyond the first for two rows or
/// for points on a line, are 0.5). Objects whose features are alike get alike colours.
std::vector<std::array<float, 3>> principalComponentColors(const embed::EmbeddingSet& set);

/// Throws std::invalid_argument naming both bundles when their embedding spaces differ (vectors
/// of different spaces cannot be compared).
void requireSameSpace(const BundleManifest& a, const BundleManifest& b);

} // namespace scenelens
