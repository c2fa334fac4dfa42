#include "ml/QaModel.h"

#include "ml/PointSampler.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace scenelens {

namespace {

const TokenizerSpec& qaTokenizerSpec(const TorchModule& module) {
    const BundleManifest& m = module.manifest();
    if (m.kind != BundleKind::Qa)
        throw std::invalid_argument(m.directory + " is a " + bundleKindName(m.kind) +
                                    " bundle, not a qa bundle");
    return *m.tokenizer;
}

/// Softmax of values[0..n) computed in double, stable for large logits.
std::vector<float> softmax(const float* values, std::size_t n) {
    const float top = *std::max_element(values, values + n);
    std::vector<double> e(n);
    double sum = 0.0;
    for (std::size_t i = 0; i < n; ++i)
        sum += e[i] = std::exp(double(values[i]) - double(top));
    std::vector<float> out(n);
    for (std::size_t i = 0; i < n; ++i)
        out[i] = float(e[i] / sum);
    return out;
}

} // namespace

QaModel QaModel::load(const std::string& bundleDir, const std::string& device) {
    return QaModel(TorchModule::load(readBundleManifest(bundleDir).manifest, device));
}

QaModel::QaModel(TorchModule module)
    : module_(std::move(module)), tokenizer_(qaTokenizerSpec(module_)) {}

std::vector<QaResult> QaModel::answer(const QaInputs& inputs, int topK) const {
    const TensorMap outputs =
        module_.forward({inputs.points, inputs.questionTokens, inputs.questionMask,
                         inputs.situationTokens, inputs.situationMask});
    const Tensor& logits = outputs.at("answer_logits");
    const Tensor& scores = outputs.at("object_scores");
    const Tensor& boxes = outputs.at("object_boxes");
    const std::size_t batch = std::size_t(logits.dim(0)), a = std::size_t(logits.dim(1));
    const std::size_t k = std::size_t(scores.dim(1));
    const std::size_t top = std::min(a, std::size_t(std::max(1, topK)));
    std::vector<QaResult> results(batch);
    for (std::size_t b = 0; b < batch; ++b) {
        QaResult& result = results[b];
        const std::vector<float> p = softmax(logits.floats.data() + b * a, a);
        std::vector<int> order(a);
        std::iota(order.begin(), order.end(), 0);
        // Ties keep the lower index first, as argmax does.
        std::partial_sort(order.begin(), order.begin() + std::ptrdiff_t(top), order.end(),
                          [&p](int x, int y) {
                              return p[std::size_t(x)] > p[std::size_t(y)] ||
                                     (p[std::size_t(x)] == p[std::size_t(y)] && x < y);
                          });
        for (std::size_t i = 0; i < top; ++i) {
            const int index = order[i];
            result.answers.push_back(
                {manifest().answers[std::size_t(index)], index, p[std::size_t(index)]});
        }
        const float* s = scores.floats.data() + b * k;
        const std::vector<float> q = softmax(s, k);
        for (std::size_t i = 0; i < k; ++i) {
            QaObject object;
            object.token = int(i);
            object.score = s[i];
            object.probability = q[i];
            std::copy_n(boxes.floats.begin() + std::ptrdiff_t((b * k + i) * 6), 6,
                        object.box.begin());
            result.objects.push_back(object);
        }
        std::stable_sort(result.objects.begin(), result.objects.end(),
                         [](const QaObject& x, const QaObject& y) { return x.score > y.score; });
        if (manifest().situated) {
            const Tensor& position = outputs.at("position");
            const Tensor& rotation = outputs.at("rotation");
            std::array<float, 3> pos{};
            std::array<float, 4> rot{};
            std::copy_n(position.floats.begin() + std::ptrdiff_t(b * 3), 3, pos.begin());
            std::copy_n(rotation.floats.begin() + std::ptrdiff_t(b * 4), 4, rot.begin());
            result.position = pos;
            result.rotation = rot;
        }
    }
    return results;
}

QaResult QaModel::ask(const Scene& scene, const std::string& question, const std::string& situation,
                      int topK, std::uint64_t seed) const {
    return askAll({{&scene, question, situation}}, topK, seed, nullptr, 1).front();
}

std::vector<QaResult> QaModel::askAll(const std::vector<QaQuestion>& questions, int topK,
                                      std::uint64_t seed, ProgressSink* progress,
                                      int batchSize) const {
    const PointSampler sampler(*manifest().input);
    const int n = sampler.spec().numPoints, c = sampler.spec().channelCount();
    batchSize = std::max(1, batchSize);
    std::vector<QaResult> results;
    results.reserve(questions.size());
    for (std::size_t first = 0; first < questions.size(); first += std::size_t(batchSize)) {
        checkpoint(progress, "answering questions", double(first) / double(questions.size()));
        const std::size_t count = std::min(questions.size() - first, std::size_t(batchSize));
        std::vector<float> points;
        std::vector<std::string> texts, situations;
        for (std::size_t i = 0; i < count; ++i) {
            const QaQuestion& q = questions[first + i];
            if (!q.scene)
                throw std::invalid_argument("a question without a scene");
            const SampledPoints sample = sampler.sample(*q.scene, seed);
            points.insert(points.end(), sample.points.floats.begin(), sample.points.floats.end());
            texts.push_back(q.question);
            situations.push_back(q.situation);
        }
        const TokenBatch question = tokenizer_.tokenize(texts);
        const TokenBatch situation = tokenizer_.tokenize(situations, manifest().situationLength);
        const std::int64_t rows = std::int64_t(count);
        QaInputs inputs{Tensor::float32({rows, n, c}, std::move(points)),
                        Tensor::int64({rows, question.cols}, question.ids),
                        Tensor::boolean({rows, question.cols}, question.mask),
                        Tensor::int64({rows, situation.cols}, situation.ids),
                        Tensor::boolean({rows, situation.cols}, situation.mask)};
        std::vector<QaResult> batch = answer(inputs, topK);
        for (std::size_t i = 0; i < count; ++i) {
            for (QaObject& object : batch[i].objects)
                object.match = matchGroundTruth(object.box, *questions[first + i].scene);
            results.push_back(std::move(batch[i]));
        }
    }
    checkpoint(progress, "answering questions", 1.0);
    return results;
}

} // namespace scenelens
