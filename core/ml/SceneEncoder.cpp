#include "ml/SceneEncoder.h"

#include "ml/PointSampler.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace scenelens {

float boxIou(const CentreSizeBox& box, const Box3& other) {
    if (other.isEmpty())
        return 0.f;
    float intersection = 1.f, volumeA = 1.f, volumeB = 1.f;
    for (int axis = 0; axis < 3; ++axis) {
        const float half = 0.5f * std::abs(box[std::size_t(axis + 3)]);
        const float lo = box[std::size_t(axis)] - half, hi = box[std::size_t(axis)] + half;
        const float overlap = std::min(hi, other.max[axis]) - std::max(lo, other.min[axis]);
        intersection *= std::max(0.f, overlap);
        volumeA *= hi - lo;
        volumeB *= other.max[axis] - other.min[axis];
    }
    const float uni = volumeA + volumeB - intersection;
    return uni > 0.f ? intersection / uni : 0.f;
}

GroundTruthMatch matchGroundTruth(const CentreSizeBox& box, const Scene& scene) {
    GroundTruthMatch best;
    for (const SceneObject& object : scene.objects) {
        const float iou = boxIou(box, object.box);
        if (iou > best.iou) {
            best.iou = iou;
            best.objectId = object.id;
            best.nyu40Class = object.nyu40Class;
            best.rawLabel = object.rawLabel;
        }
    }
    return best;
}

SceneEncoder SceneEncoder::load(const std::string& bundleDir, const std::string& device) {
    return SceneEncoder(TorchModule::load(readBundleManifest(bundleDir).manifest, device));
}

SceneEncoder::SceneEncoder(TorchModule module) : module_(std::move(module)) {
    if (manifest().kind != BundleKind::SceneEncoder)
        throw std::invalid_argument(manifest().directory + " is a " +
                                    bundleKindName(manifest().kind) +
                                    " bundle, not a scene-encoder");
}

std::vector<EncodedScene> SceneEncoder::decode(const TensorMap& outputs) const {
    const Tensor& boxes = outputs.at("object_boxes");
    const Tensor& objectness = outputs.at("objectness");
    const Tensor& logits = outputs.at("object_class_logits");
    const Tensor& embeddings = outputs.at("object_embeddings");
    const Tensor& features = outputs.at("object_features");
    const Tensor& scene = outputs.at("scene_embedding");
    const int batch = int(boxes.dim(0)), k = int(boxes.dim(1));
    const int e = int(embeddings.dim(2)), f = int(features.dim(2)), c = int(logits.dim(2));
    std::vector<EncodedScene> result(static_cast<std::size_t>(batch));
    for (int b = 0; b < batch; ++b) {
        EncodedScene& out = result[std::size_t(b)];
        out.objectCount = k;
        out.embeddingDim = e;
        out.featureDim = f;
        auto slice = [b](const Tensor& t, std::size_t width) {
            const auto first = t.floats.begin() + std::ptrdiff_t(std::size_t(b) * width);
            return std::vector<float>(first, first + std::ptrdiff_t(width));
        };
        out.objectEmbeddings = slice(embeddings, std::size_t(k) * std::size_t(e));
        out.objectFeatures = slice(features, std::size_t(k) * std::size_t(f));
        out.sceneEmbedding = slice(scene, std::size_t(e));
        for (int i = 0; i < k; ++i) {
            const std::size_t object = std::size_t(b) * std::size_t(k) + std::size_t(i);
            ObjectPrediction p;
            std::copy_n(boxes.floats.begin() + std::ptrdiff_t(object * 6), 6, p.box.begin());
            p.objectness = 1.f / (1.f + std::exp(-objectness.floats[object]));
            const auto first = logits.floats.begin() + std::ptrdiff_t(object * std::size_t(c));
            p.classIndex = int(std::max_element(first, first + c) - first);
            const auto& classes = manifest().classes;
            if (p.classIndex < int(classes.size()))
                p.className = classes[std::size_t(p.classIndex)];
            out.objects.push_back(std::move(p));
        }
    }
    return result;
}

std::vector<EncodedScene> SceneEncoder::encodePoints(const Tensor& points) const {
    if (points.shape.size() != 3)
        throw std::invalid_argument("scene-encoder points must be [B,N,C], got " +
                                    points.shapeText());
    return decode(module_.forward({points}));
}

EncodedScene SceneEncoder::encode(const Scene& scene, std::uint64_t seed) const {
    return encode({&scene}, seed, nullptr, 1).front();
}

std::vector<EncodedScene> SceneEncoder::encode(const std::vector<const Scene*>& scenes,
                                               std::uint64_t seed, ProgressSink* progress,
                                               int batchSize) const {
    const PointSampler sampler(*manifest().input);
    batchSize = std::max(1, batchSize);
    std::vector<EncodedScene> result;
    result.reserve(scenes.size());
    for (std::size_t first = 0; first < scenes.size(); first += std::size_t(batchSize)) {
        checkpoint(progress, "encoding scenes", double(first) / double(scenes.size()));
        const std::size_t count = std::min(scenes.size() - first, std::size_t(batchSize));
        const int n = sampler.spec().numPoints, c = sampler.spec().channelCount();
        std::vector<float> values;
        values.reserve(count * std::size_t(n) * std::size_t(c));
        for (std::size_t i = 0; i < count; ++i) {
            const SampledPoints sample = sampler.sample(*scenes[first + i], seed);
            values.insert(values.end(), sample.points.floats.begin(), sample.points.floats.end());
        }
        std::vector<EncodedScene> batch =
            encodePoints(Tensor::float32({std::int64_t(count), n, c}, std::move(values)));
        for (std::size_t i = 0; i < count; ++i) {
            const Scene& scene = *scenes[first + i];
            EncodedScene& encoded = batch[i];
            encoded.sceneId = scene.id;
            for (ObjectPrediction& object : encoded.objects)
                object.match = matchGroundTruth(object.box, scene);
            result.push_back(std::move(encoded));
        }
    }
    checkpoint(progress, "encoding scenes", 1.0);
    return result;
}

} // namespace scenelens
