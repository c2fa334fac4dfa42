#pragma once
// Scene-encoder bundles: a scene in, its object proposals and CLIP-space embeddings out.

#include "Progress.h"
#include "ml/TorchModule.h"
#include "scene/Scene.h"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace scenelens {

/// Axis-aligned box as models give it: centre x y z, size x y z (metres).
using CentreSizeBox = std::array<float, 6>;

/// The scene object whose box overlaps a predicted box best.
struct GroundTruthMatch {
    int objectId = -1; ///< -1 when no object overlaps the box
    std::string nyu40Class;
    std::string rawLabel;
    float iou = 0.f;
};

/// Intersection over union of two axis-aligned boxes (0 when either is empty).
float boxIou(const CentreSizeBox& box, const Box3& other);
/// The best-overlapping object of `scene` for `box`.
GroundTruthMatch matchGroundTruth(const CentreSizeBox& box, const Scene& scene);

struct ObjectPrediction {
    CentreSizeBox box{};
    float objectness = 0.f; ///< probability: sigmoid of the objectness logit
    int classIndex = -1;    ///< argmax of object_class_logits
    std::string className;  ///< classes[classIndex] of the manifest
    GroundTruthMatch match; ///< filled when encoding a Scene
};

struct EncodedScene {
    std::string sceneId;
    int objectCount = 0;                   ///< K
    int embeddingDim = 0;                  ///< E
    int featureDim = 0;                    ///< F
    std::vector<ObjectPrediction> objects; ///< K
    std::vector<float> objectEmbeddings;   ///< [K, E], L2-normalised
    std::vector<float> objectFeatures;     ///< [K, F]
    std::vector<float> sceneEmbedding;     ///< [E], L2-normalised
};

class SceneEncoder {
public:
    /// Reads the bundle and loads its module (see TorchModule::load); the manifest must be a
    /// scene-encoder's. Throws FileError / std::invalid_argument.
    static SceneEncoder load(const std::string& bundleDir, const std::string& device = {});
    /// Takes a loaded scene-encoder module.
    explicit SceneEncoder(TorchModule module);

    /// One scene: sample the manifest's N points with `seed`, run, decode, match ground truth.
    EncodedScene encode(const Scene& scene, std::uint64_t seed = 0) const;
    /// Many scenes, batchSize per forward call, as a cancellable job: `progress` is polled between
    /// batches and Cancelled is thrown when it asks to stop (no partial result is returned).
    /// Each scene gets the same result as encode(scene, seed).
    std::vector<EncodedScene> encode(const std::vector<const Scene*>& scenes, std::uint64_t seed,
                                     ProgressSink* progress, int batchSize = 1) const;
    /// Runs prepared points [B, N, C] (e.g. a bundle's reference input); no ground-truth match.
    std::vector<EncodedScene> encodePoints(const Tensor& points) const;

    const TorchModule& module() const { return module_; }
    const BundleManifest& manifest() const { return module_.manifest(); }

private:
    std::vector<EncodedScene> decode(const TensorMap& outputs) const;

    TorchModule module_;
};

} // namespace scenelens
