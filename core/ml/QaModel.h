#pragma once
// Question-answering bundles (ScanQA-style, and SQA3D-style when situated): a scene, a question
// and an optional situation in; ranked answers, the objects the model points at and, for
// situated models, the agent's position and rotation out.

#include "Progress.h"
#include "ml/ModelBundleTokenizer.h"
#include "ml/SceneEncoder.h"
#include "ml/TorchModule.h"

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace scenelens {

struct QaAnswer {
    std::string text;
    int index = 0;           ///< into the answer vocabulary
    float probability = 0.f; ///< softmax over every answer
};

struct QaObject {
    int token = 0;           ///< object token index (0..K-1)
    float score = 0.f;       ///< localisation logit
    float probability = 0.f; ///< softmax of the scores over the K tokens
    CentreSizeBox box{};
    GroundTruthMatch match; ///< filled when asking about a Scene
};

struct QaResult {
    std::vector<QaAnswer> answers;                ///< top-k, most probable first
    std::vector<QaObject> objects;                ///< every object token, highest score first
    std::optional<std::array<float, 3>> position; ///< situated models: metres
    std::optional<std::array<float, 4>> rotation; ///< situated models: quaternion w x y z
};

/// The five model inputs of a qa forward call (docs/model-bundles.md).
struct QaInputs {
    Tensor points;          ///< float32 [B, N, C]
    Tensor questionTokens;  ///< int64 [B, L]
    Tensor questionMask;    ///< bool [B, L]
    Tensor situationTokens; ///< int64 [B, S]
    Tensor situationMask;   ///< bool [B, S]
};

struct QaQuestion {
    const Scene* scene = nullptr;
    std::string question;
    std::string situation; ///< empty: no situation (all-padding input)
};

class QaModel {
public:
    /// Reads the bundle and loads its module; the manifest must be a qa one.
    static QaModel load(const std::string& bundleDir, const std::string& device = {});
    /// Takes a loaded qa module and loads its tokenizer.
    explicit QaModel(TorchModule module);

    /// Samples the scene's points with `seed`, tokenizes question and situation, runs, and
    /// decodes the topK answers (topK >= 1, capped at the answer count).
    QaResult ask(const Scene& scene, const std::string& question, const std::string& situation = {},
                 int topK = 10, std::uint64_t seed = 0) const;
    /// Many questions, batchSize per forward call; cancellable between batches through
    /// `progress` (throws Cancelled, returns nothing).
    std::vector<QaResult> askAll(const std::vector<QaQuestion>& questions, int topK,
                                 std::uint64_t seed, ProgressSink* progress,
                                 int batchSize = 8) const;
    /// Runs prepared inputs (e.g. a bundle's reference inputs); no ground-truth match.
    std::vector<QaResult> answer(const QaInputs& inputs, int topK) const;

    const ModelBundleTokenizer& tokenizer() const { return tokenizer_; }
    const TorchModule& module() const { return module_; }
    const BundleManifest& manifest() const { return module_.manifest(); }

private:
    TorchModule module_;
    ModelBundleTokenizer tokenizer_;
};

} // namespace scenelens
