#pragma once
// CLIP bundles: texts and images to embeddings in the bundle's space, with the bundle's tokenizer
// and CLIP's image preprocessing.

#include "Progress.h"
#include "ml/ClipImageIO.h"
#include "ml/ModelBundleTokenizer.h"
#include "ml/TorchModule.h"

#include <string>
#include <vector>

namespace scenelens {

/// Row-major [rows, cols] float32 embeddings.
struct EmbeddingRows {
    int rows = 0;
    int cols = 0;
    std::vector<float> values;

    const float* row(int i) const { return values.data() + std::size_t(i) * std::size_t(cols); }
};

class ClipEmbedder {
public:
    /// Reads the bundle and loads its module; the manifest must be a clip's.
    static ClipEmbedder load(const std::string& bundleDir, const std::string& device = {});
    /// Takes a loaded clip module and loads its tokenizer. Throws std::invalid_argument for a
    /// non-clip module or an image size other than 224.
    explicit ClipEmbedder(TorchModule module);

    /// [texts, E]: tokenized at the manifest's context length, batchSize texts per call.
    /// Cancellable between batches through `progress` (throws Cancelled, returns nothing).
    EmbeddingRows embedTexts(const std::vector<std::string>& texts,
                             ProgressSink* progress = nullptr, int batchSize = 64) const;
    /// [images, E] after CLIP preprocessing (resize, centre crop, normalise).
    EmbeddingRows embedImages(const std::vector<RgbImage>& images, ProgressSink* progress = nullptr,
                              int batchSize = 16) const;
    /// The same for image files (PNG, JPEG, ...); throws FileError for unreadable files.
    EmbeddingRows embedImageFiles(const std::vector<std::string>& paths,
                                  ProgressSink* progress = nullptr, int batchSize = 16) const;

    const ModelBundleTokenizer& tokenizer() const { return tokenizer_; }
    const TorchModule& module() const { return module_; }
    const BundleManifest& manifest() const { return module_.manifest(); }

private:
    TorchModule module_;
    ModelBundleTokenizer tokenizer_;
};

} // namespace scenelens
