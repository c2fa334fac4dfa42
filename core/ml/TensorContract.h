#pragma once
// The tensor contracts of docs/model-bundles.md, checked on a module's outputs so that a model
// that does not fit its manifest fails at load time with a precise message.

#include "ml/ModelBundle.h"
#include "ml/Tensor.h"

#include <cstdint>

namespace scenelens {

/// Checks the outputs of a scene-encoder or qa forward() of batch `batch` against the contract
/// of manifest.kind: every key present, float32, shapes as documented, K and F the same in every
/// output (and equal to num_objects / feature_dim when the manifest states them), E equal to
/// embedding_dim, A to the answer count, the class axis to the class count. Returns K. Throws
/// FileError naming the module, e.g. "scene-encoder output 'object_boxes' has shape [1,16,8,3],
/// expected [B,K,6]".
int checkModuleOutputs(const BundleManifest& manifest, const TensorMap& outputs,
                       std::int64_t batch);

/// Checks a clip method's output ("encode_text" / "encode_image") is float32 [batch, E].
void checkEmbeddingOutput(const BundleManifest& manifest, const std::string& method,
                          const Tensor& output, std::int64_t batch);

} // namespace scenelens
