#include "ml/ClipEmbedder.h"

#include "ml/ClipImagePreprocess.h"

#include <algorithm>
#include <stdexcept>

namespace scenelens {

namespace {

const TokenizerSpec& clipTokenizerSpec(const TorchModule& module) {
    const BundleManifest& m = module.manifest();
    if (m.kind != BundleKind::Clip)
        throw std::invalid_argument(m.directory + " is a " + bundleKindName(m.kind) +
                                    " bundle, not a clip bundle");
    if (m.image.size != kClipImageSize)
        throw std::invalid_argument(m.manifestPath + ": image size " +
                                    std::to_string(m.image.size) +
                                    " is not supported (CLIP "
                                    "preprocessing gives " +
                                    std::to_string(kClipImageSize) + ")");
    return *m.tokenizer;
}

void append(EmbeddingRows& rows, const Tensor& batch) {
    rows.cols = int(batch.dim(1));
    rows.rows += int(batch.dim(0));
    rows.values.insert(rows.values.end(), batch.floats.begin(), batch.floats.end());
}

} // namespace

ClipEmbedder ClipEmbedder::load(const std::string& bundleDir, const std::string& device) {
    return ClipEmbedder(TorchModule::load(readBundleManifest(bundleDir).manifest, device));
}

ClipEmbedder::ClipEmbedder(TorchModule module)
    : module_(std::move(module)), tokenizer_(clipTokenizerSpec(module_)) {}

EmbeddingRows ClipEmbedder::embedTexts(const std::vector<std::string>& texts,
                                       ProgressSink* progress, int batchSize) const {
    batchSize = std::max(1, batchSize);
    EmbeddingRows result;
    result.cols = manifest().embeddingDim;
    for (std::size_t first = 0; first < texts.size(); first += std::size_t(batchSize)) {
        checkpoint(progress, "embedding texts", double(first) / double(texts.size()));
        const auto begin = texts.begin() + std::ptrdiff_t(first);
        const std::vector<std::string> chunk(
            begin, begin + std::ptrdiff_t(std::min(texts.size() - first, std::size_t(batchSize))));
        TokenBatch tokens = tokenizer_.tokenize(chunk);
        append(result, module_.call("encode_text", Tensor::int64({tokens.rows, tokens.cols},
                                                                 std::move(tokens.ids))));
    }
    checkpoint(progress, "embedding texts", 1.0);
    return result;
}

EmbeddingRows ClipEmbedder::embedImages(const std::vector<RgbImage>& images, ProgressSink* progress,
                                        int batchSize) const {
    batchSize = std::max(1, batchSize);
    const ImageSpec& spec = manifest().image;
    const std::size_t plane = std::size_t(kClipImageSize) * kClipImageSize;
    EmbeddingRows result;
    result.cols = manifest().embeddingDim;
    for (std::size_t first = 0; first < images.size(); first += std::size_t(batchSize)) {
        checkpoint(progress, "embedding images", double(first) / double(images.size()));
        const std::size_t count = std::min(images.size() - first, std::size_t(batchSize));
        std::vector<float> pixels(count * 3 * plane);
        for (std::size_t i = 0; i < count; ++i) {
            float* out = pixels.data() + i * 3 * plane;
            clipPreprocessInto(images[first + i], out);
            // clipPreprocessInto normalises with CLIP's constants; a bundle may declare others.
            for (int c = 0; c < 3; ++c) {
                const float mean = spec.mean[std::size_t(c)], std = spec.std[std::size_t(c)];
                if (mean == kClipMean[c] && std == kClipStd[c])
                    continue;
                for (std::size_t p = 0; p < plane; ++p) {
                    float& v = out[std::size_t(c) * plane + p];
                    v = (v * kClipStd[c] + kClipMean[c] - mean) / std;
                }
            }
        }
        append(result, module_.call(
                           "encode_image",
                           Tensor::float32({std::int64_t(count), 3, kClipImageSize, kClipImageSize},
                                           std::move(pixels))));
    }
    checkpoint(progress, "embedding images", 1.0);
    return result;
}

EmbeddingRows ClipEmbedder::embedImageFiles(const std::vector<std::string>& paths,
                                            ProgressSink* progress, int batchSize) const {
    std::vector<RgbImage> images;
    images.reserve(paths.size());
    for (const std::string& path : paths)
        images.push_back(readRgbImage(path));
    return embedImages(images, progress, batchSize);
}

} // namespace scenelens
